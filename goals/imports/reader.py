"""Reading an uploaded CSV or XLSX into a header and its rows of cells, within limits.

A spreadsheet is small on disk and may be huge once read: an XLSX is a zip archive whose sheet can declare a
million rows, hold five million, or a string of a gigabyte. Everything that can be checked before reading is
(the archive's declared sizes, the sheet's declared dimension), then the sheet is streamed (openpyxl read-only)
and refused at the first row or cell past a limit, so a hostile file costs a few seconds and bounded memory.
The header and the shape of each row are checked here too; what the cells mean is goals.imports' business.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

MAX_ROWS = 200_000
# No text field needs more; the longest (a result, a justification) is a paragraph.
MAX_CELL_CHARS = 5_000
# Columns read beyond the template's: enough to name every unknown column, never a sheet 16,384 columns wide.
EXTRA_COLUMNS = 20
# An XLSX's parts, once decompressed: at most this many times the upload (an ordinary workbook is 5 to 20),
# and never more than the caps, whatever the upload (the shared strings are read into memory whole).
MAX_EXPANSION = 100
MIN_EXPANSION_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 50 * 1024 * 1024
SHARED_STRINGS = "xl/sharedStrings.xml"
# A row element with a namespace prefix (<x:row>); most writers use none (<row r="2">).
PREFIXED_ROW_TAG = re.compile(rb"<[A-Za-z_][\w.-]*:row[\s/>]")
CHUNK_BYTES = 1024 * 1024
TAG_BYTES = 64
OTHER_SEPARATORS = {";": "punto y coma (;)", "\t": "tabuladores"}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self):
        return _("Fila %(row)s, columna «%(column)s»: %(message)s") % vars(self)


class Rejected(Exception):
    """The file cannot be imported; `errors` says every reason found."""

    def __init__(self, errors):
        super().__init__("\n".join(str(error) for error in errors))
        self.errors = errors


def refuse(message, row=1, column="-"):
    raise Rejected([RowError(row, column, message)])


def megabytes(size):
    return f"{size / (1024 * 1024):,.1f}"


def read_table(file, name, columns, optional=()):
    """(header, rows) of a CSV (UTF-8) or of the first sheet of an XLSX, for a template of `columns`.

    The header is lower-case column names; rows are (number as the user sees it, the header's length of cells:
    text from a CSV; text, numbers or dates from an XLSX), empty rows left out. A file past a limit, a header
    with a missing, unknown, duplicated or empty column, or a row with more cells than the header is refused
    (Rejected).
    """
    width = len(columns) + len(optional) + EXTRA_COLUMNS
    content = file.read()
    if name.lower().endswith(".csv"):
        lines = csv_lines(content)
    elif name.lower().endswith(".xlsx"):
        lines = xlsx_lines(content, width)
    else:
        refuse(_("El archivo debe ser CSV (UTF-8) o XLSX."))
    try:
        header = trimmed(next(lines))
    except StopIteration:
        refuse(_("El archivo está vacío."))
    header = [str(cell).strip().lower() if cell is not None else "" for cell in header]
    check_header(header, columns, optional, width)
    rows = []
    for number, line in enumerate(lines, start=2):
        if number > MAX_ROWS + 1:
            refuse(too_many_rows())
        cells = trimmed(line)
        if not cells:
            continue
        if len(cells) > len(header):
            refuse(too_many_cells(name, len(cells), len(header)), row=number)
        for column, cell in zip(header, cells):
            if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
                refuse(
                    _("la celda tiene %(length)s caracteres; el máximo es %(limit)s.")
                    % {"length": f"{len(cell):,}", "limit": f"{MAX_CELL_CHARS:,}"},
                    row=number,
                    column=column,
                )
        rows.append((number, cells + [None] * (len(header) - len(cells))))
    return header, rows


def trimmed(cells):
    """The row's cells without the empty ones at its end (none at all for an empty row)."""
    if cells.count(None) + cells.count("") == len(cells):
        return []
    end = len(cells)
    while cells[end - 1] in (None, ""):
        end -= 1
    return list(cells[:end])


