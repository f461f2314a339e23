"""How siplan reads what people type or import: numbers and text, one rule each, used everywhere.

Amounts are written as Guatemala writes them: ASCII digits, an optional point with at most two
decimals, and commas only as thousands separators in groups of three (``1,234.50``); ``12,5`` is
refused rather than read as 125. Whole numbers (months, years) are ASCII digits only, so ``٣`` or
``１２`` are refused. Text refuses control characters and the bidirectional overrides and isolates
that reorder what a reader sees (and break every Excel export), and lengths beyond its field.

The import (goals.imports), the entry and programme pages (goals.entry, goals.programme) and the
admin (model field validators and goals.models.AmountField's form field) all call these.
"""

import re
from decimal import Decimal
from functools import cache

from django import forms
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from goals import filetypes

# A sign, an integer part (plain, or grouped in threes by commas) and a decimal part: ASCII only.
AMOUNT_SHAPE = re.compile(r"(?P<sign>-?)(?P<integer>[0-9][0-9,]*)?(?:\.(?P<decimals>[0-9]*))?")
GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+")
WHOLE = re.compile(r"[0-9]+")
# C0 and C1 controls (DEL included) and the bidirectional embeddings, overrides and isolates.
BIDI = "\u202a-\u202e\u2066-\u2069"
SINGLE_LINE_FORBIDDEN = re.compile(f"[\x00-\x1f\x7f-\x9f{BIDI}]")
MULTI_LINE_FORBIDDEN = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{BIDI}]")
SHOWN = 40


def shown(text):
    """A typed value as an error message quotes it: shortened, without the characters that make it unreadable."""
    text = MULTI_LINE_FORBIDDEN.sub("", str(text))
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def largest(max_digits, decimal_places):
    return Decimal(10 ** (max_digits - decimal_places)) - Decimal(1).scaleb(-decimal_places)


def amount_text(value):
    """An amount as siplan prints it and reads it back: 1,234.50."""
    return f"{value:,.2f}"


@cache
def plain_amount(max_digits, decimal_places):
    """(the shape of an amount that needs no other check: no sign, digits within the limit, plain or grouped in
    threes by commas as siplan prints them, and at most `decimal_places` decimals; the quantum it is rounded to).
    Grouped, it is a group of one to three digits and as many more groups of three as keep within the limit."""
    integer = max_digits - decimal_places
    integers = [rf"[0-9]{{1,{integer}}}"]
    if integer >= 6:
        integers.append(rf"[0-9]{{1,3}}(?:,[0-9]{{3}}){{1,{(integer - 3) // 3}}}")
    decimals = rf"(?:\.[0-9]{{1,{decimal_places}}})?" if decimal_places else ""
    return re.compile(rf"(?:{'|'.join(integers)}){decimals}"), Decimal(1).scaleb(-decimal_places)


def parse_amount(text, max_digits=18, decimal_places=2, allow_negative=False):
    """The Decimal a typed amount means, or ValidationError saying why it is refused; "" is None."""
    text = str(text).strip()
    if not text:
        return None
    # Most amounts of a file or a page are plain or grouped digits: read at once, as the checks below would read them.
    shape, quantum = plain_amount(max_digits, decimal_places)
    if shape.fullmatch(text):
        return Decimal(text.replace(",", "")).quantize(quantum)
    quoted = shown(text)
    match = AMOUNT_SHAPE.fullmatch(text)
    if match is None or not (match["integer"] or match["decimals"]):
        if any(character.isdigit() for character in text if not "0" <= character <= "9"):
            message = _("«%(value)s» no es un número: escriba las cifras con los dígitos 0 a 9.")
        else:
            message = _("«%(value)s» no es un número.")
        raise ValidationError(message, code="invalid", params={"value": quoted})
    integer, decimals = match["integer"] or "0", match["decimals"]
    if "," in integer and not GROUPED.fullmatch(integer):
        raise ValidationError(
            _(
                "«%(value)s» no es una cifra válida: la coma solo separa miles, en grupos de tres (1,234.50), "
                "y el punto los decimales."
            ),
            code="separator",
            params={"value": quoted},
        )
    if decimals is not None and not decimals:
        raise ValidationError(_("«%(value)s» no es un número."), code="invalid", params={"value": quoted})
    if decimals and len(decimals) > decimal_places:
        raise ValidationError(_("«%(value)s» tiene más de dos decimales."), code="decimals", params={"value": quoted})
    value = Decimal(f"{match['sign']}{integer.replace(',', '')}.{decimals or '0'}")
    if value < 0 and not allow_negative:
        raise ValidationError(
            _("«%(value)s» es negativo: la cifra no puede ser negativa."), code="negative", params={"value": quoted}
        )
    if len(integer.replace(",", "").lstrip("0")) > max_digits - decimal_places:
        raise ValidationError(
            _("«%(value)s» es demasiado grande: el máximo es %(largest)s."),
            code="too_large",
            params={"value": quoted, "largest": amount_text(largest(max_digits, decimal_places))},
        )
    return value.quantize(Decimal(1).scaleb(-decimal_places)) + 0  # + 0 turns -0.00 into 0.00


