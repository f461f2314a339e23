from django import forms
from django.utils.translation import gettext_lazy as _

from goals.models import FIRST_YEAR, LAST_YEAR, Institution

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


class DashboardForm(forms.Form):
    """The home page's picker: the institution (for those who may read several) and the year."""

    institucion = forms.ModelChoiceField(
        label=_("Institución"), queryset=Institution.objects.none(), to_field_name="code", empty_label=None
    )
    anio = forms.IntegerField(label=_("Año"), min_value=FIRST_YEAR, max_value=LAST_YEAR)

    def __init__(self, *args, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        if len(institutions) > 1:
            self.fields["institucion"].queryset = institutions
        else:
            del self.fields["institucion"]

    def year(self, default):
        """The year asked for; `default` when it is not a year (the form then says why)."""
        return self.cleaned_data["anio"] if self.is_valid() else default
