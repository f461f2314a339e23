"""The planner imports the justifications of a cuatrimestre's deviations from a spreadsheet (`justificacion`), as the
other templates: every row checked first, all or nothing, only his institution, only the deviations the report has,
never once the report is in review or approved; the preview shows each text that changes; the command line, the
downloadable template and the export know the template too."""

import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml.html import fromstring as parse_html
from openpyxl import load_workbook

from approvals.imports import JUSTIFICATION_COLUMNS
from approvals.models import CuatrimestreReport, Justification, ReportStatus
from goals.imports import COLUMNS, export_rows, import_file, rows_to_csv
from tests.factories import (
    InstitutionFactory,
    JustificationFactory,
    ProductExecutionFactory,
    ProductFactory,
    ResultFactory,
    RoleUserFactory,
    SubproductExecutionFactory,
    SubproductFactory,
)
from tests.goals.imports_helpers import csv_file

pytestmark = pytest.mark.django_db

OVER = ["JUS", 2024, 1, "Pasaportes", "Emisión", "sobreejecucion", "Campaña de emisión en febrero."]
GAP = ["JUS", 2024, 1, "Pasaportes", "Emisión", "brecha_avance", "Los pagos de febrero se registran en mayo."]
LATE = ["JUS", 2024, 1, "Becas", "", "producto", "Las becas se adjudican en junio."]


def plan_with_deviations(code):
    """In the first cuatrimestre of 2024: «Pasaportes» and its «Emisión» over-executed (and «Emisión» spent far
    less than it delivered), «Becas» late with nothing done."""
    institution = InstitutionFactory(code=code)
    product = ProductFactory(result=ResultFactory(institution=institution, year=2024), name="Pasaportes")
    subproduct = SubproductFactory(product=product, name="Emisión")
    SubproductExecutionFactory(subproduct=subproduct, month=2, physical=Decimal("150"), financial=Decimal("100"))
    ProductExecutionFactory(product=product, month=2, physical=Decimal("150"))
    ProductFactory(result=product.result, name="Becas")
    return institution


@pytest.fixture
def institution():
    plan_with_deviations("OTR")  # another institution whose plan shares every name, and the same deviations
    return plan_with_deviations("JUS")


@pytest.fixture
def planner(client, institution):
    user = RoleUserFactory(institution=institution, role="Planificador")
    client.force_login(user)
    return user


def upload(client, rows):
    content = csv_file(JUSTIFICATION_COLUMNS, *rows).getvalue()
    file = SimpleUploadedFile("justificaciones.csv", content, content_type="text/csv")
    return client.post(reverse("goals:import"), {"template": "justificacion", "file": file})


def errors_of(response):
    page = parse_html(response.content.decode())
    return [[cell.text_content() for cell in row] for row in page.xpath("//section[@class='import-errors']//tbody/tr")]


def counts_of(response):
    return parse_html(response.content.decode()).find(".//p[@class='preview-counts']").text_content()


def test_the_planner_previews_then_confirms_and_each_justification_is_his(client, planner, institution):
    preview = upload(client, [OVER, GAP, LATE])
    assert counts_of(preview) == "3 registros nuevos · 0 que cambian · 0 sin cambios (no se reescriben)"
    assert not Justification.objects.exists()
    response = client.post(reverse("goals:confirm_import"), follow=True)
    assert "3 registros creados, 0 actualizados." in response.content.decode()
    saved = {(j.product, j.subproduct, j.kind): (j.text, j.updated_by) for j in Justification.objects.all()}
    assert saved == {
        ("Pasaportes", "Emisión", "sobreejecucion"): (OVER[-1], planner),
        ("Pasaportes", "Emisión", "brecha_avance"): (GAP[-1], planner),
        ("Becas", "", "producto"): (LATE[-1], planner),
    }
    assert set(Justification.objects.values_list("institution__code", flat=True)) == {"JUS"}
    assert Justification.history.count() == 3


