"""The approved PDF: a QR code and short URL for public verification, and a PAdES signature when the
institution has a certificate; pyHanko's validator accepts it and detects a tampered file."""

import datetime
from io import BytesIO

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.urls import reverse
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from approvals import services
from goals.demo import load_demo
from goals.models import Institution
from reports.pdf import render_report_pdf
from reports.signing import verification_url
from reports.services import report_for
from tests.factories import RoleUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved():
    load_demo()
    igm = Institution.objects.get(code="IGM")
    services.submit(RoleUserFactory(institution=igm, role="Planificador"), igm, 2024, 3)
    services.approve(RoleUserFactory(institution=igm, role="Director"), igm, 2024, 3)
    return report_for(igm, 2024, 3)


@pytest.fixture
def certificate(tmp_path, settings, monkeypatch):
    """A self-made certificate for IGM, as the institution's IT office would configure a real one."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Lic. Alfredo Danilo Rivera (prueba)")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, True, False, False, False), critical=True
        )
        .sign(key, hashes.SHA256())
    )
    bundle = pkcs12.serialize_key_and_certificates(
        b"igm", key, cert, None, serialization.BestAvailableEncryption(b"secreto")
    )
    (tmp_path / "IGM.p12").write_bytes(bundle)
    settings.SIPLAN_SIGNING_CERTIFICATES_DIR = str(tmp_path)
    monkeypatch.setenv("SIPLAN_SIGNING_PASSPHRASE_IGM", "secreto")
    return load_cert_from_pemder_bytes(cert.public_bytes(serialization.Encoding.PEM), tmp_path)


def load_cert_from_pemder_bytes(pem, folder):
    path = folder / "root.pem"
    path.write_bytes(pem)
    return load_cert_from_pemder(str(path))


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


def test_without_a_certificate_the_pdf_is_not_signed(approved):
    report, snapshot = approved
    assert not PdfFileReader(BytesIO(render_report_pdf(report, snapshot))).embedded_signatures


def test_with_a_certificate_the_pdf_is_signed_and_the_signature_validates(approved, certificate):
    report, snapshot = approved
    content = render_report_pdf(report, snapshot)
    status = validate(content, certificate)
    assert status.intact and status.valid and status.trusted
    assert status.signing_cert.subject.human_friendly.endswith("Lic. Alfredo Danilo Rivera (prueba)")


def test_a_tampered_signed_pdf_is_detected(approved, certificate):
    report, snapshot = approved
    content = bytearray(render_report_pdf(report, snapshot))
    position = content.index(b"/MediaBox")
    content[position + 11 : position + 12] = b"9" if content[position + 11 : position + 12] != b"9" else b"8"
    status = validate(bytes(content), certificate)
    assert not status.intact


def test_drafts_are_never_signed(approved, certificate):
    report, _snapshot = approved
    assert not PdfFileReader(BytesIO(render_report_pdf(report))).embedded_signatures


def test_the_signed_pdf_downloads_from_the_report_page(approved, certificate, client):
    client.force_login(RoleUserFactory(institution=Institution.objects.get(code="IGM"), role="Lector"))
    content = client.get(reverse("reports:pdf", args=["IGM", 2024, 3])).content
    assert validate(content, certificate).intact
