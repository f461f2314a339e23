"""What changed between two versions of a report: plain Python over two dicts of the report's JSON shape
(reports.computation.report_to_dict), row by row and column by column.

A row is a product or a subproduct, named by its section (RI/RE and result), its product and its own name;
each has a Física and a Financiera line with the report's columns. A row only in one version is listed once,
as added or removed.
"""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from .computation import CUATRIMESTRE_ORDINALS, FIGURE_COLUMNS, MONTH_NAMES

KINDS = (("physical", _("Física")), ("financial", _("Financiera")))
ROW_ADDED = _("fila nueva")
ROW_REMOVED = _("fila quitada")


@dataclass(frozen=True)
class Change:
    product: str
    subproduct: str  # empty for the product's own rows
    kind: str  # Física / Financiera; empty when the whole row was added or removed
    column: str
    old: Decimal | int | None
    new: Decimal | int | None

    @property
    def number_format(self):
        """floatformat's argument: a reprogramming count is whole, figures have two places."""
        return "0g" if isinstance(self.new if self.new is not None else self.old, int) else "2g"


def column_labels(cuatrimestre, months):
    """[(column, month index or None, label)] in the report's order, labelled as its headings."""
    ordinal = CUATRIMESTRE_ORDINALS[cuatrimestre]
    labels = {
        "initial": _("Inicial anual"),
        "reprogrammings": _("Reprogramaciones"),
        "current": _("Metas vigentes"),
        "total": _("Total"),
        "pct_period": _("%% %(ordinal)s") % {"ordinal": ordinal},
        "cumulative": _("Acumulado al %(ordinal)s") % {"ordinal": ordinal},
        "pct_cumulative": _("%% de Avance acumulado al %(ordinal)s") % {"ordinal": ordinal},
        "pct_cumulative_initial": _("%% de Avance acumulado al %(ordinal)s con metas iniciales") % {"ordinal": ordinal},
    }
    columns = []
    for column in FIGURE_COLUMNS:
        if column == "months":
            columns += [(column, index, MONTH_NAMES[month - 1]) for index, month in enumerate(months)]
        else:
            columns.append((column, None, labels[column]))
    return columns


def rows(data):
    """{key: (product name, subproduct name, row dict)} in the report's order; a repeated name gets its ordinal."""
    found, repeats = {}, Counter()
    for section in data["sections"]:
        for product in section["products"]:
            lines = [("", product)] + [
                (subproduct["name"], subproduct) for subproduct in product.get("subproducts", ())
            ]
            for subproduct_name, row in lines:
                key = (section["link"], section["result"], product["name"], subproduct_name)
                found[(*key, repeats[key])] = (product["name"], subproduct_name, row)
                repeats[key] += 1
    return found


def value(figures, column, index):
    if column == "reprogrammings":
        return figures[column]
    return Decimal(figures[column][index] if index is not None else figures[column])


def row_changes(product, subproduct, old, new, columns):
    for kind, kind_label in KINDS:
        for column, index, label in columns:
            before, after = value(old[kind], column, index), value(new[kind], column, index)
            if before != after:
                yield Change(product, subproduct, kind_label, label, before, after)


def report_changes(old, new):
    """[Change] from report dict `old` to report dict `new` (of the same cuatrimestre), in `new`'s row order."""
    columns = column_labels(new["cuatrimestre"], new["months"])
    old_rows, new_rows = rows(old), rows(new)
    changes = []
    for key, (product, subproduct, row) in new_rows.items():
        if key in old_rows:
            changes += row_changes(product, subproduct, old_rows[key][2], row, columns)
        else:
            changes.append(Change(product, subproduct, "", ROW_ADDED, None, None))
    for key, (product, subproduct, _row) in old_rows.items():
        if key not in new_rows:
            changes.append(Change(product, subproduct, "", ROW_REMOVED, None, None))
    return changes
