"""A planner whose programme goes past a goal reads the refusal at the top, linked to the month that passes it, and
not inside that month's cell; after approvals the page says once that it is read-only."""

from decimal import Decimal

import pytest
from django.urls import reverse
from lxml.html import fromstring as parse_html

from approvals import services
from tests.factories import InstitutionFactory, ProductFactory, ResultFactory, RoleUserFactory, SubproductFactory

pytestmark = pytest.mark.django_db
URL = reverse("goals:programme", args=["PRG", 2025])


@pytest.fixture
def plan():
    institution = InstitutionFactory(code="PRG")
    result = ResultFactory(institution=institution, year=2025)
    product = ProductFactory(result=result, name="Emisión", physical_initial=10)
    SubproductFactory(product=product, name="Pasaportes", physical_initial=10, financial_initial=Decimal("100"))
    return institution, product


@pytest.fixture
def planner(plan):
    return RoleUserFactory(institution=plan[0], role="Planificador")


def test_a_programme_past_its_goal_is_refused_at_the_top_with_a_link_to_its_month(client, plan, planner):
    _institution, product = plan
    client.force_login(planner)
    form = client.get(URL).context["form"]
    data = {"version": form.initial["version"], "opened_at": form.initial["opened_at"].isoformat()}
    data[f"p{product.pk}_physical_01"] = "11"
    page = parse_html(client.post(URL, data).content.decode())
    ids = page.xpath("//@id")
    assert len(ids) == len(set(ids))
    summary = page.find(".//section[@class='refused']")
    assert summary.find("h2").text == "No se guardó nada"
    (link,) = summary.iter("a")
    assert (link.get("href"), link.text) == (f"#id_p{product.pk}_physical_01", "Física, enero: Emisión")
    assert "suma 11.00 y supera su meta vigente de 10.00" in "".join(summary.itertext())
    field = page.find(f".//input[@id='id_p{product.pk}_physical_01']")
    assert field.get("aria-invalid") == "true"
    assert field.get("aria-describedby") == f"id_p{product.pk}_physical_01_refused"
    cell = field.getparent()
    assert cell.findall(".//ul") == [] and "supera" not in "".join(cell.itertext())


def test_after_two_approvals_the_lock_is_one_banner(client, plan, planner):
    institution, _product = plan
    director = RoleUserFactory(institution=institution, role="Director")
    for cuatrimestre in (1, 2):
        services.submit(user=planner, institution=institution, year=2025, cuatrimestre=cuatrimestre)
        services.approve(user=director, institution=institution, year=2025, cuatrimestre=cuatrimestre)
    client.force_login(planner)
    page = parse_html(client.get(URL).content.decode())
    banners = page.xpath("//*[contains(@class, 'messages')][strong='Solo lectura:']")
    assert len(banners) == 1
    reasons = [" ".join(item.itertext()) for item in banners[0].iter("li")]
    assert len(reasons) == 2
    assert "Primer Cuatrimestre 2025" in reasons[0] and "Segundo Cuatrimestre 2025" in reasons[1]
