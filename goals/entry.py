"""The monthly entry page's rules: the rows of a month, its version, and saving it whole or not at all.

Two people may open the same month; the page carries the month's version (a digest of its stored
records) and the time it was opened, and a save whose version no longer matches writes nothing and
names who changed which rows since. The programme page (goals.programme) saves the same way.
"""

import copy
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from goals.figures import percentage
from goals.freeze import ensure_writable, lock_institutions
from goals.periods import month_last_day
from goals.queries import goal_in, institution_goal_states, plan_products
from goals.versions import cached_figures
from goals.writes import (
    EXECUTION_MODELS,
    figures_to_write,
    stored_records,
    write_executions,
)

from .models import FIRST_YEAR, LAST_YEAR, ZERO, GoalKind, Product, Subproduct
from .validators import AmountField, WholeNumberField, amount_text

CENT = Decimal("0.01")
NOTHING = (ZERO, ZERO)  # what a row that executed nothing before the month executed


@dataclass
class EntryRow:
    """One product or subproduct on the page: its goals and what was executed before the month."""

    item: object
    prefix: str
    is_product: bool
    physical_goal: Decimal
    financial_goal: Decimal
    physical_before: Decimal
    financial_before: Decimal

    def columns(self) -> list:
        """(column, current goal, cumulative before the month) of the figures typed on the row."""
        physical = ("physical", self.physical_goal, self.physical_before)
        return [physical] if self.is_product else [physical, ("financial", self.financial_goal, self.financial_before)]


class MonthFrozen(Exception):
    """The month cannot be saved (an approved report, a closed window): `reason` says why."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class StaleSave(Exception):
    """Someone saved after the page was opened; `changes` says who changed which rows, and when."""

    def __init__(self, changes):
        super().__init__("stale save")
        self.changes = changes


def month_records(*, institution, year, month):
    """The month's stored execution of the institution's plan (goals.writes.StoredRecord)."""
    return stored_records(EXECUTION_MODELS, institution=institution, year=year, month=month)


@dataclass(frozen=True)
class Stored:
    """A page's stored monthly records (goals.writes.StoredRecord) and their version (version_of)."""

    records: list
    version: str

    @classmethod
    def of(cls, records):
        return cls(records, version_of(records))


def stored_month(*, institution, year, month):
    """The month's stored execution and its version, read once per version of the institution's figures
    (goals.versions): the page shows them, and its save compares them again under the institution's lock."""
    return cached_figures(
        institution=institution,
        parts=("entry-records", year, month),
        compute=lambda: Stored.of(month_records(institution=institution, year=year, month=month)),
    )


def version_of(records):
    """A digest of a page's stored monthly records (goals.writes.StoredRecord): it changes whenever anyone saves one
    of them."""
    parts = sorted(
        f"{record.model._meta.model_name}:{record.pk}:{record.month}:{record.physical}:"
        f"{'' if record.financial is None else record.financial}:{record.updated_at.isoformat()}"
        for record in records
    )
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def refuse_stale(institution, stored_of, form):
    """Hold the institution's saves until the transaction ends, then refuse (StaleSave) when the records
    `stored_of()` reads (Stored) are no longer those the page showed (form's `version`); else return them."""
    lock_institutions(institution)
    stored = stored_of()
    if stored.version != form.cleaned_data["version"]:
        raise StaleSave(changes_since(stored.records, form.cleaned_data["opened_at"]))
    return stored.records


def changes_since(records, opened_at):
    """(row, who, when) of each row saved after `opened_at`, its latest change, in order of time; its few queries are
    read only when a save is refused."""
    latest = {}
    for record in sorted(records, key=attrgetter("updated_at")):
        if record.updated_at > opened_at:
            latest[(record.row_model, record.row_id)] = record
    changed = sorted(latest.values(), key=attrgetter("updated_at"))
    rows = {
        model: model.objects.in_bulk([pk for kind, pk in latest if kind is model])
        for model in {kind for kind, _pk in latest}
    }
    users = User.objects.in_bulk({record.updated_by_id for record in changed} - {None})
    return [
        (rows[record.row_model][record.row_id], users.get(record.updated_by_id), record.updated_at)
        for record in changed
    ]


def by_row(records):
    """{(Product or Subproduct, row id): record} of stored records."""
    return {(record.row_model, record.row_id): record for record in records}


