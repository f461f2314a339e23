"""The oficio (cover letter) alone and as the first page of the package sent to SEGEPLAN."""

import datetime
from io import BytesIO
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf import PdfReader

from approvals import services
from approvals.demo import load_demo
from goals.models import Institution
from reports.computation import build_report
from reports.pdf import render_oficio_pdf
from tests.factories import InstitutionFactory, RoleUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def igm():
    load_demo()
    return Institution.objects.get(code="IGM")


def pdf_text(response):
    reader = PdfReader(BytesIO(response.content))
    return reader, " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_draft_oficio_names_the_report_and_is_marked_borrador(client, igm):
    client.force_login(
        RoleUserFactory(institution=igm, role="Planificador", first_name="Eva", last_name="López Barrios")
    )
    response = client.get(reverse("reports:oficio", args=["IGM", 2024, 3]))
    assert response["Content-Disposition"] == 'attachment; filename="IGM-2024-C3-oficio.pdf"'
    reader, text = pdf_text(response)
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert page.mediabox.height > page.mediabox.width
    for expected in [
        "OFICIO-IGM-DG-BORRADOR",
        "Señor Secretario:",
        "Artículo 17 Bis",
        "Tercer Cuatrimestre (septiembre - diciembre)",
        "ejercicio fiscal 2024",
        "Política General de Gobierno 2024-2028",
        "Lic. Alfredo Danilo Rivera",
        "Licenciado Carlos Mendoza Alvarado",
        "Secretario General de Planificación",
        "/elb",
        "C.C. ARCHIVO",
        "info@igm.gob.gt",
    ]:
        assert expected in text, expected


def test_approved_package_carries_the_correlative_number_and_the_report(client, igm):
    services.submit(
        user=RoleUserFactory(institution=igm, role="Planificador"), institution=igm, year=2024, cuatrimestre=3
    )
    snapshot = services.approve(
        user=RoleUserFactory(institution=igm, role="Director"), institution=igm, year=2024, cuatrimestre=3
    )
    client.force_login(RoleUserFactory(institution=igm, role="Lector"))
    reader, text = pdf_text(client.get(reverse("reports:package", args=["IGM", 2024, 3])))
    first = reader.pages[0].extract_text()
    assert snapshot.oficio_number in first and "BORRADOR" not in first
    assert reader.pages[1].mediabox.width > reader.pages[1].mediabox.height
    assert "14,466,570.00" in text and "Firma y sello de la máxima autoridad" in text


def test_another_institution_cannot_get_the_oficio(client, igm):
    client.force_login(RoleUserFactory(institution=InstitutionFactory(code="OTRA"), role="Director"))
    assert client.get(reverse("reports:oficio", args=["IGM", 2024, 3])).status_code == 404
    assert client.get(reverse("reports:package", args=["IGM", 2024, 3])).status_code == 404


def test_approved_oficio_is_dated_in_spanish_on_its_approval_day(igm):
    snapshot = SimpleNamespace(
        oficio_number="OFICIO-IGM-DG-026-2025",
        approved_at=datetime.datetime(2025, 1, 14, 16, tzinfo=datetime.UTC),
        typist_initials="elb",
        circular="OFICIO CIRCULAR-SPPD-DASP-01-2024/rdlo",
    )
    reader = PdfReader(
        BytesIO(render_oficio_pdf(igm, build_report(institution=igm, year=2024, cuatrimestre=3), snapshot))
    )
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Guatemala, 14 de enero 2025" in text
    assert "OFICIO-IGM-DG-026-2025" in text and "BORRADOR" not in text
    assert "lo solicitado en OFICIO CIRCULAR-SPPD-DASP-01-2024/rdlo y a lo establecido" in text.replace("- ", "-")
    assert "/elb" in text


def test_export_report_command_writes_the_package(igm, tmp_path):
    output = tmp_path / "paquete.pdf"
    call_command(
        "export_report", "--institution", "IGM", "--year", "2024", "--cuatrimestre", "3",
        "--format", "pdf", "--document", "paquete", "--typist", "elb", "--output", output,
    )  # fmt: skip
    reader = PdfReader(output)
    assert "/elb" in reader.pages[0].extract_text() and "OFICIO-IGM-DG-BORRADOR" in reader.pages[0].extract_text()
    assert "14,466,570.00" in reader.pages[1].extract_text()


def test_export_report_command_refuses_an_oficio_in_excel(igm, tmp_path):
    with pytest.raises(CommandError, match="solo se generan en PDF"):
        call_command(
            "export_report", "--institution", "IGM", "--year", "2024", "--cuatrimestre", "3",
            "--format", "xlsx", "--document", "oficio", "--output", tmp_path / "x.xlsx",
        )  # fmt: skip
