"""Someone opens or prints the Excel report: every heading readable, name and unit aligned alike, the signature
block whole on one page, and the Datos sheet set up for printing."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from reports.xlsx import render_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def workbook(seed_report):
    return load_workbook(BytesIO(render_xlsx(seed_report)))


def cell_with(sheet, text):
    return next(cell for row in sheet.iter_rows() for cell in row if cell.value == text)


def test_the_execution_column_is_wide_enough_for_its_longest_label(workbook):
    sheet = workbook["Reporte"]
    assert cell_with(sheet, "Ejecución financiera").column_letter == "G"
    assert sheet.column_dimensions["G"].width >= len("Ejecución financiera") + 1
    assert sheet.column_dimensions["C"].width >= len("Financiera") + 1


def test_headers_wrap_into_rows_tall_enough(workbook):
    sheet = workbook["Reporte"]
    for row in (7, 8):
        assert all(cell.alignment.wrap_text for cell in sheet[row][:16] if cell.value)
    assert sheet.row_dimensions[7].height + sheet.row_dimensions[8].height >= 90
    longest = cell_with(sheet, "% de Avance acumulado al 3er cuatrimestre con metas iniciales")
    assert longest.alignment.wrap_text and longest.row == 7


def test_name_and_unit_are_aligned_alike(workbook):
    sheet = workbook["Reporte"]
    first_item = next(row for row in sheet.iter_rows(min_row=9) if row[2].value == "Física")
    name, unit = first_item[0], first_item[1]
    assert unit.value and name.value
    assert (unit.alignment.vertical, unit.alignment.wrap_text) == (name.alignment.vertical, name.alignment.wrap_text)


def test_the_signature_block_starts_a_printed_page(workbook):
    sheet = workbook["Reporte"]
    heading = cell_with(sheet, "Firma y sello de la máxima autoridad")
    name_line = next(row[0] for row in sheet.iter_rows(min_row=heading.row) if str(row[0].value).startswith("Nombre:"))
    breaks = [page_break.id for page_break in sheet.row_breaks.brk]
    assert len(breaks) == 1
    # The break follows the report's last row; the heading comes after two blank rows, the name line after it.
    assert breaks[0] < heading.row < name_line.row
    between = range(breaks[0] + 1, heading.row)
    assert all(sheet.cell(row=row, column=3).value not in ("Física", "Financiera") for row in between)
    assert breaks[0] == heading.row - 3


def test_the_data_sheet_prints_landscape_fit_to_width_with_its_header_on_every_page(workbook):
    sheet = workbook["Datos"]
    assert sheet.page_setup.orientation == "landscape"
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.print_title_rows == "$1:$1"
    assert all(cell.alignment.wrap_text for cell in sheet[1] if cell.value)


def test_every_product_row_is_bold_and_shaded_and_every_subproduct_row_plain_all_boxed(workbook, seed_report):
    """Each cell of the 34 rows gets its look from the row's kind, whatever cell was styled before it (the workbook
    writes each distinct style step once, reports.xlsx.styled)."""
    sheet = workbook["Reporte"]
    product_rows = [
        is_product
        for section in seed_report.sections
        for product in section.products
        for is_product in (True, True, *(False, False) * len(product.subproducts))
    ]
    rows = [row[:16] for row in sheet.iter_rows(min_row=9) if row[2].value in ("Física", "Financiera")]
    assert len(rows) == len(product_rows) == 34
    for row, is_product in zip(rows, product_rows, strict=True):
        # a name and its unit span their item's two rows: the second row's first two cells are the merge's
        cells = row if row[0].value else row[2:]
        for cell in cells:
            assert (cell.border.left.style, cell.border.top.style, cell.border.bottom.style) == ("thin",) * 3
            assert cell.border.left.color.rgb == "009AA7B5"
            assert bool(cell.font.b) == is_product, cell.coordinate
            assert cell.fill.fgColor.rgb == ("00E8EEF5" if is_product else "00000000"), cell.coordinate
        assert [cell.number_format for cell in row[3:6]] == ["#,##0.00", "0", "#,##0.00"]
        assert {cell.number_format for cell in row[7:16]} == {"#,##0.00"}
    assert [row[0].alignment.wrap_text for row in rows if row[0].value] == [True] * 17
    header = [cell for row in (7, 8) for cell in sheet[row][:16] if cell.value]
    assert len(header) == 12 + 5  # row 7: twelve headings, one of them over row 8: four months and the total
    assert all(cell.font.b and cell.fill.fgColor.rgb == "00DFE7F0" for cell in header)
