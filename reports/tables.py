"""The consolidated view's table: one row per product (reports.progress.ProductProgress), exportable to xlsx."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from goals.tables import AmountColumn, ListTable
from siplan.spreadsheets import neutralise

from .forms import LIGHT_CHOICES

LIGHT_LABELS = dict(LIGHT_CHOICES)


class LightColumn(tables.Column):
    """The traffic light as a coloured label on the page and as its name in the export."""

    def render(self, value):
        return format_html('<span class="light light-{}">{}</span>', value, LIGHT_LABELS[value])

    def value(self, value):
        return str(LIGHT_LABELS[value])


class ConsolidatedTable(ListTable):
    institution = tables.Column(verbose_name=_("Institución"), accessor="institution_code")
    link = tables.Column(verbose_name=_("Vinculación"))
    result = tables.Column(verbose_name=_("Resultado"))
    name = tables.Column(verbose_name=_("Producto"))
    unit = tables.Column(verbose_name=_("Unidad de medida"))
    physical_current = AmountColumn(verbose_name=_("Meta física vigente"), accessor="physical__current")
    physical_cumulative = AmountColumn(verbose_name=_("Ejecución física acumulada"), accessor="physical__cumulative")
    physical_pct = AmountColumn(verbose_name=_("% físico"), accessor="physical__pct")
    physical_expected = AmountColumn(verbose_name=_("% físico esperado"), accessor="physical__expected_pct")
    financial_current = AmountColumn(verbose_name=_("Meta financiera vigente (Q)"), accessor="financial__current")
    financial_cumulative = AmountColumn(
        verbose_name=_("Ejecución financiera acumulada (Q)"), accessor="financial__cumulative"
    )
    financial_pct = AmountColumn(verbose_name=_("% financiero"), accessor="financial__pct")
    financial_expected = AmountColumn(verbose_name=_("% financiero esperado"), accessor="financial__expected_pct")
    light = LightColumn(verbose_name=_("Semáforo"))

    def as_values(self, exclude_columns=None):
        """The export's cells: figures stay numbers, text never reads as a formula."""
        for row in super().as_values(exclude_columns):
            yield [neutralise(value) for value in row]
