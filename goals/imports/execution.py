"""The execution template: what was done each month, only in months open for entry."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goals.import_preview import monthly_preview
from goals.imports.base import Importer, institutions_by_code, plan_index
from goals.models import (
    ZERO,
)
from goals.writes import EXECUTION_MODELS, write_executions

INVALID_MONTH = gettext_lazy("el mes debe estar entre 1 y 12, no «%(value)s».")


class ExecutionImporter(Importer):
    def check(self):
        institutions = institutions_by_code(self.rows)
        index = plan_index(self.rows, institutions)
        self.figures = {}
        locks = {}
        seen = {}
        for row in self.rows:
            code = self.scope.institution(row, institutions)
            year = row.year()
            month = row.integer("mes", 1, 12, INVALID_MONTH)
            physical = row.amount("ejecucion_fisica")
            if not (code and year):
                continue
            product, subproduct = index.find(row, institutions[code], year)
            if product is not None and subproduct is None:
                if row.amount("ejecucion_financiera", required=False):
                    row.error(
                        "ejecucion_financiera", _("un producto no tiene ejecución financiera propia: déjela vacía.")
                    )
                financial = None
            else:
                financial = row.amount("ejecucion_financiera", required=False) or ZERO
            target = subproduct or product
            if target is None or month is None:
                continue
            key = (type(target), target.pk, month)
            if key in seen:
                row.error("mes", _("repite el mismo mes de la fila %(row)s.") % {"row": seen[key]})
            seen[key] = row.number
            self.figures[key] = (target, month, physical, financial)
            lock = locks.get((code, year))
            if lock is None:
                lock = locks[(code, year)] = (row, {"months": set(), "user": self.user})
            lock[1]["months"].add(month)
        self.row_numbers = seen
        self.check_locks({(institutions[code], year): found for (code, year), found in locks.items()})

    def write(self):
        if self.previewing:
            monthly_preview(
                figures=self.figures, row_numbers=self.row_numbers, models=EXECUTION_MODELS, preview=self.preview
            )
        created, updated = write_executions(figures=self.figures, user=self.user)
        self.result.created += created
        self.result.updated += updated
