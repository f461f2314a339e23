"""Every page, download, action and API address that names an institution, tried by an anonymous user and by another
institution's."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from approvals.demo import tiny_pdf
from approvals.models import ReportSnapshot
from goals.evidence import attach_evidence
from goals.models import (
    Evidence,
    Institution,
    ProductProgramme,
    Reprogramming,
    Subproduct,
    SubproductProgramme,
)
from tests.factories import (
    InstitutionFactory,
    ReprogrammingFactory,
    ReprogrammingLineFactory,
    RoleUserFactory,
    approved_report,
    plan_with_goals,
    role_users,
    token_client,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def igm():
    """IGM with a small plan, an approved reprogramming of its product, a medio de verificación of its product's
    February and no report acted on."""
    institution = InstitutionFactory(code="IGM", acronym="IGM")
    product = plan_with_goals(institution).product
    ReprogrammingLineFactory(reprogramming=ReprogrammingFactory(institution=institution), product=product)
    attach_evidence(
        user=role_users(institution, ["Planificador"])["Planificador"], institution=institution, row=product,
        year=2024, month=2, upload=SimpleUploadedFile("acta.pdf", tiny_pdf("Acta")), description="Acta de entrega",
    )  # fmt: skip
    return institution


@pytest.fixture
def igm_urls(igm):
    approved_report(institution=igm, cuatrimestre=1)
    snapshot = ReportSnapshot.objects.get(report__institution__code="IGM", report__cuatrimestre=1)
    report = ["IGM", 2024, 3]
    return [
        ("get", reverse("reports:report", args=report)),
        ("get", reverse("reports:json", args=report)),
        ("get", reverse("reports:xlsx", args=report)),
        ("get", reverse("reports:pdf", args=report)),
        ("get", reverse("reports:oficio", args=report)),
        ("get", reverse("reports:package", args=report)),
        ("get", reverse("reports:report", args=["IGM", 2024, 1])),
        ("get", reverse("approvals:report_status", args=report)),
        ("get", reverse("approvals:justifications", args=report)),
        ("post", reverse("approvals:justifications", args=report)),
        ("post", reverse("approvals:report_action", args=[*report, "enviar"])),
        ("post", reverse("approvals:report_action", args=["IGM", 2024, 1, "reabrir"])),
        ("post", reverse("approvals:sign_documents", args=["IGM", 2024, 1])),
        ("get", reverse("approvals:snapshot_json", args=["IGM", snapshot.sha256])),
        ("get", reverse("approvals:reprogrammings", args=["IGM"])),
        ("post", reverse("approvals:reprogramming_action", args=["IGM", Reprogramming.objects.get().pk, "reabrir"])),
        ("get", reverse("approvals:audit_log", args=["IGM"])),
        ("get", reverse("approvals:item_history", args=["IGM", "subproducto", Subproduct.objects.first().pk])),
        ("get", reverse("approvals:evidence_download", args=["IGM", Evidence.objects.first().pk])),
        ("get", reverse("goals:products", args=["IGM", 2024])),
        ("get", reverse("goals:execution", args=["IGM", 2024])),
        ("get", reverse("goals:programme", args=["IGM", 2024])),
        ("post", reverse("goals:programme", args=["IGM", 2024])),
        ("get", reverse("home") + "?institucion=IGM&anio=2024"),
    ]


def test_anonymous_users_are_sent_to_login_everywhere(client, igm_urls):
    for method, url in igm_urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


@pytest.mark.parametrize("role", ["Planificador", "Director", "Lector"])
def test_another_institutions_users_get_not_found_everywhere(client, igm_urls, role):
    client.force_login(RoleUserFactory(institution=InstitutionFactory(code="OTRA"), role=role))
    for method, url in igm_urls:
        assert getattr(client, method)(url).status_code == 404, url
    igm = Institution.objects.get(code="IGM")
    assert igm.cuatrimestre_reports.get(cuatrimestre=1).status == "aprobado"


@pytest.fixture
def igm_api_urls(igm):
    """The API's non-public addresses, each with IGM data behind it."""
    igm = {"institution": "IGM", "year": 2024}
    return [
        (reverse("api:years", args=["IGM"]), {}),
        (reverse("api:plan", args=["IGM", 2024]), {}),
        (reverse("api:product_execution"), igm),
        (reverse("api:subproduct_execution"), igm),
        (reverse("api:product_programme"), igm),
        (reverse("api:subproduct_programme"), igm),
    ]


def test_anonymous_api_calls_need_a_token(igm_api_urls):
    for url, params in igm_api_urls:
        assert APIClient().get(url, params).status_code == 401, url


def test_another_institutions_token_sees_no_igm_data_in_the_api(igm_api_urls):
    subproduct = Subproduct.objects.first()
    ProductProgramme.objects.create(product=subproduct.product, month=9)
    SubproductProgramme.objects.create(subproduct=subproduct, month=9)
    own = token_client(RoleUserFactory(institution=Institution.objects.get(code="IGM"), role="Planificador"))
    other = token_client(RoleUserFactory(institution=InstitutionFactory(code="OTRA"), role="Lector"))
    for url, params in igm_api_urls:
        assert own.get(url, params).status_code == 200, url
        response = other.get(url, params)
        if params:  # a list filtered by institution: IGM's rows are simply not there
            assert own.get(url, params).json()["count"] > 0, url
            assert response.json()["count"] == 0, url
            assert other.get(url).json()["count"] == 0, url
        else:
            assert response.status_code == 404, url


def test_the_consolidated_view_asks_for_login_and_shows_another_institution_nothing(client, igm_urls):
    url = reverse("reports:consolidated")
    query = {"anio": 2024, "cuatrimestre": 3, "institucion": "IGM"}
    response = client.get(url, query)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(RoleUserFactory(institution=InstitutionFactory(code="OTRA"), role="Lector"))
    for export in ({}, {"formato": "xlsx"}):
        response = client.get(url, {**query, **export})
        assert response.status_code == 200 and list(response.context["table"].data) == []
        assert "Instituto Guatemalteco de Migración" not in response.content.decode()
