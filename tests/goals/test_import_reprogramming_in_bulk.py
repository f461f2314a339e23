"""A reprogramming import writes its lines in bulk (ReprogrammingImporter.write): the documents, lines, history rows,
counts and preview it leaves are those the line-by-line writer of c414f14 left (`write_line_by_line` below, kept as
the reference): a pending document from the browser, re-imported with a goal changed and a line added, then a
document the command line records as approved, imported twice; two institutions share every name."""

import types
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords

from goals.import_preview import Change
from goals.imports import REPROGRAMMING_COLUMNS, import_file
from goals.imports.reprogramming import ReprogrammingImporter, line_key, stored_line_key
from goals.models import GoalKind, Reprogramming, ReprogrammingLine, ReprogrammingStatus
from tests.factories import ProductFactory, ResultFactory, SubproductFactory, UserFactory
from tests.goals.imports_helpers import csv_file

pytestmark = pytest.mark.django_db


def write_line_by_line(self):
    """ReprogrammingImporter.write as c414f14 wrote it: a query and a save per line."""
    for (institution, number), document in self.documents.items():
        reprogramming = self.stored.get((institution, number))
        created = reprogramming is None
        if created:
            reprogramming = Reprogramming.objects.create(
                institution=institution, number=number, date=document["date"], justification=document["justification"]
            )
            self.result.created += 1
        stored = {stored_line_key(line): line for line in reprogramming.lines.all()}
        for (target_kind, target), goals in document["lines"].items():
            for kind, (goal, row) in goals.items():
                line = stored.get(line_key(target_kind, target, kind))
                if line is None:
                    ReprogrammingLine.objects.create(
                        reprogramming=reprogramming, kind=kind, new_goal=goal, **{target_kind: target}
                    )
                    self.result.created += 1
                    self.preview.mark_new(row)
                elif line.new_goal != goal:
                    label = _("meta vigente nueva (%(kind)s)") % {"kind": str(GoalKind(kind).label).lower()}
                    self.preview.add_change(Change(row, target.name, label, line.new_goal, goal, number))
                    line.new_goal = goal
                    line.save(update_fields=["new_goal"])
                    self.result.updated += 1
                else:
                    self.preview.mark_unchanged(row)
        if created and self.approve:
            reprogramming.status = ReprogrammingStatus.APPROVED
            reprogramming.approved_at = timezone.now()
            reprogramming.save(update_fields=["status", "approved_at"])


def plan(code):
    product = ProductFactory(result=ResultFactory(institution__code=code, year=2025), name="Emisión")
    for name in ("Pasaportes", "Licencias"):
        SubproductFactory(product=product, name=name, physical_initial=100, financial_initial=500)


def pending(code):
    return [
        [code, 2025, "RES-001", "2025-03-15", "Emisión", "", "fisica", "80", "Menor demanda"],
        [code, 2025, "RES-001", "2025-03-15", "Emisión", "Pasaportes", "financiera", "450.25", ""],
        [code, 2025, "RES-001", "2025-03-15", "Emisión", "Licencias", "fisica", "90", ""],
    ]


def pending_changed(code):
    """Emisión's goal changed, Pasaportes' unchanged, a line added (Licencias' money); Licencias' physical line is
    not in the file and stays."""
    return [
        [code, 2025, "RES-001", "2025-03-15", "Emisión", "", "fisica", "75", "Menor demanda"],
        [code, 2025, "RES-001", "2025-03-15", "Emisión", "Pasaportes", "financiera", "450.25", ""],
        [code, 2025, "RES-001", "2025-03-15", "Emisión", "Licencias", "financiera", "300", ""],
    ]


def approved(code):
    return [
        [code, 2025, "RES-002", "2025-06-01", "Emisión", "Pasaportes", "fisica", "70", "Ajuste"],
        [code, 2025, "RES-002", "2025-06-01", "Emisión", "Licencias", "financiera", "250", ""],
    ]


