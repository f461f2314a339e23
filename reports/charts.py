"""Small charts drawn on the server as inline SVG: pure functions from Decimals to markup, no script.

Colours and sizes on screen come from classes in static/css/dashboard.css (the Content-Security-Policy
allows no style attributes); each chart names its figures in <title> elements for screen readers.
"""

import functools
from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

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


@functools.cache
def month_titles(language):
    """The months' names in `language`, escaped: a dashboard draws hundreds of charts, each naming twelve months."""
    return [escape(str(name)) for name in MONTH_NAMES]  # str(): escape() of a lazy string stays lazy


def month_bars(values, closed_months, label):
    """Twelve bars, one per month, scaled to the largest; months after `closed_months` are drawn as not closed yet.

    `label` names the chart for assistive technology ("Ejecución física mensual de …").
    """
    top = max(values, default=ZERO)
    names = month_titles(get_language())
    bars = "".join(
        f'<rect class="{"bar" if month <= closed_months else "bar open"}" x="{(month - 1) * BAR_STEP}" '
        f'y="{HEIGHT - height}" width="{BAR_WIDTH}" height="{height}">'
        f"<title>{names[month - 1]}: {value:,.2f}</title></rect>"
        for month, value, height in ((month, value, bar_height(value, top)) for month, value in enumerate(values, 1))
    )  # one f-string per bar: format_html's escaping of every number was most of the dashboard's time
    width = len(values) * BAR_STEP
    return format_html(
        '<svg class="sparkline" viewBox="0 0 {} {}" width="{}" height="{}" role="img" aria-label="{}">'
        '<line class="baseline" x1="0" y1="{}" x2="{}" y2="{}"></line>{}</svg>',
        width, HEIGHT, width, HEIGHT, label, HEIGHT, width, HEIGHT, mark_safe(bars),
    )  # fmt: skip