def executed_before(*, institution, year, month):
    """{(Product or Subproduct, row id): (physical, financial; zero for a product)} executed before `month` by the
    rows of the institution's plan that executed anything, in one query (a UNION ALL of products' and subproducts')."""
    parts = []
    for index, (row_model, model, target) in enumerate(EXECUTION_MODELS):
        result = "product__result" if target == "product" else "subproduct__product__result"
        sums = model.objects.filter(
            **{f"{result}__institution": institution, f"{result}__year": year}, month__lt=month
        ).order_by()
        physical = Coalesce(Sum("physical"), ZERO)
        financial = Coalesce(Sum("financial"), ZERO) if row_model is Subproduct else Value(ZERO)
        sums = sums.values(f"{target}_id").annotate(physical=physical, financial=financial)
        parts.append(sums.values_list(Value(index), f"{target}_id", "physical", "financial"))
    return {
        (EXECUTION_MODELS[index][0], pk): (physical, financial)
        for index, pk, physical, financial in parts[0].union(*parts[1:], all=True)
    }


def month_rows(*, institution, year, month):
    """The rows of a month in plan order, with their goals and what was executed before it, in a fixed number of
    queries. Not the month's records: a page reads them apart (stored_month), a save again under the lock."""
    states = institution_goal_states(institution=institution, year=year, as_of=month_last_day(year, month))
    before = executed_before(institution=institution, year=year, month=month)

    rows = []
    for product, subproducts in plan_products(institution=institution, year=year):
        sub_rows = [
            EntryRow(
                item=sub,
                prefix=f"s{sub.pk}",
                is_product=False,
                physical_goal=goal_in(states, sub, GoalKind.PHYSICAL),
                financial_goal=goal_in(states, sub, GoalKind.FINANCIAL),
                physical_before=before.get((Subproduct, sub.pk), NOTHING)[0],
                financial_before=before.get((Subproduct, sub.pk), NOTHING)[1],
            )
            for sub in subproducts
        ]
        rows.append(
            EntryRow(
                item=product,
                prefix=f"p{product.pk}",
                is_product=True,
                physical_goal=goal_in(states, product, GoalKind.PHYSICAL),
                financial_goal=sum((row.financial_goal for row in sub_rows), ZERO),
                physical_before=before.get((Product, product.pk), NOTHING)[0],
                financial_before=sum((row.financial_before for row in sub_rows), ZERO),
            )
        )
        rows += sub_rows
    return rows


def cached_month_rows(*, institution, year, month):
    """month_rows, computed once per version of the institution's figures (goals.versions)."""
    return cached_figures(
        institution=institution,
        parts=("entry-rows", year, month),
        compute=lambda: month_rows(institution=institution, year=year, month=month),
    )


class YearForm(forms.Form):
    anio = WholeNumberField(label=_("Año"), min_value=FIRST_YEAR, max_value=LAST_YEAR)


class PeriodForm(YearForm):
    """The year and month the entry page opens (its year picker sends them to /ejecucion/)."""

    mes = WholeNumberField(label=_("Mes"), min_value=1, max_value=12)


def is_valid_period(*, year, month):
    return FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12


class FigureField(AmountField):
    """An optional amount of the entry or programme page. parse_amount (to_python) refuses every figure that
    DecimalField's own checks would (too many digits or decimals, not finite), so they are not run again: they
    compare the Decimal with Django's empty values ([], {}…) through abstract-class checks, which cost more than the
    parse on a page of hundreds of figures."""

    def clean(self, value):
        return self.to_python(value)

    def __copy__(self):
        """A shallow copy, as copy.copy() makes one, without its generic reduce protocol (figure_fields)."""
        field = object.__new__(type(self))
        field.__dict__.update(self.__dict__)
        return field


def figure_fields():
    """A maker of the fields of amounts typed on the entry or programme page, read and shown as 1,234.50
    (goals.validators), each named by its label in the summary of refused fields. It copies one field built once: a
    page has hundreds, and building each cost five times a copy. The copies share its widget, which nothing changes."""
    prototype = FigureField(
        required=False, widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
    )

    def figure_field(label: str) -> FigureField:
        field = copy.copy(prototype)
        field.label = label
        return field

    return figure_field


