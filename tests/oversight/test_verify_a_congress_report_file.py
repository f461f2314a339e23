"""/verificar/ recognises, byte for byte, the stored PDF and Excel of an approved Congress report, says whether it is
still in force, and never a copy with one byte changed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from goals.models import Institution
from oversight import congress
from oversight.bulk import approved_snapshots
from reports.congress import institution_block

pytestmark = pytest.mark.django_db
IN_FORCE = "Está aprobado y vigente."
NOT_APPROVED = "no es ninguno de los documentos aprobados"


@pytest.fixture
def approved(segeplan_reader, django_capture_on_commit_callbacks):
    """The Congress report of the third cuatrimestre of 2024 (two institutions approved), approved."""
    snapshots = approved_snapshots(institutions=Institution.objects.all(), year=2024, cuatrimestre=3)
    blocks = [institution_block(report=snapshot.data["report"]) for snapshot in snapshots]
    congress.save_draft(user=segeplan_reader, year=2024, cuatrimestre=3, snapshots=snapshots, blocks=blocks)
    with django_capture_on_commit_callbacks(execute=True):
        congress.approve(user=segeplan_reader, year=2024, cuatrimestre=3)
    return congress.in_force(year=2024, cuatrimestre=3)


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
