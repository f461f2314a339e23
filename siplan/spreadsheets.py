"""Text that goes into a spreadsheet a person opens (CSV or xlsx) must never run as a formula, and must never
stop the file from being written."""

from .text import printable

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Text as a spreadsheet can safely hold it; numbers are left alone, so negative amounts stay numbers.

    Control characters an xlsx cannot hold (U+0007, U+001B…) become U+FFFD, so whatever is stored, every
    export renders. Text that a spreadsheet would read as a formula gets an apostrophe (OWASP's CSV injection
    advice); a lone "-" (the seed's empty strategic axis) cannot be a formula and stays as it is.
    """
    if not isinstance(value, str):
        return value
    value = printable(value)
    if len(value) > 1 and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def restore(value):
    """Undo `neutralise`'s apostrophe on text read back from a spreadsheet, so an exported template imports back
    unchanged."""
    if isinstance(value, str) and value.startswith("'") and neutralise(value[1:]) == value:
        return value[1:]
    return value
