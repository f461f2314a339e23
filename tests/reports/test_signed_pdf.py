"""The approved PDF: a QR code and short URL for public verification, and a PAdES signature made at approval
when the institution has a certificate; pyHanko's validator accepts it and detects a tampered file."""

from io import BytesIO

import pytest
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from approvals import services
from approvals.demo import load_demo
from approvals.documents import served
from approvals.reading import report_for
from goals.models import Institution
from reports.pdf import render_report_pdf
from reports.signing import verification_url
from tests.certificates import SIGNER, configure_certificate
from tests.factories import RoleUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(tmp_path, settings, monkeypatch):
    return configure_certificate(tmp_path, settings, monkeypatch)


def approve_demo():
    load_demo()
    igm = Institution.objects.get(code="IGM")
    services.submit(
        user=RoleUserFactory(institution=igm, role="Planificador"), institution=igm, year=2024, cuatrimestre=3
    )
    services.approve(user=RoleUserFactory(institution=igm, role="Director"), institution=igm, year=2024, cuatrimestre=3)
    return report_for(institution=igm, year=2024, cuatrimestre=3)


@pytest.fixture
def approved():
    return approve_demo()


@pytest.fixture
def approved_signed(certificate):
    return approve_demo()


def validate(content, trusted):
    signature = PdfFileReader(BytesIO(content)).embedded_signatures[0]
    return validate_pdf_signature(signature, ValidationContext(trust_roots=[trusted]))


def test_approved_pdf_carries_a_qr_code_and_the_short_verification_url(approved, client):
    report, snapshot = approved
    content = render_report_pdf(report, snapshot)
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages).split())
    url = verification_url(snapshot)
    assert url.endswith(f"/v/{snapshot.sha256[:12]}/") and url in text
    assert snapshot.sha256 in text and snapshot.oficio_number in text
    response = client.get(url.removeprefix("http://127.0.0.1:8000"), follow=True)
    assert "aprobado y vigente" in response.content.decode()


def test_without_a_certificate_the_stored_pdfs_are_not_signed(approved):
    _report, snapshot = approved
    for kind in ("pdf", "oficio", "paquete"):
        assert not PdfFileReader(BytesIO(served(snapshot, kind).read())).embedded_signatures


def test_with_a_certificate_the_pdfs_are_signed_at_approval_and_validate(approved_signed, certificate):
    _report, snapshot = approved_signed
    for kind in ("pdf", "oficio", "paquete"):
        document = served(snapshot, kind)
        status = validate(document.read(), certificate)
        assert document.signed and status.intact and status.valid and status.trusted
        assert status.signing_cert.subject.human_friendly.endswith(SIGNER)


def test_a_tampered_signed_pdf_is_detected(approved_signed, certificate):
    _report, snapshot = approved_signed
    content = bytearray(served(snapshot, "pdf").read())
    position = content.index(b"/MediaBox")
    content[position + 11 : position + 12] = b"9" if content[position + 11 : position + 12] != b"9" else b"8"
    status = validate(bytes(content), certificate)
    assert not status.intact


def test_drafts_are_never_signed(approved, certificate):
    report, _snapshot = approved
    assert not PdfFileReader(BytesIO(render_report_pdf(report))).embedded_signatures


def test_the_signed_pdf_downloads_from_the_report_page(approved_signed, certificate, client):
    client.force_login(RoleUserFactory(institution=Institution.objects.get(code="IGM"), role="Lector"))
    content = client.get(reverse("reports:pdf", args=["IGM", 2024, 3])).content
    assert validate(content, certificate).intact