def test_a_second_import_shows_old_and_new_text_and_rewrites_nothing_unchanged(client, planner, institution):
    kept = JustificationFactory(
        institution=institution, product="Pasaportes", subproduct="Emisión", kind="sobreejecucion", text=OVER[-1]
    )
    changed = JustificationFactory(institution=institution, product="Becas", kind="producto", text="Texto viejo.")
    preview = upload(client, [OVER, GAP, LATE])
    assert counts_of(preview) == "1 registro nuevo · 1 que cambia · 1 sin cambios (no se reescribe)"
    table = parse_html(preview.content.decode()).xpath("//table[contains(@class, 'preview-changes')]/tbody/tr")
    assert [[cell.text_content() for cell in row] for row in table] == [
        ["4", "Becas (producto en atención o rezagado)", "Primer Cuatrimestre 2024", "texto", "Texto viejo.", LATE[-1]]
    ]
    client.post(reverse("goals:confirm_import"))
    assert kept.history.count() == 1  # its creation only: the unchanged row wrote nothing
    kept.refresh_from_db()
    assert kept.updated_by != planner
    changed.refresh_from_db()
    assert (changed.text, changed.updated_by, changed.history.count()) == (LATE[-1], planner, 2)


def test_a_bad_row_in_the_middle_refuses_the_whole_file(client, planner):
    bad = ["JUS", 2024, 1, "Pasaportes", "Emisión", "sobre", "Texto."]
    response = upload(client, [OVER, bad, LATE])
    assert errors_of(response) == [
        ["3", "tipo", "debe ser uno de sobreejecucion, gasto_sin_meta, brecha_avance, producto_no_suma, mes_vacio, "
                      "producto, no «sobre»."],
    ]  # fmt: skip
    assert "El archivo tiene 1 error; no se importó nada." in response.content.decode()
    assert client.post(reverse("goals:confirm_import"), follow=True).redirect_chain
    assert not Justification.objects.exists()


def test_a_row_of_another_institution_is_refused_though_its_plan_has_the_same_deviation(client, planner):
    response = upload(client, [OVER, ["OTR", *OVER[1:]]])
    assert errors_of(response) == [["3", "institucion", "no puede importar datos de la institución OTR."]]
    assert not Justification.objects.exists()


def test_only_a_deviation_the_report_has_can_be_justified(client, planner):
    rows = [
        ["JUS", 2024, 1, "Pasaportes", "Emisión", "gasto_sin_meta", "No hubo gasto sin meta."],
        ["JUS", 2024, 1, "Becas", "Inexistente", "sobreejecucion", "Texto."],
        ["JUS", 2024, 2, "Becas", "", "sobreejecucion", "Becas no se sobreejecutó."],
        ["JUS", 2023, 1, "Becas", "", "producto", "Un año sin plan."],
    ]
    assert errors_of(upload(client, rows)) == [
        ["2", "tipo", "«Emisión» no tiene esa desviación en el Primer Cuatrimestre 2024; tiene: sobreejecucion, "
                      "brecha_avance."],
        ["3", "subproducto", "«Inexistente» no tiene alertas ni semáforo en Atención o Rezagado en el Primer "
                             "Cuatrimestre 2024."],
        ["4", "tipo", "«Becas» no tiene esa desviación en el Segundo Cuatrimestre 2024; tiene: producto."],
        ["5", "anio", "JUS no tiene plan para el año 2023."],
    ]  # fmt: skip


def test_the_same_deviation_twice_and_an_overlong_text_are_refused(client, planner):
    too_long = [*LATE[:-1], "x" * 4001]
    assert errors_of(upload(client, [OVER, OVER, too_long])) == [
        ["3", "tipo", "repite la desviación de la fila 2."],
        ["4", "texto", "tiene 4001 caracteres; el máximo es 4000."],
    ]


@pytest.mark.parametrize("status", [ReportStatus.IN_REVIEW, ReportStatus.APPROVED])
def test_a_report_in_review_or_approved_refuses_its_justifications(client, planner, institution, status):
    CuatrimestreReport.objects.create(institution=institution, year=2024, cuatrimestre=1, status=status)
    response = upload(client, [OVER, LATE])
    [[row, column, message]] = errors_of(response)
    assert (row, column) == ("2", "cuatrimestre")
    assert "sus justificaciones no pueden cambiar" in message
    assert not Justification.objects.exists()


