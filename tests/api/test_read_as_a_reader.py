"""A reader's token sees the figures of approved reports only, on every API address: the first cuatrimestre approved,
the second returned, so February is there and June is not; the goals are those the approved report prints."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from approvals import services
from goals.models import GoalKind, ReprogrammingStatus
from tests.factories import (
    InstitutionFactory,
    ProductExecutionFactory,
    ProductFactory,
    ProductProgrammeFactory,
    ReprogrammingFactory,
    ReprogrammingLineFactory,
    ResultFactory,
    RoleUserFactory,
    SubproductExecutionFactory,
    SubproductFactory,
    SubproductProgrammeFactory,
    token_client,
)

pytestmark = pytest.mark.django_db

FEBRUARY, JUNE = 2, 6
MONTHLY = ["product_execution", "subproduct_execution", "product_programme", "subproduct_programme"]


def plan_with_two_months(institution):
    """Dirección y Coordinación with figures in February and June, and its goal reprogrammed in June."""
    product = ProductFactory(result=ResultFactory(institution=institution, year=2024), name="Dirección y Coordinación")
    subproduct = SubproductFactory(product=product, name="Dirección y Coordinación")
    for month, figure in ((FEBRUARY, Decimal("11.00")), (JUNE, Decimal("66.00"))):
        ProductExecutionFactory(product=product, month=month, physical=figure)
        SubproductExecutionFactory(subproduct=subproduct, month=month, physical=figure, financial=figure * 10)
        ProductProgrammeFactory(product=product, month=month, physical=figure)
        SubproductProgrammeFactory(subproduct=subproduct, month=month, physical=figure, financial=figure * 10)
    june = ReprogrammingFactory(
        institution=institution, date=datetime.date(2024, 6, 15), status=ReprogrammingStatus.APPROVED
    )
    ReprogrammingLineFactory(reprogramming=june, product=product, kind=GoalKind.PHYSICAL, new_goal=Decimal("80.00"))
    return product


def approve_first_return_second(institution):
    """The first cuatrimestre approved, the second returned to the planner."""
    planner = RoleUserFactory(institution=institution, role="Planificador")
    director = RoleUserFactory(institution=institution, role="Director")
    services.submit(user=planner, institution=institution, year=2024, cuatrimestre=1)
    services.approve(user=director, institution=institution, year=2024, cuatrimestre=1)
    services.submit(user=planner, institution=institution, year=2024, cuatrimestre=2)
    services.return_report(user=director, institution=institution, year=2024, cuatrimestre=2, comment="revisar junio")


@pytest.fixture
def second():
    """A second institution (not the demo) with figures in February and June."""
    institution = InstitutionFactory(code="SEGUNDA")
    plan_with_two_months(institution)
    approve_first_return_second(institution)
    return institution


def months(client, name, **params):
    response = client.get(reverse(f"api:{name}"), {"institution": "SEGUNDA", "year": 2024, **params})
    assert response.status_code == 200, response.content
    return sorted(row["month"] for row in response.json()["results"])


def plan_product(client, **params):
    response = client.get(reverse("api:plan", args=["SEGUNDA", 2024]), params)
    assert response.status_code == 200, response.content
    [result] = response.json()["results"]
    return result["products"][0]


def test_a_readers_token_sees_february_and_not_june_on_every_monthly_list(second):
    reader = token_client(RoleUserFactory(institution=second, role="Lector"))
    for name in MONTHLY:
        assert months(reader, name) == [FEBRUARY], name
        assert months(reader, name, month=JUNE) == [], name
    [february] = reader.get(reverse("api:subproduct_execution"), {"month": FEBRUARY}).json()["results"]
    assert (february["physical"], february["financial"]) == ("11.00", "110.00")


def test_a_readers_plan_has_the_goals_the_approved_report_prints(second):
    reader = token_client(RoleUserFactory(institution=second, role="Lector"))
    # June's reprogramming is in no approved report: the reader sees the goal as of April 30, whatever day he asks.
    for as_of in ({}, {"as_of": "2024-12-31"}, {"as_of": "2024-06-30"}):
        product = plan_product(reader, **as_of)
        assert (product["physical_initial"], product["physical_current"]) == ("100.00", "100.00"), as_of


def test_oversight_staff_read_like_a_reader(second):
    oversight = RoleUserFactory(institution=InstitutionFactory(code="SEGEPLAN"), role="Planificador")
    oversight.readable_institutions.add(second)
    client = token_client(oversight)
    for name in MONTHLY:
        assert months(client, name) == [FEBRUARY], name
    assert plan_product(client, as_of="2024-12-31")["physical_current"] == "100.00"


def test_planners_and_the_director_read_every_month_and_todays_goals(second):
    for role in ("Planificador", "Director"):
        client = token_client(RoleUserFactory(institution=second, role=role))
        for name in MONTHLY:
            assert months(client, name) == [FEBRUARY, JUNE], (role, name)
        assert plan_product(client, as_of="2024-12-31")["physical_current"] == "80.00"


def test_before_any_approval_a_reader_sees_no_figure_at_all():
    institution = InstitutionFactory(code="SEGUNDA")
    plan_with_two_months(institution)
    reader = token_client(RoleUserFactory(institution=institution, role="Lector"))
    for name in MONTHLY:
        assert months(reader, name) == [], name
    assert reader.get(reverse("api:plan", args=["SEGUNDA", 2024])).status_code == 404


def test_a_reopened_report_hides_its_months_again(second):
    reader = token_client(RoleUserFactory(institution=second, role="Lector"))
    director = second.users.get(groups__name="Director")
    services.reopen(user=director, institution=second, year=2024, cuatrimestre=1, reason="corregir febrero")
    for name in MONTHLY:
        assert months(reader, name) == [], name


def test_the_reading_rule_costs_no_query_per_row(django_assert_max_num_queries):
    institution = InstitutionFactory(code="SEGUNDA")
    plan_with_two_months(institution)
    for subproduct in SubproductFactory.create_batch(10, product__result__institution=institution):
        for month in range(1, 13):
            SubproductExecutionFactory(subproduct=subproduct, month=month)
    approve_first_return_second(institution)
    reader = token_client(RoleUserFactory(institution=institution, role="Lector"))
    with django_assert_max_num_queries(6):
        assert months(reader, "subproduct_execution") == sorted([1, 2, 3, 4] * 10 + [FEBRUARY])
