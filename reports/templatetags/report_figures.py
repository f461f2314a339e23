"""The report's rows, written in Python as the admin's change list writes its cells (admin_list.items_for_result).

A report 100 times the seed's size has 3,400 Física/Financiera rows of 16 cells and 500 tables; an
{% include %} per row, four {% translate %} per product, a floatformat filter per figure and the
headings translated again above every table were most of the page's time. Figures print as floatformat:"2g" prints
them: two places rounded half up, grouped by the
active language's separators (14,466,570.00 in es-GT).
"""

from dataclasses import dataclass

from django import template
from django.template.loader import render_to_string
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from goals.figures import printed_amount, separators

register = template.Library()

ROWS = """<tr class="{kind} physical">
  <th scope="row" rowspan="2" class="name">{name}{clip}</th>
  <td rowspan="2" class="unit">{unit}</td>
  <td class="kind">{physical_label}</td>
  {physical}
</tr>
<tr class="{kind} financial">
  <td class="kind">{financial_label}</td>
  {financial}
</tr>
"""


@dataclass(frozen=True)
class RowWriter:
    """The active language's labels and number separators, looked up once per rendering of a report."""

    physical: str
    financial: str
    physical_execution: str
    financial_execution: str
    separators: dict

    @classmethod
    def for_active_language(cls):
        return cls(
            physical=escape(gettext("Física")),
            financial=escape(gettext("Financiera")),
            physical_execution=escape(gettext("Ejecución física")),
            financial_execution=escape(gettext("Ejecución financiera")),
            separators=separators(escape),
        )

    def amount(self, value):
        """14,466,570.00 in es-GT: grouped by thousands, as both of siplan's languages group; HTML-safe."""
        return printed_amount(value, self.separators)

    def cells(self, figures, execution):
        """From "Inicial anual" to "% … con metas iniciales"."""
        number, percent = '<td class="num">{}</td>', '<td class="num pct">{}</td>'
        cells = [
            number.format(self.amount(figures.initial)),
            number.format(figures.reprogrammings),
            number.format(self.amount(figures.current)),
            f'<td class="kind">{execution}</td>',
            *(number.format(self.amount(value)) for value in figures.months),
            number.format(self.amount(figures.total)),
            percent.format(self.amount(figures.pct_period)),
            number.format(self.amount(figures.cumulative)),
            percent.format(self.amount(figures.pct_cumulative)),
            percent.format(self.amount(figures.pct_cumulative_initial)),
        ]
        return mark_safe("\n  ".join(cells))

    def rows(self, item, kind, evidence=0):
        return format_html(
            ROWS,
            kind=kind,
            name=item.name,
            clip=evidence_clip(evidence),
            unit=item.unit,
            physical_label=mark_safe(self.physical),
            financial_label=mark_safe(self.financial),
            physical=self.cells(item.physical, self.physical_execution),
            financial=self.cells(item.financial, self.financial_execution),
        )


def once_per_rendering(context, key, make):
    """make(), computed once while a report renders (the template's render context) and reused for every row."""
    value = context.render_context.get(key)
    if value is None:
        value = context.render_context[key] = make()
    return value


def evidence_clip(count):
    """A paperclip with the row's number of medios de verificación, linking to their list; nothing without any."""
    if not count:
        return ""
    label = ngettext("%(count)s medio de verificación", "%(count)s medios de verificación", count) % {"count": count}
    return format_html(
        ' <a class="evidence-clip no-print" href="#medios-de-verificacion" title="{}">📎 {}</a>', label, count
    )


@register.simple_tag(takes_context=True)
def item_rows(context, item, kind, product=None):
    """The Física and Financiera rows of a product or subproduct (`kind`: "product" or "subproduct", whose `product`
    is given), with a paperclip when the context's `evidence_counts` (the report page's) count files of the row."""
    key = (product.name, item.name) if product is not None else (item.name, "")
    evidence = context.get("evidence_counts", {}).get(key, 0)
    return once_per_rendering(context, RowWriter, RowWriter.for_active_language).rows(item, kind, evidence)


@register.simple_tag(takes_context=True)
def table_head(context, report):
    """The column headings, the same above every section's table: translated and rendered once."""
    return once_per_rendering(
        context, "table_head", lambda: render_to_string("reports/_table_head.html", {"report": report})
    )