def too_many_cells(name, cells, columns):
    values = {"cells": cells, "columns": columns}
    if name.lower().endswith(".csv"):
        return _("tiene %(cells)s celdas y el encabezado %(columns)s columnas; ¿una coma sin comillas?") % values
    return _("tiene un valor en la columna %(letter)s y el encabezado solo %(columns)s columnas.") % {
        "letter": get_column_letter(cells),
        "columns": columns,
    }


def check_header(header, columns, optional, width):
    """Every required column present once, nothing unknown, no empty name between two columns."""
    if len(header) >= width:
        refuse(
            _("El encabezado tiene más de %(width)s columnas; la plantilla tiene %(columns)s.")
            % {"width": width - 1, "columns": len(columns) + len(optional)}
        )
    errors = []
    known = set(columns) | set(optional)
    seen = set()
    for index, column in enumerate(header, start=1):
        if not column:
            errors.append(RowError(1, get_column_letter(index), _("la columna no tiene nombre en el encabezado.")))
        elif column in seen:
            errors.append(RowError(1, column, _("la columna está repetida en el encabezado.")))
        elif column not in known:
            errors.append(RowError(1, column, _("la plantilla no tiene esta columna.")))
        seen.add(column)
    errors += [RowError(1, column, _("falta la columna en el encabezado.")) for column in columns if column not in seen]
    if errors:
        raise Rejected(errors)


def csv_lines(content):
    """The CSV's rows, as lists of text; a file that is not UTF-8 or not comma-separated is refused with the fix."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        refuse(
            _(
                "El archivo no está en UTF-8 (línea %(line)s); quizá lo guardó Excel como «CSV (delimitado por "
                "comas)», "
                "que usa Windows-1252. Guarde el archivo como CSV UTF-8: en Excel, «Guardar como» y el tipo "
                "«CSV UTF-8 (delimitado por comas)»."
            )
            % {"line": line}
        )
    first_line = text.split("\n", 1)[0]
    for separator, label in OTHER_SEPARATORS.items():
        if separator in first_line and "," not in first_line:
            refuse(
                _(
                    "Las columnas del archivo están separadas por %(separator)s; siplan lee columnas separadas por "
                    "comas. Guarde el archivo como «CSV UTF-8 (delimitado por comas)», con punto decimal."
                )
                % {"separator": label}
            )
    reader = csv.reader(io.StringIO(text))
    ended = 0
    try:
        for line in reader:
            yield line
            ended = reader.line_num
    except csv.Error:
        refuse(
            _("El CSV está mal formado en la línea %(line)s: una celda pasa de %(limit)s caracteres o tiene "
              "comillas sin cerrar.") % {"line": ended + 1, "limit": f"{MAX_CELL_CHARS:,}"},
        )  # fmt: skip


def xlsx_lines(content, width):
    """The first sheet's rows, streamed, `width` cells each at most; the archive and the sheet's declared size
    are checked before anything is read."""
    check_archive(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on a file that is not a workbook
        refuse(_("El archivo no es un libro de Excel (XLSX) válido."))
    try:
        sheet = workbook.worksheets[0]
        check_dimension(sheet, width)
        # The rows are read as they are, not as the sheet declares: a smaller declaration would drop rows.
        sheet.reset_dimensions()
        yield from sheet.iter_rows(max_col=width, values_only=True)
    except Rejected:
        raise
    except Exception:  # a damaged sheet (bad XML, a checksum error) is found while reading it
        refuse(_("El archivo no es un libro de Excel (XLSX) válido."))
    finally:
        workbook.close()


def check_archive(content):
    """Refuse a zip archive that decompresses far beyond its size (its declared sizes are the most zipfile
    extracts: a part that lies about its size fails its checksum), or whose sheets hold too many rows."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
            check_sizes(parts, len(content))
            for part in parts:
                check_row_count(archive, part)
    except Rejected:
        raise
    except Exception:  # zipfile raises many kinds of errors on a damaged archive (checksum, method, encryption)
        refuse(_("El archivo no es un libro de Excel (XLSX) válido."))