def parse_whole(text, low, high, message):
    """The int a typed whole number (a month, a year) means, between low and high, or ValidationError(message)."""
    text = str(text).strip()
    # ASCII digits only: str.isdigit alone accepts other scripts' digits, which int() reads.
    value = int(text) if text.isascii() and text.isdigit() else None
    if value is None or not low <= value <= high:
        raise ValidationError(message, code="invalid", params={"value": shown(text)})
    return value


@deconstructible
class PlainText:
    """Refuses control characters (but tab and line breaks in multi-line text) and bidirectional overrides."""

    def __init__(self, multiline=False):
        self.multiline = multiline

    def __call__(self, value):
        forbidden = (MULTI_LINE_FORBIDDEN if self.multiline else SINGLE_LINE_FORBIDDEN).search(str(value))
        if forbidden is not None:
            raise ValidationError(
                _(
                    "El texto contiene un carácter que no se admite (U+%(code)s): "
                    "quite los caracteres de control y de dirección del texto."
                ),
                code="control_character",
                params={"code": f"{ord(forbidden.group()):04X}"},
            )

    def __eq__(self, other):
        return isinstance(other, PlainText) and self.multiline == other.multiline


single_line = PlainText()
multi_line = PlainText(multiline=True)


def check_text(value, field):
    """Refuse (ValidationError) text that a model's CharField or TextField would not hold: its length and
    characters, before it reaches the database."""
    if field.max_length is not None and len(value) > field.max_length:
        raise ValidationError(
            ngettext(
                "tiene %(length)s carácter; el máximo es %(limit)s.",
                "tiene %(length)s caracteres; el máximo es %(limit)s.",
                len(value),
            ),
            code="max_length",
            params={"length": len(value), "limit": field.max_length},
        )
    for validator in field.validators:
        if isinstance(validator, PlainText):
            validator(value)


class AmountField(forms.DecimalField):
    """A form field for amounts and quantities under parse_amount's rules, shown as 1,234.50 in a text input (a
    number input refuses the thousands separator)."""

    widget = forms.TextInput

    def __init__(self, *, max_digits=18, decimal_places=2, allow_negative=False, **kwargs):
        kwargs.pop("localize", None)
        self.allow_negative = allow_negative
        super().__init__(max_digits=max_digits, decimal_places=decimal_places, **kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            value = format(value, "f")
        return parse_amount(value, self.max_digits, self.decimal_places, self.allow_negative)

    def prepare_value(self, value):
        return amount_text(value) if isinstance(value, Decimal) and value.is_finite() else value


class WholeNumberField(forms.IntegerField):
    """An IntegerField that reads ASCII digits only (Django's reads ``١٢`` and ``１２`` as 12)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not WHOLE.fullmatch(str(value).strip()):
            raise ValidationError(
                _("«%(value)s» no es un número entero."), code="invalid", params={"value": shown(value)}
            )
        return int(str(value).strip())


MAX_RESOLUTION_PDF_BYTES = 5 * 1024 * 1024


def validate_resolution_pdf(upload):
    """A resolution's scan: a .pdf file of at most 5 MB whose bytes are a PDF's (goals.filetypes decides)."""
    if not upload.name.lower().endswith(".pdf"):
        raise ValidationError(_("La resolución debe ser un archivo .pdf."), code="extension")
    if upload.size > MAX_RESOLUTION_PDF_BYTES:
        raise ValidationError(_("La resolución no puede pesar más de 5 MB."), code="size")
    if not filetypes.is_pdf(upload):
        raise ValidationError(_("El archivo no es un PDF válido."), code="magic")
