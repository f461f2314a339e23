"""An approved reprogramming is the director's signed word: a re-imported file, the admin, the page or the shell may
read it again but never change its date, its goals or its lines, until the director reopens it (audited). Another
institution whose plan and document share every name keeps its own pending document open."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from approvals.services import reopen_reprogramming
from goals.imports import REPROGRAMMING_COLUMNS, export_rows, import_file, rows_to_csv
from goals.models import GoalKind, Reprogramming, ReprogrammingLine, ReprogrammingStatus
from tests.factories import (
    InstitutionFactory,
    ProductFactory,
    ReprogrammingFactory,
    ReprogrammingLineFactory,
    ResultFactory,
    RoleUserFactory,
    SubproductFactory,
)
from tests.goals.imports_helpers import csv_file

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2024, 3, 15)


def documented_plan(code, status):
    """A plan (product «P», subproduct «S») and its document RES-001-2024 of 15 March that sets P's physical goal to 80
    and S's financial goal to Q900."""
    institution = InstitutionFactory(code=code)
    product = ProductFactory(result=ResultFactory(institution=institution, year=2024), name="P")
    subproduct = SubproductFactory(product=product, name="S")
    document = ReprogrammingFactory(institution=institution, number="RES-001-2024", date=MARCH, status=status)
    ReprogrammingLineFactory(reprogramming=document, product=product, kind=GoalKind.PHYSICAL, new_goal=80)
    ReprogrammingLineFactory(
        reprogramming=document, subproduct=subproduct, kind=GoalKind.FINANCIAL, new_goal=Decimal("900")
    )
    return document


@pytest.fixture
def approved():
    documented_plan("OTR", ReprogrammingStatus.PENDING)  # another institution whose plan shares every name
    return documented_plan("PRV", ReprogrammingStatus.APPROVED)


def changed_rows(code):
    """The document as exported, with a goal changed (900 → 950), a new line (S's physical goal) and a new date."""
    return [
        [code, 2024, "RES-001-2024", "2024-03-15", "P", "", "fisica", "80", "Ajuste de metas"],
        [code, 2024, "RES-001-2024", "2024-03-15", "P", "S", "financiera", "950", ""],
        [code, 2024, "RES-001-2024", "2024-03-15", "P", "S", "fisica", "90", ""],
    ]


def goals_of(document):
    return sorted((line.kind, line.new_goal) for line in ReprogrammingLine.objects.filter(reprogramming=document))


def test_reimporting_an_approved_reprogramming_as_exported_writes_nothing(approved):
    content = rows_to_csv(
        "reprogramacion", export_rows(kind="reprogramacion", institution=approved.institution, year=2024)
    )
    dry = import_file("reprogramacion", io.BytesIO(content), "r.csv", dry_run=True)
    assert (dry.errors, dry.preview.new, dry.preview.changed, dry.preview.unchanged) == ([], 0, 0, 2)
    result = import_file("reprogramacion", io.BytesIO(content), "r.csv")
    assert (result.errors, result.created, result.updated) == ([], 0, 0)
    assert ReprogrammingLine.history.filter(reprogramming_id=approved.pk).count() == 2


def test_a_reimport_that_changes_an_approved_reprogramming_is_refused_at_each_cell(approved):
    rows = [[*row[:3], "2024-03-20", *row[4:]] for row in changed_rows("PRV")]
    result = import_file("reprogramacion", csv_file(REPROGRAMMING_COLUMNS, *rows), "r.csv")
    assert [(error.row, error.column) for error in result.errors] == [
        (2, "fecha"), (3, "meta_vigente_nueva"), (4, "subproducto"),
    ]  # fmt: skip
    assert {error.message for error in result.errors} == {
        "La reprogramación RES-001-2024 está aprobada y no puede cambiar; el director debe reabrirla primero."
    }
    approved.refresh_from_db()
    assert approved.date == MARCH
    assert goals_of(approved) == [(GoalKind.FINANCIAL, Decimal("900.00")), (GoalKind.PHYSICAL, Decimal("80.00"))]


