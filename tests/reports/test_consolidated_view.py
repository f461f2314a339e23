"""A reader of several institutions opens /consolidado/: every product's progress, filtered, sorted, paged, exported."""

import io
from decimal import Decimal

import pytest
from django import forms
from django.http import QueryDict
from django.template import RequestContext, Template
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from approvals.demo import load_demo
from approvals.models import CuatrimestreReport, ReportStatus
from goals.models import Institution, LinkType
from goals.views import paginated
from reports.forms import ConsolidatedForm
from reports.tables import ConsolidatedTable
from tests.factories import (
    InstitutionFactory,
    ProductExecutionFactory,
    ProductFactory,
    ResultFactory,
    RoleUserFactory,
    SubproductExecutionFactory,
    SubproductFactory,
    progress_row,
)

pytestmark = pytest.mark.django_db

URL = reverse("reports:consolidated")
CONTROL_REGISTRO = "Control Registro de Nacionales y Extranjeros"
C3_2024 = {"anio": 2024, "cuatrimestre": 3}
D = Decimal


def executed_product(result, name, executed, goal=Decimal("100.00")):
    """A product with one subproduct, `executed` of its physical and financial goal done in January."""
    product = ProductFactory(result=result, name=name, physical_initial=goal)
    subproduct = SubproductFactory(product=product, physical_initial=goal, financial_initial=goal)
    ProductExecutionFactory(product=product, month=1, physical=executed)
    SubproductExecutionFactory(subproduct=subproduct, month=1, physical=executed, financial=executed)
    return product


@pytest.fixture
def igm():
    load_demo()
    return Institution.objects.get(code="IGM")


@pytest.fixture
def other():
    """OTRA: a 2024 plan with one RE product fully executed (green) and one RI product not started (red)."""
    institution = InstitutionFactory(code="OTRA", name="Otra Institución")
    executed_product(ResultFactory(institution=institution, link=LinkType.RE), "Producto cumplido", Decimal("100.00"))
    executed_product(ResultFactory(institution=institution, link=LinkType.RI), "Producto sin avance", Decimal("0.00"))
    return institution


def mark_approved(institution, *cuatrimestres):
    """The reports as the approval service leaves them (status APPROVED; the figures frozen are the live ones)."""
    for cuatrimestre in cuatrimestres:
        CuatrimestreReport.objects.update_or_create(
            institution=institution, year=2024, cuatrimestre=cuatrimestre, defaults={"status": ReportStatus.APPROVED}
        )


def reader_of(*institutions):
    """SEGEPLAN staff who read the institutions (and no drafts)."""
    user = RoleUserFactory(institution=InstitutionFactory(code="SEGEPLAN"), role="Lector")
    user.readable_institutions.add(*institutions)
    return user


def overseer_of(igm, other):
    """SEGEPLAN staff who read IGM and OTRA, whose reports of 2024 are all approved: since the reading rule
    reached this page, who reads no drafts sees an institution's cuatrimestre only once its report is approved
    (call it once the plans are complete: approval freezes them)."""
    mark_approved(igm, 3)  # the demo loads C1 and C2 approved
    mark_approved(other, 1, 2, 3)
    return reader_of(igm, other)


@pytest.fixture
def overseer(igm, other):
    return overseer_of(igm, other)


def rows_of(response):
    return list(response.context["table"].data)


def test_a_reader_of_several_institutions_sees_each_products_progress(client, overseer):
    client.force_login(overseer)
    response = client.get(URL, C3_2024)
    rows = rows_of(response)
    assert {row.institution_code for row in rows} == {"IGM", "OTRA"}
    assert [row.institution_code for row in rows] == sorted(row.institution_code for row in rows)  # plan order
    control = next(row for row in rows if row.name.startswith(CONTROL_REGISTRO))
    assert control.physical.current == Decimal("12901391.00")
    assert control.physical.pct == Decimal("91.20")
    html = response.content.decode()
    assert len(rows) == 6 + 2 and "8 productos" in html
    assert '<td class="num">12,901,391.00</td>' in html and '<td class="num">91.20</td>' in html
    assert 'class="light light-rojo">Rezagado</span>' in html
    assert reverse("reports:consolidated") in html  # the nav link, for those who read several institutions


