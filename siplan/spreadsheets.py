"""Text that goes into a spreadsheet a person opens (CSV or xlsx) must never run as a formula."""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Prefix text that a spreadsheet would read as a formula with an apostrophe (OWASP's CSV injection advice).

    Numbers are left alone, so negative amounts stay numbers; only text is changed. A lone "-" (the seed's
    empty strategic axis) cannot be a formula and stays as it is.
    """
    if isinstance(value, str) and len(value) > 1 and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def restore(value):
    """Undo `neutralise` on text read back from a spreadsheet, so an exported template imports back unchanged."""
    if isinstance(value, str) and value.startswith("'") and neutralise(value[1:]) == value:
        return value[1:]
    return value
