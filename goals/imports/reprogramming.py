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
        if not self.approve:
            self.check_pending_order()

    def check_pending_order(self):
        """From the browser documents arrive pending: one at a time, in date order (as in SIPLAN)."""
        new = [(institution, doc) for (institution, _number), doc in self.documents.items()]
        if len(new) > 1:
            self.errors.append(
                RowError(new[1][1]["row"].number, "documento", _("importe un documento pendiente por vez."))
            )
        for institution, document in new:
            try:
                validate_reprogramming_order(institution, document["date"])
            except ValidationError as error:
                self.errors.append(RowError(document["row"].number, "documento", " ".join(error.messages)))

    def write(self):
        status = ReprogrammingStatus.APPROVED if self.approve else ReprogrammingStatus.PENDING
        for (institution, number), document in self.documents.items():
            reprogramming, created = Reprogramming.objects.get_or_create(
                institution=institution,
                number=number,
                defaults={"date": document["date"], "justification": document["justification"], "status": status},
            )
            if created:
                self.result.created += 1
                if self.approve:
                    reprogramming.approved_at = timezone.now()
                    reprogramming.save(update_fields=["approved_at"])
            for (target_kind, target), goals in document["lines"].items():
                for kind, (goal, row) in goals.items():
                    line, line_created = ReprogrammingLine.objects.get_or_create(
                        reprogramming=reprogramming, kind=kind, **{target_kind: target}, defaults={"new_goal": goal}
                    )
                    if line_created:
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
