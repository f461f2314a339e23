"""The director reads the audit log page by page, in names and months rather than internal ids, and a date he
mistypes is an error on the form."""

from decimal import Decimal

import pytest
from django.urls import reverse
from lxml.html import fromstring as parse_html

from approvals.models import CuatrimestreReport, ReportComment, RequiredJustification
from goals.models import SubproductExecution
from tests.factories import (
    InstitutionFactory,
    JustificationFactory,
    ProductFactory,
    ResultFactory,
    RoleUserFactory,
    SubproductExecutionFactory,
    SubproductFactory,
    SubproductProgrammeFactory,
)

pytestmark = pytest.mark.django_db
URL = reverse("approvals:audit_log", args=["AUD"])


@pytest.fixture
def plan():
    institution = InstitutionFactory(code="AUD")
    product = ProductFactory(result=ResultFactory(institution=institution, year=2024), name="Dirección y Coordinación")
    subproduct = SubproductFactory(product=product, name="Informes de gestión")
    return institution, product, subproduct


@pytest.fixture
def director(client, plan):
    user = RoleUserFactory(institution=plan[0], role="Director")
    client.force_login(user)
    return user


def changes_of(html):
    return [" ".join(cell.itertext()) for cell in parse_html(html).xpath("//table[@class='data']/tbody/tr/td[5]")]


def test_a_change_reads_in_names_and_months(client, plan, director):
    institution, _product, subproduct = plan
    planner = RoleUserFactory(institution=institution, role="Planificador", first_name="Eva", last_name="López")
    record = SubproductExecutionFactory(subproduct=subproduct, month=6, physical=Decimal("3"), updated_by=None)
    record.physical = Decimal("4")
    record.updated_by = planner
    record.save()
    html = client.get(URL).content.decode()
    newest = changes_of(html)[0]
    assert "modificado por: — → Eva López" in newest
    assert "ejecución física: 3.00 → 4.00" in newest
    created = changes_of(html)[1]
    assert "subproducto: — → Informes de gestión" in created and "mes: — → junio 2024" in created
    labels = parse_html(html).xpath("//table[@class='data']/tbody/tr/td[3]/text()")
    assert labels[0].endswith("Informes de gestión — junio 2024")


def test_the_log_comes_fifty_changes_a_page_in_bounded_queries(client, plan, director, django_assert_max_num_queries):
    _institution, product, subproduct = plan
    for month in range(1, 13):
        SubproductExecutionFactory(subproduct=subproduct, month=month)
    for number in range(40):
        SubproductFactory(product=product, name=f"Subproducto {number}")
    # 3 plan records (result, product, subproduct) + 12 months + 40 subproducts
    with django_assert_max_num_queries(20):
        first = client.get(URL)
    assert len(changes_of(first.content.decode())) == 50
    assert "55 cambios registrados." in first.content.decode()
    assert "Página 1 de 2" in first.content.decode()
    with django_assert_max_num_queries(20):
        second = client.get(URL, {"page": 2})
    assert len(changes_of(second.content.decode())) == 5
    records = parse_html(second.content.decode()).xpath("//table[@class='data']/tbody/tr/td[3]/text()")
    assert records[-1].startswith("Resultado")


def test_a_search_keeps_its_terms_across_pages(client, plan, director):
    _institution, product, _subproduct = plan
    for number in range(55):
        SubproductFactory(product=product, name=f"Visas {number}")
    html = client.get(URL, {"text": "Visas"}).content.decode()
    assert "55 cambios registrados." in html
    next_link = parse_html(html).xpath("//a[@rel='next']/@href")[0]
    assert next_link == "?text=Visas&page=2"
    assert len(changes_of(client.get(URL + next_link).content.decode())) == 5


@pytest.mark.parametrize("since", ["2024-13-45", "ayer", "9999-12-31"])
def test_a_mistyped_date_is_an_error_on_the_form(client, plan, director, since):
    response = client.get(URL, {"since": since})
    assert response.status_code == 200
    assert response.context["form"].errors["since"]
    assert "Corrija la búsqueda para ver los cambios." in response.content.decode()


