"""Alerts the planner and the director see before approving: the seed's own cases (DOMAIN.md) and a month left
empty after its entry window closed."""

import datetime

import pytest
from django.urls import reverse

from approvals import services
from approvals.alerts import (
    alerts_before_approval,
    months_without_execution,
    report_alerts,
)
from approvals.demo import load_demo
from approvals.models import Period, PeriodExtension
from goals.models import Institution, ProductExecution, SubproductExecution
from reports.computation import build_report
from tests.factories import InstitutionFactory, RoleUserFactory, demo_in_draft

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
    services.submit(
        user=RoleUserFactory(institution=igm, role="Planificador"), institution=igm, year=2024, cuatrimestre=3
    )
    client.force_login(RoleUserFactory(institution=igm, role="Director"))
    html = client.get(reverse("approvals:report_status", args=["IGM", 2024, 3])).content.decode()
    assert "9 alertas antes de aprobar" in html and "Prorroga de Documentos Migratorios" in html
    page = client.get(reverse("reports:report", args=["IGM", 2024, 3])).content.decode()
    assert "9 alertas antes de aprobar" in page


def empty_march(igm):
    """March 2024 left without any record; April's records kept, but all zero."""
    ProductExecution.objects.filter(month=3).delete()
    SubproductExecution.objects.filter(month=3).delete()
    ProductExecution.objects.filter(month=4).update(physical=0)
    SubproductExecution.objects.filter(month=4).update(physical=0, financial=0)
    Period.objects.create(year=2024, cuatrimestre=1, load_deadline=datetime.date(2024, 5, 15))


def empty_month_messages(institution, cuatrimestre, today):
    report = build_report(institution=institution, year=2024, cuatrimestre=cuatrimestre)
    return [
        (alert.item, alert.message)
        for alert in alerts_before_approval(institution, report, today)
        if alert.item.endswith(" 2024")
    ]


def test_a_month_left_empty_is_an_alert_once_its_window_closed():
    igm = demo_in_draft()  # its early months change, as before any report of the year is approved
    empty_march(igm)
    march = ("Marzo 2024", "ningún dato de ejecución cargado; el plazo de carga venció el 15/05/2024.")
    assert empty_month_messages(igm, 1, datetime.date(2024, 5, 15)) == []  # the deadline's own day is still open
    assert empty_month_messages(igm, 1, datetime.date(2024, 5, 16)) == [march]  # April's zeros are figures
    assert empty_month_messages(igm, 3, datetime.date(2025, 1, 20)) == [march]  # no window for Sep–Dec: never late
    PeriodExtension.objects.create(
        period=Period.objects.get(), institution=igm, load_deadline=datetime.date(2024, 5, 31)
    )
    assert empty_month_messages(igm, 1, datetime.date(2024, 5, 16)) == []


def test_without_an_entry_window_an_empty_month_is_never_late():
    igm = demo_in_draft()  # its early months change, as before any report of the year is approved
    ProductExecution.objects.filter(month=2).delete()
    SubproductExecution.objects.filter(month=2).delete()
    assert empty_month_messages(igm, 1, datetime.date(2030, 1, 1)) == []


def test_which_months_have_no_record_is_one_query(django_assert_num_queries):
    igm = demo_in_draft()  # its early months change, as before any report of the year is approved
    ProductExecution.objects.filter(month=5).delete()  # subproducts' records remain: May has figures
    SubproductExecution.objects.filter(month__in=[6, 7]).delete()
    ProductExecution.objects.filter(month=7).delete()
    with django_assert_num_queries(1):
        assert months_without_execution(institution=igm, year=2024, months=range(1, 13)) == [7]
    assert months_without_execution(institution=InstitutionFactory(), year=2024, months=range(1, 4)) == [1, 2, 3]


def test_the_planner_and_the_director_see_the_empty_month_before_approving(client):
    igm = demo_in_draft()  # its early months change, as before any report of the year is approved
    empty_march(igm)
    client.force_login(RoleUserFactory(institution=igm, role="Planificador"))
    page = client.get(reverse("reports:report", args=["IGM", 2024, 1])).content.decode()
    assert (
        "<strong>Marzo 2024</strong>: ningún dato de ejecución cargado; el plazo de carga venció el 15/05/2024." in page
    )
    services.submit(
        user=RoleUserFactory(institution=igm, role="Planificador"), institution=igm, year=2024, cuatrimestre=1
    )
    client.force_login(RoleUserFactory(institution=igm, role="Director"))
    html = client.get(reverse("approvals:report_status", args=["IGM", 2024, 1])).content.decode()
    assert "<strong>Marzo 2024</strong>: ningún dato de ejecución cargado" in html
