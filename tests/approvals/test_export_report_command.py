import json

import pytest
from django.core.management import CommandError, call_command

from approvals.demo import load_demo
from goals.models import Institution
from reports.computation import build_report, report_to_dict
from tests.factories import InstitutionFactory, RoleUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def demo():
    load_demo()


def test_json_to_a_file_is_the_computed_report(tmp_path):
    output = tmp_path / "igm.json"
    call_command("export_report", "--institution", "IGM", "--year", "2024", "--cuatrimestre", "3", "--output", output)
    expected = report_to_dict(build_report(institution=Institution.objects.get(code="IGM"), year=2024, cuatrimestre=3))
    assert json.loads(output.read_text(encoding="utf-8")) == expected
    assert "Migración" in output.read_text(encoding="utf-8")


def test_json_to_standard_output(capsys):
    call_command("export_report", "--institution", "IGM", "--year", "2024", "--cuatrimestre", "1", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert data["months"] == [1, 2, 3, 4]


@pytest.mark.parametrize(
    ("institution", "year", "cuatrimestre", "message"),
    [
        ("XYZ", "2024", "3", "No existe la institución XYZ."),
        ("IGM", "2023", "3", "IGM no tiene plan para el año 2023."),
        ("IGM", "2024", "4", "El cuatrimestre debe ser 1, 2 o 3, no 4."),
    ],
)
def test_bad_requests_fail_with_a_clear_message(institution, year, cuatrimestre, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_report", "--institution", institution, "--year", year, "--cuatrimestre", cuatrimestre)


def test_as_a_user_of_another_institution_nothing_is_exported(tmp_path):
    RoleUserFactory(username="otra", institution=InstitutionFactory(code="OTRA"), role="Director")
    with pytest.raises(CommandError, match="No existe la institución IGM."):
        call_command("export_report", "--institution", "IGM", "--year", "2024", "--cuatrimestre", "3", "--user", "otra")


def test_as_a_reader_a_draft_is_refused(tmp_path):
    RoleUserFactory(username="lee", institution=Institution.objects.get(code="IGM"), role="Lector")
    with pytest.raises(CommandError, match="aún no ha sido aprobado"):
        call_command("export_report", "--institution", "IGM", "--year", "2024", "--cuatrimestre", "3", "--user", "lee")