class VersionedForm(forms.Form):
    """A page of figures that carries the version of the records it showed and when it was opened (refuse_stale)."""

    version = forms.CharField(widget=forms.HiddenInput)
    opened_at = forms.DateTimeField(widget=forms.HiddenInput)

    def refused_fields(self) -> list:
        """The bound fields a save refused, in page order, for the summary at the top that links to each."""
        return [self[name] for name in self.fields if name in self.errors and not self.fields[name].widget.is_hidden]


class MonthForm(VersionedForm):
    """One physical field per row, and a financial one per subproduct; empty means "not reported". Bound to what was
    posted, or else the month as `stored` (Stored): its figures, their version and the time it was opened."""

    def __init__(self, rows, data=None, *, stored=None):
        opened = None if stored is None else {"version": stored.version, "opened_at": timezone.now()}
        super().__init__(data, initial=opened)
        self.rows = rows
        records = {} if stored is None else by_row(stored.records)
        figure_field = figure_fields()
        physical_label, financial_label = gettext("Física del mes: %(name)s"), gettext("Financiera del mes: %(name)s")
        for row in rows:
            name = {"name": row.item.name}
            record = records.get((type(row.item), row.item.pk))
            self.fields[f"{row.prefix}_physical"] = figure_field(physical_label % name)
            self.initial.setdefault(f"{row.prefix}_physical", record.physical if record else None)
            if not row.is_product:
                self.fields[f"{row.prefix}_financial"] = figure_field(financial_label % name)
                self.initial.setdefault(f"{row.prefix}_financial", record.financial if record else None)

    def figures(self, month, records):
        """What to write: typed figures, and zero where a stored figure was cleared; not the rows whose stored record
        already holds them. `records` are those save_month reads under the lock, once refuse_stale has found them
        unchanged since the page was opened."""
        stored = by_row(records)
        figures = {}
        for row in self.rows:
            record = stored.get((type(row.item), row.item.pk))
            physical = self.cleaned_data[f"{row.prefix}_physical"]
            financial = None if row.is_product else self.cleaned_data[f"{row.prefix}_financial"]
            values = figures_to_write(is_product=row.is_product, physical=physical, financial=financial, record=record)
            if values is not None and (record is None or values != (record.physical, record.financial)):
                figures[(type(row.item), row.item.pk, month)] = (row.item, month, *values)
        return figures

    def figure(self, name: str) -> Decimal | None:
        """The figure a field holds: what was typed, when it was read; else what is stored."""
        if self.is_bound:
            return getattr(self, "cleaned_data", {}).get(name)
        return self.initial.get(name)

    def shown_value(self, name: str) -> str:
        """What a field shows, as its BoundField.value() would: what was typed, else the stored figure as 1,234.50."""
        value = self.data.get(name) if self.is_bound else self.initial.get(name)
        return "" if value is None else str(self.fields[name].prepare_value(value))

    def over_goal_warnings(self) -> dict:
        """{field name: warning} for each figure that takes its row's cumulative past its current goal: saved,
        since over-execution happens, but pointed out at the field."""
        warnings = {}
        for row in self.rows:
            for column, goal, before in row.columns():
                name = f"{row.prefix}_{column}"
                figure = self.figure(name)
                if not figure or before + figure <= goal:
                    continue
                if goal:
                    warnings[name] = gettext("supera la meta vigente (%(percent)s %%)") % {
                        "percent": amount_text(percentage(before + figure, goal))
                    }
                else:
                    warnings[name] = gettext("la meta vigente es 0: esta cifra no tiene meta")
        return warnings


@transaction.atomic
def save_month(*, institution, year, month, form, user):
    """Write the month in one transaction, unless someone saved it since the page was opened (StaleSave) or it is
    frozen (MonthFrozen). The freeze is checked here, under the institution's lock, and only here for a save: the
    page asks month_is_writable before only to show it."""
    records = refuse_stale(institution, lambda: stored_month(institution=institution, year=year, month=month), form)
    reason = month_is_writable(institution=institution, year=year, month=month, user=user)
    if reason is not None:
        raise MonthFrozen(reason)
    return write_executions(figures=form.figures(month, records), user=user)


def month_is_writable(*, institution, year, month, user):
    """None when the user may save the month; else the reason (an approved report, a closed window)."""
    try:
        ensure_writable(institution=institution, year=year, months=[month], user=user)
    except ValidationError as error:
        return " ".join(error.messages)
    return None
