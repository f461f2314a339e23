"""Planning staff type a month's figures in the browser: saved whole, errors at the field, stale saves refused."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from approvals import services
from approvals.models import Period
from goals.entry import month_is_writable, month_rows
from goals.models import ProductExecution, Subproduct, SubproductExecution
from tests.factories import (
    InstitutionFactory,
    ProductFactory,
    ResultFactory,
    RoleUserFactory,
    SubproductExecutionFactory,
    SubproductFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    institution = InstitutionFactory(code="ENT")
    product = ProductFactory(
        result=ResultFactory(institution=institution, year=2025), name="Dirección", physical_initial=10
    )
    subproduct = SubproductFactory(product=product, name="Informes", physical_initial=10, financial_initial=1000)
    SubproductExecutionFactory(subproduct=subproduct, month=1, physical=2, financial=Decimal("100.00"))
    return institution, product, subproduct


@pytest.fixture
def planner(plan):
    return RoleUserFactory(institution=plan[0], role="Planificador", first_name="Ana", last_name="Pérez")


def url(month=2):
    return reverse("goals:enter_month", args=[2025, month])


def page_form_data(client, month=2):
    form = client.get(url(month)).context["form"]
    return {"version": form.initial["version"], "opened_at": form.initial["opened_at"].isoformat()}


def test_the_page_lists_the_plan_with_goals_and_cumulatives(client, plan, planner, django_assert_max_num_queries):
    client.force_login(planner)
    with django_assert_max_num_queries(17):  # the 17th counts each row's medios de verificación
        response = client.get(url())
    html = response.content.decode()
    assert "Ejecución de febrero 2025" in html
    assert "Dirección" in html and "Informes" in html
    assert 'data-before="2.00"' in html and 'data-goal="1000.00"' in html
    assert "js/entry.js" in html and "<script>" not in html


def test_saving_a_month_stores_decimals_signed_by_the_planner(client, plan, planner):
    _institution, product, subproduct = plan
    client.force_login(planner)
    data = page_form_data(client)
    data.update(
        {f"p{product.pk}_physical": "3", f"s{subproduct.pk}_physical": "3", f"s{subproduct.pk}_financial": "1,250.75"}
    )
    response = client.post(url(), data, follow=True)
    assert "Se guardó febrero 2025: 2 cifras nuevas, 0 cambiadas." in response.content.decode()
    record = SubproductExecution.objects.get(subproduct=subproduct, month=2)
    assert (record.physical, record.financial, record.updated_by) == (Decimal("3.00"), Decimal("1250.75"), planner)
    assert ProductExecution.objects.get(product=product, month=2).physical == Decimal("3.00")


def test_a_wrong_value_is_shown_at_its_field_kept_and_nothing_is_written(client, plan, planner):
    _institution, product, subproduct = plan
    client.force_login(planner)
    data = page_form_data(client)
    data.update(
        {f"p{product.pk}_physical": "3", f"s{subproduct.pk}_financial": "12x", f"s{subproduct.pk}_physical": "-1"}
    )
    response = client.post(url(), data)
    html = response.content.decode()
    assert 'value="12x"' in html and 'aria-invalid="true"' in html
    assert response.context["form"].errors[f"s{subproduct.pk}_physical"]
    assert not ProductExecution.objects.exists()


def test_a_stale_save_writes_nothing_and_names_who_changed_the_month(client, plan, planner):
    _institution, product, subproduct = plan
    client.force_login(planner)
    data = page_form_data(client, month=1)
    colleague = RoleUserFactory(institution=plan[0], role="Planificador", first_name="Luis", last_name="Gómez")
    record = SubproductExecution.objects.get(subproduct=subproduct, month=1)
    record.financial = Decimal("999.00")
    record.updated_by = colleague
    record.save()
    data.update({f"s{subproduct.pk}_physical": "2", f"s{subproduct.pk}_financial": "5"})
    html = client.post(url(1), data).content.decode()
    assert "Alguien más guardó este mes" in html and "Luis Gómez" in html and "Informes" in html
    assert SubproductExecution.objects.get(pk=record.pk).financial == Decimal("999.00")


def test_an_approved_month_is_read_only(client, plan, planner):
    institution, product, _subproduct = plan
    services.submit(user=planner, institution=institution, year=2025, cuatrimestre=1)
    services.approve(
        user=RoleUserFactory(institution=institution, role="Director"),
        institution=institution,
        year=2025,
        cuatrimestre=1,
    )
    client.force_login(planner)
    html = client.get(url()).content.decode()
    assert "Solo lectura:" in html and "Primer Cuatrimestre 2025" in html
    data = page_form_data(client)
    data[f"p{product.pk}_physical"] = "1"
    assert client.post(url(), data).status_code == 403
    assert not ProductExecution.objects.exists()


def test_readers_see_nothing_and_cannot_save(client, plan):
    client.force_login(RoleUserFactory(institution=plan[0], role="Lector"))
    assert client.get(url()).status_code == 403
    assert client.post(url(), {}).status_code == 403


def test_a_director_reads_but_cannot_save(client, plan):
    client.force_login(RoleUserFactory(institution=plan[0], role="Director"))
    assert "Guardar el mes" not in client.get(url()).content.decode()
    assert client.post(url(), {}).status_code == 403


def test_another_institutions_planner_sees_only_their_own(client, plan):
    other = RoleUserFactory(institution=InstitutionFactory(code="OTRA"), role="Planificador")
    client.force_login(other)
    assert "Informes" not in client.get(url()).content.decode()


def test_anonymous_users_must_log_in(client, plan):
    response = client.get(url())
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_sheet_queries_do_not_grow_with_the_plan(plan, django_assert_num_queries):
    institution, product, _subproduct = plan
    with django_assert_num_queries(4):  # goals, the sums before the month, products, subproducts
        month_rows(institution=institution, year=2025, month=2)
    for index in range(20):
        SubproductFactory(product=ProductFactory(result=product.result), name=f"S{index}")
    with django_assert_num_queries(4):
        rows = month_rows(institution=institution, year=2025, month=2)
    assert len(rows) == 42


def every_field(client, month=2, value="1"):
    """The page's form as opened, with `value` typed in every field."""
    form = client.get(url(month)).context["form"]
    data = {name: value for name in form.fields}
    data.update(version=form.initial["version"], opened_at=form.initial["opened_at"].isoformat())
    return data


