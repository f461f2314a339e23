"""The director reads the audit log page by page, in names and months rather than internal ids, and a date he
mistypes is an error on the form."""

from decimal import Decimal

import pytest
from django.urls import reverse
from lxml.html import fromstring as parse_html

from goals.models import SubproductExecution
from tests.factories import (
    InstitutionFactory,
    ProductFactory,
    ResultFactory,
    RoleUserFactory,
    SubproductExecutionFactory,
    SubproductFactory,
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
