import html

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from goals.models import FIRST_YEAR, LAST_YEAR, Institution, LinkType
from goals.periods import cuatrimestre_of_month
from goals.validators import WholeNumberField

from .computation import CUATRIMESTRE_NAMES
from .consolidated import consolidated_rows
from .progress import LIGHT_LABELS, month_to_date


class ReportChoiceForm(forms.Form):
    """Which report to open: among the institutions the user may read; for a reader, among the approved reports
    (`approved`: (institution code, year, cuatrimestre), None for whoever reads every draft)."""

    institution = forms.ModelChoiceField(
        label=_("Institución"), queryset=Institution.objects.none(), to_field_name="code", empty_label=None
    )
    year = forms.TypedChoiceField(label=_("Año"), coerce=int)
    cuatrimestre = forms.TypedChoiceField(label=_("Cuatrimestre"), coerce=int, choices=CUATRIMESTRE_NAMES.items())

    def __init__(self, *args, institutions, years, approved=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.approved = approved
        self.institutions = institutions
        self.fields["institution"].queryset = institutions
        if approved is not None:
            years = sorted({year for _code, year, _cuatrimestre in approved}, reverse=True)
            offered = {cuatrimestre for _code, _year, cuatrimestre in approved}
            self.fields["cuatrimestre"].choices = [
                (number, name) for number, name in CUATRIMESTRE_NAMES.items() if number in offered
            ]
        self.fields["year"].choices = [(year, str(year)) for year in years]

    def clean(self):
        cleaned = super().clean()
        chosen = (getattr(cleaned.get("institution"), "code", None), cleaned.get("year"), cleaned.get("cuatrimestre"))
        if self.approved is not None and None not in chosen and chosen not in self.approved:
            raise forms.ValidationError(
                _("Ese cuatrimestre aún no tiene reporte aprobado; elija uno de la lista de reportes aprobados.")
            )
        return cleaned

    def approved_reports(self) -> list:
        """(institution, year, cuatrimestre, its name) of the approved reports a reader may open, newest first."""
        if self.approved is None:
            return []
        institutions = self.institutions.in_bulk(field_name="code")
        return [
            (institutions[code], year, cuatrimestre, CUATRIMESTRE_NAMES[cuatrimestre])
            for code, year, cuatrimestre in sorted(self.approved, key=lambda key: (-key[1], -key[2], key[0]))
            if code in institutions
        ]


class DashboardForm(forms.Form):
    """The home page's picker: the institution (for those who may read several) and the year."""

    institucion = forms.ModelChoiceField(
        label=_("Institución"), queryset=Institution.objects.none(), to_field_name="code", empty_label=None
    )
    anio = WholeNumberField(label=_("Año"), min_value=FIRST_YEAR, max_value=LAST_YEAR)

    def __init__(self, *args, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        if len(institutions) > 1:
            self.fields["institucion"].queryset = institutions
        else:
            del self.fields["institucion"]

    def year(self, default):
        """The year asked for; `default` when it is not a year (the form then says why)."""
        return self.cleaned_data["anio"] if self.is_valid() else default


# An option as Django's select_option.html writes it inside select.html's loop, whitespace and all.
OPTION = '\n  <option value="{value}"{selected}>{label}</option>\n'


class WrittenOptions:
    """A select widget's options written here rather than through a template each, in the same markup: the 400
    institutions' options were a third of /seguimiento/'s time, and Django's templates a third of the consolidated
    view's rendering. Flat choices only, no groups."""

    template_name = "reports/widgets/select.html"

    def optgroups(self, name, value, attrs=None):
        return []  # get_context writes the options

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen, options, has_selected = set(context["widget"]["value"]), [], False
        for option, label in self.choices:
            option = "" if option is None else str(option)
            selected = (not has_selected or self.allow_multiple_selected) and option in chosen
            has_selected |= selected
            # html.escape is what django.utils.html.escape() applies, without its lazy-string wrapper per call
            options.append(
                OPTION.format(
                    value=html.escape(option), selected=" selected" if selected else "", label=html.escape(str(label))
                )
            )
        context["widget"]["options"] = mark_safe("".join(options))
        return context


class OneSelect(WrittenOptions, forms.Select):
    pass


class ManySelect(WrittenOptions, forms.SelectMultiple):
    pass


class InstitutionChoices(ModelChoiceIterator):
    """(code, its label) of each institution, read as tuples: the instances cost more than the options."""

    def __iter__(self):
        for code, name in self.queryset.values_list("code", "name"):
            yield code, Institution.label(code, name)


class InstitutionsField(forms.ModelMultipleChoiceField):
    """Institutions chosen by code, among hundreds."""

    iterator = InstitutionChoices
    widget = ManySelect

    def __init__(self, **kwargs):
        super().__init__(queryset=Institution.objects.none(), to_field_name="code", **kwargs)


class ConsolidatedForm(forms.Form):
    """The consolidated view's filters, in the GET query so that sorting, pages and the export keep them."""

    anio = forms.TypedChoiceField(label=_("Año"), coerce=int, widget=OneSelect)
    cuatrimestre = forms.TypedChoiceField(
        label=_("Cuatrimestre"), coerce=int, choices=CUATRIMESTRE_NAMES.items(), widget=OneSelect
    )
    vinculacion = forms.ChoiceField(
        label=_("Vinculación"), required=False, choices=[("", _("RI y RE")), *LinkType.choices], widget=OneSelect
    )
    institucion = InstitutionsField(label=_("Institución"), required=False)
    semaforo = forms.ChoiceField(
        label=_("Semáforo"), required=False, choices=[("", _("Todos")), *LIGHT_LABELS.items()], widget=OneSelect
    )

    def __init__(self, data, *, institutions, years):
        """Without a year or cuatrimestre in `data`, the latest year with a plan and its last closed cuatrimestre."""
        data = data.copy()
        if years:
            data.setdefault("anio", str(years[0]))
            if data["anio"].isdigit():
                data.setdefault(
                    "cuatrimestre", str(cuatrimestre_of_month(max(month_to_date(year=int(data["anio"])), 1)))
                )
        super().__init__(data)
        self.institutions = institutions
        self.fields["anio"].choices = [(year, str(year)) for year in years]
        self.fields["institucion"].queryset = institutions

    def chosen_institutions(self):
        """The institution chosen, or all those offered; call after is_valid()."""
        return self.cleaned_data["institucion"] or self.institutions

    def rows(self, institutions=None):
        """The filtered ProductProgress rows of `institutions` (default: the chosen ones); call after is_valid()."""
        data = self.cleaned_data
        institutions = self.chosen_institutions() if institutions is None else institutions
        return consolidated_rows(
            institutions=institutions,
            year=data["anio"],
            cuatrimestre=data["cuatrimestre"],
            link=data["vinculacion"],
            light=data["semaforo"],
        )
