"""The percentage rule of every figure siplan shows (DOMAIN.md), and how a figure prints: written once, here, where
the figures live."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats

from goals.models import ZERO

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def percentage(part: Decimal, whole: Decimal) -> Decimal:
    """part ÷ whole × 100, rounded half up to two places; 0.00 when whole is zero."""
    if not whole:
        return ZERO
    return (part * HUNDRED / whole).quantize(CENT, rounding=ROUND_HALF_UP)


def separators(escape=str):
    """The active language's thousands and decimal separators, as a str.translate table for printed_amount."""
    thousands, decimal = formats.get_format("THOUSAND_SEPARATOR"), formats.get_format("DECIMAL_SEPARATOR")
    return str.maketrans({",": escape(thousands), ".": escape(decimal)})


def printed_amount(value, table):
    """`value` as floatformat:"2g" prints it: rounded half up to two places and grouped by thousands, with the
    separators of `table`; what rounds to zero prints 0.00, never -0.00."""
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP):z,.2f}".translate(table)


def unlocalized_amount(value):
    """`value` as floatformat:"2u" prints it (for scripts to read): rounded half up to two places, not grouped."""
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP):z.2f}"
