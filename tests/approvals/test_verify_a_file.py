"""/verificar/: anyone uploads a file and learns whether it is, byte for byte, one of an approved report's
stored documents, and whether its digital signature holds; a tampered copy is never "aprobado y vigente"."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from approvals.documents import MAX_UPLOAD_SIZE, rendered_pdfs, served
from approvals.models import DocumentKind
from tests.certificates import SIGNER, configure_certificate
from tests.factories import approved_report, institution_with_plan

pytestmark = pytest.mark.django_db
IN_FORCE = "Ese reporte está aprobado y vigente."
NOT_APPROVED = "no es ninguno de los documentos aprobados"


def approve_first():
    """A small plan's first cuatrimestre, approved through the services (its documents stored, signed if configured)."""
    return approved_report(institution=institution_with_plan("IGM"), cuatrimestre=1)


@pytest.fixture
def approved():
    return approve_first()


@pytest.fixture
def approved_signed(tmp_path, settings, monkeypatch):
    configure_certificate(tmp_path, settings, monkeypatch)
    return approve_first()


def upload(client, content, name="copia.pdf"):
    response = client.post(reverse("approvals:verify_search"), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    return response.content.decode()


def appended_update(content):
    """The file with an incremental update appended after its signature, as an overlay would be."""
    writer = IncrementalPdfFileWriter(BytesIO(content))
    writer.root["/Lang"] = generic.TextStringObject("en")
    writer.update_root()
    output = BytesIO()
    writer.write(output)
    return output.getvalue()


def test_each_stored_document_is_recognised_with_its_report(approved, client):
    for kind in DocumentKind:
        page = upload(client, served(approved, kind).read())
        assert IN_FORCE in page and "byte por byte" in page and approved.oficio_number in page
        assert f"«{DocumentKind(kind).label}»" in page and "Primer Cuatrimestre 2024" in page


def test_a_copy_with_one_byte_changed_is_not_approved(approved, client):
    content = bytearray(served(approved, DocumentKind.OFICIO).read())
    content[len(content) // 2] ^= 0x01
    page = upload(client, bytes(content))
    assert NOT_APPROVED in page and IN_FORCE not in page and "aprobado y vigente" not in page


def test_a_signed_pdf_says_who_signed_and_that_the_signature_holds(approved_signed, client):
    page = upload(client, served(approved_signed, DocumentKind.PACKAGE).read())
    assert IN_FORCE in page and "Es la copia firmada." in page
    assert f"Firma digital de {SIGNER}:" in page
    assert "íntegra" in page and "cubre todo el archivo" in page


def test_an_update_appended_after_the_signature_is_detected(approved_signed, client):
    page = upload(client, appended_update(served(approved_signed, DocumentKind.REPORT_PDF).read()))
    assert NOT_APPROVED in page and "aprobado y vigente" not in page
    assert "no cubre todo el archivo" in page


def test_a_pdf_with_its_signature_stripped_is_not_approved(approved_signed, client):
    signed = served(approved_signed, DocumentKind.OFICIO).read()
    _report, pdfs = rendered_pdfs(approved_signed)
    unsigned = pdfs[DocumentKind.OFICIO].content
    assert signed.startswith(unsigned)  # the signature is an incremental update: cutting it off strips it
    page = upload(client, unsigned)
    assert NOT_APPROVED in page and "aprobado y vigente" not in page and "El PDF no lleva firma digital." in page


def test_a_file_over_the_limit_is_refused_with_a_clear_message(client):
    page = upload(client, b"0" * (MAX_UPLOAD_SIZE + 1), name="grande.pdf")
    assert "el máximo es 20" in page


def test_the_page_of_a_hash_lists_every_stored_document_of_the_approval(approved, client):
    oficio = served(approved, DocumentKind.OFICIO)
    for sha256 in (approved.sha256, oficio.sha256):
        page = client.get(reverse("approvals:verify", args=[sha256])).content.decode()
        assert "aprobado y vigente" in page
        for document in approved.documents.all():
            assert document.sha256 in page and str(document.get_kind_display()) in page
