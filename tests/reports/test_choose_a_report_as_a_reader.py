"""A reader picks among approved reports only, and the product list links him to no page that would refuse him."""

import pytest
from django.urls import reverse
from lxml.html import fromstring as parse_html

from approvals import services
from tests.factories import InstitutionFactory, ProductFactory, ResultFactory, RoleUserFactory, SubproductFactory

pytestmark = pytest.mark.django_db
CHOOSE = reverse("reports:choose")


@pytest.fixture
def plans():
    """Two institutions with the same plan names; the first has its first cuatrimestre of 2024 approved."""
    institutions = []
    for code in ("LEC", "OTR"):
        institution = InstitutionFactory(code=code, acronym=code)
        result = ResultFactory(institution=institution, year=2024)
        product = ProductFactory(result=result, name="Dirección y Coordinación")
        SubproductFactory(product=product, name="Informes")
        institutions.append(institution)
    first = institutions[0]
    services.submit(
        user=RoleUserFactory(institution=first, role="Planificador"), institution=first, year=2024, cuatrimestre=1
    )
    services.approve(
        user=RoleUserFactory(institution=first, role="Director"), institution=first, year=2024, cuatrimestre=1
    )
    return institutions


def options(page, name):
    return page.xpath(f"//select[@name='{name}']/option/@value")


def test_a_reader_is_offered_only_the_approved_cuatrimestres(client, plans):
    client.force_login(RoleUserFactory(institution=plans[0], role="Lector"))
    page = parse_html(client.get(CHOOSE).content.decode())
    assert page.xpath("//ul[@class='approved-reports']//a/@href") == [reverse("reports:report", args=["LEC", 2024, 1])]
    assert options(page, "year") == ["2024"] and options(page, "cuatrimestre") == ["1"]
    assert options(page, "institution") == ["LEC"]


def test_a_reader_asking_for_an_unapproved_cuatrimestre_gets_a_form_error_not_a_404(client, plans):
    client.force_login(RoleUserFactory(institution=plans[0], role="Lector"))
    response = client.get(CHOOSE, {"institution": "LEC", "year": 2024, "cuatrimestre": 2})
    assert response.status_code == 200 and response.context["form"].errors
    assert client.get(CHOOSE, {"institution": "LEC", "year": 2024, "cuatrimestre": 1}).status_code == 302


def test_a_reader_of_an_institution_without_approvals_is_offered_nothing(client, plans):
    client.force_login(RoleUserFactory(institution=plans[1], role="Lector"))
    html = client.get(CHOOSE).content.decode()
    assert "Aún no hay reportes aprobados que usted pueda consultar." in html
    assert options(parse_html(html), "cuatrimestre") == []


def test_a_planner_still_chooses_any_cuatrimestre(client, plans):
    client.force_login(RoleUserFactory(institution=plans[1], role="Planificador"))
    page = parse_html(client.get(CHOOSE).content.decode())
    assert options(page, "cuatrimestre") == ["1", "2", "3"] and not page.xpath("//ul[@class='approved-reports']")


def test_the_product_list_links_readers_to_no_execution_page(client, plans):
    url = reverse("goals:products", args=["LEC", 2024])
    execution = reverse("goals:execution", args=["LEC", 2024])
    client.force_login(RoleUserFactory(institution=plans[0], role="Lector"))
    assert execution not in client.get(url).content.decode()
    assert client.get(execution).status_code == 403
    client.force_login(RoleUserFactory(institution=plans[0], role="Planificador"))
    assert execution in client.get(url).content.decode()
    assert client.get(execution).status_code == 200
