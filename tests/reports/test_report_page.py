"""Opening the cuatrimestre report in the browser and as JSON."""

import re

import pytest
from django.urls import reverse

from approvals.demo import load_demo
from goals.models import Institution
from reports.computation import build_report, report_to_dict
from tests.factories import InstitutionFactory, RoleUserFactory, UserFactory

pytestmark = pytest.mark.django_db

DECIMAL = re.compile(r"^\d+\.\d{2}$")
FIGURES_KEYS = {
    "initial", "reprogrammings", "current", "months", "total",
    "pct_period", "cumulative", "pct_cumulative", "pct_cumulative_initial",
}  # fmt: skip


@pytest.fixture
def igm():
    load_demo()
    return Institution.objects.get(code="IGM")


@pytest.fixture
def igm_client(client, igm):
    client.force_login(RoleUserFactory(institution=igm, role="Planificador"))
    return client


def report_url(name="reports:report", code="IGM", year=2024, cuatrimestre=3):
    return reverse(name, args=[code, year, cuatrimestre])


def test_page_shows_the_seed_report_formatted(igm_client, django_assert_max_num_queries):
    # 10 once the draft's page is kept (tests/reports/test_read_a_draft_quickly.py), and with the cache empty 19 more:
    # the version, read again for the report and for its table (reports.services.draft_html, which reads the report
    # too); the report, computed twice (6 queries each), as inside the test's transaction the one computed first is
    # stored only at commit (goals.versions), where a request outside a transaction finds it in the cache; the medios
    # de verificación, for their list and the table's paperclips; the empty-month alert's entry windows and months
    with django_assert_max_num_queries(29):
        response = igm_client.get(report_url())
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "Sistema de Planes Institucionales -SIPLAN-",
        "Reporte de Avance de Metas Físicas y Financieras",
        "Ejecución mensual - Tercer Cuatrimestre 2024",
        "INSTITUTO GUATEMALTECO DE MIGRACIÓN",
        "Productos vinculados a RI/PGG 2024-2028",
        "Productos vinculados a RE",
        "Septiembre",
        "Diciembre",
        "% de Avance acumulado al 3er cuatrimestre con metas iniciales",
        "14,466,570.00",
        "12,901,391.00",
        "629,998.90",
        "189.36",
        "Firma y sello de la máxima autoridad",
        "Lic. Alfredo Danilo Rivera",
        "Director General",
    ]:
        assert text in html, text
    assert "2,024" not in html
    assert html.count('class="product physical"') == 6
    assert html.count('class="subproduct physical"') == 11


def test_first_cuatrimestre_names_its_own_months(igm_client):
    html = igm_client.get(report_url(cuatrimestre=1)).content.decode()
    assert "Ejecución mensual - Primer Cuatrimestre 2024" in html
    assert "Enero" in html and "Abril" in html and "Septiembre" not in html


def test_json_has_the_contract_shape(igm_client, igm):
    response = igm_client.get(report_url("reports:json"))
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data == report_to_dict(build_report(institution=igm, year=2024, cuatrimestre=3))
    assert {"code", "name"} <= set(data["institution"])
    assert (data["year"], data["cuatrimestre"], data["months"]) == (2024, 3, [9, 10, 11, 12])
    for section in data["sections"]:
        assert set(section) == {"link", "strategic_axis", "strategic_action", "result", "products"}
        for product in section["products"]:
            assert set(product) == {"name", "unit", "physical", "financial", "subproducts"}
            for item in [product, *product["subproducts"]]:
                for kind in ("physical", "financial"):
                    figures = item[kind]
                    assert set(figures) == FIGURES_KEYS
                    assert isinstance(figures["reprogrammings"], int)
                    assert len(figures["months"]) == 4
                    for key in FIGURES_KEYS - {"reprogrammings", "months"}:
                        assert DECIMAL.match(figures[key]), (key, figures[key])
                    assert all(DECIMAL.match(value) for value in figures["months"])
    assert data["sections"][0]["products"][0]["physical"]["pct_period"] == "31.14"


@pytest.mark.parametrize("name", ["reports:report", "reports:json"])
def test_anonymous_users_are_sent_to_login(client, igm, name):
    response = client.get(report_url(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ["reports:report", "reports:json"])
def test_another_institutions_user_gets_not_found(client, igm, name):
    client.force_login(UserFactory(institution=InstitutionFactory(code="OTRA")))
    assert client.get(report_url(name)).status_code == 404


@pytest.mark.parametrize(("year", "cuatrimestre"), [(2024, 4), (2024, 0), (2023, 3)])
def test_cuatrimestre_out_of_range_or_year_without_plan_is_not_found(igm_client, year, cuatrimestre):
    assert igm_client.get(report_url(year=year, cuatrimestre=cuatrimestre)).status_code == 404
    assert igm_client.get(report_url("reports:json", year=year, cuatrimestre=cuatrimestre)).status_code == 404


def test_choosing_a_report_opens_it(igm_client):
    page = igm_client.get(reverse("reports:choose"))
    assert page.status_code == 200
    assert "IGM" in page.content.decode() and "OTRA" not in page.content.decode()
    response = igm_client.get(reverse("reports:choose"), {"institution": "IGM", "year": 2024, "cuatrimestre": 2})
    assert response.status_code == 302
    assert response["Location"] == report_url(cuatrimestre=2)


def test_choosing_another_institution_is_refused(igm_client):
    InstitutionFactory(code="OTRA")
    response = igm_client.get(reverse("reports:choose"), {"institution": "OTRA", "year": 2024, "cuatrimestre": 2})
    assert response.status_code == 200
    assert response.context["form"].errors["institution"]
