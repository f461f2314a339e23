"""The monthly programme (SIPLAN's programación mensual): its rule, and the programme page's rows, form and save.

The rule, SIPLAN's own: a row's twelve months may not add up to more than its current goal, the goal
after every approved reprogramming of the year. Products are programmed in their physical unit only;
money is programmed on subproducts (a product's money is the sum of its subproducts').
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from goals.freeze import ensure_writable
from goals.periods import CUATRIMESTRES, cuatrimestre_months, month_name
from goals.queries import goal_in, institution_goal_states, plan_products
from goals.writes import (
    PROGRAMME_MODELS,
    figures_to_write,
    stored_records,
    write_programme,
)

from .entry import Stored, VersionedForm, figure_fields, refuse_stale, version_of
from .models import ZERO, GoalKind, Product, Subproduct

MONTHS = range(1, 13)


def year_end(year):
    """Current goals of the programme are those after every approved reprogramming of the year."""
    return datetime.date(year, 12, 31)


def amount_text(value):
    return formats.number_format(value, 2, force_grouping=True)


def over_goal(name, kind, figures, goal):
    """None when a row's months fit in its current goal; else (the month that takes their sum past the goal,
    the refusal in Spanish). `figures` are the twelve months in order, None for an empty month."""
    total = ZERO
    first_over = None
    for month, figure in zip(MONTHS, figures):
        total += figure or ZERO
        if first_over is None and total > goal:
            first_over = month
    if first_over is None:
        return None
    if kind == GoalKind.PHYSICAL:
        message = _("La programación física de «%(name)s» suma %(total)s y supera su meta vigente de %(goal)s.")
    else:
        message = _("La programación financiera de «%(name)s» suma %(total)s y supera su meta vigente de %(goal)s.")
    return first_over, message % {"name": name, "total": amount_text(total), "goal": amount_text(goal)}


def item_goal(item, kind):
    """The current goal of a saved product or subproduct at the end of its year."""
    result = (item if item._meta.model_name == "product" else item.product).result
    return goal_in(
        institution_goal_states(institution=result.institution_id, year=result.year, as_of=year_end(result.year)),
        item,
        kind,
    )


@dataclass
class ProgrammeRow:
    """One product or subproduct on the page: its current goals and its stored months."""

    item: object
    prefix: str
    is_product: bool
    physical_goal: Decimal
    financial_goal: Decimal
    records: dict

    def kinds(self):
        return [GoalKind.PHYSICAL] if self.is_product else [GoalKind.PHYSICAL, GoalKind.FINANCIAL]

    def goal(self, kind):
        return self.physical_goal if kind == GoalKind.PHYSICAL else self.financial_goal

    def stored_total(self, kind):
        return sum((getattr(record, kind_field(kind)) for record in self.records.values()), ZERO)


@dataclass
class Line:
    """A row of the page: a product's or subproduct's physical or financial months, their stored sum and what
    remains."""

    row: ProgrammeRow
    kind: str
    cells: list
    goal: Decimal
    total: Decimal

    @property
    def remaining(self):
        return self.goal - self.total

    @property
    def first(self):
        return self.kind == GoalKind.PHYSICAL

    @property
    def kind_label(self):
        return GoalKind(self.kind).label


def page_lines(rows, form, locked):
    """The page's lines, each with (month, its name, bound field, reason it is read-only or None) per month."""
    return [
        Line(
            row=row,
            kind=kind,
            cells=[
                (month, month_name(month), form[field_name(row, kind, month)], locked.get(month)) for month in MONTHS
            ],
            goal=row.goal(kind),
            total=row.stored_total(kind),
        )
        for row in rows
        for kind in row.kinds()
    ]


def programme_records(*, institution, year):
    """The year's stored programme of the institution's plan."""
    return stored_records(PROGRAMME_MODELS, institution=institution, year=year)


