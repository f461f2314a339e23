"""The reprogramming template: changed monthly figures, each under a resolution, in the approval order."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from goals.import_preview import Change
from goals.imports.base import Importer, institutions_by_code, plan_index
from goals.imports.reader import RowError
from goals.models import (
    GoalKind,
    Reprogramming,
    ReprogrammingLine,
    ReprogrammingStatus,
)
from goals.queries import validate_reprogramming_order
from goals.writes import BulkUpserter, signed


class ReprogrammingImporter(Importer):
    def check(self):
        institutions = institutions_by_code(self.rows)
        index = plan_index(self.rows, institutions)
        self.documents = {}
        locks = {}
        for row in self.rows:
            code = self.scope.institution(row, institutions)
            year, number, date = row.year(), row.text("documento"), row.date("fecha")
            kind = row.text("tipo_meta").lower()
            if kind and kind not in GoalKind.values:
                row.error("tipo_meta", _("debe ser «fisica» o «financiera», no «%(value)s».") % {"value": kind})
            goal = row.amount("meta_vigente_nueva")
            if date and year and date.year != year:
                row.error("fecha", _("la fecha no es del año %(year)s.") % {"year": year})
            if not (code and year):
                continue
            institution = institutions[code]
            product, subproduct = index.find(row, institution, year)
            if product is not None and subproduct is None and kind == GoalKind.FINANCIAL:
                row.error("tipo_meta", _("un producto solo se reprograma en su meta física."))
            document = self.documents.setdefault((institution, number), {"row": row, "date": date, "lines": {}})
            if date and document["date"] and date != document["date"]:
                row.error(
                    "fecha",
                    _("el documento %(number)s ya tiene otra fecha en la fila %(row)s.")
                    % {"number": number, "row": document["row"].number},
                )
            document["justification"] = document.get("justification") or row.text("justificacion", False)
            target = ("subproduct", subproduct) if subproduct else ("product", product)
            if target in document["lines"] and kind in document["lines"][target]:
                row.error("producto", _("el documento ya cambia esta meta en otra fila."))
            document["lines"].setdefault(target, {})[kind] = (goal, row.number)
            if date:
                locks.setdefault((institution, year), (row, {"dates": set()}))[1]["dates"].add(date)
        self.check_locks(locks)
        self.stored = self.stored_documents()
        self.check_approved()
        if not self.approve:
            self.check_pending_order()

    def stored_documents(self):
        """{(institution, number): Reprogramming} of the file's documents already stored, with their lines."""
        keys = {(institution.pk, number) for institution, number in self.documents}
        query = Reprogramming.objects.none()
        for institution_id, number in keys:
            query |= Reprogramming.objects.filter(institution_id=institution_id, number=number)
        stored = query.select_related("institution").prefetch_related("lines") if keys else []
        return {(document.institution, document.number): document for document in stored}

    def check_approved(self):
        """An approved document is read again unchanged or refused, at the cell that would change it: its date, a
        goal, a line it does not have. Only the director's reopening (which makes it pending) lets it change."""
        for key, document in self.documents.items():
            stored = self.stored.get(key)
            if stored is None or not stored.is_approved:
                continue
            refusal = stored.approved_refusal()
            if document["date"] and document["date"] != stored.date:
                self.errors.append(RowError(document["row"].number, "fecha", refusal))
            goals = {stored_line_key(line): line.new_goal for line in stored.lines.all()}
            for (target_kind, target), kinds in document["lines"].items():
                for kind, (goal, row) in kinds.items():
                    if target is None:
                        continue  # the row's product is refused already
                    line = line_key(target_kind, target, kind)
                    if line not in goals:
                        self.errors.append(
                            RowError(row, "subproducto" if target_kind == "subproduct" else "producto", refusal)
                        )
                    elif goal is not None and goal != goals[line]:
                        self.errors.append(RowError(row, "meta_vigente_nueva", refusal))

    def check_pending_order(self):
        """From the browser documents arrive pending: one at a time, in date order (as in SIPLAN). A document
        already stored keeps its place: it is checked as itself, not as another one."""
        new = [
            (institution, doc) for (institution, number), doc in self.documents.items()
            if (institution, number) not in self.stored
        ]  # fmt: skip
        if len(new) > 1:
            self.errors.append(
                RowError(new[1][1]["row"].number, "documento", _("importe un documento pendiente por vez."))
            )
        for institution, document in new:
            try:
                validate_reprogramming_order(institution, document["date"])
            except ValidationError as error:
                self.errors.append(RowError(document["row"].number, "documento", " ".join(error.messages)))

    def hold(self):
        """Importer.hold, then the file's stored documents read again under the lock and checked as in `check`: one
        approved since then refuses the file at the rows that would change it (check_approved), as the model layer
        (goals.signals.keep_approved_lines) would refuse its lines, which `write` writes in bulk, without signals."""
        super().hold()
        self.stored = self.stored_documents()
        self.check_approved()

    def write(self):
        """Documents new to the database are created one by one; then every document's new and changed lines in
        bulk with their history (BulkUpserter), an unchanged line unwritten; then a new document the command line
        records as approved is approved, once its lines are in (an approved document's lines never change).

        Bulk writes send no model signals, so neither goals.signals.keep_approved_lines (no line of an approved
        document is added or changed) nor approvals' guard (the reprogramming's date not frozen by a report in
        review or approved) runs for the lines. The importer has checked both under the lock: `hold` takes the lock
        of the file's institutions, asks the freeze about each document's date and refuses a line an approved
        stored document does not have or has with another goal (check_approved); a line stays in its document,
        whose institution and date the import does not change."""
        lines = BulkUpserter(self.user)
        created = []
        for (institution, number), document in self.documents.items():
            reprogramming = self.stored.get((institution, number))
            stored = {}
            if reprogramming is None:
                reprogramming = signed(
                    Reprogramming(
                        institution=institution,
                        number=number,
                        date=document["date"],
                        justification=document["justification"],
                    ),
                    self.user,
                )
                reprogramming.save(force_insert=True)
                created.append(reprogramming)
            else:
                stored = {stored_line_key(line): line for line in reprogramming.lines.all()}
            self.stage_lines(lines, reprogramming, number, document["lines"], stored)
        lines.flush(ReprogrammingLine)
        if self.approve:
            for reprogramming in created:
                reprogramming.status = ReprogrammingStatus.APPROVED
                reprogramming.approved_at = timezone.now()
                reprogramming.save(update_fields=["status", "approved_at"])
        self.result.created += len(created) + lines.created
        self.result.updated += lines.updated

    def stage_lines(self, upserter, reprogramming, number, lines, stored):
        """Stage the document's lines the file sets against its `stored` lines (by stored_line_key)."""
        for (target_kind, target), goals in lines.items():
            for kind, (goal, row) in goals.items():
                line, created, changes = upserter.stage(
                    ReprogrammingLine,
                    stored.get(line_key(target_kind, target, kind)),
                    {"reprogramming": reprogramming, "kind": kind, target_kind: target},
                    {"new_goal": goal},
                )
                if created:
                    self.preview.mark_new(row)
                for _name, old, new in changes:
                    label = _("meta vigente nueva (%(kind)s)") % {"kind": str(GoalKind(kind).label).lower()}
                    self.preview.add_change(Change(row, target.name, label, old, new, number))
                if not (created or changes):
                    self.preview.mark_unchanged(row)


def line_key(target_kind, target, kind):
    """(subproduct id, product id, kind) of the line a row sets: the key stored lines are matched by."""
    return (target.pk, None, kind) if target_kind == "subproduct" else (None, target.pk, kind)


def stored_line_key(line):
    return (line.subproduct_id, line.product_id, line.kind)
