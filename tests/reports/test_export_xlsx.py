"""Downloading the report as Excel: read the workbook back and compare every figure with the computation."""

import shutil
import subprocess
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from approvals.demo import load_demo
from goals.models import Institution
from reports.computation import build_report
from reports.xlsx import render_xlsx
from tests.factories import (
    InstitutionFactory,
    ProductFactory,
    ResultFactory,
    RoleUserFactory,
    SubproductFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(seed_report):
    return seed_report, load_workbook(BytesIO(render_xlsx(seed_report)))


def as_decimal(value):
    return Decimal(str(value)).quantize(Decimal("0.01"))


def expected_rows(report):
    """(name, kind label, the 13 figures) for every row, in report order."""
    for section in report.sections:
        for product in section.products:
            for item in [product, *product.subproducts]:
                for label, figures in (("Física", item.physical), ("Financiera", item.financial)):
                    values = [figures.initial, figures.reprogrammings, figures.current, *figures.months, figures.total]
                    values += [
                        figures.pct_period,
                        figures.cumulative,
                        figures.pct_cumulative,
                        figures.pct_cumulative_initial,
                    ]
                    yield item.name, label, [as_decimal(value) for value in values]


def test_report_sheet_holds_every_figure_as_a_number(demo):
    report, workbook = demo
    sheet = workbook["Reporte"]
    rows = []
    name = None
    for row in sheet.iter_rows(min_row=9):
        if row[2].value in ("Física", "Financiera"):
            name = row[0].value or name
            figure_cells = [row[3], row[4], row[5], *row[7:16]]
            assert all(isinstance(cell.value, (int, float)) for cell in figure_cells), name
            assert {cell.number_format for cell in figure_cells} == {"#,##0.00", "0"}
            rows.append((name, row[2].value, [as_decimal(cell.value) for cell in figure_cells]))
    assert rows == list(expected_rows(report))
    assert len(rows) == 34


def test_report_sheet_looks_like_siplan(demo):
    _report, workbook = demo
    sheet = workbook["Reporte"]
    texts = [cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    for text in [
        "Sistema de Planes Institucionales -SIPLAN-",
        "Ejecución mensual - Tercer Cuatrimestre 2024",
        "INSTITUTO GUATEMALTECO DE MIGRACIÓN",
        "Productos vinculados a RI/PGG 2024-2028",
        "Productos vinculados a RE",
        "Ejecución 3er cuatrimestre",
        "Septiembre",
        "Firma y sello de la máxima autoridad",
        "Nombre: Lic. Alfredo Danilo Rivera",
        "Registro de Extranjería",
    ]:
        assert text in texts, text
    assert "H7:L7" in {str(merged) for merged in sheet.merged_cells.ranges}
    assert [sheet.cell(8, column).value for column in range(8, 13)] == [
        "Septiembre",
        "Octubre",
        "Noviembre",
        "Diciembre",
        "Total",
    ]
    product_row = next(row for row in sheet.iter_rows(min_row=9) if row[0].value == "Dirección y Coordinación")
    assert product_row[0].font.b and product_row[3].font.b
    subproduct_row = next(row for row in sheet.iter_rows(min_row=9) if row[0].value == "Registro de Extranjería")
    assert not subproduct_row[3].font.b
    assert sheet.freeze_panes == "B9"
    assert sheet.print_title_rows == "$7:$8"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert workbook.properties.subject == workbook.properties.creator == "Instituto Guatemalteco de Migración"
    assert "Tercer Cuatrimestre 2024" in workbook.properties.title


def test_data_sheet_is_the_same_figures_in_long_form(demo):
    report, workbook = demo
    sheet = workbook["Datos"]
    header = [cell.value for cell in sheet[1]]
    assert header[:8] == [
        "Vinculación",
        "Eje estratégico",
        "Acción estratégica",
        "Resultado",
        "Producto",
        "Subproducto",
        "Unidad de medida",
        "Meta",
    ]
    rows = [
        (row[5] or row[4], row[7], [as_decimal(value) for value in row[8:]])
        for row in sheet.iter_rows(min_row=2, values_only=True)
    ]
    assert rows == list(expected_rows(report))
    assert sheet.auto_filter.ref


def test_text_that_looks_like_a_formula_stays_text_and_is_neutralised():
    institution = InstitutionFactory(code="INJ", name='=HYPERLINK("http://x")')
    product = ProductFactory(result=ResultFactory(institution=institution, year=2025), name="=1+1")
    SubproductFactory(product=product, name="@SUM(A1)")
    workbook = load_workbook(BytesIO(render_xlsx(build_report(institution=institution, year=2025, cuatrimestre=1))))
    for sheet in ("Reporte", "Datos"):
        values = [cell.value for row in workbook[sheet].iter_rows() for cell in row]
        assert "'=1+1" in values and "'@SUM(A1)" in values, sheet
        assert "=1+1" not in values and "@SUM(A1)" not in values, sheet
    assert all(cell.data_type != "f" for sheet in workbook for row in sheet.iter_rows() for cell in row)


def test_planner_downloads_the_workbook(client):
    load_demo()
    client.force_login(RoleUserFactory(institution=Institution.objects.get(code="IGM"), role="Planificador"))
    response = client.get(reverse("reports:xlsx", args=["IGM", 2024, 3]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="IGM-2024-C3.xlsx"'
    assert (
        load_workbook(BytesIO(response.content))["Reporte"]["A1"].value == "Sistema de Planes Institucionales -SIPLAN-"
    )


def test_another_institution_cannot_download(client):
    load_demo()
    client.force_login(RoleUserFactory(institution=InstitutionFactory(code="OTRA"), role="Planificador"))
    assert client.get(reverse("reports:xlsx", args=["IGM", 2024, 3])).status_code == 404


def test_export_report_command_writes_the_workbook(tmp_path):
    load_demo()
    output = tmp_path / "igm.xlsx"
    call_command(
        "export_report",
        "--institution",
        "IGM",
        "--year",
        "2024",
        "--cuatrimestre",
        "3",
        "--format",
        "xlsx",
        "--output",
        output,
    )
    sheet = load_workbook(output)["Reporte"]
    assert sheet["D13"].value == 14466570


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed on this machine")
def test_libreoffice_opens_the_workbook(demo, tmp_path):
    report, _workbook = demo
    source = tmp_path / "igm.xlsx"
    source.write_bytes(render_xlsx(report))
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "csv", "--outdir", str(tmp_path), str(source)],
        check=True,
        timeout=120,
        capture_output=True,
    )
    assert "14466570" in (tmp_path / "igm.csv").read_text(encoding="utf-8", errors="replace").replace(",", "")
