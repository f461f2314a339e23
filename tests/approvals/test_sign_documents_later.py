"""A report approved before the institution had a certificate stays unsigned when one appears; the director
signs it explicitly ("Firmar documentos"), which is recorded and stores signed copies beside the originals."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader

from approvals import services
from approvals.documents import served
from approvals.models import DocumentKind, ReportAction, StoredDocument
from tests.certificates import configure_certificate
from tests.factories import InstitutionFactory, RoleUserFactory, institution_with_plan

pytestmark = pytest.mark.django_db
REPORT = ["IGM", 2024, 1]  # the first cuatrimestre: approved with no earlier one to approve first
SIGN = "Firmar documentos"
PDF_DOWNLOADS = {
    DocumentKind.REPORT_PDF: "reports:pdf",
    DocumentKind.OFICIO: "reports:oficio",
    DocumentKind.PACKAGE: "reports:package",
}


@pytest.fixture
def igm():
    """IGM (the name its test certificate is made for) with a small plan: signing needs nothing of the demo's."""
    return institution_with_plan("IGM")


@pytest.fixture
def director(igm):
    return RoleUserFactory(institution=igm, role="Director", first_name="Alfredo", last_name="Rivera")


@pytest.fixture
def approved_unsigned(igm, director, django_capture_on_commit_callbacks):
    """Approved while no certificate is configured: its documents are made, unsigned, as the approval commits."""
    planner = RoleUserFactory(institution=igm, role="Planificador")
    services.submit(user=planner, institution=igm, year=2024, cuatrimestre=1)
    with django_capture_on_commit_callbacks(execute=True):
        return services.approve(user=director, institution=igm, year=2024, cuatrimestre=1)


@pytest.fixture
def certificate_appears(tmp_path, settings, monkeypatch):
    return configure_certificate(tmp_path, settings, monkeypatch)


def signatures(content):
    return PdfFileReader(BytesIO(content)).embedded_signatures


def sign_url():
    return reverse("approvals:sign_documents", args=REPORT)


def sign(client, confirm=True, **options):
    """The director's "Firmar documentos", its confirmation ticked or not."""
    return client.post(sign_url(), {"confirm": "on"} if confirm else {}, **options)


def status_page(client):
    return client.get(reverse("approvals:report_status", args=REPORT)).content.decode()


def test_an_unsigned_approval_stays_unsigned_when_a_certificate_appears(approved_unsigned, certificate_appears, client):
    original = served(approved_unsigned, DocumentKind.PACKAGE)
    client.force_login(RoleUserFactory(institution=approved_unsigned.report.institution, role="Lector"))
    content = client.get(reverse("reports:package", args=REPORT)).content
    assert content == original.read() and not signatures(content)
    assert SIGN not in status_page(client)


def test_the_director_signs_explicitly_and_the_act_is_recorded(
    approved_unsigned, certificate_appears, director, client
):
    originals = {document.kind: document.sha256 for document in approved_unsigned.documents.all()}
    client.force_login(director)
    assert SIGN in status_page(client)
    response = sign(client, follow=True)
    assert "Los documentos fueron firmados" in response.content.decode()
    signed = StoredDocument.objects.filter(snapshot=approved_unsigned, signed=True)
    assert {document.kind for document in signed} == set(PDF_DOWNLOADS)
    assert all(document.created_by == director for document in signed)
    step = approved_unsigned.report.transitions.get(action=ReportAction.SIGN)
    assert step.user == director and step.comment == approved_unsigned.oficio_number
    for kind, url_name in PDF_DOWNLOADS.items():
        download = client.get(reverse(url_name, args=REPORT))
        assert signatures(download.content) and download["ETag"] == f'"{served(approved_unsigned, kind).sha256}"'
    assert {
        document.kind: document.sha256 for document in approved_unsigned.documents.filter(signed=False)
    } == originals
    original = approved_unsigned.documents.get(kind=DocumentKind.OFICIO, signed=False)
    page = client.post(reverse("approvals:verify_search"), {"file": SimpleUploadedFile("o.pdf", original.read())})
    assert "Es el original sin firma digital." in page.content.decode()
    assert SIGN not in status_page(client)
    again = sign(client, follow=True).content.decode()
    assert "ya están firmados" in again and signed.count() == 3


def test_the_director_confirms_before_signing_as_for_the_congress_report(
    approved_unsigned, certificate_appears, director, client
):
    client.force_login(director)
    assert "Confirmo que firmo el reporte, el oficio y el paquete aprobados" in status_page(client)
    unconfirmed = sign(client, confirm=False)
    assert unconfirmed.status_code == 200
    assert "Marque la confirmación para firmar." in unconfirmed.content.decode()
    assert not StoredDocument.objects.filter(signed=True).exists()
    assert not approved_unsigned.report.transitions.filter(action=ReportAction.SIGN).exists()
    assert "Los documentos fueron firmados" in sign(client, follow=True).content.decode()
    assert StoredDocument.objects.filter(snapshot=approved_unsigned, signed=True).count() == 3


def test_only_the_director_signs(approved_unsigned, certificate_appears, client):
    client.force_login(RoleUserFactory(institution=approved_unsigned.report.institution, role="Planificador"))
    assert sign(client).status_code == 403
    assert not StoredDocument.objects.filter(signed=True).exists()


def test_without_a_certificate_signing_is_refused(approved_unsigned, director, client):
    client.force_login(director)
    assert SIGN not in status_page(client)
    page = sign(client, follow=True).content.decode()
    assert "no tiene un certificado de firma configurado" in page
    assert not StoredDocument.objects.filter(signed=True).exists()


def test_another_institution_cannot_sign(approved_unsigned, certificate_appears, client):
    client.force_login(RoleUserFactory(institution=InstitutionFactory(code="OTRA"), role="Director"))
    assert sign(client).status_code == 404