def test_without_filters_the_latest_year_with_a_plan_and_its_last_closed_cuatrimestre(client, overseer):
    client.force_login(overseer)
    response = client.get(URL)
    assert response.context["form"].cleaned_data["anio"] == 2024
    assert response.context["form"].cleaned_data["cuatrimestre"] == 3
    control = next(row for row in rows_of(response) if row.name.startswith(CONTROL_REGISTRO))
    assert control.physical.pct == Decimal("91.20")


def test_an_earlier_cuatrimestre_measures_to_its_last_month(client, overseer):
    client.force_login(overseer)
    first = {row.name: row for row in rows_of(client.get(URL, {"anio": 2024, "cuatrimestre": 1}))}
    third = {row.name: row for row in rows_of(client.get(URL, C3_2024))}
    control = next(name for name in third if name.startswith(CONTROL_REGISTRO))
    assert first[control].physical.month == 4 and third[control].physical.month == 12
    assert first[control].physical.cumulative == sum(first[control].physical.months[:4])
    assert first[control].physical.cumulative < third[control].physical.cumulative == Decimal("11766120.00")


def test_filter_by_result_type_institution_and_light(client, overseer):
    client.force_login(overseer)
    re_rows = rows_of(client.get(URL, {**C3_2024, "vinculacion": "RE"}))
    assert re_rows and {row.link for row in re_rows} == {"RE"}
    assert "Producto cumplido" in {row.name for row in re_rows}
    otra = rows_of(client.get(URL, {**C3_2024, "institucion": "OTRA"}))
    assert [row.name for row in otra] == ["Producto sin avance", "Producto cumplido"]  # RI before RE
    both = rows_of(client.get(URL, {**C3_2024, "institucion": ["OTRA", "IGM"]}))
    assert {row.institution_code for row in both} == {"IGM", "OTRA"}
    red = rows_of(client.get(URL, {**C3_2024, "semaforo": "rojo", "institucion": "OTRA"}))
    assert [row.name for row in red] == ["Producto sin avance"]
    green = rows_of(client.get(URL, {**C3_2024, "semaforo": "verde", "vinculacion": "RE", "institucion": "OTRA"}))
    assert [(row.name, row.physical.pct, row.financial.pct) for row in green] == [
        ("Producto cumplido", Decimal("100.00"), Decimal("100.00"))
    ]


def test_filters_are_kept_in_sort_page_and_download_links(client, igm, other):
    result = ResultFactory(institution=other, link=LinkType.RI)
    for index in range(30):
        ProductFactory(result=result, name=f"P{index:02d}")
    client.force_login(overseer_of(igm, other))
    response = client.get(URL, {**C3_2024, "vinculacion": "RI", "institucion": "OTRA"})
    html = response.content.decode().replace("&amp;", "&")
    assert "page=2" in html and "sort=name" in html
    for link in ("page=2", "sort=name", "formato=xlsx"):
        start = html.index(link)
        href = html[html.rindex('href="', 0, start) : html.index('"', start)]
        assert "vinculacion=RI" in href and "institucion=OTRA" in href and "anio=2024" in href, href
    form = response.context["form"]
    assert form["vinculacion"].value() == "RI" and form["institucion"].value() == ["OTRA"]


def test_sort_by_physical_progress_and_paginate(client, igm, other):
    result = ResultFactory(institution=other)
    for index in range(30):
        executed_product(result, f"P{index:02d}", Decimal(index))  # with OTRA's own two: 100, 29, 28 … 1, 0, 0
    client.force_login(overseer_of(igm, other))
    query = {**C3_2024, "institucion": "OTRA", "sort": "-physical_pct"}
    first = client.get(URL, query).context["table"]
    percentages = [row.physical.pct for row in first.page.object_list.data]
    assert len(percentages) == 25
    assert percentages == sorted(percentages, reverse=True) and percentages[0] == Decimal("100.00")
    second = client.get(URL, {**query, "page": 2}).context["table"]
    assert [row.physical.pct for row in second.page.object_list.data] == [Decimal(pct) for pct in "5432100"]
    by_name = client.get(URL, {**C3_2024, "institucion": "OTRA", "sort": "name"}).context["table"]
    assert [row.name for row in by_name.page.object_list.data][:3] == ["P00", "P01", "P02"]


