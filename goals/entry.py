"""The monthly entry page's rules: the rows of a month, its version, and saving it whole or not at all.

Two people may open the same month; the page carries the month's version (a digest of its stored
records) and the time it was opened, and a save whose version no longer matches writes nothing and
names who changed which rows since.
"""

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from approvals.locks import ensure_writable

from .models import (
    FIRST_YEAR,
    LAST_YEAR,
    ZERO,
    GoalKind,
    Institution,
    Product,
    ProductExecution,
    Subproduct,
    SubproductExecution,
)
from .services import institution_goal_states, month_last_day, plan_of, write_executions


@dataclass
class EntryRow:
    """One product or subproduct on the page: its goals, what was executed before the month, the month's record."""

    item: object
    prefix: str
    is_product: bool
    physical_goal: Decimal
    financial_goal: Decimal
    physical_before: Decimal
    financial_before: Decimal
    record: object

    @property
    def result(self):
        return self.item.result if self.is_product else None


class StaleMonth(Exception):
    """Someone saved the month after the page was opened; `changes` says who changed which rows, and when."""

    def __init__(self, changes):
        super().__init__("stale month")
        self.changes = changes


def month_records(institution, year, month):
    """The month's stored execution of the institution's plan: (product records, subproduct records)."""
    products = ProductExecution.objects.filter(
        product__result__institution=institution, product__result__year=year, month=month
    ).select_related("updated_by", "product")
    subproducts = SubproductExecution.objects.filter(
        subproduct__product__result__institution=institution, subproduct__product__result__year=year, month=month
    ).select_related("updated_by", "subproduct")
    return list(products), list(subproducts)


def version_of(records):
    """A digest of the month's stored figures: it changes whenever anyone saves the month."""
    product_records, subproduct_records = records
    parts = sorted(
        [f"p{r.product_id}:{r.physical}:{r.updated_at.isoformat()}" for r in product_records]
        + [f"s{r.subproduct_id}:{r.physical}:{r.financial}:{r.updated_at.isoformat()}" for r in subproduct_records]
    )
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def sums_before(queryset, key, month, fields):
    rows = queryset.filter(month__lt=month).values(key).order_by(key)
    return {row[key]: row for row in rows.annotate(**{name: Coalesce(Sum(name), ZERO) for name in fields})}


def month_sheet(institution, year, month):
    """(rows in plan order, version) of a month, in a fixed number of queries."""
    states = institution_goal_states(institution, year, month_last_day(year, month))
    plan_products = ProductExecution.objects.filter(product__result__institution=institution, product__result__year=year)
    plan_subproducts = SubproductExecution.objects.filter(
        subproduct__product__result__institution=institution, subproduct__product__result__year=year
    )
    product_before = sums_before(plan_products, "product_id", month, ["physical"])
    subproduct_before = sums_before(plan_subproducts, "subproduct_id", month, ["physical", "financial"])
    records = month_records(institution, year, month)
    product_records = {record.product_id: record for record in records[0]}
    subproduct_records = {record.subproduct_id: record for record in records[1]}

    def goal(model_name, pk, kind, initial):
        state = states.get((model_name, pk, kind))
        return initial if state is None else state.current

    rows = []
    for result in plan_of(institution, year):
        for product in result.products.all():
            sub_rows = [
                EntryRow(
                    item=sub,
                    prefix=f"s{sub.pk}",
                    is_product=False,
                    physical_goal=goal("subproduct", sub.pk, GoalKind.PHYSICAL, sub.physical_initial),
                    financial_goal=goal("subproduct", sub.pk, GoalKind.FINANCIAL, sub.financial_initial),
                    physical_before=subproduct_before.get(sub.pk, {}).get("physical", ZERO),
                    financial_before=subproduct_before.get(sub.pk, {}).get("financial", ZERO),
                    record=subproduct_records.get(sub.pk),
                )
                for sub in product.subproducts.all()
            ]
            rows.append(
                EntryRow(
                    item=product,
                    prefix=f"p{product.pk}",
                    is_product=True,
                    physical_goal=goal("product", product.pk, GoalKind.PHYSICAL, product.physical_initial),
                    financial_goal=sum((row.financial_goal for row in sub_rows), ZERO),
                    physical_before=product_before.get(product.pk, {}).get("physical", ZERO),
                    financial_before=sum((row.financial_before for row in sub_rows), ZERO),
                    record=product_records.get(product.pk),
                )
            )
            rows += sub_rows
    return rows, version_of(records)


class PeriodForm(forms.Form):
    """The year and month the entry page opens (its year picker sends them to /ejecucion/)."""

    anio = forms.IntegerField(label=_("Año"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    mes = forms.IntegerField(label=_("Mes"), min_value=1, max_value=12)


def is_valid_period(year, month):
    return FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12


def figure_field():
    return forms.DecimalField(
        required=False, min_value=0, max_digits=18, decimal_places=2, localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )  # fmt: skip


class MonthForm(forms.Form):
    """One physical field per row, and a financial one per subproduct; empty means "not reported"."""

    version = forms.CharField(widget=forms.HiddenInput)
    opened_at = forms.DateTimeField(widget=forms.HiddenInput)

    def __init__(self, rows, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[f"{row.prefix}_physical"] = figure_field()
            self.initial.setdefault(f"{row.prefix}_physical", row.record.physical if row.record else None)
            if not row.is_product:
                self.fields[f"{row.prefix}_financial"] = figure_field()
                self.initial.setdefault(f"{row.prefix}_financial", row.record.financial if row.record else None)

    def figures(self, month):
        """What to write: typed figures, and zero where a stored figure was cleared."""
        figures = {}
        for row in self.rows:
            physical = self.cleaned_data[f"{row.prefix}_physical"]
            financial = None if row.is_product else self.cleaned_data[f"{row.prefix}_financial"]
            if physical is None and financial is None and row.record is None:
                continue
            values = (physical or ZERO, None if row.is_product else (financial or ZERO))
            figures[(Product if row.is_product else Subproduct, row.item.pk, month)] = (row.item, month, *values)
        return figures


@transaction.atomic
def save_month(institution, year, month, form, user):
    """Write the month in one transaction, unless someone saved it since the page was opened (StaleMonth)."""
    Institution.objects.select_for_update().get(pk=institution.pk)
    records = month_records(institution, year, month)
    if version_of(records) != form.cleaned_data["version"]:
        opened_at = form.cleaned_data["opened_at"]
        changes = [
            (record.product if isinstance(record, ProductExecution) else record.subproduct, record.updated_by, record.updated_at)
            for record in records[0] + records[1]
            if record.updated_at > opened_at
        ]
        raise StaleMonth(sorted(changes, key=lambda change: change[2]))
    ensure_writable(institution, year, months=[month], user=user)
    return write_executions(form.figures(month), user)


def month_is_writable(institution, year, month, user):
    """None when the user may save the month; else the reason (an approved report, a closed window)."""
    try:
        ensure_writable(institution, year, months=[month], user=user)
    except ValidationError as error:
        return " ".join(error.messages)
    return None
