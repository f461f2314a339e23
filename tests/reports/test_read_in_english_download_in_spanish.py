"""Someone who reads siplan in English still downloads the official documents in Spanish: the draft report, its
Excel, oficio and package, and an approval made from an English page stores the same Spanish bytes anyone gets."""

from io import BytesIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from approvals import services
from approvals.demo import load_demo
from approvals.documents import rendered_pdfs
from approvals.models import DocumentKind, ReportSnapshot, StoredDocument
from goals.models import Institution

pytestmark = pytest.mark.django_db

SPANISH_REPORT = ["Reporte de Avance de Metas Físicas y Financieras", "Firma y sello de la máxima autoridad"]
ENGLISH_REPORT = ["Progress Report", "Signature and seal", "Physical/financial"]
# The oficio: the cuatrimestre's name and its months, which would otherwise follow the active language.
SPANISH_OFICIO = "correspondiente al Tercer Cuatrimestre (septiembre - diciembre)"
DOWNLOADS = {
    DocumentKind.REPORT_PDF: "reports:pdf",
    DocumentKind.XLSX: "reports:xlsx",
    DocumentKind.OFICIO: "reports:oficio",
    DocumentKind.PACKAGE: "reports:package",
}


def pdf_text(content):
    return " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages).split())


def xlsx_text(content):
    workbook = load_workbook(BytesIO(content))
    cells = (cell for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row)
    return " ".join([*workbook.sheetnames, *(str(cell) for cell in cells if cell is not None)])


def text_of(kind, content):
    return xlsx_text(content) if kind == DocumentKind.XLSX else pdf_text(content)


def assert_in_spanish(kind, text):
    if kind in (DocumentKind.REPORT_PDF, DocumentKind.XLSX, DocumentKind.PACKAGE):
        assert all(phrase in text for phrase in SPANISH_REPORT), kind
        assert "Septiembre" in text and "3er cuatrimestre" in text, kind
    if kind in (DocumentKind.OFICIO, DocumentKind.PACKAGE):
        assert SPANISH_OFICIO in text, kind
    assert not any(phrase in text for phrase in ENGLISH_REPORT), kind


def english_client(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def igm():
    load_demo()
    return Institution.objects.get(code="IGM")


def test_a_planner_reading_in_english_downloads_the_draft_documents_in_spanish(igm, client):
    english_client(client, "planificador")
    page = client.get(reverse("reports:report", args=["IGM", 2024, 3])).content.decode()
    assert "Progress Report on Physical and Financial Goals" in page and "Third Cuatrimestre 2024" in page
    for kind, url_name in DOWNLOADS.items():
        response = client.get(reverse(url_name, args=["IGM", 2024, 3]))
        assert response.status_code == 200, kind
        text = text_of(kind, response.content)
        assert_in_spanish(kind, text)
        assert "BORRADOR" in text and "DRAFT" not in text, kind


def test_a_director_approving_from_an_english_page_stores_the_documents_in_spanish(
    igm, client, django_capture_on_commit_callbacks
):
    services.submit(
        user=get_user_model().objects.get(username="planificador"), institution=igm, year=2024, cuatrimestre=3
    )
    english_client(client, "director")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("approvals:approve_report", args=["IGM", 2024, 3]), {"password": "director-demo-2024"}, follow=True
        )
    assert "The report was approved and its figures are now frozen." in response.content.decode()
    snapshot = ReportSnapshot.objects.get(report__institution=igm, report__year=2024, report__cuatrimestre=3)
    stored = {document.kind: document.read() for document in StoredDocument.objects.filter(snapshot=snapshot)}
    assert set(stored) == set(DocumentKind)
    for kind, content in stored.items():
        assert_in_spanish(kind, text_of(kind, content))
    # Whoever renders the approval again, in whichever language, makes the same bytes.
    with translation.override("es-gt"):
        _report, spanish = rendered_pdfs(snapshot)
    assert {kind: spanish[kind].content for kind in ("pdf", "oficio", "paquete")} == {
        kind: stored[kind] for kind in ("pdf", "oficio", "paquete")
    }
    # A reader in English downloads exactly what was stored.
    english_client(client, "lector")
    for kind, url_name in DOWNLOADS.items():
        assert client.get(reverse(url_name, args=["IGM", 2024, 3])).content == stored[kind], kind
