"""Stored text as a file format can hold it: whatever is in the database, every export renders."""

import re

# U+0000 to U+001F but tab, line feed and carriage return: XML 1.0 (so an xlsx) cannot hold them, and in a PDF
# they break the text layer (copying or searching the page gives garbage).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Stands for a character taken out, so that the reader sees that something was there.
REPLACEMENT = "\N{REPLACEMENT CHARACTER}"


def printable(text):
    """The text with each control character replaced by U+FFFD."""
    return CONTROL_CHARACTERS.sub(REPLACEMENT, text)
