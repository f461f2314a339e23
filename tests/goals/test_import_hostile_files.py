"""Uploading a spreadsheet built to exhaust the server (issue 14): each is refused with its reason, before it is
read whole, in bounded memory; the files are written by hand so that the tests hold them in a few kilobytes."""

import io
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from goals.imports import EXECUTION_COLUMNS, import_file
from goals.imports import reader as spreadsheet_reader
from goals.imports.reader import read_table
from goals.models import SubproductExecution
from tests.factories import InstitutionFactory, RoleUserFactory
from tests.goals.imports_helpers import handmade_xlsx, inline_row, sheet_xml

pytestmark = pytest.mark.django_db

HEADER = (inline_row(*EXECUTION_COLUMNS, number=1).encode(), 1)
ROW = inline_row("IGM", 2024, 9, "Dirección y Coordinación", "Dirección y Coordinación", 1, 2)
MEGABYTE = 1024 * 1024
MAIN_NAMESPACE = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def dimension_bomb():
    """5 KB declaring A1:XFD1048576, with one cell in the last row (3.7 GB and 22 s before)."""
    last = (b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>', 1)
    return handmade_xlsx(sheet_xml([HEADER, last], dimension="A1:XFD1048576"))


def five_million_rows():
    """1.4 MB (most of it an incompressible image) holding 5 million rows and no dimension (the worker's timeout)."""
    return handmade_xlsx(sheet_xml([HEADER, (b"<row><c><v>1</v></c></row>" * 40_000, 125)]), padding=1_100_000)


def huge_shared_string():
    """1.5 MB holding one shared string of 1.5 GB (a MemoryError and a 500 before)."""
    strings = [
        (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>', 1),
        (b"a" * MEGABYTE, 1500),
        (b"</t></si></sst>", 1),
    ]
    cell = (b'<row><c t="s"><v>0</v></c></row>', 1)
    return handmade_xlsx(sheet_xml([HEADER, cell]), shared_strings=strings)


def refusal(content, name="hostile.xlsx"):
    result = import_file("ejecucion", io.BytesIO(content), name)
    assert not result.ok
    return [str(error) for error in result.errors]


def peak_memory(read):
    tracemalloc.start()
    try:
        read()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_sheet_declaring_a_million_rows_is_refused_before_reading():
    content = dimension_bomb()
    assert len(content) < 5_000
    assert refusal(content) == [
        "Fila 1, columna «-»: La hoja declara 1,048,576 filas y 16,384 columnas; el límite es 200,000 filas y 26 "
        "columnas. Copie solo las celdas de la plantilla a un libro nuevo."
    ]
    assert peak_memory(lambda: refusal(content)) < 5 * MEGABYTE


ROWS_REFUSED = ["Fila 1, columna «-»: El archivo pasa de 200,000 filas; divídalo en archivos más pequeños."]


def test_a_sheet_of_five_million_rows_is_refused_before_openpyxl_opens_it():
    content = five_million_rows()
    assert 1.3 * MEGABYTE < len(content) < 1.5 * MEGABYTE
    assert refusal(content) == ROWS_REFUSED
    assert peak_memory(lambda: refusal(content)) < 20 * MEGABYTE


def test_rows_with_a_namespace_prefix_are_counted_too(monkeypatch):
    monkeypatch.setattr(spreadsheet_reader, "MAX_ROWS", 10)
    sheet = [(f'<x:worksheet xmlns:x="{MAIN_NAMESPACE}"><x:sheetData>'.encode(), 1),
             (b"<x:row><x:c><x:v>1</x:v></x:c></x:row>", 12), (b"</x:sheetData></x:worksheet>", 1)]  # fmt: skip
    assert refusal(handmade_xlsx(sheet)) == [ROWS_REFUSED[0].replace("200,000", "10")]


def test_a_row_far_below_the_header_is_refused_at_the_row_past_the_limit():
    last = (b'<row r="1048576"><c r="A1048576"><v>1</v></c></row>', 1)
    content = handmade_xlsx(sheet_xml([HEADER, last]))
    assert refusal(content) == ROWS_REFUSED
    assert peak_memory(lambda: refusal(content)) < 60 * MEGABYTE


def test_a_gigabyte_of_shared_string_is_refused_from_the_archive_directory():
    content = huge_shared_string()
    assert len(content) < 1.6 * MEGABYTE
    assert refusal(content) == [
        "Fila 1, columna «-»: El libro ocupa 1,500.0 MB descomprimido, demasiado para un archivo de 1.5 MB (el "
        "límite es 148.7 MB); no parece una plantilla de siplan."
    ]
    assert peak_memory(lambda: refusal(content)) < 10 * MEGABYTE


def test_shared_strings_past_their_cap_are_refused_even_in_a_large_upload(monkeypatch):
    monkeypatch.setattr(spreadsheet_reader, "MAX_SHARED_STRINGS_BYTES", 1000)
    strings = [(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>', 1), (b"a", 2000),
               (b"</t></si></sst>", 1)]  # fmt: skip
    content = handmade_xlsx(sheet_xml([HEADER, (b'<row><c t="s"><v>0</v></c></row>', 1)]), shared_strings=strings)
    assert refusal(content) == [
        "Fila 1, columna «-»: El texto del libro ocupa 0.0 MB descomprimido; el límite es 0.0 MB."
    ]


def test_a_long_cell_is_refused_with_its_row_and_column():
    long_name = "x" * 5_001
    content = handmade_xlsx(sheet_xml([HEADER, (inline_row("IGM", 2024, 9, long_name).encode(), 1)]))
    assert refusal(content) == ["Fila 2, columna «producto»: la celda tiene 5,001 caracteres; el máximo es 5,000."]


def test_a_sheet_declaring_fewer_rows_than_it_holds_is_read_whole():
    content = handmade_xlsx(sheet_xml([HEADER, (ROW.encode(), 3)], dimension="A1:G2"))
    header, rows = read_table(io.BytesIO(content), "x.xlsx", EXECUTION_COLUMNS)
    assert header == EXECUTION_COLUMNS
    cells = ["IGM", "2024", "9", "Dirección y Coordinación", "Dirección y Coordinación", "1", "2"]
    assert rows == [(2, cells), (3, cells), (4, cells)]


def test_a_damaged_sheet_is_refused_as_an_invalid_workbook():
    content = handmade_xlsx(sheet_xml([HEADER, (b"<row><c><v>1</v></c>", 1)]))
    assert refusal(content) == ["Fila 1, columna «-»: El archivo no es un libro de Excel (XLSX) válido."]


def test_the_import_page_shows_the_refusal_and_writes_nothing(client):
    planner = RoleUserFactory(institution=InstitutionFactory(code="IGM"), role="Planificador")
    client.force_login(planner)
    upload = SimpleUploadedFile("ejecucion.xlsx", dimension_bomb())
    page = client.post(reverse("goals:import"), {"template": "ejecucion", "file": upload})
    assert page.status_code == 200
    assert "La hoja declara 1,048,576 filas" in page.content.decode()
    assert not SubproductExecution.objects.exists()
