from django import forms
from django.utils.translation import gettext_lazy as _

from goals.models import Institution

from .computation import CUATRIMESTRE_NAMES


class ReportChoiceForm(forms.Form):
    """Which report to open: among the institutions the user may read."""

    institution = forms.ModelChoiceField(
        label=_("Institución"), queryset=Institution.objects.none(), to_field_name="code", empty_label=None
    )
    year = forms.TypedChoiceField(label=_("Año"), coerce=int)
    cuatrimestre = forms.TypedChoiceField(label=_("Cuatrimestre"), coerce=int, choices=CUATRIMESTRE_NAMES.items())

    def __init__(self, *args, institutions, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions
        self.fields["year"].choices = [(year, str(year)) for year in years]
