"""Compile every locale/<lang>/LC_MESSAGES/django.po into its .mo with polib: pure Python, no GNU gettext.

`make messages` runs it; the .mo files are committed, and tests/test_translations.py checks that they match.
"""

from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def compiled(po_path):
    """The .mo bytes of a .po file."""
    return polib.pofile(str(po_path)).to_binary()


def catalogues(locale_dir=LOCALE_DIR):
    return sorted(locale_dir.glob("*/LC_MESSAGES/django.po"))


if __name__ == "__main__":
    for po_path in catalogues():
        po_path.with_suffix(".mo").write_bytes(compiled(po_path))
        print(f"compiled {po_path.relative_to(LOCALE_DIR.parent)}")
