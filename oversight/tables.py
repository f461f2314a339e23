import django_tables2 as tables
from django.template.defaultfilters import date
from django.utils.formats import localize
from django.utils.translation import gettext_lazy as _

from goals.tables import AmountColumn
from reports.tables import ExportableTable, TextColumn


class DayColumn(tables.Column):
    """A date as 31/01/2025 on the page (as the template filter writes it) and as a date in the export."""

    def render(self, value):
        return date(value, "d/m/Y")

    def value(self, value):
        return value


class NumberColumn(AmountColumn):
    """A whole number as the page's template would write it (-1,050), and as a number in the export."""

    def render(self, value):
        return localize(value)


class FollowUpTable(ExportableTable):
    code = TextColumn(verbose_name=_("Código"))
    name = TextColumn(verbose_name=_("Institución"))
    type_label = TextColumn(verbose_name=_("Tipo"))
    sector_label = TextColumn(verbose_name=_("Sector"))
    status = TextColumn(verbose_name=_("Estado del reporte"))
    submitted_on = DayColumn(verbose_name=_("Enviado a revisión"))
    approved_on = DayColumn(verbose_name=_("Aprobado"))
    deadline = DayColumn(verbose_name=_("Plazo del oficio"))
    days = NumberColumn(verbose_name=_("Días de anticipación (+) o atraso (−)"))
    outcome_label = TextColumn(verbose_name=_("Resultado"))
