from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

MAX_IMPORT_BYTES = 20 * 1024 * 1024
TEMPLATE_CHOICES = [
    ("plan", _("Plan anual (resultados, productos, subproductos y metas iniciales)")),
    ("reprogramacion", _("Reprogramación")),
    ("ejecucion", _("Ejecución mensual")),
]


class ImportForm(forms.Form):
    template = forms.ChoiceField(label=_("Plantilla"), choices=TEMPLATE_CHOICES)
    file = forms.FileField(
        label=_("Archivo (CSV UTF-8 o XLSX)"),
        validators=[FileExtensionValidator(["csv", "xlsx"], message=_("El archivo debe ser CSV (UTF-8) o XLSX."))],
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("El archivo pasa de 20 MB."))
        return file
