"""List the messages of the English catalogue that still show in Spanish: untranslated (empty msgstr) or fuzzy.

    make collect-messages   # manage.py makemessages -l en --no-obsolete (GNU gettext): adds the new messages
    make untranslated       # this script: each unfinished entry with where it is used; exit status 1 while any

Translate each in locale/en/LC_MESSAGES/django.po (a fuzzy entry is msgmerge's guess: correct it and delete its
"#, fuzzy" line and its "#| msgid" lines), then `make messages`. With GNU gettext the same lists are
`msgattrib --untranslated locale/en/LC_MESSAGES/django.po` and `msgattrib --only-fuzzy …`, and
`msgfmt -c -o /dev/null locale/en/LC_MESSAGES/django.po` checks that every placeholder was kept.
tests/test_translations.py fails while an entry is unfinished.
"""

import sys
from pathlib import Path

import polib

ENGLISH = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def unfinished(po_path=ENGLISH):
    """The catalogue's entries that gettext would not use: without a translation, or marked fuzzy."""
    catalogue = polib.pofile(str(po_path))
    return catalogue.untranslated_entries() + catalogue.fuzzy_entries()


def described(entry):
    where = ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:3])
    state = "fuzzy" if entry.fuzzy else "untranslated"
    return f"{state}: {entry.msgid!r} ({where})"


if __name__ == "__main__":
    entries = unfinished()
    for entry in entries:
        print(described(entry))
    print(f"{len(entries)} unfinished in {ENGLISH.relative_to(ENGLISH.parents[3])}", file=sys.stderr)
    sys.exit(1 if entries else 0)
