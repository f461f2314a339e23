"""django-tables2 tables for the list pages: sortable, paginated, numbers as 14,466,570.00."""

import django_tables2 as tables
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from goals.periods import month_name

NUMERIC = {"td": {"class": "num"}, "th": {"class": "num"}}


class AmountColumn(tables.Column):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", NUMERIC)
        super().__init__(*args, **kwargs)

    def render(self, value):
        return floatformat(value, "2g")

    def value(self, value):
        """Exports get the Decimal itself, so that a spreadsheet has a number, not text."""
        return value


class ListTable(tables.Table):
    """The site's table style, and a message when there is nothing to list (a subclass's Meta would not inherit)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"class": "data"})
        kwargs.setdefault("empty_text", _("No hay datos para mostrar."))
        super().__init__(*args, **kwargs)


class InstitutionTable(ListTable):
    code = tables.Column(verbose_name=_("Código"))
    acronym = tables.Column(verbose_name=_("Siglas"))
    name = tables.Column(verbose_name=_("Nombre"))
    authority_name = tables.Column(verbose_name=_("Máxima autoridad"))
    latest_year = tables.Column(verbose_name=_("Último plan"), orderable=True)

    def render_latest_year(self, record, value):
        url = reverse("goals:products", args=[record.code, value])
        return format_html('<a href="{}">{}</a>', url, value)


class ProductTable(ListTable):
    name = tables.Column(verbose_name=_("Producto"))
    unit = tables.Column(verbose_name=_("Unidad de medida"))
    result = tables.Column(verbose_name=_("Resultado"), accessor="result__description", order_by="result__order")
    link = tables.Column(verbose_name=_("Vinculación"), accessor="result__link")
    physical_initial = AmountColumn(verbose_name=_("Meta física inicial"))
    financial_total = AmountColumn(verbose_name=_("Meta financiera inicial (Q)"))
    subproduct_count = tables.Column(verbose_name=_("Subproductos"), attrs=NUMERIC)


class ExecutionTable(ListTable):
    """One row per product (its own physical execution) and subproduct, a column per month and the year's total."""

    product = tables.Column(verbose_name=_("Producto"))
    subproduct = tables.Column(verbose_name=_("Subproducto"), default="—")
    unit = tables.Column(verbose_name=_("Unidad"))
    total = AmountColumn(verbose_name=_("Total del año"))

    def __init__(self, *args, **kwargs):
        extra = [(f"m{month}", AmountColumn(verbose_name=month_name(month)[:3].capitalize())) for month in range(1, 13)]
        super().__init__(*args, extra_columns=extra, **kwargs)