def test_export_the_whole_filtered_table_with_numbers_and_no_formulas(client, igm, other):
    result = ResultFactory(institution=other)
    executed_product(result, "=cmd|' /C calc'!A0", Decimal("5.00"))
    for index in range(30):
        ProductFactory(result=result, name=f"P{index:02d}")
    client.force_login(overseer_of(igm, other))
    response = client.get(URL, {**C3_2024, "formato": "xlsx", "page": 2})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="consolidado-2024-c3.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = list(sheet.iter_rows())
    columns = {cell.value: index for index, cell in enumerate(header)}
    assert len(rows) == len(rows_of(client.get(URL, C3_2024))) == 6 + 2 + 31  # every product, not one page
    control = next(row for row in rows if row[columns["Producto"]].value.startswith(CONTROL_REGISTRO))
    assert control[columns["Institución"]].value == "IGM"
    assert control[columns["% físico"]].data_type == "n" and control[columns["% físico"]].value == 91.2
    assert control[columns["Meta física vigente"]].value == 12901391
    assert control[columns["Ejecución física acumulada"]].value == 11766120
    assert control[columns["Semáforo"]].value in {"En ruta", "Atención", "Rezagado"}
    cmd = next(row for row in rows if "cmd" in row[columns["Producto"]].value)
    assert cmd[columns["Producto"]].data_type == "s" and cmd[columns["Producto"]].value == "'=cmd|' /C calc'!A0"
    assert cmd[columns["% financiero"]].value == 5


def test_export_keeps_the_filters(client, overseer):
    client.force_login(overseer)
    response = client.get(URL, {**C3_2024, "formato": "xlsx", "vinculacion": "RE", "institucion": "OTRA"})
    header, *rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert [row[header.index("Producto")] for row in rows] == ["Producto cumplido"]


def test_a_reader_sees_an_institutions_cuatrimestre_only_once_its_report_is_approved(client, igm, other):
    """The demo's C1 and C2 are approved, its C3 is not; OTRA has approved nothing."""
    client.force_login(reader_of(igm, other))
    for cuatrimestre, shown in ((1, {"IGM"}), (2, {"IGM"}), (3, set())):
        rows = rows_of(client.get(URL, {"anio": 2024, "cuatrimestre": cuatrimestre}))
        assert {row.institution_code for row in rows} == shown, cuatrimestre
    second_rows = rows_of(client.get(URL, {"anio": 2024, "cuatrimestre": 2}))
    second = next(row for row in second_rows if row.name.startswith(CONTROL_REGISTRO))
    assert second.physical.month == 8 and second.physical.cumulative == sum(second.physical.months[:8])
    xlsx = client.get(URL, {**C3_2024, "formato": "xlsx"})
    assert list(load_workbook(io.BytesIO(xlsx.content)).active.values)[1:] == []
    mark_approved(other, 1, 2, 3)
    assert {row.institution_code for row in rows_of(client.get(URL, C3_2024))} == {"OTRA"}


def test_a_planner_sees_only_their_institution_and_no_nav_link(client, igm, other):
    client.force_login(RoleUserFactory(institution=igm, role="Planificador"))
    response = client.get(URL, C3_2024)
    assert {row.institution_code for row in rows_of(response)} == {"IGM"}
    assert f'href="{URL}"' not in response.content.decode()
    refused = client.get(URL, {**C3_2024, "institucion": "OTRA"})
    assert rows_of(refused) == [] and refused.context["form"].errors["institucion"]


def test_another_institutions_user_sees_none_of_igm(client, igm):
    client.force_login(RoleUserFactory(institution=InstitutionFactory(code="OTRA"), role="Lector"))
    for query in (C3_2024, {**C3_2024, "institucion": "IGM"}, {**C3_2024, "institucion": "IGM", "formato": "xlsx"}):
        response = client.get(URL, query)
        assert response.status_code == 200 and rows_of(response) == []
        html = response.content.decode()
        assert CONTROL_REGISTRO not in html
        assert "Aún no hay planes cargados para las instituciones que usted puede consultar." in html


