"""A planner whose save is refused sees at the top that nothing was saved, with a link to each refused field; a
figure that takes its row past the current goal is saved but warned at the field."""

from decimal import Decimal

import pytest
from django.contrib.staticfiles import finders
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
URL = reverse("goals:enter_month", args=[2024, 9])


@pytest.fixture
def plan():
    institution = InstitutionFactory(code="IGM")
    result = ResultFactory(institution=institution, year=2024)
    product = ProductFactory(result=result, name="Documentos", physical_initial=12)
    subproduct = SubproductFactory(product=product, name="Pasaportes", physical_initial=12, financial_initial=1000)
    SubproductExecutionFactory(subproduct=subproduct, month=8, physical=8, financial=Decimal("100.00"))
    return institution, product, subproduct


@pytest.fixture
def planner(client, plan):
    user = RoleUserFactory(institution=plan[0], role="Planificador")
    client.force_login(user)
    return user


def opened(client):
    form = client.get(URL).context["form"]
    return {"version": form.initial["version"], "opened_at": form.initial["opened_at"].isoformat()}


def test_a_refused_save_says_nothing_was_saved_and_links_each_refused_field(client, plan, planner):
    _institution, product, subproduct = plan
    data = opened(client)
    data.update(
        {f"p{product.pk}_physical": "3", f"s{subproduct.pk}_physical": "x12", f"s{subproduct.pk}_financial": "12,5"}
    )
    response = client.post(URL, data)
    page = parse_html(response.content.decode())
    ids = page.xpath("//@id")
    assert len(ids) == len(set(ids))
    field = page.get_element_by_id(f"id_s{subproduct.pk}_physical")
    assert field.get("aria-invalid") == "true"
    assert "no es un número" in page.get_element_by_id(field.get("aria-describedby")).text_content()
    summary = page.find(".//section[@class='refused']")
    assert summary is not None and summary.get("role") == "alert"
    assert summary.find("h2").text == "No se guardó nada"
    links = {link.get("href"): link.text for link in summary.iter("a")}
    assert links == {
        f"#id_s{subproduct.pk}_physical": "Física del mes: Pasaportes",
        f"#id_s{subproduct.pk}_financial": "Financiera del mes: Pasaportes",
    }
    text = "".join(summary.itertext())
    assert "«x12» no es un número." in text and "la coma solo separa miles" in text
    assert not SubproductExecution.objects.filter(month=9).exists()


def test_a_figure_past_the_current_goal_is_saved_and_warned_at_its_field(client, plan, planner):
    _institution, _product, subproduct = plan
    data = opened(client)
    data.update({f"s{subproduct.pk}_physical": "1,234.50", f"s{subproduct.pk}_financial": "50"})
    response = client.post(URL, data, follow=True)
    assert SubproductExecution.objects.get(subproduct=subproduct, month=9).physical == Decimal("1234.50")
    html = response.content.decode()
    assert "1 cifra supera la meta vigente de su fila; se guardó, revísela." in html
    page = parse_html(html)
    field = page.find(f".//input[@id='id_s{subproduct.pk}_physical']")
    assert field.get("value") == "1,234.50" and field.get("aria-invalid") is None
    warning = page.find(f".//p[@id='id_s{subproduct.pk}_physical_warning']")
    # (8 + 1,234.50) ÷ 12 = 10,354.17 %
    assert warning.text == "supera la meta vigente (10,354.17 %)"
    assert field.get("aria-describedby") == warning.get("id")
    assert page.find(f".//p[@id='id_s{subproduct.pk}_financial_warning']") is None


def test_a_figure_within_the_goal_has_no_warning(client, plan, planner):
    _institution, _product, subproduct = plan
    data = opened(client)
    data.update({f"s{subproduct.pk}_physical": "4"})
    html = client.post(URL, data, follow=True).content.decode()
    assert "supera la meta vigente" not in html and "field-warning" not in html


def test_names_are_left_aligned(client, plan, planner):
    html = client.get(URL).content.decode()
    assert "css/pages.css" in html
    with open(finders.find("css/pages.css")) as css_file:
        css = css_file.read()
    assert ".entry-table th.name { text-align: left; }" in css
