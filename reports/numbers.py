"""Figures printed as floatformat:"2g" prints them: two places rounded half up, grouped by the active language's
separators (14,466,570.00 in es-GT), by the report's page and its PDF alike."""

from decimal import ROUND_HALF_UP

from django.utils import formats

from .computation import CENT


def separators(escape=str):
    """The active language's thousands and decimal separators, as a str.translate table for printed_amount."""
    thousands, decimal = formats.get_format("THOUSAND_SEPARATOR"), formats.get_format("DECIMAL_SEPARATOR")
    return str.maketrans({",": escape(thousands), ".": escape(decimal)})


def printed_amount(value, table):
    """`value` rounded half up to two places and grouped by thousands, with the separators of `table`; what rounds
    to zero prints 0.00, never -0.00 (as floatformat)."""
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP):z,.2f}".translate(table)
