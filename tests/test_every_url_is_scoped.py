"""Every page, download and action that names an institution, tried by an anonymous user and by another institution's."""

import pytest
from django.urls import reverse

from approvals import services
from goals.demo import load_demo
from goals.models import Institution, Reprogramming, Subproduct
from tests.factories import InstitutionFactory, RoleUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def igm_urls():
    load_demo()
    igm = Institution.objects.get(code="IGM")
    services.submit(RoleUserFactory(institution=igm, role="Planificador"), igm, 2024, 1)
    snapshot = services.approve(RoleUserFactory(institution=igm, role="Director"), igm, 2024, 1)
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
        ("post", reverse("approvals:report_action", args=[*report, "enviar"])),
        ("post", reverse("approvals:report_action", args=["IGM", 2024, 1, "reabrir"])),
        ("get", reverse("approvals:snapshot_json", args=["IGM", snapshot.sha256])),
        ("get", reverse("approvals:reprogrammings", args=["IGM"])),
        ("post", reverse("approvals:reprogramming_action", args=["IGM", Reprogramming.objects.get().pk, "reabrir"])),
        ("get", reverse("approvals:audit_log", args=["IGM"])),
        ("get", reverse("approvals:item_history", args=["IGM", "subproducto", Subproduct.objects.first().pk])),
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
