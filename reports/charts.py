"""Small charts drawn on the server as inline SVG: pure functions from Decimals to markup, no script.

Colours and sizes on screen come from classes in static/css/dashboard.css (the Content-Security-Policy
allows no style attributes); each chart names its figures in <title> elements for screen readers.
"""

import functools
from decimal import ROUND_HALF_UP, Decimal

from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from goals.models import ZERO

from .computation import MONTH_NAMES

HEIGHT = Decimal("24")
BAR_WIDTH = 5
BAR_STEP = 6  # bar and gap
TENTH = Decimal("0.1")
FLAT = Decimal("0.0")
CHARTS_KEPT = 8192  # about 2 KB each: 16 MB at most, the charts of some 70 dashboards of 60 products


def bar_height(value, top):
    """The bar of `value` on a chart whose tallest bar is `top`, in tenths of a unit; negatives and zeros lie flat."""
    if top <= ZERO or value <= ZERO:
        return FLAT
    return (value / top * HEIGHT).quantize(TENTH, rounding=ROUND_HALF_UP)


@functools.cache
def bar_geometry(height):
    """A bar's y, width and height attributes; at most 241 heights (tenths from 0.0 to 24.0), written once each."""
    return f'y="{HEIGHT - height}" width="{BAR_WIDTH}" height="{height}"'


@functools.cache
def month_titles(language):
    """The months' names in `language`, escaped: a dashboard draws hundreds of charts, each naming twelve months."""
    with translation.override(language):
        return [escape(str(name)) for name in MONTH_NAMES]  # str(): escape() of a lazy string stays lazy


@functools.lru_cache(maxsize=CHARTS_KEPT)
def month_bars(values, closed_months, label, language):
    """Twelve bars, one per month, scaled to the largest; months after `closed_months` are drawn as not closed yet.

    `values` is a tuple; `label` names the chart for assistive technology ("Ejecución física mensual de …"),
    `language` the months. Kept: a dashboard draws two charts per product on every visit, of figures that rarely
    change. Written as one string with the label escaped once (format_html's escaping of every number was most of
    their time).
    """
    top = max(values, default=ZERO)
    names = month_titles(language)
    bars = "".join(
        f'<rect class="{"bar" if month <= closed_months else "bar open"}" x="{(month - 1) * BAR_STEP}" '
        f"{bar_geometry(bar_height(value, top))}><title>{names[month - 1]}: {value:,.2f}</title></rect>"
        for month, value in enumerate(values, 1)
    )
    width = len(values) * BAR_STEP
    return mark_safe(  # noqa: S308 (the label is escaped, the rest is numbers and escaped month names)
        f'<svg class="sparkline" viewBox="0 0 {width} {HEIGHT}" width="{width}" height="{HEIGHT}" role="img" '
        f'aria-label="{escape(label)}"><line class="baseline" x1="0" y1="{HEIGHT}" x2="{width}" y2="{HEIGHT}">'
        f"</line>{bars}</svg>"
    )
