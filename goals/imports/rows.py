"""One row of a file as the importers see it: its cells parsed strictly, its errors named by row and column."""

import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goals.import_preview import Preview
from goals.imports.reader import RowError, read_table
from goals.imports.registry import template
from goals.models import (
    FIRST_YEAR,
    LAST_YEAR,
    Institution,
    Product,
    Reprogramming,
    Result,
    Subproduct,
)
from goals.validators import check_text, parse_amount, parse_whole, shown
from siplan.spreadsheets import restore


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list = field(default_factory=list)
    preview: Preview | None = None  # of a dry run

    @property
    def ok(self):
        return not self.errors

    @property
    def error_count(self):
        return len(self.errors)


# The model field each text column of goals' templates is stored in: its length and characters are checked against
# it (a registered template adds its own, Template.text_fields).
TEXT_FIELDS = {
    "institucion": Institution._meta.get_field("code"),
    "institucion_nombre": Institution._meta.get_field("name"),
    "eje_estrategico": Result._meta.get_field("strategic_axis"),
    "accion_estrategica": Result._meta.get_field("strategic_action"),
    "resultado": Result._meta.get_field("description"),
    "producto": Product._meta.get_field("name"),
    "subproducto": Subproduct._meta.get_field("name"),
    "unidad": Product._meta.get_field("unit"),
    "documento": Reprogramming._meta.get_field("number"),
    "justificacion": Reprogramming._meta.get_field("justification"),
}


# Messages many rows may need, translated only when one does.
EMPTY = gettext_lazy("no puede estar vacía.")
INVALID_YEAR = gettext_lazy("«%(value)s» no es un año válido.")


def cell_text(value):
    """A cell as text: an Excel number written out in full (1e+20 is 100000000000000000000), text trimmed."""
    if type(value) is str:  # every cell of a CSV, most of an XLSX: first
        return value.strip()
    if isinstance(value, float) and math.isfinite(value):
        value = Decimal(int(value)) if value.is_integer() else Decimal(repr(value))
    if isinstance(value, Decimal):
        return format(value, "f")
    return "" if value is None else str(value).strip()


class Row:
    """One spreadsheet row: its number as the user sees it, its cells by column, and the errors found in it.

    A file has up to 200,000 of them: slots, and no set of reported errors until the row has one, keep them small
    and few objects (Python's garbage collector walks every object an import keeps)."""

    __slots__ = ("number", "cells", "errors", "text_fields", "reported", "texts", "refusals")

    def __init__(self, number, cells, errors, text_fields=TEXT_FIELDS, refusals=None):
        self.number = number
        self.cells = cells
        self.errors = errors
        self.text_fields = text_fields
        self.reported = None
        self.texts = {}
        # (column, text) -> the messages refusing it (none: accepted), shared by the rows of a file
        self.refusals = {} if refusals is None else refusals

    def error(self, column, message):
        """Record an error once, however many checks read the cell."""
        message = str(message)
        if self.reported is None:
            self.reported = set()
        if (column, message) not in self.reported:
            self.reported.add((column, message))
            self.errors.append(RowError(self.number, column, message))

    def refuse(self, column, error):
        for message in error.messages:
            self.error(column, message)

    def text(self, column, required=True):
        """The cell as text, checked against its field once however many checks read it."""
        text = self.texts.get(column)
        if text is None:
            text = self.texts[column] = restore(cell_text(self.cells.get(column)))
            if text and column in self.text_fields:
                for message in self.refusals_of(column, text):
                    self.error(column, message)
        if required and not text:
            self.error(column, EMPTY)
        return text

    def refusals_of(self, column, text):
        refusals = self.refusals.get((column, text))
        if refusals is None:
            try:
                check_text(text, self.text_fields[column])
                refusals = ()
            except ValidationError as error:
                refusals = tuple(error.messages)
            self.refusals[(column, text)] = refusals
        return refusals

    def amount(self, column, required=True):
        """A non-negative amount with at most two decimals, from an Excel number or text like "1,234.50"."""
        try:
            amount = parse_amount(cell_text(self.cells.get(column)))
        except ValidationError as error:
            self.refuse(column, error)
            return None
        if amount is None and required:
            self.error(column, EMPTY)
        return amount

    def integer(self, column, low, high, message):
        text = self.text(column)
        if not text:
            return None
        try:
            return parse_whole(text, low, high, message)
        except ValidationError as error:
            self.refuse(column, error)
            return None

    def year(self):
        return self.integer("anio", FIRST_YEAR, LAST_YEAR, INVALID_YEAR)

    def date(self, column):
        text = self.text(column)
        value = self.cells.get(column)
        if isinstance(value, datetime.datetime):
            return value.date()
        try:
            return datetime.date.fromisoformat(text) if text else None
        except ValueError:
            self.error(column, _("«%(value)s» no es una fecha AAAA-MM-DD.") % {"value": shown(text)})
            return None


def check_texts(rows):
    """Every text cell of every row against its field, whether or not the import uses it (a new institution's name
    is read from its first row only). The rows of a file share their columns (the header) and their fields."""
    if not rows:
        return
    columns = rows[0].text_fields.keys() & rows[0].cells.keys()
    for row in rows:
        for column in columns:
            row.text(column, required=False)


def read_rows(kind, file, name):
    """The file's non-empty rows as Row objects; a file goals.imports.reader refuses is refused at once."""
    found = template(kind)
    header, lines = read_table(file, name, found.columns, found.optional)
    errors = []
    text_fields = {**TEXT_FIELDS, **found.text_fields}
    refusals = {}
    return [Row(number, dict(zip(header, line)), errors, text_fields, refusals) for number, line in lines], errors
