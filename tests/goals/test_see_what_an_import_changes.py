"""Before confirming an execution import the planner sees, per row, the old figure and the new one, and how many
records are new, changed or unchanged; confirming rewrites none of the unchanged."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from lxml.html import fromstring as parse_html

from goals.imports import EXECUTION_COLUMNS
from goals.models import SubproductExecution
from tests.factories import (
    InstitutionFactory,
    ProductFactory,
    ResultFactory,
    RoleUserFactory,
    SubproductExecutionFactory,
    SubproductFactory,
)
from tests.goals.imports_helpers import csv_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def planner(client):
    institution = InstitutionFactory(code="PRV")
    product = ProductFactory(result=ResultFactory(institution=institution, year=2024), name="P")
    subproduct = SubproductFactory(product=product, name="Pasaportes")
    SubproductExecutionFactory(subproduct=subproduct, month=1, physical=Decimal("5"), financial=Decimal("100.00"))
    SubproductExecutionFactory(subproduct=subproduct, month=2, physical=Decimal("7"), financial=Decimal("200.00"))
    user = RoleUserFactory(institution=institution, role="Planificador")
    client.force_login(user)
    return user


def upload(client, rows):
    file = SimpleUploadedFile("ejecucion.csv", csv_file(EXECUTION_COLUMNS, *rows).getvalue(), content_type="text/csv")
    return client.post(reverse("goals:import"), {"template": "ejecucion", "file": file})


ROWS = [
    ["PRV", 2024, 1, "P", "Pasaportes", "5", "100"],  # unchanged
    ["PRV", 2024, 2, "P", "Pasaportes", "9", "200"],  # physical 7 → 9
    ["PRV", 2024, 3, "P", "Pasaportes", "1", "50"],  # new
]


def test_the_preview_shows_old_and_new_values_and_counts(client, planner):
    html = upload(client, ROWS).content.decode()
    page = parse_html(html)
    assert page.find(".//p[@class='preview-counts']").text_content() == (
        "1 registro nuevo · 1 que cambia · 1 sin cambios (no se reescribe)"
    )
    table_rows = page.xpath("//table[contains(@class, 'preview-changes')]/tbody/tr")
    rows = [[cell.text_content() for cell in row] for row in table_rows]
    assert rows == [["3", "Pasaportes", "febrero", "ejecución física", "7.00", "9.00"]]
    assert SubproductExecution.objects.get(month=2).physical == Decimal("7.00")


def test_confirming_rewrites_only_what_changes(client, planner):
    upload(client, ROWS)
    history_before = SubproductExecution.history.count()
    unchanged = SubproductExecution.objects.get(month=1)
    response = client.post(reverse("goals:confirm_import"), follow=True)
    assert "1 registro creado, 1 actualizado." in response.content.decode()
    # one history record for the new month, one for the changed month; none for the unchanged one
    assert SubproductExecution.history.count() == history_before + 2
    assert SubproductExecution.history.filter(id=unchanged.pk).count() == 1
    assert SubproductExecution.objects.get(month=1).updated_at == unchanged.updated_at


def test_a_file_that_changes_nothing_says_so_and_writes_nothing(client, planner):
    page = parse_html(upload(client, ROWS[:1]).content.decode())
    assert page.find(".//p[@class='preview-counts']").text_content() == (
        "0 registros nuevos · 0 que cambian · 1 sin cambios (no se reescribe)"
    )
    assert not page.xpath("//table[contains(@class, 'preview-changes')]")
    history_before = SubproductExecution.history.count()
    client.post(reverse("goals:confirm_import"))
    assert SubproductExecution.history.count() == history_before
