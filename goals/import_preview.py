"""What an import would change, shown before it is confirmed: per row the old figure and the new one, and how many
records are new, changed or left as they are (goals.writes.write_monthly_figures rewrites none of the last)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from .models import Subproduct

SHOWN_CHANGES = 500
FIGURE_LABELS = {"physical": _("ejecución física"), "financial": _("ejecución financiera (Q)")}


@dataclass
class Change:
    """A figure an import would change: the file's row, the record it names, which figure, its old and new value."""

    row: int
    item: str
    month: int
    figure: str  # a lazy translation, rendered in the page's language
    old: Decimal
    new: Decimal

    @property
    def month_label(self) -> str:
        return str(MONTHS[self.month])


@dataclass
class Preview:
    new: int = 0
    unchanged: int = 0
    changes: list = field(default_factory=list)
    changed: int = 0

    @property
    def shown_changes(self) -> list:
        return self.changes[:SHOWN_CHANGES]

    @property
    def hidden_changes(self) -> int:
        return max(len(self.changes) - SHOWN_CHANGES, 0)


def monthly_preview(*, figures: dict, row_numbers: dict, models) -> Preview:
    """Compare monthly figures to write (goals.writes.write_monthly_figures' `figures`) with the stored records,
    in one query per model; `row_numbers` gives each key's row in the file."""
    preview = Preview()
    for target_model, model, target_field in models:
        selected = {key[1:]: (key, values) for key, values in figures.items() if key[0] is target_model}
        if not selected:
            continue
        stored = model.objects.filter(
            **{f"{target_field}_id__in": {pk for pk, _month in selected}, "month__in": {m for _pk, m in selected}}
        )
        existing = {(getattr(record, f"{target_field}_id"), record.month): record for record in stored}
        for (pk, month), (key, (target, _month, physical, financial)) in selected.items():
            record = existing.get((pk, month))
            if record is None:
                preview.new += 1
                continue
            new_values = {"physical": physical}
            if target_model is Subproduct:
                new_values["financial"] = financial
            changed = [
                Change(
                    row_numbers.get(key, 0), target.name, month, str(FIGURE_LABELS[name]), getattr(record, name), value
                )
                for name, value in new_values.items()
                if getattr(record, name) != value
            ]
            if changed:
                preview.changed += 1
                preview.changes += changed
            else:
                preview.unchanged += 1
    preview.changes.sort(key=lambda change: (change.row, change.figure))
    return preview
