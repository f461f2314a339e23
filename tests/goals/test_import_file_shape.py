"""Uploading a file whose header or rows are not the template's, or a CSV as Excel saves it by default: one
clear reason, naming the row and column, and nothing written."""

import io

import pytest

from goals.imports import EXECUTION_COLUMNS, PLAN_COLUMNS, import_file
from goals.imports import reader as spreadsheet_reader
from goals.models import SubproductExecution
from tests.factories import ProductFactory, ResultFactory, SubproductFactory
from tests.goals.imports_helpers import csv_file, xlsx_file

pytestmark = pytest.mark.django_db

ROW = ["FOR", 2025, 3, "P", "S", "2", "10.50"]


@pytest.fixture(autouse=True)
def plan():
    SubproductFactory(
        product=ProductFactory(result=ResultFactory(institution__code="FOR", year=2025), name="P"), name="S"
    )


def refusal(content, name="ejecucion.csv", kind="ejecucion"):
    result = import_file(kind, content if isinstance(content, io.BytesIO) else io.BytesIO(content), name)
    assert not SubproductExecution.objects.exists()
    return [str(error) for error in result.errors]


def test_a_row_with_an_unquoted_comma_is_refused_naming_the_row():
    content = csv_file(EXECUTION_COLUMNS, ROW, ROW[:3] + ["P", "S", "1", "5", "1"]).getvalue()
    assert refusal(content) == [
        "Fila 3, columna «-»: tiene 8 celdas y el encabezado 7 columnas; ¿una coma sin comillas?"
    ]


def test_a_trailing_empty_cell_is_not_a_cell_too_many():
    result = import_file("ejecucion", io.BytesIO(csv_file(EXECUTION_COLUMNS, [*ROW, ""]).getvalue()), "e.csv")
    assert result.ok and result.created == 1


def test_a_value_right_of_the_header_in_a_workbook_is_refused_naming_its_column():
    assert refusal(xlsx_file(EXECUTION_COLUMNS, ROW, [*ROW, None, "nota"]), "e.xlsx") == [
        "Fila 3, columna «-»: tiene un valor en la columna I y el encabezado solo 7 columnas."
    ]


def test_duplicated_unknown_and_unnamed_columns_are_refused_by_name():
    header = ["institucion", "anio", "mes", "producto", "", "subproducto", "ejecucion_fisica", "Mes", "notas"]
    assert refusal(csv_file(header, ROW)) == [
        "Fila 1, columna «E»: la columna no tiene nombre en el encabezado.",
        "Fila 1, columna «mes»: la columna está repetida en el encabezado.",
        "Fila 1, columna «notas»: la plantilla no tiene esta columna.",
        "Fila 1, columna «ejecucion_financiera»: falta la columna en el encabezado.",
    ]


def test_a_header_far_wider_than_the_template_is_refused_before_its_rows():
    header = EXECUTION_COLUMNS + [f"extra_{index}" for index in range(30)]
    assert refusal(csv_file(header, ROW)) == [
        "Fila 1, columna «-»: El encabezado tiene más de 26 columnas; la plantilla tiene 7."
    ]
    assert refusal(xlsx_file(header, ROW), "e.xlsx") == [
        "Fila 1, columna «-»: La hoja declara 2 filas y 37 columnas; el límite es 200,000 filas y 26 columnas. "
        "Copie solo las celdas de la plantilla a un libro nuevo."
    ]


def test_a_semicolon_separated_csv_gets_one_reason_and_the_fix():
    content = b"\n".join(b";".join(str(cell).encode() for cell in line) for line in [EXECUTION_COLUMNS, ROW])
    assert refusal(content) == [
        "Fila 1, columna «-»: Las columnas del archivo están separadas por punto y coma (;); siplan lee columnas "
        "separadas por comas. Guarde el archivo como «CSV UTF-8 (delimitado por comas)», con punto decimal."
    ]


def test_a_windows_1252_csv_is_refused_with_how_to_save_it():
    content = csv_file(PLAN_COLUMNS, ["FOR", "Institución", 2025, "RI", "-", "", "Sin Resultado", "Dirección", "",
                                      "Documento", "3", ""]).getvalue().decode().encode("cp1252")  # fmt: skip
    assert refusal(content, "plan.csv", "plan") == [
        "Fila 1, columna «-»: El archivo no está en UTF-8 (línea 2); quizá lo guardó Excel como «CSV (delimitado "
        "por comas)», que usa Windows-1252. Guarde el archivo como CSV UTF-8: en Excel, «Guardar como» y el tipo "
        "«CSV UTF-8 (delimitado por comas)»."
    ]


def test_a_csv_cell_too_long_is_refused_with_its_row_and_column():
    assert refusal(csv_file(EXECUTION_COLUMNS, ROW, ["FOR", 2025, 4, "P" * 5_001, "S", "1", "1"])) == [
        "Fila 3, columna «producto»: la celda tiene 5,001 caracteres; el máximo es 5,000."
    ]


def test_an_unclosed_quote_swallowing_the_file_is_refused():
    content = csv_file(EXECUTION_COLUMNS, ROW).getvalue() + b'FOR,2025,4,"P,S,1,1\n' + b"x" * 200_000
    assert refusal(content) == [
        "Fila 1, columna «-»: El CSV está mal formado en la línea 3: una celda pasa de 5,000 caracteres o "
        "tiene comillas sin cerrar."
    ]


def test_a_csv_past_the_row_limit_is_refused(monkeypatch):
    monkeypatch.setattr(spreadsheet_reader, "MAX_ROWS", 3)
    rows = [["FOR", 2025, month, "P", "S", "1", "1"] for month in range(1, 5)]
    assert import_file("ejecucion", csv_file(EXECUTION_COLUMNS, *rows[:3]), "e.csv", dry_run=True).ok
    assert refusal(csv_file(EXECUTION_COLUMNS, *rows)) == [
        "Fila 1, columna «-»: El archivo pasa de 3 filas; divídalo en archivos más pequeños."
    ]
