"""Column widths for the report's PDF tables, sized from the figures they hold.

WeasyPrint's automatic table layout measures every cell of every table before placing it, which
is most of a long report's render time. The fixed layout reads the widths of the header's first
row instead; they are computed here from the longest printed figure of each column, so a
ministry's billions fit as well as a small institution's thousands, and every section's table
lines up with the others.
"""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

FONT_PT = 7  # .pdf .siplan-report's font size in report_pdf.css
DIGIT_EM = 0.57  # a bold DejaVu Sans Condensed digit; commas, dots and signs are narrower
MARK_EM = 0.33
CELL_EXTRA_PT = 6  # padding, border and a little air
AMOUNT_MIN_PT = 42  # "Septiembre" in the header
PERCENT_MIN_PT = 50  # "cuatrimestre" in the header
REPROGRAMMINGS = 5
FIXED_PT = {
    2: 46,
    3: 43,
    REPROGRAMMINGS: 38,
    7: 77,
}  # unit, Física/Financiera, "Reprogra-maciones", "Ejecución financiera"


def printed_width(value, minimum):
    """Points that `value`, printed as 14,466,570.00, needs in its cell."""
    text = f"{value:,.2f}"
    digits = sum(character.isdigit() for character in text)
    em = digits * DIGIT_EM + (len(text) - digits) * MARK_EM
    return max(minimum, em * FONT_PT + CELL_EXTRA_PT)


def rows(report):
    for section in report.sections:
        for product in section.products:
            for item in (product, *product.subproducts):
                yield item.physical
                yield item.financial


def widest(report, values, minimum):
    return max(
        (printed_width(value, minimum) for figures in rows(report) for value in values(figures)), default=minimum
    )


def header_widths(report):
    """{position among the header's first-row cells: border-box width in points}; the name takes the rest."""
    months = len(report.months) + 1
    month_width = widest(report, lambda figures: (*figures.months, figures.total), AMOUNT_MIN_PT)
    return {
        **FIXED_PT,
        4: widest(report, lambda figures: (figures.initial,), AMOUNT_MIN_PT),
        6: widest(report, lambda figures: (figures.current,), AMOUNT_MIN_PT),
        8: month_width * months,
        9: widest(report, lambda figures: (figures.pct_period,), PERCENT_MIN_PT),
        10: widest(report, lambda figures: (figures.cumulative,), AMOUNT_MIN_PT),
        11: widest(report, lambda figures: (figures.pct_cumulative,), PERCENT_MIN_PT),
        12: widest(report, lambda figures: (figures.pct_cumulative_initial,), PERCENT_MIN_PT),
    }


@register.simple_tag
def report_table_widths(report):
    """CSS for a fixed table layout with the widths of header_widths()."""
    first_row = ".pdf .report-table thead tr:first-child th"
    rules = [
        ".pdf .report-table { table-layout: fixed; }",
        f"{first_row} {{ box-sizing: border-box; }}",
        f"{first_row}:nth-child({REPROGRAMMINGS}) {{ hyphens: auto; }}",
        *(
            f"{first_row}:nth-child({position}) {{ width: {width:.1f}pt; }}"
            for position, width in header_widths(report).items()
        ),
    ]
    return mark_safe("\n".join(rules))
