"""The list pages: institutions, a year's products, a year's execution; sortable, paginated, scoped."""

from decimal import Decimal

import pytest
from django.urls import reverse

from approvals import services
from tests.factories import (
    InstitutionFactory,
    ProductFactory,
    ResultFactory,
    RoleUserFactory,
    SubproductExecutionFactory,
    SubproductFactory,
    demo_in_draft,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def planner():
    """A planner of the demo with no report acted on yet: a test grows its 2024 plan, as before any approval."""
    return RoleUserFactory(institution=demo_in_draft(), role="Planificador")


def test_institutions_lists_only_what_the_user_may_read(client, planner):
    InstitutionFactory(code="OTRA")
    client.force_login(planner)
    html = client.get(reverse("goals:institutions")).content.decode()
    assert "Instituto Guatemalteco de Migración" in html and "OTRA" not in html
    assert reverse("goals:products", args=["IGM", 2024]) in html


def test_products_show_goals_formatted_and_sort_by_financial_goal(client, planner, django_assert_max_num_queries):
    client.force_login(planner)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("goals:products", args=["IGM", 2024]), {"sort": "-financial_total"})
    html = response.content.decode()
    assert "14,466,570.00" in html and "92,677,855.00" in html
    rows = [row.name for row in response.context["table"].page.object_list.data]
    assert rows[0] == "Dirección y Coordinación"  # 277,360,806.00, the largest


def test_execution_lists_products_and_subproducts_by_month(client, planner):
    client.force_login(planner)
    response = client.get(reverse("goals:execution", args=["IGM", 2024]), {"tipo": "financiera", "sort": "-total"})
    html = response.content.decode()
    assert "17,410,342.60" in html  # Dirección y Coordinación, December
    table = response.context["table"]
    assert len(table.rows) == 11  # subproducts only: a product has no money of its own
    physical = client.get(reverse("goals:execution", args=["IGM", 2024])).context["table"]
    assert len(physical.rows) == 17


def test_pages_are_paginated(client, planner):
    result = ResultFactory(institution=planner.institution, year=2025)
    for index in range(30):
        ProductFactory(result=result, name=f"P{index:02d}")
    client.force_login(planner)
    first = client.get(reverse("goals:products", args=["IGM", 2025]))
    assert len(first.context["table"].page.object_list) == 25
    second = client.get(reverse("goals:products", args=["IGM", 2025]), {"page": 2})
    assert len(second.context["table"].page.object_list) == 5


def test_another_institution_is_not_found(client, planner):
    client.force_login(RoleUserFactory(institution=InstitutionFactory(code="OTRA"), role="Planificador"))
    assert client.get(reverse("goals:products", args=["IGM", 2024])).status_code == 404
    assert client.get(reverse("goals:execution", args=["IGM", 2024])).status_code == 404


def test_readers_do_not_see_execution_in_progress(client, planner):
    client.force_login(RoleUserFactory(institution=planner.institution, role="Lector"))
    assert client.get(reverse("goals:execution", args=["IGM", 2024])).status_code == 403


def test_readers_see_the_products_goals_once_a_report_of_the_year_is_approved(client, planner):
    reader = RoleUserFactory(institution=planner.institution, role="Lector")
    director = RoleUserFactory(institution=planner.institution, role="Director")
    client.force_login(reader)
    refused = client.get(reverse("goals:products", args=["IGM", 2024]))
    assert refused.status_code == 403 and "Control Registro de Nacionales" not in refused.content.decode()
    services.submit(user=planner, institution=planner.institution, year=2024, cuatrimestre=1)
    services.approve(user=director, institution=planner.institution, year=2024, cuatrimestre=1)
    page = client.get(reverse("goals:products", args=["IGM", 2024]))
    assert page.status_code == 200 and "Control Registro de Nacionales" in page.content.decode()


def test_institutions_sort_and_print_years_plainly(client, planner, django_user_model):
    InstitutionFactory(code="AAA", name="Alfa")
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.org", "x", institution=None))
    response = client.get(reverse("goals:institutions"), {"sort": "-code"})
    assert [row.code for row in response.context["table"].page.object_list.data][:2] == ["IGM", "AAA"]
    html = response.content.decode()
    assert ">2024</a>" in html and "2,024" not in html
    assert 'class="data"' in html and 'class="desc orderable"' in html


def test_execution_sorts_by_a_month_and_right_aligns_figures(client, planner):
    client.force_login(planner)
    response = client.get(reverse("goals:execution", args=["IGM", 2024]), {"tipo": "financiera", "sort": "-m12"})
    december = [row["m12"] for row in response.context["table"].page.object_list.data]
    assert december == sorted(december, reverse=True) and december[0] == Decimal("24462555.58")
    assert '<td class="num">24,462,555.58</td>' in response.content.decode()
    assert "Ejecución financiera 2024" in response.content.decode()


def test_list_queries_do_not_grow_with_the_plan(client, planner, django_assert_max_num_queries):
    client.force_login(planner)
    pages = [
        reverse("goals:institutions"),
        reverse("goals:products", args=["IGM", 2024]),
        reverse("goals:execution", args=["IGM", 2024]),
        reverse("goals:execution", args=["IGM", 2024]) + "?tipo=financiera",
    ]

    def each_page_within_bound():
        for page in pages:
            with django_assert_max_num_queries(10):
                assert client.get(page).status_code == 200

    each_page_within_bound()
    result = ResultFactory(institution=planner.institution, year=2024)
    for index in range(40):
        SubproductExecutionFactory(
            subproduct=SubproductFactory(product=ProductFactory(result=result)), month=index % 12 + 1
        )
    each_page_within_bound()


def test_a_year_without_a_plan_says_so(client, planner):
    client.force_login(planner)
    assert "No hay datos para mostrar." in client.get(reverse("goals:products", args=["IGM", 2030])).content.decode()