def check_row_count(archive, part):
    """Refuse a part with too many rows: openpyxl reads a whole sheet that declares no dimension as it opens the
    workbook, keeping every row, so five million rows must be refused before."""
    if count_row_tags(archive, part, up_to=MAX_ROWS + 1) > MAX_ROWS + 1:
        refuse(too_many_rows())


def count_row_tags(archive, part, *, up_to):
    """A part's row elements, counted as it decompresses, in chunks; the count stops at the first chunk past
    `up_to`."""
    rows = 0
    carried = b""
    with archive.open(part) as stream:
        while chunk := stream.read(CHUNK_BYTES):
            text = carried + chunk
            # A tag cut by the chunk's end is counted with the next chunk (a row tag is a few bytes long).
            cut = text.rfind(b"<", max(0, len(text) - TAG_BYTES))
            cut = len(text) if cut == -1 else cut
            rows += row_tags(text, cut)
            carried = text[cut:]
            if rows > up_to:
                return rows
    return rows + row_tags(carried, len(carried))


def has_rows(content, name, rows):
    """Whether the file has at least `rows` rows under its header, counted without reading a cell: a CSV's lines,
    the row tags of an XLSX's worksheets (the count stops once there are enough). Empty rows and a cell's line
    breaks count too: never fewer than the file has. A file that is not a readable archive has none (the reader
    refuses it at once)."""
    if name.lower().endswith(".xlsx"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                check_sizes(archive.infolist(), len(content))
                found = 0
                for part in archive.infolist():
                    if part.filename.startswith("xl/worksheets/"):
                        found += count_row_tags(archive, part, up_to=rows)
                    if found > rows:
                        break
        except Exception:  # a damaged or oversized archive: the reader says why, without reading it
            return False
        return found - 1 >= rows
    lines = max(content.count(b"\n"), content.count(b"\r")) + (not content.endswith((b"\n", b"\r")))
    return lines - 1 >= rows


def row_tags(text, end):
    """How many row tags text[:end] opens (a few more if "<rowBreaks>" is there: this bounds, it does not read)."""
    count = text.count(b"<row", 0, end)
    if b":row" in text:
        count += len(PREFIXED_ROW_TAG.findall(text, 0, end))
    return count


def too_many_rows():
    return _("El archivo pasa de %(limit)s filas; divídalo en archivos más pequeños.") % {"limit": f"{MAX_ROWS:,}"}


def check_sizes(parts, upload):
    total = sum(part.file_size for part in parts)
    allowed = min(max(MAX_EXPANSION * upload, MIN_EXPANSION_BYTES), MAX_UNCOMPRESSED_BYTES)
    if total > allowed:
        refuse(
            _(
                "El libro ocupa %(size)s MB descomprimido, demasiado para un archivo de %(upload)s MB (el límite es "
                "%(limit)s MB); no parece una plantilla de siplan."
            )
            % {"size": megabytes(total), "upload": megabytes(upload), "limit": megabytes(allowed)}
        )
    strings = sum(part.file_size for part in parts if part.filename == SHARED_STRINGS)
    if strings > MAX_SHARED_STRINGS_BYTES:
        refuse(
            _("El texto del libro ocupa %(size)s MB descomprimido; el límite es %(limit)s MB.")
            % {"size": megabytes(strings), "limit": megabytes(MAX_SHARED_STRINGS_BYTES)}
        )


def check_dimension(sheet, width):
    """Refuse a sheet that declares (<dimension ref="A1:XFD1048576"/>) more rows or columns than a template has."""
    rows, columns = sheet.max_row or 0, sheet.max_column or 0
    if rows > MAX_ROWS + 1 or columns >= width:
        refuse(
            _(
                "La hoja declara %(rows)s filas y %(columns)s columnas; el límite es %(limit)s filas y %(width)s "
                "columnas. Copie solo las celdas de la plantilla a un libro nuevo."
            )
            % {"rows": f"{rows:,}", "columns": f"{columns:,}", "limit": f"{MAX_ROWS:,}", "width": width - 1}
        )