def stored(code, imports):
    """The institution's documents and lines, and each one's history (in order, with the import that wrote each row:
    `imports` are the (start, end) times of the imports), by number and target name (ids left out)."""
    documents = {d.pk: d for d in Reprogramming.objects.filter(institution__code=code)}
    lines = {
        line.pk: line
        for line in ReprogrammingLine.objects.filter(reprogramming__in=list(documents)).select_related(
            "product", "subproduct"
        )
    }

    def when(date):
        (written,) = [number for number, (start, end) in enumerate(imports) if start <= date <= end]
        return written

    def document_shape(d):
        return (d.number, d.date, d.justification, d.status, d.approved_at is not None)

    def line_shape(line):
        target = lines[line.id].product or lines[line.id].subproduct
        return (documents[line.reprogramming_id].number, target.name, line.kind, line.new_goal)

    records = {
        "documents": sorted(document_shape(d) for d in documents.values()),
        "lines": sorted(line_shape(line) for line in lines.values()),
    }
    history = {}
    for model, mine, shape in ((Reprogramming, documents, document_shape), (ReprogrammingLine, lines, line_shape)):
        for version in model.history.filter(id__in=list(mine)).order_by("history_date", "history_id"):
            key = (model.__name__, *shape(mine[version.id])[: 1 if model is Reprogramming else 3])
            history.setdefault(key, []).append(
                (shape(version), version.history_type, version.history_change_reason)
                + (version.history_user_id, when(version.history_date))
            )
    return records, history


def test_reprogramming_lines_written_in_bulk_store_what_line_by_line_stored(monkeypatch):
    user = UserFactory(is_superuser=True)
    HistoricalRecords.context.request = types.SimpleNamespace(user=user)
    counts, previews, times = {}, {}, {}
    try:
        for code in ("LINES", "BULK"):
            plan(code)
            with monkeypatch.context() as patch:
                if code == "LINES":
                    patch.setattr(ReprogrammingImporter, "write", write_line_by_line)
                for rows_of, signer in ((pending, user), (pending_changed, user), (approved, None), (approved, None)):
                    content = csv_file(REPROGRAMMING_COLUMNS, *rows_of(code))
                    dry = import_file("reprogramacion", content, "r.csv", user=signer, dry_run=True)
                    previews.setdefault(code, []).append((dry.preview.outcomes, dry.preview.found))
                    content.seek(0)
                    started = timezone.now()
                    result = import_file("reprogramacion", content, "r.csv", user=signer)
                    times.setdefault(code, []).append((started, timezone.now()))
                    assert result.ok, result.errors
                    counts.setdefault(code, []).append((result.created, result.updated))
    finally:
        del HistoricalRecords.context.request
    assert counts["LINES"] == counts["BULK"] == [(4, 0), (1, 1), (3, 0), (0, 0)]
    assert previews["LINES"] == previews["BULK"]
    by_lines, in_bulk = stored("LINES", times["LINES"]), stored("BULK", times["BULK"])
    assert by_lines == in_bulk
    records, history = in_bulk
    assert [document[3] for document in records["documents"]] == [
        ReprogrammingStatus.PENDING,
        ReprogrammingStatus.APPROVED,
    ]
    assert len(records["lines"]) == 6
    assert history[("ReprogrammingLine", "RES-001", "Emisión", "fisica")] == [
        (("RES-001", "Emisión", "fisica", 80), "+", None, user.pk, 0),
        (("RES-001", "Emisión", "fisica", 75), "~", None, user.pk, 1),
    ]
    assert [version[1:] for version in history[("Reprogramming", "RES-002")]] == [
        ("+", None, user.pk, 2),
        ("~", None, user.pk, 2),
    ]


def test_a_document_approved_while_its_file_is_checked_refuses_the_file(monkeypatch):
    """The approval commits between `check` and the institution's lock (simulated: made right after `check`): the
    lines, written in bulk without the model layer's guard, are refused under the lock instead."""
    plan("REP")
    assert import_file("reprogramacion", csv_file(REPROGRAMMING_COLUMNS, *pending("REP")), "r.csv", user=None).ok
    Reprogramming.objects.update(status=ReprogrammingStatus.PENDING, approved_at=None)
    check = ReprogrammingImporter.check

    def check_then_approve(self):
        check(self)
        Reprogramming.objects.update(status=ReprogrammingStatus.APPROVED, approved_at=timezone.now())

    monkeypatch.setattr(ReprogrammingImporter, "check", check_then_approve)
    result = import_file("reprogramacion", csv_file(REPROGRAMMING_COLUMNS, *pending_changed("REP")), "r.csv")
    assert not result.ok
    refusal = Reprogramming.objects.get().approved_refusal()
    assert {(error.row, error.column, error.message) for error in result.errors} == {
        (2, "meta_vigente_nueva", refusal),
        (4, "subproducto", refusal),
    }
    assert sorted(ReprogrammingLine.objects.values_list("kind", "new_goal")) == [
        ("financiera", Decimal("450.25")),
        ("fisica", Decimal("80")),
        ("fisica", Decimal("90")),
    ]
