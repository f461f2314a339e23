"""Downloading the report as PDF: the text extracted from it, its pages and its draft or approval marks."""

from io import BytesIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from approvals import services
from approvals.demo import load_demo
from goals.models import Institution
from reports.pdf import render_report_pdf
from tests.factories import InstitutionFactory, RoleUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def draft_pdf(seed_report):
    return PdfReader(BytesIO(render_report_pdf(seed_report)))


def text_of(reader):
    return "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_holds_the_report_formatted(draft_pdf):
    text = text_of(draft_pdf)
    for expected in [
        "Sistema de Planes Institucionales -SIPLAN-",
        "Ejecución mensual - Tercer Cuatrimestre 2024",
        "INSTITUTO GUATEMALTECO DE MIGRACIÓN",
        "14,466,570.00",
        "629,998.90",
        "189.36",
        "Firma y sello de la máxima autoridad",
        "Lic. Alfredo Danilo Rivera",
    ]:
        assert expected in text, expected


def test_pdf_pages_are_landscape_numbered_and_titled(draft_pdf):
    pages = draft_pdf.pages
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert page.mediabox.width > page.mediabox.height
        text = page.extract_text()
        assert f"Página {number} de {len(pages)}" in text
        assert "Reporte de Avance de Metas Físicas y Financieras" in text
        assert "Generado el" in text
    assert "Firma y sello de la máxima autoridad" in pages[-1].extract_text()


def test_draft_pdf_is_marked_borrador(draft_pdf):
    assert all("BORRADOR" in page.extract_text() for page in draft_pdf.pages)


def test_fonts_are_embedded(draft_pdf):
    fonts = draft_pdf.pages[0]["/Resources"]["/Font"]
    for font in fonts.values():
        descendant = font.get_object()["/DescendantFonts"][0].get_object()
        assert "/FontFile2" in descendant["/FontDescriptor"].get_object()


def test_approved_pdf_carries_the_approval_instead_of_the_draft_mark(client):
    load_demo()
    igm = Institution.objects.get(code="IGM")
    planner = RoleUserFactory(institution=igm, role="Planificador")
    services.submit(user=planner, institution=igm, year=2024, cuatrimestre=3)
    snapshot = services.approve(
        user=RoleUserFactory(institution=igm, role="Director"), institution=igm, year=2024, cuatrimestre=3
    )
    client.force_login(RoleUserFactory(institution=igm, role="Lector"))
    response = client.get(reverse("reports:pdf", args=["IGM", 2024, 3]))
    assert response["Content-Disposition"] == 'attachment; filename="IGM-2024-C3.pdf"'
    text = text_of(PdfReader(BytesIO(response.content)))
    assert snapshot.oficio_number in text
    assert "BORRADOR" not in text


def test_another_institution_cannot_download_the_pdf(client):
    load_demo()
    client.force_login(RoleUserFactory(institution=InstitutionFactory(code="OTRA"), role="Director"))
    assert client.get(reverse("reports:pdf", args=["IGM", 2024, 3])).status_code == 404


def test_export_report_command_writes_the_pdf(tmp_path):
    load_demo()
    output = tmp_path / "igm.pdf"
    call_command(
        "export_report",
        "--institution",
        "IGM",
        "--year",
        "2024",
        "--cuatrimestre",
        "1",
        "--format",
        "pdf",
        "--output",
        output,
    )
    assert "Primer Cuatrimestre 2024" in text_of(PdfReader(output))
