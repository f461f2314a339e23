"""Hostile text typed into every text field and import cell: stored verbatim, shown escaped on every page and
in the PDF, the database untouched, and neutralised in every spreadsheet a person downloads."""

import csv
import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from goals.imports import COLUMNS, export_rows, import_file, rows_to_csv
from goals.models import Institution, Product, Reprogramming, Result, Subproduct
from reports.computation import build_report
from reports.pdf import render_oficio_pdf, render_report_pdf
from reports.xlsx import render_xlsx
from siplan.spreadsheets import FORMULA_PREFIXES
from tests.factories import RoleUserFactory, UserFactory
from tests.goals.imports_helpers import csv_file
from tests.html_checks import inline_code

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
PAYLOADS = [
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE goals_product; --",
    '=HYPERLINK("http://evil.example","clic")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
]
FORMULAS = [payload for payload in PAYLOADS if payload.startswith(FORMULA_PREFIXES)]
YEAR = 2025


def plan_rows():
    """One result, product and subproduct per payload; the payload in every text cell of the row."""
    rows = []
    for index, payload in enumerate(PAYLOADS):
        common = ["HOST", SCRIPT, YEAR, "RI", payload, payload, payload, payload]
        rows.append([*common, "", payload, 100 + index, ""])
        rows.append([*common, payload, payload, 10 + index, "1000.00"])
    return rows


@pytest.fixture
def hostile_plan():
    """The plan, a month of execution and a reprogramming per payload, imported as files are."""
    plan = import_file("plan", csv_file(COLUMNS["plan"], *plan_rows()), "plan.csv")
    execution = [["HOST", YEAR, 1, payload, payload, 5, "250.00"] for payload in PAYLOADS]
    executed = import_file("ejecucion", csv_file(COLUMNS["ejecucion"], *execution), "ejecucion.csv")
    reprogrammings = [
        ["HOST", YEAR, f"RES-{index}", (date(YEAR, 2, 1) + timedelta(days=index)).isoformat(), payload, payload,
         "financiera", "1200.00", payload]
        for index, payload in enumerate(PAYLOADS)
    ]  # fmt: skip
    reprogrammed = import_file("reprogramacion", csv_file(COLUMNS["reprogramacion"], *reprogrammings), "r.csv")
    assert plan.ok and executed.ok and reprogrammed.ok, (plan.errors, executed.errors, reprogrammed.errors)
    return Institution.objects.get(code="HOST")


def escaped(text):
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#x27;")
    )


def assert_shown_escaped(response, texts=PAYLOADS):
    assert response.status_code == 200
    page = response.content.decode()
    assert inline_code(response) == []
    assert SCRIPT not in page and "<img src=x" not in page
    for text in texts:
        assert escaped(text) in page, text


def test_imported_text_is_stored_verbatim_and_the_tables_survive(hostile_plan):
    assert hostile_plan.name == SCRIPT
    assert set(Result.objects.filter(institution=hostile_plan).values_list("description", flat=True)) == set(PAYLOADS)
    products = Product.objects.filter(result__institution=hostile_plan)
    assert sorted(products.values_list("name", flat=True)) == sorted(PAYLOADS)
    assert sorted(products.values_list("unit", flat=True)) == sorted(PAYLOADS)
    assert sorted(Subproduct.objects.filter(product__in=products).values_list("name", flat=True)) == sorted(PAYLOADS)
    justifications = Reprogramming.objects.filter(institution=hostile_plan).values_list("justification", flat=True)
    assert sorted(justifications) == sorted(PAYLOADS)
    assert {"goals_product", "goals_subproduct", "goals_institution"} <= set(connection.introspection.table_names())


def test_every_page_shows_the_text_escaped(client, hostile_plan):
    client.force_login(RoleUserFactory(institution=hostile_plan, role="Planificador"))
    for url in [
        reverse("reports:report", args=["HOST", YEAR, 1]),
        reverse("goals:products", args=["HOST", YEAR]),
        reverse("goals:execution", args=["HOST", YEAR]),
        reverse("goals:enter_month", args=[YEAR, 1]),
    ]:
        assert_shown_escaped(client.get(url))
    assert_shown_escaped(client.get(reverse("goals:institutions")), [SCRIPT])


def test_the_director_sees_justifications_escaped(client, hostile_plan):
    client.force_login(RoleUserFactory(institution=hostile_plan, role="Director"))
    assert_shown_escaped(client.get(reverse("approvals:reprogrammings", args=["HOST"])))


