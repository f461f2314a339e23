from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from goals.models import FIRST_YEAR, InstitutionType, Sector
from goals.periods import cuatrimestre_of_month
from reports.computation import CUATRIMESTRE_NAMES
from reports.forms import InstitutionsField, OneSelect

from .follow_up import OUTCOMES


def last_closed_cuatrimestre(today):
    """(year, cuatrimestre) of the latest cuatrimestre that has ended."""
    current = cuatrimestre_of_month(today.month)
    return (today.year - 1, 3) if current == 1 else (today.year, current - 1)


class FollowUpForm(forms.Form):
    """The filters, in the GET query so that sorting, pages and the export keep them."""

    anio = forms.TypedChoiceField(label=_("Año"), coerce=int, widget=OneSelect)
    cuatrimestre = forms.TypedChoiceField(
        label=_("Cuatrimestre"), coerce=int, choices=CUATRIMESTRE_NAMES.items(), widget=OneSelect
    )
    tipo = forms.ChoiceField(
        label=_("Tipo"), required=False, choices=[("", _("Todos")), *InstitutionType.choices], widget=OneSelect
    )
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("Todos")), *Sector.choices], widget=OneSelect
    )
    institucion = InstitutionsField(label=_("Institución"), required=False)
    resultado = forms.ChoiceField(
        label=_("Resultado"), required=False, choices=[("", _("Todos")), *OUTCOMES.items()], widget=OneSelect
    )

    def __init__(self, data, *, institutions, today=None):
        today = today or timezone.localdate()
        year, cuatrimestre = last_closed_cuatrimestre(today)
        data = data.copy()
        data.setdefault("anio", str(year))
        data.setdefault("cuatrimestre", str(cuatrimestre))
        super().__init__(data)
        self.fields["anio"].choices = [(value, str(value)) for value in range(today.year, FIRST_YEAR - 1, -1)]
        self.fields["institucion"].queryset = institutions
        self.institutions = institutions

    def chosen_institutions(self):
        data = self.cleaned_data
        institutions = (
            self.institutions.filter(pk__in=[i.pk for i in data["institucion"]])
            if data["institucion"]
            else self.institutions
        )
        if data["tipo"]:
            institutions = institutions.filter(institution_type=data["tipo"])
        return institutions.filter(sector=data["sector"]) if data["sector"] else institutions


class CuatrimestreForm(forms.Form):
    """The year and cuatrimestre of a download that covers every institution the user reads (POSTed)."""

    anio = forms.TypedChoiceField(label=_("Año"), coerce=int)
    cuatrimestre = forms.TypedChoiceField(label=_("Cuatrimestre"), coerce=int, choices=CUATRIMESTRE_NAMES.items())

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        today = today or timezone.localdate()
        self.fields["anio"].choices = [(value, str(value)) for value in range(today.year, FIRST_YEAR - 1, -1)]


class CongressReopenForm(forms.Form):
    """Reopening an approved Congress report: why, kept with who and when."""

    reason = forms.CharField(
        label=_("Motivo de la reapertura"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


# What who signs the approved Congress report afterwards confirms (approvals.forms.SignLaterForm).
CONGRESS_SIGNING = _(
    "Confirmo que firmo el PDF aprobado con el certificado de SEGEPLAN; el original sin firma se conserva."
)
