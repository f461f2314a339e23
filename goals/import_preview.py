"""What an import would change, shown before it is confirmed: per row of the file the old value and the new one, and
how many rows are new, change or stay as they are (the writers rewrite none of the last: goals.writes).

The importers fill a Preview while they write in a dry run (goals.imports.run rolls the writes back), so what the
page shows is what confirming writes, by the same code.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.template.defaultfilters import floatformat
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from .models import MonthlyProgramme, Subproduct

SHOWN_CHANGES = 500
FIGURE_LABELS = {
    False: {"physical": _("ejecución física"), "financial": _("ejecución financiera (Q)")},
    True: {"physical": _("programación física"), "financial": _("programación financiera (Q)")},
}
NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"
NOTHING = "—"


def shown_value(value) -> str:
    """A value as the preview prints it: amounts as 1,234.50, nothing before as «—», text as it is."""
    if value is None or value == "":
        return NOTHING
    if isinstance(value, Decimal):
        return floatformat(value, "2g")
    return str(value)


@dataclass
class Change:
    """A value an import would change: the file's row, the record it names, which value (and of which period),
    its old and new value (old None: there was none)."""

    row: int
    item: str
    figure: str  # a lazy translation or a column's name, rendered in the page's language
    old: object
    new: object
    period: str = ""

    @property
    def numeric(self) -> bool:
        return isinstance(self.new, Decimal)

    @property
    def old_shown(self) -> str:
        return shown_value(self.old)

    @property
    def new_shown(self) -> str:
        return shown_value(self.new)


@dataclass
class Preview:
    """Each row's outcome (a row that creates its record is new, whatever else it does) and the changes of the rows
    that are not new, by row."""

    outcomes: dict = field(default_factory=dict)
    found: list = field(default_factory=list)

    def mark_new(self, row: int) -> None:
        self.outcomes[row] = NEW

    def mark_unchanged(self, row: int) -> None:
        self.outcomes.setdefault(row, UNCHANGED)

    def add_change(self, change: Change) -> None:
        if self.outcomes.get(change.row) != NEW:
            self.outcomes[change.row] = CHANGED
        self.found.append(change)

    def count(self, outcome: str) -> int:
        return sum(1 for found in self.outcomes.values() if found == outcome)

    @property
    def new(self) -> int:
        return self.count(NEW)

    @property
    def changed(self) -> int:
        return self.count(CHANGED)

    @property
    def unchanged(self) -> int:
        return self.count(UNCHANGED)

    @property
    def changes(self) -> list:
        """The changes of the rows that are not new, by row in the file's order."""
        return sorted(
            (change for change in self.found if self.outcomes[change.row] == CHANGED), key=lambda change: change.row
        )

    @property
    def shown_changes(self) -> list:
        return self.changes[:SHOWN_CHANGES]

    @property
    def hidden_changes(self) -> int:
        return max(len(self.changes) - SHOWN_CHANGES, 0)


def monthly_preview(*, figures: dict, row_numbers: dict, models, preview: Preview, new_rows: bool = True) -> None:
    """Compare monthly figures to write (goals.writes.write_monthly_figures' `figures`) with the stored records, in
    one query per model, into `preview`; `row_numbers` gives each key's row in the file. A month with no record yet
    makes its row new (`new_rows`: one row, one record, as in the execution template) or is a change from nothing
    (a plan row's programme)."""
    for target_model, model, target_field in models:
        selected = {key[1:]: (key, values) for key, values in figures.items() if key[0] is target_model}
        if not selected:
            continue
        stored = model.objects.filter(
            **{f"{target_field}_id__in": {pk for pk, _month in selected}, "month__in": {m for _pk, m in selected}}
        )
        existing = {(getattr(record, f"{target_field}_id"), record.month): record for record in stored}
        labels = FIGURE_LABELS[issubclass(model, MonthlyProgramme)]
        for (pk, month), (key, (target, _month, physical, financial)) in selected.items():
            row = row_numbers.get(key, 0)
            record = existing.get((pk, month))
            if record is None and new_rows:
                preview.mark_new(row)
                continue
            new_values = {"physical": physical}
            if target_model is Subproduct:
                new_values["financial"] = financial
            changed = [
                Change(row, target.name, str(labels[name]), getattr(record, name, None), value, str(MONTHS[month]))
                for name, value in new_values.items()
                if record is None or getattr(record, name) != value
            ]
            for change in changed:
                preview.add_change(change)
            if not changed:
                preview.mark_unchanged(row)