def test_the_other_institutions_pending_document_of_the_same_number_still_changes(approved):
    result = import_file("reprogramacion", csv_file(REPROGRAMMING_COLUMNS, *changed_rows("OTR")), "r.csv")
    assert (result.errors, result.created, result.updated) == ([], 1, 1)
    other = Reprogramming.objects.get(institution__code="OTR")
    assert goals_of(other) == [
        (GoalKind.FINANCIAL, Decimal("950.00")),
        (GoalKind.PHYSICAL, Decimal("80.00")),
        (GoalKind.PHYSICAL, Decimal("90.00")),
    ]
    assert goals_of(approved) == [(GoalKind.FINANCIAL, Decimal("900.00")), (GoalKind.PHYSICAL, Decimal("80.00"))]


def test_a_planner_uploading_a_changed_approved_reprogramming_sees_the_refusal(client, approved):
    client.force_login(RoleUserFactory(institution=approved.institution, role="Planificador"))
    content = csv_file(REPROGRAMMING_COLUMNS, *changed_rows("PRV")[:2]).getvalue()
    file = SimpleUploadedFile("r.csv", content, content_type="text/csv")
    response = client.post(reverse("goals:import"), {"template": "reprogramacion", "file": file})
    assert "RES-001-2024 está aprobada y no puede cambiar" in response.content.decode()
    assert goals_of(approved) == [(GoalKind.FINANCIAL, Decimal("900.00")), (GoalKind.PHYSICAL, Decimal("80.00"))]


def test_the_shell_cannot_change_add_or_delete_what_an_approved_reprogramming_says(approved):
    line = ReprogrammingLine.objects.get(reprogramming=approved, kind=GoalKind.FINANCIAL)
    line.new_goal = Decimal("950")
    subproduct = line.subproduct
    attempts = [
        line.save,
        lambda: ReprogrammingLine.objects.get(pk=line.pk).delete(),
        lambda: ReprogrammingLine.objects.create(
            reprogramming=approved, subproduct=subproduct, kind=GoalKind.PHYSICAL, new_goal=90
        ),
        lambda: Reprogramming.objects.get(pk=approved.pk).delete(),
    ]
    document = Reprogramming.objects.get(pk=approved.pk)
    document.date = datetime.date(2024, 3, 20)
    attempts.append(document.save)
    for attempt in attempts:
        with pytest.raises(ValidationError, match="RES-001-2024 está aprobada"), transaction.atomic():
            attempt()
    assert goals_of(approved) == [(GoalKind.FINANCIAL, Decimal("900.00")), (GoalKind.PHYSICAL, Decimal("80.00"))]
    assert Reprogramming.objects.get(pk=approved.pk).date == MARCH


def test_once_the_director_reopens_it_the_document_changes_again(approved):
    director = RoleUserFactory(institution=approved.institution, role="Director")
    reopen_reprogramming(user=director, reprogramming=approved)
    result = import_file("reprogramacion", csv_file(REPROGRAMMING_COLUMNS, *changed_rows("PRV")), "r.csv")
    assert (result.errors, result.created, result.updated) == ([], 1, 1)
    reopening = approved.history.order_by("-history_id").first()
    assert reopening.status == ReprogrammingStatus.PENDING


def test_the_command_line_records_a_new_document_approved_with_its_lines():
    documented_plan("OTR", ReprogrammingStatus.PENDING)
    institution = InstitutionFactory(code="PRV")
    product = ProductFactory(result=ResultFactory(institution=institution, year=2024), name="P")
    SubproductFactory(product=product, name="S")
    result = import_file("reprogramacion", csv_file(REPROGRAMMING_COLUMNS, *changed_rows("PRV")), "r.csv")
    assert (result.errors, result.created) == ([], 4)
    document = Reprogramming.objects.get(institution=institution)
    assert (document.status, document.approved_at is not None) == (ReprogrammingStatus.APPROVED, True)
    assert len(goals_of(document)) == 3
