"""The rules of goals and execution, written once: the report and the entry pages call these."""

import calendar
import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, Count, Max, Prefetch, Q, Sum, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from .models import (
    ZERO,
    GoalKind,
    LinkType,
    Product,
    ProductExecution,
    ProductProgramme,
    ReprogrammingLine,
    ReprogrammingStatus,
    Result,
    Subproduct,
    SubproductExecution,
    SubproductProgramme,
)

CUATRIMESTRES = (1, 2, 3)
MONTHS_PER_CUATRIMESTRE = 4


def cuatrimestre_months(cuatrimestre):
    """1 → [1, 2, 3, 4], 2 → [5, 6, 7, 8], 3 → [9, 10, 11, 12]."""
    if cuatrimestre not in CUATRIMESTRES:
        raise ValueError(f"cuatrimestre must be 1, 2 or 3, not {cuatrimestre!r}")
    first = (cuatrimestre - 1) * MONTHS_PER_CUATRIMESTRE + 1
    return list(range(first, first + MONTHS_PER_CUATRIMESTRE))


def cuatrimestre_of_month(month):
    return (month - 1) // MONTHS_PER_CUATRIMESTRE + 1


def month_last_day(year, month):
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def cuatrimestre_last_day(year, cuatrimestre):
    return month_last_day(year, cuatrimestre_months(cuatrimestre)[-1])


@dataclass
class GoalState:
    """A row's current goal as of a day, and the reprogramming documents that changed it by then."""

    current: object
    documents: set = field(default_factory=set)


def goal_key(line):
    """("product", id, kind) or ("subproduct", id, kind): the row a reprogramming line changes."""
    if line.product_id is not None:
        return ("product", line.product_id, line.kind)
    return ("subproduct", line.subproduct_id, line.kind)


def reprogramming_lines_as_of(as_of, *conditions, **filters):
    """Lines of the approved documents dated on or before `as_of`, in the order they take effect.

    A pending document does not count until the director approves it.
    """
    return (
        ReprogrammingLine.objects.filter(
            *conditions, reprogramming__date__lte=as_of, reprogramming__status=ReprogrammingStatus.APPROVED, **filters
        )
        .only("product_id", "subproduct_id", "kind", "new_goal", "reprogramming_id")
        .order_by("reprogramming__date", "reprogramming_id", "id")
    )


def fold_goal_changes(lines):
    """Map each changed row to its GoalState: the latest document wins; every document is counted."""
    states = {}
    for line in lines:
        state = states.setdefault(goal_key(line), GoalState(current=line.new_goal))
        state.current = line.new_goal
        state.documents.add(line.reprogramming_id)
    return states


def institution_goal_states(institution, year, as_of):
    """GoalState of every reprogrammed row of an institution's plan for a year, in one query."""
    lines = reprogramming_lines_as_of(
        as_of, reprogramming__institution=institution, reprogramming__date__year=year
    )
    return fold_goal_changes(lines)


def goal_state(states, model_name, pk, kind, initial):
    """A row's GoalState in `states` (fold_goal_changes): as its latest document set it, else its initial goal."""
    return states.get((model_name, pk, kind)) or GoalState(current=initial)


def goal_in(states, item, kind):
    """The goal of a product or subproduct in `states` (institution_goal_states); its initial goal when unchanged."""
    initial = item.physical_initial if kind == GoalKind.PHYSICAL else item.financial_initial
    return goal_state(states, item._meta.model_name, item.pk, kind, initial).current


def current_goal(item, kind, as_of):
    """The goal of a product or subproduct as set by the latest reprogramming dated on or before `as_of`.

    A product's financial goal is the sum of its subproducts'.
    """
    if item._meta.model_name == "product" and kind == GoalKind.FINANCIAL:
        return sum((current_goal(sub, kind, as_of) for sub in item.subproducts.all()), ZERO)
    lines = reprogramming_lines_as_of(as_of, **{item._meta.model_name: item, "kind": kind})
    return goal_in(fold_goal_changes(lines), item, kind)


def plan_of(institution, year):
    """The year's results → products → subproducts in report order, in three queries."""
    subproducts = Subproduct.objects.order_by("order", "id")
    products = Product.objects.order_by("order", "id").prefetch_related(Prefetch("subproducts", queryset=subproducts))
    link_order = Case(When(link=LinkType.RI, then=0), default=1)
    return (
        Result.objects.filter(institution=institution, year=year)
        .order_by(link_order, "order", "id")
        .prefetch_related(Prefetch("products", queryset=products))
    )


class Upserter:
    """Creates or updates records by a lookup, saving only the fields that differ, and counts what it did.

    Saving only what changed keeps re-runs (load_demo, a re-imported plan) from writing history or
    touching records that an approved report freezes.
    """

    def __init__(self):
        self.created = 0
        self.updated = 0

    def upsert(self, model, lookup, values):
        record = model.objects.filter(**lookup).first()
        if record is None:
            self.created += 1
            return model.objects.create(**{**values, **lookup})
        changed = [name for name, value in values.items() if getattr(record, name) != value]
        if changed:
            for name in changed:
                setattr(record, name, values[name])
            record.save(update_fields=changed)
            self.updated += 1
        return record


def executed_between(item, first_month, last_month):
    """Execution of a product (physical) or subproduct (physical and financial), months inclusive, in SQL."""
    if item._meta.model_name == "product":
        executions = ProductExecution.objects.filter(product=item)
        sums = {"physical": Coalesce(Sum("physical"), ZERO)}
    else:
        executions = SubproductExecution.objects.filter(subproduct=item)
        sums = {"physical": Coalesce(Sum("physical"), ZERO), "financial": Coalesce(Sum("financial"), ZERO)}
    return executions.filter(month__range=(first_month, last_month)).aggregate(**sums)