def test_the_pdf_prints_the_text_as_text(hostile_plan):
    report = build_report(institution=hostile_plan, year=YEAR, cuatrimestre=1)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(render_report_pdf(report))).pages)
    flat = re.sub(r"\s+", "", text)
    for payload in [SCRIPT, *FORMULAS]:
        assert re.sub(r"\s+", "", payload) in flat, payload
    oficio = PdfReader(io.BytesIO(render_oficio_pdf(hostile_plan, report))).pages[0].extract_text()
    assert SCRIPT in oficio


def assert_neutralised(values):
    """Every text value that a spreadsheet would take for a formula carries the apostrophe."""
    texts = [value for value in values if isinstance(value, str)]
    assert not [text for text in texts if len(text) > 1 and text.startswith(FORMULA_PREFIXES)]
    for formula in FORMULAS:
        assert "'" + formula in texts, formula


def test_the_report_workbook_neutralises_formulas_on_both_sheets(hostile_plan):
    workbook = load_workbook(io.BytesIO(render_xlsx(build_report(institution=hostile_plan, year=YEAR, cuatrimestre=1))))
    for sheet in workbook:
        assert_neutralised([cell.value for row in sheet.iter_rows() for cell in row])
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert workbook["Datos"]["E2"].value in {"'" + formula for formula in FORMULAS} | set(PAYLOADS)


@pytest.mark.parametrize("kind", ["plan", "reprogramacion", "ejecucion"])
def test_template_exports_neutralise_formulas_and_import_back_unchanged(hostile_plan, kind):
    content = rows_to_csv(kind, export_rows(kind=kind, institution=hostile_plan, year=YEAR))
    values = [value for row in csv.reader(io.StringIO(content.decode("utf-8"))) for value in row]
    assert_neutralised(values)
    again = import_file(kind, io.BytesIO(content), "export.csv", approve=True)
    assert again.ok and again.created == 0, again.errors
    assert sorted(Product.objects.filter(result__institution=hostile_plan).values_list("name", flat=True)) == sorted(
        PAYLOADS
    )


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_admin_exports_neutralise_formulas(client, hostile_plan, file_format):
    client.force_login(UserFactory(is_staff=True, is_superuser=True, institution=hostile_plan))
    url = reverse("admin:goals_product_export")
    page = client.get(url).content.decode()
    choice = re.search(rf'<option value="(\d+)"[^>]*>{file_format}</option>', page).group(1)
    response = client.post(url, {"resource": "0", "format": choice})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    if file_format == "csv":
        values = [value for row in csv.reader(io.StringIO(response.content.decode("utf-8"))) for value in row]
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert_neutralised(values)
    assert Decimal(str(values[values.index("meta_fisica_inicial") + len(COLUMNS["plan"])])) in {
        Decimal(100 + i) for i in range(7)
    }


def test_the_consolidated_export_neutralises_formulas(client, hostile_plan):
    client.force_login(UserFactory(is_superuser=True, institution=hostile_plan))
    response = client.get(reverse("reports:consolidated"), {"anio": YEAR, "cuatrimestre": 1, "formato": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert_neutralised([cell.value for row in sheet.iter_rows() for cell in row])
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def text_fields(model, exclude=()):
    """A payload in every free-text field of a model (cut to the field's length), by field name."""
    fields = [
        field
        for field in model._meta.fields
        if field.get_internal_type() in ("CharField", "TextField") and not field.choices
    ]
    return {
        field.name: PAYLOADS[index % len(PAYLOADS)][: field.max_length]
        for index, field in enumerate(field for field in fields if field.name not in exclude)
    }


def test_admin_forms_store_the_text_verbatim_and_show_it_escaped(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    fields = text_fields(Institution, exclude={"code", "email"})
    response = client.post(
        reverse("admin:goals_institution_add"),
        {"code": "ADM", "institution_type": "otra", "sector": "sin_clasificar", **fields},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    institution = Institution.objects.get(code="ADM")
    assert {field: getattr(institution, field) for field in fields} == fields
    assert_shown_escaped(client.get(reverse("admin:goals_institution_changelist")), [fields["name"]])
    assert_shown_escaped(
        client.get(reverse("admin:goals_institution_change", args=[institution.pk])), list(fields.values())
    )