def page_and_save_queries(client, django_assert_max_num_queries, bound):
    with django_assert_max_num_queries(bound):
        client.get(url())
    data = every_field(client)
    with django_assert_max_num_queries(bound + 20):
        assert client.post(url(), data).status_code == 302


def test_page_and_save_queries_do_not_grow_with_the_plan(client, plan, planner, django_assert_max_num_queries):
    client.force_login(planner)
    page_and_save_queries(client, django_assert_max_num_queries, 17)
    result = plan[1].result
    for index in range(30):
        SubproductFactory(product=ProductFactory(result=result, name=f"P{index}"), name=f"S{index}")
    page_and_save_queries(client, django_assert_max_num_queries, 17)
    assert SubproductExecution.objects.filter(month=2).count() == 31
    assert ProductExecution.objects.filter(month=2).count() == 31


def test_a_large_institution_saves_a_month_of_more_fields_than_djangos_default_limit(client, plan, planner):
    product = plan[1]
    Subproduct.objects.bulk_create(SubproductFactory.build_batch(600, product=product))
    client.force_login(planner)
    data = every_field(client, value="2")
    assert len(data) > 1_000
    assert client.post(url(), data).status_code == 302
    assert SubproductExecution.objects.filter(month=2, financial=2).count() == 601


def test_changing_a_saved_figure_updates_it_and_clearing_it_stores_zero(client, plan, planner):
    _institution, product, subproduct = plan
    client.force_login(planner)
    data = every_field(client, month=1, value="")
    data[f"s{subproduct.pk}_physical"] = "7.5"
    response = client.post(url(1), data, follow=True)
    assert "0 cifras nuevas, 1 cambiada." in response.content.decode()
    record = SubproductExecution.objects.get(subproduct=subproduct, month=1)
    assert (record.physical, record.financial, record.updated_by) == (Decimal("7.50"), Decimal("0.00"), planner)
    assert not ProductExecution.objects.exists()


def test_saving_a_month_unchanged_writes_nothing_and_reads_its_records_once_under_the_lock(client, plan, planner):
    _institution, _product, subproduct = plan
    client.force_login(planner)
    data = every_field(client, month=1, value="")
    data.update({f"s{subproduct.pk}_physical": "2", f"s{subproduct.pk}_financial": "100.00"})
    stored = SubproductExecution.objects.get(subproduct=subproduct, month=1)
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = client.post(url(1), data)
    assert response.status_code == 302
    assert "0 cifras nuevas, 0 cambiadas." in client.get(response["Location"]).content.decode()
    record = SubproductExecution.objects.get(subproduct=subproduct, month=1)
    assert (record.physical, record.financial, record.updated_at) == (2, 100, stored.updated_at)
    assert SubproductExecution.history.count() == 1  # the factory's record only
    # The sums before the month and the records, read once under the lock for the version check and the comparison.
    assert len([sql for sql in statements if 'FROM "goals_subproductexecution"' in sql]) == 2


