"""The director closes a year's cuatrimestres in order, and acts only on reports of a year with a plan."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from approvals import services
from approvals.models import CuatrimestreReport, ReportSnapshot, ReportStatus
from tests.factories import (
    InstitutionFactory,
    ProductFactory,
    ResultFactory,
    RoleUserFactory,
    SubproductFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def institution():
    institution = InstitutionFactory(code="SEGUNDA", acronym="SEG", issuing_office="DG")
    product = ProductFactory(result=ResultFactory(institution=institution, year=2024), name="Dirección y Coordinación")
    SubproductFactory(product=product, name="Dirección y Coordinación")
    return institution


@pytest.fixture
def planner(institution):
    return RoleUserFactory(institution=institution, role="Planificador")


@pytest.fixture
def director(institution):
    return RoleUserFactory(institution=institution, role="Director")


def approve(planner, director, institution, cuatrimestre):
    services.submit(user=planner, institution=institution, year=2024, cuatrimestre=cuatrimestre)
    return services.approve(user=director, institution=institution, year=2024, cuatrimestre=cuatrimestre)


def status(institution, cuatrimestre):
    return CuatrimestreReport.objects.get(institution=institution, year=2024, cuatrimestre=cuatrimestre).status


def test_the_third_is_refused_while_the_returned_second_is_not_approved(institution, planner, director):
    approve(planner, director, institution, 1)
    services.submit(user=planner, institution=institution, year=2024, cuatrimestre=2)
    services.return_report(user=director, institution=institution, year=2024, cuatrimestre=2, comment="revisar junio")
    services.submit(user=planner, institution=institution, year=2024, cuatrimestre=3)
    with pytest.raises(ValidationError) as refused:
        services.approve(user=director, institution=institution, year=2024, cuatrimestre=3)
    assert refused.value.messages == [
        "El Tercer Cuatrimestre 2024 no puede aprobarse antes que el Segundo Cuatrimestre 2024, que aún no está "
        "aprobado: los cuatrimestres se aprueban en orden."
    ]
    assert status(institution, 3) == ReportStatus.IN_REVIEW
    assert not ReportSnapshot.objects.filter(report__cuatrimestre=3).exists()
    services.return_report(
        user=director, institution=institution, year=2024, cuatrimestre=3, comment="primero el segundo"
    )
    approve(planner, director, institution, 2)
    services.submit(user=planner, institution=institution, year=2024, cuatrimestre=3)
    assert services.approve(user=director, institution=institution, year=2024, cuatrimestre=3).oficio_sequence == 3


def test_the_refusal_names_the_first_missing_cuatrimestre(institution, planner, director):
    services.submit(user=planner, institution=institution, year=2024, cuatrimestre=2)
    with pytest.raises(ValidationError, match="antes que el Primer Cuatrimestre 2024"):
        services.approve(user=director, institution=institution, year=2024, cuatrimestre=2)


def test_the_second_is_not_reopened_while_the_third_is_approved(institution, planner, director):
    for cuatrimestre in (1, 2, 3):
        approve(planner, director, institution, cuatrimestre)
    with pytest.raises(ValidationError) as refused:
        services.reopen(user=director, institution=institution, year=2024, cuatrimestre=2, reason="corregir junio")
    assert refused.value.messages == [
        "El Segundo Cuatrimestre 2024 no puede reabrirse mientras el Tercer Cuatrimestre 2024 esté aprobado: "
        "reabra primero ese reporte."
    ]
    assert status(institution, 2) == ReportStatus.APPROVED
    services.reopen(user=director, institution=institution, year=2024, cuatrimestre=3, reason="corregir diciembre")
    services.reopen(user=director, institution=institution, year=2024, cuatrimestre=2, reason="corregir junio")
    assert [status(institution, cuatrimestre) for cuatrimestre in (1, 2, 3)] == [
        ReportStatus.APPROVED, ReportStatus.DRAFT, ReportStatus.DRAFT
    ]  # fmt: skip


@pytest.mark.parametrize("year", [1999, 2023, 40000])
def test_a_year_without_plan_has_no_report_to_act_on(client, institution, director, year):
    client.force_login(director)
    assert client.get(reverse("approvals:report_status", args=["SEGUNDA", year, 1])).status_code == 404
    for action in ("enviar", "aprobar", "devolver", "reabrir"):
        response = client.post(reverse("approvals:report_action", args=["SEGUNDA", year, 1, action]), {"comment": "x"})
        assert response.status_code == 404, action
    assert not CuatrimestreReport.objects.exists()
    assert client.get(reverse("approvals:report_status", args=["SEGUNDA", 2024, 1])).status_code == 200
