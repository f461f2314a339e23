"""Alerts the planner and the director see before approving: the seed's own cases (DOMAIN.md)."""

import pytest
from django.urls import reverse

from approvals import services
from goals.demo import load_demo
from goals.models import Institution
from reports.alerts import report_alerts
from tests.factories import RoleUserFactory

pytestmark = pytest.mark.django_db


def messages_for(alerts, name):
    return [alert.message for alert in alerts if alert.item == name]


def test_the_seed_raises_its_known_cases(seed_report):
    alerts = report_alerts(seed_report)
    visas = messages_for(alerts, "Registro Control y Emisión de Visas y Residencias")
    assert visas == [
        "su ejecución física de noviembre (6,988.00) no es la suma de sus subproductos en Documento (6,899.00).",
        "su ejecución física de diciembre (6,948.00) no es la suma de sus subproductos en Documento (7,037.00).",
    ]
    assert messages_for(alerts, "Asistencia y Protección a las Personas Migrantes") == [
        "su meta física vigente (105,731.00) no es la suma de sus subproductos en Persona (105,698.00)."
    ]
    assert messages_for(alerts, "Prorroga de Documentos Migratorios") == [
        "gasto de Q 629,998.90 con meta financiera vigente de 0.00."
    ]
    albergues = messages_for(alerts, "Migrantes Atendidos en Albergues y Centros de Retornados")
    assert "ejecución financiera acumulada al 103.98 % de la meta vigente." in albergues
    assert "avance físico 76.61 % y financiero 103.98 %: 27.37 puntos de diferencia." in albergues
    assert not messages_for(alerts, "Control Registro de Nacionales y Extranjeros en el Territorio Nacional")
    assert len(alerts) == 9


def test_the_director_sees_the_alerts_before_approving(client):
    load_demo()
    igm = Institution.objects.get(code="IGM")
    services.submit(RoleUserFactory(institution=igm, role="Planificador"), igm, 2024, 3)
    client.force_login(RoleUserFactory(institution=igm, role="Director"))
    html = client.get(reverse("approvals:report_status", args=["IGM", 2024, 3])).content.decode()
    assert "9 alertas antes de aprobar" in html and "Prorroga de Documentos Migratorios" in html
    page = client.get(reverse("reports:report", args=["IGM", 2024, 3])).content.decode()
    assert "9 alertas antes de aprobar" in page