def test_a_save_under_a_report_approved_after_the_page_opened_is_refused_with_its_reason(client, plan, planner):
    institution, product, _subproduct = plan
    client.force_login(planner)
    data = every_field(client)
    services.submit(user=planner, institution=institution, year=2025, cuatrimestre=1)
    services.approve(
        user=RoleUserFactory(institution=institution, role="Director"),
        institution=institution,
        year=2025,
        cuatrimestre=1,
    )
    response = client.post(url(), data)
    html = response.content.decode()
    assert response.status_code == 403
    assert "No se guardó nada" in html and "Primer Cuatrimestre 2025" in html and "Guardar el mes" not in html
    assert not ProductExecution.objects.exists()


def test_another_institutions_planner_cannot_write_here(client, plan):
    _institution, product, subproduct = plan
    client.force_login(RoleUserFactory(institution=InstitutionFactory(code="OTRA"), role="Planificador"))
    data = every_field(client)
    data.update({f"p{product.pk}_physical": "5", f"s{subproduct.pk}_financial": "5"})
    assert client.post(url() + "?institucion=ENT", data).status_code == 302
    assert not ProductExecution.objects.exists()
    assert not SubproductExecution.objects.filter(month=2).exists()


def test_a_superuser_picks_the_institution_and_the_links_keep_it(client, plan, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.org", "x", institution=None))
    assert client.get(url()).status_code == 404
    html = client.get(url() + "?institucion=ENT").content.decode()
    assert "Informes" in html
    assert f'href="{url(3)}?institucion=ENT"' in html
    assert client.get(url() + "?institucion=NADA").status_code == 404


def test_the_picker_opens_the_chosen_month_or_today(client, planner):
    client.force_login(planner)
    chosen = client.get(reverse("goals:enter_chosen_month"), {"anio": "2024", "mes": "11"})
    assert chosen["Location"] == reverse("goals:enter_month", args=[2024, 11])
    today = timezone.localdate()
    for query in ({}, {"anio": "12345", "mes": "1"}):
        response = client.get(reverse("goals:enter_chosen_month"), query)
        assert response["Location"] == reverse("goals:enter_month", args=[today.year, today.month])


@pytest.mark.parametrize("year, month", [(0, 1), (1999, 1), (2101, 1), (2025, 13), (2025, 0)])
def test_a_month_outside_the_calendar_is_not_found(client, planner, year, month):
    client.force_login(planner)
    assert client.get(reverse("goals:enter_month", args=[year, month])).status_code == 404


def test_the_page_prints_the_year_plainly_and_the_product_money_cells(client, plan, planner):
    client.force_login(planner)
    html = client.get(url()).content.decode()
    assert 'value="2025"' in html and "2,025" not in html
    assert f'id="money-{plan[1].pk}"' in html and f'data-for="money-{plan[1].pk}"' in html


def test_a_product_numbered_in_thousands_keeps_its_plain_number_in_the_page(client, planner, plan):
    """The page's script joins a product's row, its Σ button, its subproducts and its money cells by the product's
    number: printed as 12,345 (the thousands separator) it broke `#money-…` and read as two numbers."""
    institution, product, _subproduct = plan
    big = ProductFactory(id=12345, result=product.result, name="Grande", physical_initial=5)
    SubproductFactory(id=23456, product=big, name="Parte", physical_initial=5, financial_initial=500)
    client.force_login(planner)
    html = client.get(url()).content.decode()
    assert 'id="money-12345"' in html and 'data-for="money-12345"' in html
    assert html.count('data-product="12345"') == 3  # the product's row, its Σ button, its subproduct's row
    assert "12,345" not in html


def test_a_month_whose_window_closed_is_read_only_for_planners_but_not_for_the_director(client, plan, planner):
    Period.objects.create(year=2025, cuatrimestre=1, load_deadline=datetime.date(2025, 5, 15))
    client.force_login(planner)
    html = client.get(url()).content.decode()
    assert "Solo lectura:" in html and "venció el 15/05/2025" in html
    assert (
        month_is_writable(
            institution=plan[0], year=2025, month=2, user=RoleUserFactory(institution=plan[0], role="Director")
        )
        is None
    )


def plan_of_four_products(code):
    """An institution's 2025 plan of four products with two subproducts each, named as every institution's."""
    institution = InstitutionFactory(code=code)
    result = ResultFactory(institution=institution, year=2025)
    for number in range(4):
        product = ProductFactory(result=result, name=f"Producto {number}", physical_initial=10)
        for letter in "AB":
            SubproductFactory(product=product, name=f"Subproducto {number}{letter}", physical_initial=10)
    return institution


def test_saving_a_month_of_a_few_products_takes_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    plan_of_four_products("OTRA")
    institution = plan_of_four_products("ENT")
    client.force_login(RoleUserFactory(institution=institution, role="Planificador"))
    data = every_field(client, value="12")
    with django_assert_max_num_queries(27):  # 12 rows written, with their history
        response = client.post(url(), data)
    response = client.get(response["Location"])
    assert "12 cifras nuevas, 0 cambiadas." in response.content.decode()
    assert "12 cifras superan la meta vigente de su fila" in response.content.decode()
    form = response.context["form"]
    data.update(version=form.initial["version"], opened_at=form.initial["opened_at"].isoformat())
    with django_assert_max_num_queries(17):  # a no-op save: the records read once, under the lock
        response = client.post(url(), data)
    assert response.status_code == 302
    assert "0 cifras nuevas, 0 cambiadas." in client.get(response["Location"]).content.decode()
    assert SubproductExecution.objects.filter(month=2, financial=12).count() == 8
    assert not SubproductExecution.objects.filter(subproduct__product__result__institution__code="OTRA").exists()


def test_a_stale_save_names_each_row_changed_since_once_with_its_latest_change(client, plan, planner):
    institution, product, subproduct = plan
    client.force_login(planner)
    data = every_field(client, month=1, value="3")
    colleague = RoleUserFactory(institution=institution, role="Planificador", first_name="Luis", last_name="Gómez")
    director = RoleUserFactory(institution=institution, role="Planificador", first_name="Eva", last_name="Díaz")
    ProductExecution.objects.create(product=product, month=1, physical=4, updated_by=director)
    record = SubproductExecution.objects.get(subproduct=subproduct, month=1)
    for who, financial in ((director, 500), (colleague, 999)):
        record.financial, record.updated_by = financial, who
        record.save()
    response = client.post(url(1), data)
    assert [(row, who, when) for row, who, when in response.context["stale"]] == [
        (product, director, ProductExecution.objects.get().updated_at),
        (subproduct, colleague, SubproductExecution.objects.get(pk=record.pk).updated_at),
    ]
    assert "Alguien más guardó este mes" in response.content.decode()
    assert SubproductExecution.objects.get(pk=record.pk).financial == 999
    assert ProductExecution.objects.get().physical == 4


def cached_page(client, month=2):
    """The page as a browser opens it, its month's rows and records stored in the cache (goals.versions stores them
    once the request's transaction commits, which a test's never does)."""
    return client.get(url(month))


def test_a_page_opened_before_a_colleagues_save_is_refused_though_the_month_is_read_from_the_cache(
    client, plan, planner, django_capture_on_commit_callbacks
):
    _institution, product, subproduct = plan
    client.force_login(planner)
    with django_capture_on_commit_callbacks(execute=True):
        mine = every_field(client, month=1, value="3")
    colleague = RoleUserFactory(institution=plan[0], role="Planificador", first_name="Luis", last_name="Gómez")
    client.force_login(colleague)
    with django_capture_on_commit_callbacks(execute=True):
        theirs = every_field(client, month=1, value="7")
        assert client.post(url(1), theirs).status_code == 302
        cached_page(client, month=1)  # the month as the colleague saved it, cached under the new version
    client.force_login(planner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(1), mine)
    assert response.status_code == 200 and "Alguien más guardó este mes" in response.content.decode()
    assert [(row, who) for row, who, _when in response.context["stale"]] == [
        (product, colleague),
        (subproduct, colleague),
    ]
    assert SubproductExecution.objects.get(subproduct=subproduct, month=1).physical == 7
    assert ProductExecution.objects.get(product=product, month=1).physical == 7


def test_a_no_op_save_of_a_cached_month_reads_neither_its_rows_nor_its_records_and_asks_the_freeze_once(
    client, plan, planner, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    client.force_login(planner)
    with django_capture_on_commit_callbacks(execute=True):
        data = every_field(client, month=1, value="")
    data.update({f"s{plan[2].pk}_physical": "2", f"s{plan[2].pk}_financial": "100.00"})
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    # session, user, institution, permissions (2), version, then in the transaction (2): the lock, the version
    # again, the reports and periods of the freeze
    with django_assert_max_num_queries(12), connection.execute_wrapper(record):
        response = client.post(url(1), data)
    assert response.status_code == 302
    assert not [sql for sql in statements if "execution" in sql or '"goals_product"' in sql]
    assert len([sql for sql in statements if 'FROM "goals_figuresversion"' in sql]) == 2  # before and under the lock
    assert len([sql for sql in statements if 'FROM "approvals_cuatrimestrereport"' in sql]) == 1  # under the lock
    assert "0 cifras nuevas, 0 cambiadas." in client.get(response["Location"]).content.decode()
