"""/verificar/ recognises, byte for byte, the stored PDF and Excel of an approved Congress report, says whether it is
still in force, and never a copy with one byte changed. With SEGEPLAN's certificate configured, the PDF is stored
signed, as an institution's report is, and the page says who signed and that the signature holds."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from goals.models import Institution
from oversight import congress
from oversight.bulk import approved_snapshots
from reports.congress import institution_block
from tests.approvals.test_verify_a_file import appended_update
from tests.certificates import SIGNER, configure_certificate

pytestmark = pytest.mark.django_db
IN_FORCE = "Está aprobado y vigente."
NOT_APPROVED = "no es ninguno de los documentos aprobados"


def approve_congress_report(user, capture):
    """The Congress report of the third cuatrimestre of 2024 (two institutions approved), approved by `user`."""
    snapshots = approved_snapshots(institutions=Institution.objects.all(), year=2024, cuatrimestre=3)
    blocks = [institution_block(report=snapshot.data["report"]) for snapshot in snapshots]
    congress.save_draft(user=user, year=2024, cuatrimestre=3, snapshots=snapshots, blocks=blocks)
    with capture(execute=True):
        congress.approve(user=user, year=2024, cuatrimestre=3)
    return congress.in_force(year=2024, cuatrimestre=3)


@pytest.fixture
def approved(segeplan_reader, django_capture_on_commit_callbacks):
    return approve_congress_report(segeplan_reader, django_capture_on_commit_callbacks)


@pytest.fixture
def certificate(tmp_path, settings, monkeypatch):
    """SEGEPLAN's certificate, under the code the settings name for it."""
    return configure_certificate(tmp_path, settings, monkeypatch, code=settings.SIPLAN_CONGRESS_SIGNER)


@pytest.fixture
def approved_signed(certificate, segeplan_reader, django_capture_on_commit_callbacks):
    return approve_congress_report(segeplan_reader, django_capture_on_commit_callbacks)


def validate(content, trusted):
    signature = PdfFileReader(BytesIO(content)).embedded_signatures[0]
    return validate_pdf_signature(signature, ValidationContext(trust_roots=[trusted]))


def upload(client, content, name="congreso.pdf"):
    response = client.post(reverse("approvals:verify_search"), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    return response.content.decode()


def test_the_stored_pdf_and_excel_are_recognised_as_the_congress_report(client, approved):
    documents = list(approved.documents.all())
    assert len(documents) == 2
    for document in documents:
        page = upload(client, document.read(), document.filename)
        assert "byte por byte" in page and "reporte consolidado para el Congreso del Tercer Cuatrimestre 2024" in page
        assert f"«{document.get_kind_display()}»" in page and IN_FORCE in page and NOT_APPROVED not in page


def test_a_copy_with_one_byte_changed_is_not_recognised(client, approved):
    for document in approved.documents.all():
        content = bytearray(document.read())
        content[len(content) // 2] ^= 0x01
        page = upload(client, bytes(content), document.filename)
        assert NOT_APPROVED in page and IN_FORCE not in page and "Congreso" not in page


def test_a_reopened_reports_files_are_recognised_as_superseded(client, approved, segeplan_reader):
    congress.reopen(user=segeplan_reader, year=2024, cuatrimestre=3, reason="Corrección")
    page = upload(client, approved.documents.get(kind="pdf").read())
    assert "Fue aprobado y luego sustituido por una reapertura." in page and IN_FORCE not in page
    by_hash = client.get(reverse("approvals:verify", args=[approved.sha256])).content.decode()
    assert "«cifras (JSON)»" in by_hash and "sustituido" in by_hash


def test_without_segeplans_certificate_the_pdf_is_stored_unsigned(approved):
    pdf = approved.documents.get(kind="pdf")
    assert not pdf.signed and not PdfFileReader(BytesIO(pdf.read())).embedded_signatures


def test_with_segeplans_certificate_the_approved_pdf_is_stored_signed_and_validates(
    approved_signed, certificate, segeplan_reader, client
):
    pdf, xlsx = approved_signed.documents.get(kind="pdf"), approved_signed.documents.get(kind="xlsx")
    assert pdf.signed and not xlsx.signed
    status = validate(pdf.read(), certificate)
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.signing_cert.subject.human_friendly.endswith(SIGNER)
    # The signature is an incremental update of the PDF rendered from the frozen rows, which is the same bytes
    # every time; the stored signed file is what every download gets.
    assert pdf.read().startswith(congress.rendered(approved_signed)["pdf"])
    client.force_login(segeplan_reader)
    url = reverse("oversight:congress_download", args=[2024, 3, "pdf"])
    first, second = client.get(url), client.get(url)
    assert first.content == second.content == pdf.read() and first["ETag"] == f'"{pdf.sha256}"'
    assert "firmado digitalmente" in client.get(reverse("oversight:congress", args=[2024, 3])).content.decode()


def test_the_signed_pdf_is_recognised_with_who_signed_it(approved_signed, client):
    page = upload(client, approved_signed.documents.get(kind="pdf").read())
    assert "reporte consolidado para el Congreso del Tercer Cuatrimestre 2024" in page and IN_FORCE in page
    assert "Es la copia firmada." in page and f"Firma digital de {SIGNER}:" in page
    assert "íntegra" in page and "cubre todo el archivo" in page


def test_a_signed_pdf_altered_after_signing_is_neither_recognised_nor_intact(approved_signed, certificate, client):
    signed = approved_signed.documents.get(kind="pdf").read()
    page = upload(client, appended_update(signed))
    assert NOT_APPROVED in page and "no cubre todo el archivo" in page and IN_FORCE not in page
    tampered = bytearray(signed)
    position = tampered.index(b"/MediaBox")
    tampered[position + 11] = ord("9") if tampered[position + 11] != ord("9") else ord("8")
    assert not validate(bytes(tampered), certificate).intact
