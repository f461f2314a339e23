"""An import racing the director's approval either commits before it (and is in the snapshot) or is refused.

Two threads with their own database connections, on PostgreSQL only: SQLite runs one write transaction at
a time and ignores select_for_update, so it cannot show the race. CI's PostgreSQL run (.ci/run, with
DATABASE_URL set) runs these tests; locally:
DATABASE_URL=postgres://postgres@127.0.0.1:5432/siplan_NAME pytest --create-db
tests/approvals/test_import_races_approval.py
"""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from approvals import services
from approvals.imports import JUSTIFICATION_COLUMNS, JustificationImporter
from approvals.models import CuatrimestreReport, Justification, ReportSnapshot, ReportStatus
from goals.imports import EXECUTION_COLUMNS, import_file
from goals.imports.execution import ExecutionImporter
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

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="a race between two connections needs PostgreSQL's row locks; SQLite serialises every write",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),  # keeps the roles migration's groups
    pytest.mark.usefixtures("roles_after_the_flush"),
]

NAME = "Dirección y Coordinación"
WAIT = 10


@pytest.fixture
def plan():
    """Two institutions with the same names; the second's planner and director race on its first cuatrimestre,
    which the director has returned once (its row exists, so only the lock can make the submission wait)."""
    for code in ("PRIMERA", "SEGUNDA"):
        institution = InstitutionFactory(code=code, acronym=code, issuing_office="DG")
        product = ProductFactory(result=ResultFactory(institution=institution, year=2024), name=NAME)
        subproduct = SubproductFactory(product=product, name=NAME)
        SubproductExecutionFactory(subproduct=subproduct, month=1, physical=Decimal("5"), financial=Decimal("50"))
    planner = RoleUserFactory(institution=institution, role="Planificador", first_name="Ana", last_name="Pérez")
    director = RoleUserFactory(institution=institution, role="Director")
    services.submit(user=planner, institution=institution, year=2024, cuatrimestre=1)
    services.return_report(user=director, institution=institution, year=2024, cuatrimestre=1, comment="revisar enero")
    return institution, subproduct, planner, director


class Worker(threading.Thread):
    """Runs `target` on its own database connection, keeping what it returned or raised."""

    def __init__(self, target):
        super().__init__(daemon=True)
        self.target = target
        self.result = self.error = None

    def run(self):
        try:
            self.result = self.target()
        except Exception as error:  # noqa: BLE001 - handed to the test thread
            self.error = error
        finally:
            connections.close_all()


def january_import(planner):
    content = csv_file(EXECUTION_COLUMNS, ["SEGUNDA", 2024, 1, NAME, NAME, "2268", "60.00"])
    return lambda: import_file("ejecucion", content, "ejecucion.csv", user=planner)


def submit_and_approve(institution, planner, director):
    services.submit(user=planner, institution=institution, year=2024, cuatrimestre=1)
    return services.approve(user=director, institution=institution, year=2024, cuatrimestre=1)


def snapshot_january(snapshot):
    subproduct = snapshot.data["report"]["sections"][0]["products"][0]["subproducts"][0]
    return subproduct["physical"]["cumulative"]


def test_an_import_checked_before_the_approval_and_writing_after_it_is_refused(plan, monkeypatch):
    institution, subproduct, planner, director = plan
    checked, go = threading.Event(), threading.Event()
    hold = ExecutionImporter.hold

    def hold_after_the_approval(importer):
        checked.set()
        go.wait(WAIT)
        hold(importer)

    monkeypatch.setattr(ExecutionImporter, "hold", hold_after_the_approval)
    importing = Worker(january_import(planner))
    importing.start()
    assert checked.wait(WAIT)
    approving = Worker(lambda: submit_and_approve(institution, planner, director))
    approving.start()
    approving.join(WAIT)
    assert approving.error is None and approving.result is not None
    go.set()
    importing.join(WAIT)
    assert importing.error is None
    messages = [error.message for error in importing.result.errors]
    assert len(messages) == 1
    assert "La ejecución de enero 2024 pertenece al reporte aprobado del Primer Cuatrimestre 2024" in messages[0]
    assert SubproductExecution.objects.get(subproduct=subproduct, month=1).physical == Decimal("5.00")
    assert snapshot_january(ReportSnapshot.objects.get()) == "5.00"


def test_an_approval_started_while_an_import_writes_waits_and_freezes_the_imported_figures(plan, monkeypatch):
    institution, subproduct, planner, director = plan
    written, go = threading.Event(), threading.Event()
    write = ExecutionImporter.write

    def write_then_wait(importer):
        write(importer)
        written.set()
        go.wait(WAIT)

    monkeypatch.setattr(ExecutionImporter, "write", write_then_wait)
    importing = Worker(january_import(planner))
    importing.start()
    assert written.wait(WAIT)
    approving = Worker(lambda: submit_and_approve(institution, planner, director))
    approving.start()
    approving.join(1)
    assert approving.is_alive(), "the submission did not wait for the import's lock"
    assert not CuatrimestreReport.objects.filter(status__in=[ReportStatus.IN_REVIEW, ReportStatus.APPROVED]).exists()
    go.set()
    importing.join(WAIT)
    approving.join(WAIT)
    assert importing.error is None and importing.result.errors == []
    assert approving.error is None
    assert SubproductExecution.objects.get(subproduct=subproduct, month=1).physical == Decimal("2268.00")
    assert snapshot_january(approving.result) == "2268.00"


def test_a_justification_import_checked_before_the_submission_and_writing_after_it_is_refused(plan, monkeypatch):
    institution, _subproduct, planner, _director = plan
    checked, go = threading.Event(), threading.Event()
    hold = JustificationImporter.hold

    def hold_after_the_submission(importer):
        checked.set()
        go.wait(WAIT)
        hold(importer)

    monkeypatch.setattr(JustificationImporter, "hold", hold_after_the_submission)
    content = csv_file(JUSTIFICATION_COLUMNS, ["SEGUNDA", 2024, 1, NAME, "", "producto", "Se adjudica en mayo."])
    importing = Worker(lambda: import_file("justificacion", content, "justificacion.csv", user=planner))
    importing.start()
    assert checked.wait(WAIT)
    submitting = Worker(lambda: services.submit(user=planner, institution=institution, year=2024, cuatrimestre=1))
    submitting.start()
    submitting.join(WAIT)
    assert submitting.error is None
    go.set()
    importing.join(WAIT)
    assert importing.error is None
    [error] = importing.result.errors
    assert (error.row, error.column) == (2, "cuatrimestre")
    assert "sus justificaciones no pueden cambiar" in error.message
    assert not Justification.objects.exists()