def test_a_search_ending_before_it_starts_is_refused(client, plan, director):
    response = client.get(URL, {"since": "2024-05-01", "until": "2024-04-01"})
    assert response.context["form"].errors["until"] == ["«Hasta» no puede ser anterior a «Desde»."]


def test_another_institution_with_the_same_names_is_not_in_the_log(client, plan, director):
    other = InstitutionFactory(code="OTR")
    product = ProductFactory(result=ResultFactory(institution=other, year=2024), name="Dirección y Coordinación")
    SubproductExecutionFactory(subproduct=SubproductFactory(product=product, name="Informes de gestión"), month=1)
    html = client.get(URL).content.decode()
    assert "3 cambios registrados." in html
    assert not SubproductExecution.objects.filter(subproduct__product__result__institution=plan[0]).exists()


def entries_of(html):
    """[(record label, its changes)] of a page of the log, newest first."""
    rows = parse_html(html).xpath("//table[@class='data']/tbody/tr")
    return [(row.xpath("./td")[2].text_content(), " ".join(row.xpath("./td")[4].itertext())) for row in rows]


def test_justifications_required_kinds_comments_and_the_programme_are_logged_in_names(
    client, plan, director, django_assert_max_num_queries
):
    institution, _product, subproduct = plan
    planner = RoleUserFactory(institution=institution, role="Planificador", first_name="Eva", last_name="López")
    justification = JustificationFactory(
        institution=institution, product="Dirección y Coordinación", cuatrimestre=3, text="Primera.", updated_by=planner
    )
    justification.text = "Segunda."
    justification.save()
    RequiredJustification.objects.create(institution=institution, kind="sobreejecucion")
    report = CuatrimestreReport.objects.create(institution=institution, year=2024, cuatrimestre=3)
    ReportComment.objects.create(report=report, author=planner, text="¿Por qué 43.63 %?")
    programme = SubproductProgrammeFactory(subproduct=subproduct, month=6, physical=Decimal("3"), updated_by=None)
    programme.physical = Decimal("4")
    programme.save()
    other = InstitutionFactory(code="OTR")
    JustificationFactory(institution=other, product="Dirección y Coordinación", cuatrimestre=3, text="Ajena.")
    # one query per kind of record on the page (and per kind it names), however many records
    with django_assert_max_num_queries(24):
        html = client.get(URL).content.decode()
    entries = entries_of(html)
    found = dict(reversed(entries))  # the newest change of each record
    label = "Justificación de desviación: Dirección y Coordinación (producto en atención o rezagado) — Tercer " \
            "Cuatrimestre 2024"  # fmt: skip
    assert found[label] == "justificación: Primera. → Segunda."
    written = [changes for entry, changes in entries if entry == label][-1]
    assert "cuatrimestre: — → Tercer Cuatrimestre" in written and "escrita por: — → Eva López" in written
    assert found["Justificación obligatoria: Sobreejecución"] == (
        "institución: — → AUD — Institución AUD tipo: — → Sobreejecución"
    )
    assert found["Comentario del reporte: Tercer Cuatrimestre 2024"] == (
        "reporte: — → Tercer Cuatrimestre 2024 autor: — → Eva López comentario: — → ¿Por qué 43.63 %?"
    )
    assert found["Programación mensual de subproducto: Informes de gestión — junio 2024"] == (
        "programación física: 3.00 → 4.00"
    )
    assert "Ajena." not in html
    searched = [entry for entry, _changes in entries_of(client.get(URL, {"text": "Dirección"}).content.decode())]
    assert searched.count(label) == 2


def test_a_subproducts_own_history_lists_its_programme_months(client, plan, director):
    _institution, _product, subproduct = plan
    programme = SubproductProgrammeFactory(subproduct=subproduct, month=6, physical=Decimal("3"), updated_by=None)
    programme.physical = Decimal("4")
    programme.save()
    url = reverse("approvals:item_history", args=["AUD", "subproducto", subproduct.pk])
    entries = dict(reversed(entries_of(client.get(url).content.decode())))
    assert entries["Programación mensual de subproducto: Informes de gestión — junio 2024"] == (
        "programación física: 3.00 → 4.00"
    )
