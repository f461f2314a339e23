"""The report's path: the planner submits, the director returns or approves (freezing it), and may reopen."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from approvals import services
from approvals.models import (
    CuatrimestreReport,
    ReportSnapshot,
    ReportStatus,
    canonical_json,
)
from goals.models import SubproductExecution
from reports.computation import build_report, report_to_dict
from tests.factories import InstitutionFactory, RoleUserFactory, igm_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def igm(request):
    """The demo for a test marked `seed`, else IGM with a small plan and its first two cuatrimestres approved."""
    return igm_for(request, approved_through=2)


@pytest.fixture
def planner(igm):
    return RoleUserFactory(institution=igm, role="Planificador", username="plan-igm")


@pytest.fixture
def director(igm):
    return RoleUserFactory(institution=igm, role="Director", username="dir-igm", first_name="Alfredo")


@pytest.fixture
def approved(igm, planner, director):
    services.submit(user=planner, institution=igm, year=2024, cuatrimestre=3)
    return services.approve(user=director, institution=igm, year=2024, cuatrimestre=3)


def status_url(action=None, code="IGM"):
    if action:
        return reverse("approvals:report_action", args=[code, 2024, 3, action])
    return reverse("approvals:report_status", args=[code, 2024, 3])


def test_approval_freezes_the_computed_report_with_its_hash_and_oficio_number(igm, approved):
    data = json.loads(approved.content)
    assert data["report"] == report_to_dict(build_report(institution=igm, year=2024, cuatrimestre=3))
    assert approved.sha256 == ReportSnapshot.digest(canonical_json(data))
    assert approved.oficio_number == f"OFICIO-IGM-DG-003-{approved.oficio_year}"  # C1 and C2 took 001, 002
    assert CuatrimestreReport.objects.get(institution=igm, year=2024, cuatrimestre=3).status == ReportStatus.APPROVED


def test_oficio_numbers_are_correlative_per_institution_and_year(igm, planner, director, approved):
    sequences = ReportSnapshot.objects.filter(report__institution=igm).order_by("report__cuatrimestre")
    assert list(sequences.values_list("oficio_sequence", flat=True)) == [1, 2, 3]
    services.reopen(user=director, institution=igm, year=2024, cuatrimestre=3, reason="Corrección de diciembre")
    services.submit(user=planner, institution=igm, year=2024, cuatrimestre=3)
    assert services.approve(user=director, institution=igm, year=2024, cuatrimestre=3).oficio_sequence == 4


def test_approved_months_cannot_be_changed_by_any_path(igm, approved):
    execution = SubproductExecution.objects.filter(subproduct__product__result__institution=igm, month=10).first()
    execution.financial += 1
    with pytest.raises(ValidationError, match="Tercer Cuatrimestre 2024.*OFICIO-IGM-DG-003"):
        execution.save()
    with pytest.raises(ValidationError):
        execution.delete()


@pytest.mark.seed
def test_approved_report_is_served_from_its_snapshot_whatever_changes_later(client, igm, planner, approved):
    SubproductExecution.objects.filter(subproduct__product__result__institution=igm).update(financial=Decimal("1"))
    client.force_login(planner)
    data = client.get(reverse("reports:json", args=["IGM", 2024, 3])).json()
    assert data == json.loads(approved.content)["report"]
    assert data["sections"][0]["products"][0]["financial"]["cumulative"] == "68325981.47"
    assert "OFICIO-IGM-DG-003" in client.get(reverse("reports:report", args=["IGM", 2024, 3])).content.decode()


def test_director_returns_with_a_comment_and_the_planner_can_submit_again(igm, planner, director):
    services.submit(user=planner, institution=igm, year=2024, cuatrimestre=3)
    with pytest.raises(ValidationError, match="Escriba qué debe corregirse"):
        services.return_report(user=director, institution=igm, year=2024, cuatrimestre=3, comment="  ")
    report = services.return_report(user=director, institution=igm, year=2024, cuatrimestre=3, comment="Revise octubre")
    assert report.status == ReportStatus.DRAFT
    assert report.transitions.last().comment == "Revise octubre"
    assert services.submit(user=planner, institution=igm, year=2024, cuatrimestre=3).status == ReportStatus.IN_REVIEW


def test_reopening_unlocks_and_keeps_the_superseded_snapshot(igm, director, approved):
    with pytest.raises(ValidationError, match="motivo"):
        services.reopen(user=director, institution=igm, year=2024, cuatrimestre=3, reason="")
    services.reopen(user=director, institution=igm, year=2024, cuatrimestre=3, reason="Corrección de diciembre")
    approved.refresh_from_db()
    assert approved.is_superseded and approved.superseded_reason == "Corrección de diciembre"
    execution = SubproductExecution.objects.filter(subproduct__product__result__institution=igm, month=12).first()
    execution.financial += 1
    execution.save()


def test_a_planner_cannot_approve_and_a_draft_cannot_be_approved(igm, planner, director):
    with pytest.raises(ValidationError, match="Borrador"):
        services.approve(user=director, institution=igm, year=2024, cuatrimestre=3)
    services.submit(user=planner, institution=igm, year=2024, cuatrimestre=3)
    with pytest.raises(PermissionDenied):
        services.approve(user=planner, institution=igm, year=2024, cuatrimestre=3)


def test_the_whole_path_through_the_pages(client, igm, planner, director):
    client.force_login(planner)
    response = client.post(status_url("enviar"), follow=True)
    assert "El reporte fue enviado a revisión." in response.content.decode()
    client.force_login(director)
    page = client.get(status_url()).content.decode()
    assert "Aprobar y firmar" in page
    response = client.post(status_url("aprobar"), {"password": "a-strong-password-1"}, follow=True)
    assert "OFICIO-IGM-DG-003" in response.content.decode()


def test_a_reader_sees_only_approved_reports(client, igm, planner, director):
    client.force_login(RoleUserFactory(institution=igm, role="Lector"))
    assert client.get(reverse("reports:report", args=["IGM", 2024, 3])).status_code == 404
    services.submit(user=planner, institution=igm, year=2024, cuatrimestre=3)
    services.approve(user=director, institution=igm, year=2024, cuatrimestre=3)
    assert client.get(reverse("reports:report", args=["IGM", 2024, 3])).status_code == 200
    assert client.post(status_url("reabrir"), {"comment": "x"}).status_code == 403


def test_another_institutions_director_gets_not_found(client, igm, planner):
    services.submit(user=planner, institution=igm, year=2024, cuatrimestre=3)
    client.force_login(RoleUserFactory(institution=InstitutionFactory(code="OTRA"), role="Director"))
    assert client.post(status_url("aprobar")).status_code == 404
    assert client.get(status_url()).status_code == 404
    assert CuatrimestreReport.objects.get(institution=igm, year=2024, cuatrimestre=3).status == ReportStatus.IN_REVIEW


def test_anonymous_users_are_sent_to_login(client, igm):
    for url in [
        status_url(),
        reverse("approvals:reprogrammings", args=["IGM"]),
        reverse("approvals:audit_log", args=["IGM"]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
