"""Downloading every export of an institution whose stored names hold what no validator would let in today
(control characters, a right-to-left override, a formula): every xlsx and PDF renders and reads back."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from goals.imports import export_rows, rows_to_csv
from reports.computation import build_report
from reports.pdf import render_oficio_pdf, render_package_pdf, render_report_pdf
from reports.xlsx import render_xlsx
from siplan.spreadsheets import neutralise, restore
from tests.factories import (
    InstitutionFactory,
    ProductExecutionFactory,
    ProductFactory,
    ResultFactory,
    SubproductExecutionFactory,
    SubproductFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PRODUCT = "\u202eDirección\u0007 y Coordinación"
SUBPRODUCT = '=HYPERLINK("http://evil.example","clic")\u001b'
RESULT = "Resultado\u000b institucional"
INSTITUTION = "Instituto\u0008 Hostil"
# What an xlsx holds instead: each control character replaced, the formula behind an apostrophe.
SHOWN = {
    PRODUCT: "\u202eDirección\ufffd y Coordinación",
    SUBPRODUCT: '\'=HYPERLINK("http://evil.example","clic")\ufffd',
    RESULT: "Resultado\ufffd institucional",
}


@pytest.fixture
def institution():
    """Names stored straight in the database, as an old import or a database edit left them."""
    institution = InstitutionFactory(code="HOS", name=INSTITUTION, authority_name="Lic.\u0007 Pérez")
    product = ProductFactory(
        result=ResultFactory(institution=institution, description=RESULT), name=PRODUCT, unit="Doc\u0001"
    )
    subproduct = SubproductFactory(product=product, name=SUBPRODUCT, unit="Doc\u0001")
    ProductExecutionFactory(product=product, month=2, physical=Decimal("5.00"))
    SubproductExecutionFactory(subproduct=subproduct, month=2, physical=Decimal("5.00"), financial=Decimal("250.00"))
    return institution


def workbook_texts(content):
    workbook = load_workbook(io.BytesIO(content))
    return {
        cell.value for sheet in workbook for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)
    }


def test_neutralise_replaces_what_an_xlsx_cannot_hold_then_guards_formulas():
    assert neutralise("\u0007=1+1") == "\ufffd=1+1"
    assert neutralise("=1+1\u0007") == "'=1+1\ufffd"
    assert neutralise("línea\tuno\ndos") == "línea\tuno\ndos"
    assert restore(neutralise(SUBPRODUCT)) == SUBPRODUCT.replace("\u001b", "\ufffd")


def test_the_report_workbook_renders_and_reads_back(institution):
    texts = workbook_texts(render_xlsx(build_report(institution=institution, year=2024, cuatrimestre=1)))
    assert set(SHOWN.values()) <= texts
    assert "Instituto\ufffd Hostil".upper() in texts
    assert (
        load_workbook(
            io.BytesIO(render_xlsx(build_report(institution=institution, year=2024, cuatrimestre=1)))
        ).properties.creator
        == "Instituto\ufffd Hostil"
    )


def test_the_consolidated_workbook_renders_for_its_readers(client, institution):
    client.force_login(UserFactory(is_superuser=True, institution=institution))
    response = client.get(reverse("reports:consolidated"), {"anio": 2024, "cuatrimestre": 1, "formato": "xlsx"})
    assert response.status_code == 200
    assert {SHOWN[PRODUCT], SHOWN[RESULT], "Doc\ufffd"} <= workbook_texts(response.content)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_admin_export_renders(client, institution, file_format):
    client.force_login(UserFactory(is_staff=True, is_superuser=True, institution=institution))
    url = reverse("admin:goals_product_export")
    choice = re.search(rf'<option value="(\d+)"[^>]*>{file_format}</option>', client.get(url).content.decode()).group(1)
    response = client.post(url, {"resource": "0", "format": choice})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    if file_format == "xlsx":
        texts = workbook_texts(response.content)
    else:
        texts = {value for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig"))) for value in row}
    assert set(SHOWN.values()) <= texts


def test_the_template_exports_render(institution):
    for kind in ("plan", "ejecucion"):
        exported = rows_to_csv(kind, export_rows(kind=kind, institution=institution, year=2024)).decode()
        texts = {value for row in csv.reader(io.StringIO(exported))
                 for value in row}  # fmt: skip
        assert {SHOWN[PRODUCT], SHOWN[SUBPRODUCT]} <= texts


def test_the_pdfs_render_the_names(institution):
    report = build_report(institution=institution, year=2024, cuatrimestre=1)
    for content in (
        render_report_pdf(report),
        render_oficio_pdf(institution, report),
        render_package_pdf(institution, report),
    ):
        text = re.sub(r"\s+", "", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages))
        assert "Instituto\ufffdHostil" in text
    text = re.sub(
        r"\s+", "", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(render_report_pdf(report))).pages)
    )
    assert "nóicanidrooCy\ufffdnóicceriD" in text and 'HYPERLINK("http://evil.example","clic")\ufffd' in text
