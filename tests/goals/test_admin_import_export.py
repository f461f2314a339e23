"""The admin's import and export screens use the same templates and rules as the import page."""

import re

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from approvals.demo import load_demo
from goals.imports import EXECUTION_COLUMNS, PLAN_COLUMNS
from goals.models import Institution, Product, SubproductExecution
from goals.resources import ExecutionResource, PlanResource
from tests.factories import (
    ProductFactory,
    ResultFactory,
    RoleUserFactory,
    SubproductFactory,
)
from tests.goals.imports_helpers import csv_file, xlsx_file
from tests.goals.test_import_hostile_files import dimension_bomb

pytestmark = pytest.mark.django_db


def test_plan_export_from_the_admin_selection_has_the_template_columns():
    load_demo()
    dataset = PlanResource().export(queryset=Product.objects.all())
    assert dataset.headers == PLAN_COLUMNS
    assert len(dataset) == 17
    assert dataset[0][PLAN_COLUMNS.index("meta_fisica_inicial")] == 14466570


def test_a_bad_row_is_an_invalid_row_and_nothing_is_written():
    SubproductFactory(
        product=ProductFactory(result=ResultFactory(institution__code="ADM", year=2025), name="P"), name="S"
    )
    dataset = tablib.Dataset(headers=EXECUTION_COLUMNS)
    dataset.append(["ADM", 2025, 1, "P", "S", "1", "2"])
    dataset.append(["ADM", 2025, 13, "P", "S", "1", "2"])
    result = ExecutionResource().import_data(dataset, dry_run=False)
    assert result.has_validation_errors()
    [invalid] = result.invalid_rows
    assert invalid.number == 3 and "entre 1 y 12" in invalid.error_dict["mes"][0]
    assert not SubproductExecution.objects.exists()


def test_planner_imports_execution_through_the_admin_preview_and_confirmation(client):
    institution = ResultFactory(institution__code="ADM", year=2025).institution
    SubproductFactory(product=ProductFactory(result=institution.results.get(), name="P"), name="S")
    planner = RoleUserFactory(institution=institution, role="Planificador", is_staff=True)
    client.force_login(planner)
    url = reverse("admin:goals_product_import")
    page = client.get(url).content.decode()
    csv_choice = re.search(r'<option value="(\d+)"[^>]*>csv</option>', page).group(1)
    upload = SimpleUploadedFile(
        "e.csv", csv_file(EXECUTION_COLUMNS, ["ADM", 2025, 4, "P", "S", "7", "70.50"]).getvalue()
    )
    preview = client.post(url, {"resource": "1", "format": csv_choice, "import_file": upload})
    assert preview.status_code == 200
    confirm = preview.context["confirm_form"]
    assert confirm is not None and not SubproductExecution.objects.exists()
    client.post(reverse("admin:goals_product_process_import"), {**confirm.initial})
    record = SubproductExecution.objects.get(month=4)
    assert (str(record.financial), record.updated_by) == ("70.50", planner)


def test_admin_export_screen_offers_the_templates(client):
    load_demo()
    client.force_login(
        RoleUserFactory(institution=Institution.objects.get(code="IGM"), role="Planificador", is_staff=True)
    )
    page = client.get(reverse("admin:goals_product_export"))
    assert page.status_code == 200
    assert "Plantilla plan" in page.content.decode() and "Plantilla ejecucion" in page.content.decode()


@pytest.fixture
def admin_planner(client):
    institution = ResultFactory(institution__code="ADM", year=2025).institution
    SubproductFactory(product=ProductFactory(result=institution.results.get(), name="P"), name="S")
    client.force_login(RoleUserFactory(institution=institution, role="Planificador", is_staff=True))
    return client


def admin_import(client, name, content):
    url = reverse("admin:goals_product_import")
    titles = re.findall(r'<option value="(\d+)"[^>]*>(\w+)</option>', client.get(url).content.decode())
    choice = {title: value for value, title in titles}[name.rsplit(".", 1)[1]]
    return client.post(url, {"resource": "1", "format": choice, "import_file": SimpleUploadedFile(name, content)})


def test_the_admin_import_reads_only_csv_and_xlsx(admin_planner):
    page = admin_planner.get(reverse("admin:goals_product_import")).content.decode()
    assert sorted(re.findall(r'<option value="\d+"[^>]*>(\w+)</option>', page)) == ["csv", "xlsx"]


def test_the_admin_import_refuses_a_hostile_workbook_with_the_import_pages_reason(admin_planner):
    preview = admin_import(admin_planner, "e.xlsx", dimension_bomb())
    assert preview.status_code == 200
    assert "La hoja declara 1,048,576 filas" in preview.content.decode()
    assert preview.context.get("confirm_form") is None


def test_the_admin_import_reads_an_xlsx_with_blank_rows_and_names_the_files_row(admin_planner):
    content = xlsx_file(
        EXECUTION_COLUMNS, ["ADM", 2025, 4, "P", "S", "7", "70.50"], [], ["ADM", 2025, 13, "P", "S", "1", "1"]
    )
    preview = admin_import(admin_planner, "e.xlsx", content.getvalue())
    [invalid] = preview.context["result"].invalid_rows
    assert invalid.number == 4 and "entre 1 y 12" in invalid.error_dict["mes"][0]
