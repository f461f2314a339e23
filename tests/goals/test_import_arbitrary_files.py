"""Uploading any bytes at all: the reader returns a header and rows, or refuses with its reasons; nothing else."""

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goals.imports import EXECUTION_COLUMNS
from goals.imports.reader import Rejected, read_table
from tests.goals.imports_helpers import csv_file, xlsx_file

ROW = ["IGM", 2024, 9, "Dirección y Coordinación", "Dirección y Coordinación", 1, "7,147,023.87"]
VALID = {"csv": csv_file(EXECUTION_COLUMNS, ROW).getvalue(), "xlsx": xlsx_file(EXECUTION_COLUMNS, ROW).getvalue()}


def read(content, extension):
    try:
        header, rows = read_table(io.BytesIO(content), f"file.{extension}", EXECUTION_COLUMNS)
    except Rejected as rejected:
        assert rejected.errors and all(error.message for error in rejected.errors)
        return
    assert header == EXECUTION_COLUMNS
    assert all(len(cells) == len(header) and number >= 2 for number, cells in rows)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2_000), st.sampled_from(["csv", "xlsx"]))
def test_any_bytes_are_read_or_refused(content, extension):
    read(content, extension)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["csv", "xlsx"]), st.data())
def test_a_damaged_template_is_read_or_refused(extension, data):
    content = bytearray(VALID[extension])
    for _ in range(data.draw(st.integers(1, 8))):
        content[data.draw(st.integers(0, len(content) - 1))] = data.draw(st.integers(0, 255))
    read(bytes(content), extension)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.text(max_size=20), max_size=12), max_size=6))
def test_any_csv_text_is_read_or_refused(lines):
    read(csv_file(EXECUTION_COLUMNS, *lines).getvalue(), "csv")
