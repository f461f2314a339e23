from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _
from import_export.forms import ImportForm as AdminImportForm

from . import filetypes
from .imports import templates

MAX_IMPORT_BYTES = 20 * 1024 * 1024
# An .xlsx is a zip archive (goals.filetypes; goals.imports.reader reads its sheet); a CSV is text, without a NUL byte.


def validate_import_size(upload):
    if upload.size > MAX_IMPORT_BYTES:
        raise ValidationError(_("El archivo pasa de 20 MB; divídalo o quite las filas que no cambian."), code="size")


def validate_spreadsheet_content(upload):
    """Refuse a file whose content is not what its extension says (a renamed PDF, an image, an .xls)."""
    position = upload.tell()
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(position)
    if upload.name.lower().endswith(".xlsx"):
        if not head.startswith(filetypes.ZIP_MAGIC):
            raise ValidationError(_("El archivo no es un libro de Excel (XLSX) válido."), code="type")
    elif b"\x00" in head:
        raise ValidationError(_("El archivo no es un CSV de texto (UTF-8)."), code="type")


def template_choices():
    """Every registered import template (goals.imports.registry), read when the form is shown."""
    return [(found.kind, found.label) for found in templates()]


class ImportForm(forms.Form):
    # Monthly execution is the routine; the plan is imported once a year.
    template = forms.ChoiceField(label=_("Plantilla"), choices=template_choices, initial="ejecucion")
    file = forms.FileField(
        label=_("Archivo (CSV UTF-8 o XLSX)"),
        validators=[
            FileExtensionValidator(["csv", "xlsx"], message=_("El archivo debe ser CSV (UTF-8) o XLSX.")),
            validate_import_size,
            validate_spreadsheet_content,
        ],
    )


class LimitedAdminImportForm(AdminImportForm):
    """The admin's import screen, with the import page's size limit."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        validate_import_size(upload)
        return upload


class EvidenceForm(forms.Form):
    """A medio de verificación to attach: the file and a short description. What is refused, and why, is
    goals.evidence's to say; the browser is only told the description's length."""

    description = forms.CharField(
        label=_("Descripción"), required=False, strip=True, widget=forms.TextInput(attrs={"maxlength": 200})
    )
    file = forms.FileField(
        label=_("Archivo (PDF, PNG, JPEG, XLSX o DOCX)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.xlsx,.docx"}),
    )
