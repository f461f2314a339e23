"""Rows written as a template's CSV, whether they come as a list or as a generator (bench/import_bench.py)."""

import csv
import io

from goals.imports import rows_to_csv


def execution_rows():
    for month in (1, 2, 3):
        yield {"institucion": "BIG", "anio": 2025, "mes": month, "producto": "Producto 1", "subproducto": "Sub 1",
               "ejecucion_fisica": month, "ejecucion_financiera": f"{month}.25"}  # fmt: skip


def test_a_generator_of_rows_gives_every_row():
    read = list(csv.DictReader(io.StringIO(rows_to_csv("ejecucion", execution_rows()).decode("utf-8"))))

    assert [row["mes"] for row in read] == ["1", "2", "3"]
    assert [row["ejecucion_financiera"] for row in read] == ["1.25", "2.25", "3.25"]