def test_the_command_line_imports_them_and_refuses_a_file_with_errors(tmp_path, institution, capsys):
    path = tmp_path / "justificaciones.csv"
    path.write_bytes(csv_file(JUSTIFICATION_COLUMNS, OVER, LATE).getvalue())
    call_command("import_data", "justificacion", str(path), "--dry-run")
    assert not Justification.objects.exists()
    call_command("import_data", "justificacion", str(path))
    assert "Registros creados: 2; actualizados: 0." in capsys.readouterr().out
    assert Justification.objects.filter(updated_by=None).count() == 2
    path.write_bytes(csv_file(JUSTIFICATION_COLUMNS, [*OVER[:-1], "Otro texto."], ["JUS", 2024, 9]).getvalue())
    with pytest.raises(CommandError, match="Fila 3, columna «cuatrimestre»"):
        call_command("import_data", "justificacion", str(path))
    assert Justification.objects.get(kind="sobreejecucion").text == OVER[-1]


def test_the_template_downloads_with_its_columns_and_their_meaning(client, planner):
    page = client.get(reverse("goals:import")).content.decode()
    assert "justificacion.xlsx" in page and "Justificación de desviaciones" in page
    workbook = load_workbook(BytesIO(client.get(reverse("goals:import_template", args=["justificacion"])).content))
    sheet, help_sheet = workbook.worksheets
    header, example = (list(row) for row in sheet.iter_rows(values_only=True))
    assert header == JUSTIFICATION_COLUMNS == COLUMNS["justificacion"]
    assert example[:6] == ["JUS", 2024, 3, "Dirección y Coordinación", None, "producto"]
    meaning = dict(help_sheet.iter_rows(min_row=2, values_only=True))
    assert "sobreejecucion, gasto_sin_meta" in meaning["tipo"] and "4,000 caracteres" in meaning["texto"]


def test_the_export_imports_back_unchanged(institution):
    JustificationFactory(institution=institution, product="Becas", kind="producto", text="Adjudicación en junio.")
    JustificationFactory(institution=institution, product="Pasaportes", kind="sobreejecucion", text="Campaña.")
    rows = export_rows(kind="justificacion", institution=institution, year=2024)
    assert [(row["producto"], row["tipo"], row["texto"]) for row in rows] == [
        ("Becas", "producto", "Adjudicación en junio."),
        ("Pasaportes", "sobreejecucion", "Campaña."),
    ]
    result = import_file("justificacion", BytesIO(rows_to_csv("justificacion", rows)), "j.csv", dry_run=True)
    assert (result.ok, result.preview.new, result.preview.changed, result.preview.unchanged) == (True, 0, 0, 2)


def test_the_admin_exports_the_justifications_of_his_institution_as_the_template(client, institution):
    JustificationFactory(institution=institution, product="Becas", kind="producto", text="Adjudicación en junio.")
    JustificationFactory(institution=InstitutionFactory(code="OTR"), product="Becas", kind="producto", text="Ajena.")
    client.force_login(RoleUserFactory(institution=institution, role="Planificador", is_staff=True))
    url = reverse("admin:approvals_justification_export")
    csv_choice = re.search(r'<option value="(\d+)">csv', client.get(url).content.decode()).group(1)
    exported = client.post(url, {"format": csv_choice, "resource": "0"})
    assert exported.content.decode("utf-8-sig").splitlines() == [
        ",".join(JUSTIFICATION_COLUMNS),
        "JUS,2024,1,Becas,,producto,Adjudicación en junio.",
    ]


# Whatever a cell holds: text around the limits, numbers, control and direction characters, formulas.
HOSTILE = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", '=HYPERLINK("http://x")', "\u202eodatsE", "\x00", "9" * 30, "-1", "2024.5", "x" * 4001]),
)


@settings(max_examples=60, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(cells=st.lists(HOSTILE, min_size=7, max_size=7), column=st.integers(0, 6))
def test_a_hostile_cell_in_any_column_is_refused_by_row_and_column_or_stored_within_its_limits(
    institution, cells, column
):
    """One valid row, then the same row with one column replaced by hostile text, then a row of hostile text: the
    file is imported whole or refused whole with «Fila N, columna «c»» errors, and never fails."""
    hostile = [*OVER]
    hostile[column] = cells[column]
    file = csv_file(JUSTIFICATION_COLUMNS, LATE, hostile, cells)
    with transaction.atomic():
        result = import_file("justificacion", file, "justificaciones.csv")
        stored = list(Justification.objects.values_list("institution__code", "text"))
        transaction.set_rollback(True)
    if result.ok:
        assert stored and all(code == "JUS" and 0 < len(text) <= 4000 for code, text in stored)
    else:
        assert stored == []
        assert result.errors and all(re.match(r"Fila \d+, columna «", str(error)) for error in result.errors)
