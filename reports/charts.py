"""Small charts drawn on the server as inline SVG: pure functions from Decimals to markup, no script.

Colours and sizes on screen come from classes in static/css/dashboard.css (the Content-Security-Policy
allows no style attributes); each chart names its figures in <title> elements for screen readers.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import format_html, format_html_join

from goals.models import ZERO

from .computation import MONTH_NAMES

HEIGHT = Decimal("24")
BAR_WIDTH = 5
BAR_STEP = 6  # bar and gap
TENTH = Decimal("0.1")
FLAT = Decimal("0.0")


def bar_height(value, top):
    """The bar of `value` on a chart whose tallest bar is `top`, in tenths of a unit; negatives and zeros lie flat."""
    if top <= ZERO or value <= ZERO:
        return FLAT
    return (value / top * HEIGHT).quantize(TENTH, rounding=ROUND_HALF_UP)


def month_bars(values, closed_months, label):
    """Twelve bars, one per month, scaled to the largest; months after `closed_months` are drawn as not closed yet.

    `label` names the chart for assistive technology ("Ejecución física mensual de …").
    """
    top = max(values, default=ZERO)
    bars = format_html_join(
        "",
        '<rect class="{}" x="{}" y="{}" width="{}" height="{}"><title>{}: {}</title></rect>',
        (
            (
                "bar" if month <= closed_months else "bar open",
                (month - 1) * BAR_STEP,
                HEIGHT - bar_height(value, top),
                BAR_WIDTH,
                bar_height(value, top),
                MONTH_NAMES[month - 1],
                f"{value:,.2f}",
            )
            for month, value in enumerate(values, start=1)
        ),
    )
    width = len(values) * BAR_STEP
    return format_html(
        '<svg class="sparkline" viewBox="0 0 {} {}" width="{}" height="{}" role="img" aria-label="{}">'
        '<line class="baseline" x1="0" y1="{}" x2="{}" y2="{}"></line>{}</svg>',
        width, HEIGHT, width, HEIGHT, label, HEIGHT, width, HEIGHT, bars,
    )  # fmt: skip
