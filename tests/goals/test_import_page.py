"""Importing from the browser: upload, preview, confirm; errors shown by row and column; only one's own institution."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from goals.imports import EXECUTION_COLUMNS, template_columns
from goals.models import SubproductExecution
from tests.factories import (
    InstitutionFactory,
    ProductFactory,
    ResultFactory,
    RoleUserFactory,
    SubproductFactory,
)
from tests.goals.imports_helpers import csv_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def planner():
    institution = InstitutionFactory(code="PAG")
    SubproductFactory(
        product=ProductFactory(result=ResultFactory(institution=institution, year=2025), name="P"), name="S"
    )
    return RoleUserFactory(institution=institution, role="Planificador")


def upload(rows, name="ejecucion.csv"):
    return SimpleUploadedFile(name, csv_file(EXECUTION_COLUMNS, *rows).getvalue(), content_type="text/csv")


def test_preview_then_confirm_writes_the_file(client, planner):
    client.force_login(planner)
    page = client.post(
        reverse("goals:import"), {"template": "ejecucion", "file": upload([["PAG", 2025, 3, "P", "S", "2", "10.50"]])}
    )
    assert "se creará 1 registro y se actualizarán 0." in page.content.decode()
    assert not SubproductExecution.objects.exists()
    response = client.post(reverse("goals:confirm_import"), follow=True)
    assert "1 registro creado, 0 actualizados." in response.content.decode()
    assert SubproductExecution.objects.get(month=3).updated_by == planner


def test_errors_are_listed_and_nothing_is_written(client, planner):
    client.force_login(planner)
    page = client.post(
        reverse("goals:import"),
        {
            "template": "ejecucion",
            "file": upload([["PAG", 2025, 13, "P", "S", "2", "1"], ["PAG", 2025, 1, "P", "S", "x", "1"]]),
        },
    )
    html = page.content.decode()
    assert "El archivo tiene 2 errores; no se importó nada." in html
    assert "el mes debe estar entre 1 y 12" in html and "«x» no es un número." in html
    assert client.post(reverse("goals:confirm_import")).status_code == 302
    assert not SubproductExecution.objects.exists()


def test_another_institutions_rows_are_refused(client, planner):
    InstitutionFactory(code="OTRA")
    client.force_login(planner)
    page = client.post(
        reverse("goals:import"), {"template": "ejecucion", "file": upload([["OTRA", 2025, 3, "P", "S", "2", "1"]])}
    )
    assert "no puede importar datos de la institución OTRA" in page.content.decode()


def test_only_csv_or_xlsx_files_are_accepted(client, planner):
    client.force_login(planner)
    bad = SimpleUploadedFile("plan.exe", b"MZ", content_type="application/octet-stream")
    page = client.post(reverse("goals:import"), {"template": "plan", "file": bad})
    assert "El archivo debe ser CSV (UTF-8) o XLSX." in page.content.decode()


def test_readers_cannot_import_and_anonymous_users_must_log_in(client, planner):
    client.force_login(RoleUserFactory(institution=planner.institution, role="Lector"))
    assert client.get(reverse("goals:import")).status_code == 403
    client.logout()
    assert client.get(reverse("goals:import")).status_code == 302


@pytest.mark.parametrize(("kind", "columns"), [("plan", template_columns("plan")), ("ejecucion", EXECUTION_COLUMNS)])
def test_empty_templates_download_with_header_example_and_meanings(client, planner, kind, columns):
    client.force_login(planner)
    response = client.get(reverse("goals:import_template", args=[kind]))
    workbook = load_workbook(BytesIO(response.content))
    first = workbook.worksheets[0]
    assert [cell.value for cell in first[1]] == columns
    assert first.max_row == 2
    meanings = {row[0]: row[1] for row in workbook["Columnas"].iter_rows(min_row=2, values_only=True)}
    assert set(meanings) == set(columns) and all(meanings.values())


def test_the_page_offers_monthly_execution_first(client, planner):
    client.force_login(planner)
    form = client.get(reverse("goals:import")).context["form"]
    assert form["template"].value() == "ejecucion"


def test_the_execution_templates_example_row_is_the_planners_and_imports_as_it_is(client, planner):
    product = ProductFactory(
        result=ResultFactory(institution=planner.institution, year=2026), name="Dirección y Coordinación"
    )
    SubproductFactory(product=product, name="Dirección y Coordinación")
    client.force_login(planner)
    content = client.get(reverse("goals:import_template", args=["ejecucion"])).content
    example = load_workbook(BytesIO(content)).worksheets[0][2]
    assert [cell.value for cell in example[:3]] == ["PAG", 2026, 9]
    assert (example[6].data_type, example[6].value, example[6].number_format) == ("n", 7147023.87, "#,##0.00")
    page = client.post(
        reverse("goals:import"), {"template": "ejecucion", "file": SimpleUploadedFile("e.xlsx", content)}
    )
    assert "se creará 1 registro" in page.content.decode()
    client.post(reverse("goals:cancel_import"))
