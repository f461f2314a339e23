"""What a file is by its bytes, never by its name or the browser's word: the one place that answers "is this really a
PDF" (or a PNG, a JPEG, an xlsx, a docx) for every upload siplan keeps, the resolution of a reprogramming
(goals.validators.validate_resolution_pdf) and the medios de verificación (goals.evidence).

It imports nothing of siplan's, so goals.validators (which goals.models and its migrations import) may use it.
Reading a file's type leaves the file where it was.
"""

import zipfile
from typing import IO

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

MAGIC = {PDF: b"%PDF-", PNG: b"\x89PNG\r\n\x1a\n", JPEG: b"\xff\xd8\xff"}
ZIP_MAGIC = b"PK\x03\x04"
# An Office Open XML file is a zip whose [Content_Types].xml declares its main part, which it holds.
OFFICE_MAIN_PARTS = {
    XLSX: ("xl/workbook.xml", b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
    DOCX: ("word/document.xml", b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
}
CONTENT_TYPES_PART = "[Content_Types].xml"
MAX_CONTENT_TYPES_BYTES = 256 * 1024


def content_type_of(file: IO[bytes]) -> str | None:
    """The type the file's bytes say it is (PDF, PNG, JPEG, or an xlsx or docx zip with its main part), or None."""
    position = file.tell()
    try:
        file.seek(0)
        head = file.read(8)
        for content_type, magic in MAGIC.items():
            if head.startswith(magic):
                return content_type
        return office_type(file) if head.startswith(ZIP_MAGIC) else None
    finally:
        file.seek(position)


def is_pdf(file: IO[bytes]) -> bool:
    return content_type_of(file) == PDF


def office_type(file: IO[bytes]) -> str | None:
    """XLSX or DOCX when the zip declares and holds that main part; its declarations are read within a bound."""
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            declared = archive.getinfo(CONTENT_TYPES_PART)
            if declared.file_size > MAX_CONTENT_TYPES_BYTES:
                return None
            with archive.open(declared) as part:
                types = part.read(MAX_CONTENT_TYPES_BYTES)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, EOFError, NotImplementedError, ValueError):
        return None
    for content_type, (main_part, declaration) in OFFICE_MAIN_PARTS.items():
        if main_part in names and declaration in types:
            return content_type
    return None
