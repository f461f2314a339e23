"""import_data on the command line, and the demo's data through the three templates and back."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from goals.imports import COLUMNS, export_rows, rows_to_csv
from goals.models import Institution
from reports.computation import build_report, report_to_dict
from tests.factories import InstitutionFactory, RoleUserFactory, demo_in_draft

pytestmark = pytest.mark.django_db


def test_demo_round_trip_through_the_three_templates_gives_the_same_report(tmp_path, capsys):
    igm = demo_in_draft()  # no report approved: the whole institution is deleted and imported back
    expected = [
        report_to_dict(build_report(institution=igm, year=2024, cuatrimestre=cuatrimestre))
        for cuatrimestre in (1, 2, 3)
    ]
    files = {}
    for kind in COLUMNS:
        files[kind] = tmp_path / f"{kind}.csv"
        files[kind].write_bytes(rows_to_csv(kind, export_rows(kind=kind, institution=igm, year=2024)))
    users = get_user_model().objects.all()
    users.update(institution=None)  # the director who approved its reprogramming outlives the institution
    igm.delete()  # the approved reprogramming goes with it
    users.delete()

    for kind in COLUMNS:
        call_command("import_data", kind, str(files[kind]))
    igm = Institution.objects.get(code="IGM")
    imported = [
        report_to_dict(build_report(institution=igm, year=2024, cuatrimestre=cuatrimestre))
        for cuatrimestre in (1, 2, 3)
    ]
    for report in expected + imported:
        report.pop("institution")
    assert imported == expected
    assert "Registros creados: " in capsys.readouterr().out


def test_dry_run_writes_nothing(tmp_path, capsys):
    path = tmp_path / "plan.csv"
    row = {"institucion": "NEW", "institucion_nombre": "Nueva", "anio": 2025, "vinculacion": "RI", "resultado": "R",
           "producto": "P", "subproducto": "", "unidad": "Persona", "meta_fisica_inicial": 1}  # fmt: skip
    path.write_bytes(rows_to_csv("plan", [row]))
    call_command("import_data", "plan", str(path), "--dry-run")
    assert "sin escribir" in capsys.readouterr().out
    assert not Institution.objects.exists()


def test_errors_exit_non_zero_with_every_row_named(tmp_path):
    path = tmp_path / "ejecucion.csv"
    rows = [
        {"institucion": "NADA", "anio": 2025, "mes": 13, "producto": "P", "ejecucion_fisica": "x"},
        {"institucion": "NADA", "anio": 2025, "mes": 1, "producto": "P", "ejecucion_fisica": "1"},
    ]
    path.write_bytes(rows_to_csv("ejecucion", rows))
    with pytest.raises(CommandError) as raised:
        call_command("import_data", "ejecucion", str(path))
    message = str(raised.value)
    assert "Fila 2, columna «mes»" in message and "Fila 2, columna «ejecucion_fisica»" in message
    assert "Fila 3, columna «institucion»" in message


def test_a_missing_file_is_a_clear_error():
    with pytest.raises(CommandError, match="No existe el archivo"):
        call_command("import_data", "plan", "/nonexistent/plan.csv")


def test_as_a_user_rows_of_another_institution_are_refused(tmp_path):
    RoleUserFactory(username="ana", institution=InstitutionFactory(code="MINE"), role="Planificador")
    path = tmp_path / "plan.csv"
    row = {"institucion": "NEW", "institucion_nombre": "Nueva", "anio": 2025, "vinculacion": "RI", "resultado": "R",
           "producto": "P", "subproducto": "", "unidad": "Persona", "meta_fisica_inicial": 1}  # fmt: skip
    path.write_bytes(rows_to_csv("plan", [row]))
    with pytest.raises(CommandError, match="no puede importar datos de la institución NEW"):
        call_command("import_data", "plan", str(path), "--user", "ana")
    with pytest.raises(CommandError, match="No existe el usuario activo nadie"):
        call_command("import_data", "plan", str(path), "--user", "nadie")
