"""Text that goes into a spreadsheet a person opens (CSV or xlsx) must never run as a formula."""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Prefix text that a spreadsheet would read as a formula with an apostrophe (OWASP's CSV injection advice).

    Numbers are left alone, so negative amounts stay numbers; only text is changed.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