def programme_sheet(*, institution, year, months=MONTHS, as_of=None):
    """(rows in plan order, version) of a year's programme, in a fixed number of queries: the figures of `months`
    and the goals as of `as_of` (by default after every approved reprogramming of the year)."""
    states = institution_goal_states(institution=institution, year=year, as_of=as_of or year_end(year))
    records = [record for record in programme_records(institution=institution, year=year) if record.month in months]
    by_row = {}
    for record in records:
        by_row.setdefault((record.row_model, record.row_id), {})[record.month] = record
    rows = []
    for product, subproducts in plan_products(institution=institution, year=year):
        rows.append(
            ProgrammeRow(
                product, f"p{product.pk}", True, goal_in(states, product, GoalKind.PHYSICAL), None,
                by_row.get((Product, product.pk), {}),
            )
        )  # fmt: skip
        rows += [
            ProgrammeRow(
                sub,
                f"s{sub.pk}",
                False,
                goal_in(states, sub, GoalKind.PHYSICAL),
                goal_in(states, sub, GoalKind.FINANCIAL),
                by_row.get((Subproduct, sub.pk), {}),
            )  # fmt: skip
            for sub in subproducts
        ]
    return rows, version_of(records)


def kind_field(kind):
    return "physical" if kind == GoalKind.PHYSICAL else "financial"


def field_name(row, kind, month):
    return f"{row.prefix}_{kind_field(kind)}_{month:02d}"


class ProgrammeForm(VersionedForm):
    """Twelve physical fields per row and twelve financial ones per subproduct; the sum rule checked per row."""

    def __init__(self, rows, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        figure_field = figure_fields()
        for row in rows:
            for kind in row.kinds():
                for month in MONTHS:
                    name = field_name(row, kind, month)
                    label = f"{GoalKind(kind).label}, {month_name(month)}: {row.item.name}"
                    self.fields[name] = figure_field(label)
                    record = row.records.get(month)
                    self.initial.setdefault(name, getattr(record, kind_field(kind)) if record else None)

    def clean(self):
        """The sum rule, on the rows whose months were changed: a row already over a goal lowered since (its
        months perhaps frozen) does not block saving the others."""
        cleaned = super().clean()
        for row in self.rows:
            for kind in row.kinds():
                names = [field_name(row, kind, month) for month in MONTHS]
                if any(name in self.errors for name in names) or not any(name in self.changed_data for name in names):
                    continue
                refused = over_goal(row.item.name, kind, [cleaned[name] for name in names], row.goal(kind))
                if refused is not None:
                    month, message = refused
                    self.add_error(field_name(row, kind, month), message)
        return cleaned

    def figures(self):
        """What to write: months whose figures differ from those stored (a cleared month becomes zero)."""
        figures = {}
        for row in self.rows:
            for month in MONTHS:
                physical = self.cleaned_data[field_name(row, GoalKind.PHYSICAL, month)]
                financial = None if row.is_product else self.cleaned_data[field_name(row, GoalKind.FINANCIAL, month)]
                record = row.records.get(month)
                values = figures_to_write(
                    is_product=row.is_product, physical=physical, financial=financial, record=record
                )
                stored = None if record is None else (record.physical, None if row.is_product else record.financial)
                if values is not None and values != stored:
                    figures[(type(row.item), row.item.pk, month)] = (row.item, month, *values)
        return figures


@transaction.atomic
def save_programme(*, institution, year, form, user):
    """Write the year's programme in one transaction, unless someone saved it since the page was opened
    (entry.StaleSave) or a changed month is frozen (ValidationError); (created, updated)."""
    refuse_stale(institution, lambda: Stored.of(programme_records(institution=institution, year=year)), form)
    figures = form.figures()
    ensure_writable(
        institution=institution, year=year, months={month for _kind, _pk, month in figures}, user=user, programme=True
    )
    return write_programme(figures=figures, user=user)


def locked_months(*, institution, year, user):
    """{month: reason} of the months the user may not change: an approved report, a closed entry window.

    Both freeze whole cuatrimestres, so one question per cuatrimestre answers for its four months.
    """
    locked = {}
    for cuatrimestre in CUATRIMESTRES:
        months = cuatrimestre_months(cuatrimestre)
        try:
            ensure_writable(institution=institution, year=year, months=months[:1], user=user, programme=True)
        except ValidationError as error:
            locked.update(dict.fromkeys(months, " ".join(error.messages)))
    return locked