BATCH = 2000
# (row model, monthly model, the monthly model's field naming its row) of execution and of programme.
EXECUTION_MODELS = ((Product, ProductExecution, "product"), (Subproduct, SubproductExecution, "subproduct"))
PROGRAMME_MODELS = ((Product, ProductProgramme, "product"), (Subproduct, SubproductProgramme, "subproduct"))


def stored_records(models, institution, year, **filters):
    """The stored monthly records (EXECUTION_MODELS or PROGRAMME_MODELS) of an institution's plan for a year,
    products' then subproducts', with their row and who saved them."""
    records = []
    for _row_model, model, target in models:
        result = "product__result" if target == "product" else "subproduct__product__result"
        mine = model.objects.filter(**{f"{result}__institution": institution, f"{result}__year": year}, **filters)
        records += mine.select_related("updated_by", target)
    return records


def update_in_bulk(records, model, columns):
    """One parameterised UPDATE per record, sent with executemany: QuerySet.bulk_update builds a CASE
    expression per field and record, which takes 20 s for a year of a large institution."""
    table = connection.ops.quote_name(model._meta.db_table)
    assignments = ", ".join(f"{connection.ops.quote_name(column)} = %s" for column in columns)
    fields = [model._meta.get_field(column.removesuffix("_id")) for column in columns]
    parameters = [
        [field.get_db_prep_save(getattr(record, column), connection) for field, column in zip(fields, columns)] + [record.pk]
        for record in records
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {assignments} WHERE id = %s", parameters)


def write_monthly_figures(figures, user, models):
    """Create or update monthly records (execution or programme) in bulk, with their history, signed by
    `user`; (created, updated).

    `figures` maps (Product or Subproduct, pk, month) to (row, month, physical, financial or None for a
    product); `models` is EXECUTION_MODELS or PROGRAMME_MODELS. Records whose figures did not change are
    left alone. Callers check the locks first (approvals.locks.ensure_writable): bulk writes do not send
    model signals.
    """
    created_count = updated_count = 0
    for target_model, model, target_field in models:
        selected = {(pk, month): values for (kind, pk, month), values in figures.items() if kind is target_model}
        rows = {f"{target_field}_id__in": {pk for pk, _month in selected}, "month__in": {month for _pk, month in selected}}
        existing = {
            (getattr(record, f"{target_field}_id"), record.month): record for record in model.objects.filter(**rows)
        }
        created, changed = [], []
        for key, (target, month, physical, financial) in selected.items():
            values = {"physical": physical} if financial is None else {"physical": physical, "financial": financial}
            record = existing.get(key)
            if record is None:
                created.append(model(**{target_field: target}, month=month, updated_by=user, **values))
            elif any(getattr(record, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(record, name, value)
                record.updated_by = user
                record.updated_at = timezone.now()
                changed.append(record)
        bulk_create_with_history(created, model, batch_size=BATCH, default_user=user)
        columns = ["physical", "updated_by_id", "updated_at"] + (["financial"] if target_model is Subproduct else [])
        update_in_bulk(changed, model, columns)
        model.history.bulk_history_create(changed, batch_size=BATCH, update=True, default_user=user)
        created_count += len(created)
        updated_count += len(changed)
    return created_count, updated_count


def figures_to_write(is_product, physical, financial, record):
    """(physical, financial or None for a product) to write for a row's month: the typed figures, zero where a
    stored figure was cleared; None when nothing was typed and nothing is stored."""
    if physical is None and financial is None and record is None:
        return None
    return physical or ZERO, None if is_product else (financial or ZERO)


def write_executions(figures, user):
    """Monthly execution in bulk: see write_monthly_figures."""
    return write_monthly_figures(figures, user, EXECUTION_MODELS)


def write_programme(figures, user):
    """The monthly programme in bulk: see write_monthly_figures. Callers check the sum rule (goals.programme)."""
    return write_monthly_figures(figures, user, PROGRAMME_MODELS)


def institutions_with_latest_year(institutions):
    """The institutions, each annotated with the latest year that has a plan."""
    return institutions.annotate(latest_year=Max("results__year")).order_by("code")


def products_with_totals(institution, year):
    """A year's products with their financial goal (the sum of their subproducts') and subproduct count, in SQL."""
    return (
        Product.objects.filter(result__institution=institution, result__year=year)
        .select_related("result")
        .annotate(
            financial_total=Coalesce(Sum("subproducts__financial_initial"), ZERO),
            subproduct_count=Count("subproducts"),
        )
        .order_by("result__order", "order", "id")
    )


def execution_by_month(institution, year, kind):
    """Rows of {product, subproduct, unit, m1..m12, total} for every product (physical only) and subproduct.

    Two aggregate queries; a product has no financial row of its own, so the financial list holds subproducts only.
    """
    field = "physical" if kind == GoalKind.PHYSICAL else "financial"
    months = {f"m{month}": Coalesce(Sum(f"executions__{field}", filter=Q(executions__month=month)), ZERO) for month in range(1, 13)}
    rows = []
    if kind == GoalKind.PHYSICAL:
        products = Product.objects.filter(result__institution=institution, result__year=year)
        for product in products.order_by("result__order", "order", "id").values("name", "unit").annotate(**months):
            rows.append({"product": product["name"], "subproduct": None, **product})
    subproducts = Subproduct.objects.filter(product__result__institution=institution, product__result__year=year)
    ordered = subproducts.order_by("product__result__order", "product__order", "order", "id")
    for sub in ordered.values("name", "unit", "product__name").annotate(**months):
        rows.append({"product": sub["product__name"], "subproduct": sub["name"], **sub})
    for row in rows:
        row["total"] = sum((row[f"m{month}"] for month in range(1, 13)), ZERO)
    return rows
