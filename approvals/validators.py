"""Checks on uploaded files, shared by the models that store them and the forms that receive them."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_RESOLUTION_PDF_BYTES = 5 * 1024 * 1024


def validate_resolution_pdf(upload):
    """A resolution's scan: a .pdf file of at most 5 MB that really starts as a PDF."""
    if not upload.name.lower().endswith(".pdf"):
        raise ValidationError(_("La resolución debe ser un archivo .pdf."), code="extension")
    if upload.size > MAX_RESOLUTION_PDF_BYTES:
        raise ValidationError(_("La resolución no puede pesar más de 5 MB."), code="size")
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    magic = upload.read(5)
    upload.seek(position)
    if magic != b"%PDF-":
        raise ValidationError(_("El archivo no es un PDF válido."), code="magic")