def test_a_superuser_sees_every_institution(client, igm, other, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.org", "x", institution=None))
    response = client.get(URL, C3_2024)
    assert {row.institution_code for row in rows_of(response)} == {"IGM", "OTRA"}
    assert f'href="{URL}"' in response.content.decode()


def test_bad_filters_say_what_is_wrong_in_spanish(client, overseer):
    client.force_login(overseer)
    response = client.get(URL, {"anio": "dos mil", "cuatrimestre": 7, "semaforo": "azul"})
    assert response.status_code == 200 and rows_of(response) == []
    errors = response.context["form"].errors
    assert set(errors) == {"anio", "cuatrimestre", "semaforo"}
    assert "Escoja una opción válida" in errors["semaforo"][0]
    html = response.content.decode()
    assert 'name="semaforo"' in html and "No hay datos para mostrar." in html and "formato=xlsx" not in html


def test_queries_do_not_grow_with_the_number_of_institutions(client, django_user_model, django_assert_max_num_queries):
    user = django_user_model.objects.create_superuser("root", "root@example.org", "x", institution=None)
    client.force_login(user)

    def add_institutions(count):
        for _ in range(count):
            result = ResultFactory(institution=InstitutionFactory())
            for name in ("A", "B"):
                executed_product(result, name, Decimal("40.00"))

    def within_bound(institution_count):
        for query in (C3_2024, {**C3_2024, "formato": "xlsx"}, {**C3_2024, "semaforo": "rojo", "vinculacion": "RI"}):
            with django_assert_max_num_queries(16):
                response = client.get(URL, query)
            assert response.status_code == 200
        assert len(rows_of(client.get(URL, C3_2024))) == institution_count * 2

    add_institutions(2)
    within_bound(2)
    add_institutions(18)
    within_bound(20)


@pytest.mark.parametrize("language", ["es-gt", "en"])
def test_the_rows_are_written_as_django_tables2_writes_them(rf, language):
    """ConsolidatedTable.rendered_rows writes the cells itself: the same page as django-tables2's own rows."""
    rows = [
        progress_row("Visas <b>\"&'</b>", "Doc & más", (D("1000"), D("912"), None), (D("0.02"), D("12345.67"), None)),
        progress_row("Sin meta", "", (D("0"), D("5"), None), (D("300000"), D("-0.001"), D("100"))),
        progress_row("Rezagado", "Informe", (D("3"), D("-1"), D("2")), (D("7"), D("7"), D("7"))),
    ]
    request = rf.get(URL, {"sort": "-physical_pct"})

    def rendered(table):
        context = RequestContext(request, {"table": paginated(request, table)})
        return Template("{% load django_tables2 %}{% render_table table %}").render(context)

    with translation.override(language):
        written = rendered(ConsolidatedTable(rows))
        expected = rendered(ConsolidatedTable(rows, template_name="django_tables2/bootstrap5.html"))
    assert written == expected
    assert '<td class="num">-0.00</td>' not in written and '<td class="num">0.00</td>' in written
    assert written.index("Visas &lt;b&gt;") < written.index("Sin meta") < written.index("Rezagado")  # -physical_pct


def test_the_filters_are_written_once_but_follow_the_query_the_choices_and_the_language():
    """ConsolidatedForm keeps its rendered filters: what Django writes, anew when anything they show changes."""
    una, dos = InstitutionFactory(code="UNA", name="Una"), InstitutionFactory(code="DOS", name="Dos")

    def filters(query):
        institutions = Institution.objects.filter(pk__in=[una.pk, dos.pk])
        return ConsolidatedForm(QueryDict(query), institutions=institutions, years=[2024, 2023])

    for query in ("anio=2024&cuatrimestre=2&semaforo=rojo&institucion=UNA", "anio=1900&institucion=OTRA", ""):
        assert filters(query).as_div() == forms.Form.as_div(filters(query)) == filters(query).as_div()
    assert 'value="2024" selected' in filters("anio=2024").as_div()
    assert 'value="2023" selected' in filters("anio=2023").as_div()
    dos.name = "Dos renombrada"
    dos.save()
    assert "Dos renombrada" in filters("").as_div()
    assert "errorlist" in filters("anio=1900").as_div()
    with translation.override("en"):
        assert filters("").as_div() == forms.Form.as_div(filters("")) and "Year" in filters("").as_div()
