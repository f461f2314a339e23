"""Whether a file is really a PDF is decided in one place (goals.filetypes) for the resolution of a reprogramming and
for a medio de verificación: they accept and refuse the same files, a change of the rule reaches both, and reading a
file's type leaves it where it was."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from goals import filetypes
from goals.evidence import checked_type
from goals.models import EvidenceType
from goals.validators import validate_resolution_pdf
from tests.goals.test_attach_evidence import DOCX, PDF

SAMPLES = {
    "a real PDF": (PDF, True),
    "a bare PDF header": (b"%PDF-1.4\n%fake\n", True),
    "no dash after %PDF": (b"%PDF1.4\n", False),
    "a PNG named .pdf": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", False),
    "a Word document named .pdf": (DOCX, False),
    "an empty file": (b"", False),
    "a PDF header past the first byte": (b" %PDF-1.4\n", False),
}


def resolution_accepts(content):
    try:
        validate_resolution_pdf(SimpleUploadedFile("resolucion.pdf", content))
    except ValidationError:
        return False
    return True


def evidence_accepts_as_pdf(content):
    try:
        return checked_type(SimpleUploadedFile("acta.pdf", content)) == EvidenceType.PDF
    except ValidationError:
        return False


@pytest.mark.parametrize("content, is_pdf", SAMPLES.values(), ids=SAMPLES.keys())
def test_the_resolution_and_the_evidence_page_agree_on_what_a_pdf_is(content, is_pdf):
    assert (resolution_accepts(content), evidence_accepts_as_pdf(content)) == (is_pdf, is_pdf)


def test_a_change_of_the_rule_reaches_both(monkeypatch):
    monkeypatch.setitem(filetypes.MAGIC, filetypes.PDF, b"%PDF-2")
    assert (resolution_accepts(b"%PDF-1.4\n"), evidence_accepts_as_pdf(b"%PDF-1.4\n")) == (False, False)
    assert (resolution_accepts(b"%PDF-2.0\n"), evidence_accepts_as_pdf(b"%PDF-2.0\n")) == (True, True)


@pytest.mark.parametrize("content", [PDF, DOCX], ids=["PDF", "docx"])
def test_reading_the_type_leaves_the_upload_where_it_was(content):
    upload = SimpleUploadedFile("acta.pdf", content)
    upload.seek(3)
    positions = []
    for read in (validate_resolution_pdf, checked_type):
        try:
            read(upload)
        except ValidationError:
            pass
        positions.append(upload.tell())
    assert positions == [3, 3]
