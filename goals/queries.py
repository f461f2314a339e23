"""The rules that read goals and execution, written once: the report, the pages and the API call these."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.db.models import Case, Count, Max, Prefetch, Q, QuerySet, Sum, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from goals.models import (
    ZERO,
    GoalKind,
    Institution,
    LinkType,
    Product,
    ProductExecution,
    Reprogramming,
    ReprogrammingLine,
    ReprogrammingStatus,
    Result,
    Subproduct,
    SubproductExecution,
)


@dataclass
class GoalState:
    """A row's current goal as of a day, and the reprogramming documents that changed it by then."""

    current: Decimal
    documents: set[int] = field(default_factory=set)


# ("product" or "subproduct", its id, GoalKind): the row a reprogramming line changes.
GoalKey = tuple[str, int | None, str]
GoalStates = dict[GoalKey, GoalState]


class GoalLine(Protocol):
    """What fold_goal_changes reads of a reprogramming line (reprogramming_lines_as_of's rows)."""

    product_id: int | None
    subproduct_id: int | None
    kind: str
    new_goal: Decimal
    reprogramming_id: int


def goal_key(line: GoalLine) -> GoalKey:
    """("product", id, kind) or ("subproduct", id, kind): the row a reprogramming line changes."""
    if line.product_id is not None:
        return ("product", line.product_id, line.kind)
    return ("subproduct", line.subproduct_id, line.kind)


def reprogramming_lines_as_of(as_of: datetime.date, *conditions: Q, **filters: Any) -> QuerySet[ReprogrammingLine, Any]:
    """Lines (GoalLine rows) of the approved documents dated on or before `as_of`, in the order they take effect.

    A pending document does not count until the director approves it. Rows rather than model instances: every
    page of figures reads them, and building a deferred model per line cost more than the query.
    """
    return (
        ReprogrammingLine.objects.filter(
            *conditions, reprogramming__date__lte=as_of, reprogramming__status=ReprogrammingStatus.APPROVED, **filters
        )
        .order_by("reprogramming__date", "reprogramming_id", "id")
        .values_list("product_id", "subproduct_id", "kind", "new_goal", "reprogramming_id", named=True)
    )


def fold_goal_changes(lines: Iterable[GoalLine]) -> GoalStates:
    """Map each changed row to its GoalState: the latest document wins; every document is counted."""
    states: GoalStates = {}
    for line in lines:
        state = states.setdefault(goal_key(line), GoalState(current=line.new_goal))
        state.current = line.new_goal
        state.documents.add(line.reprogramming_id)
    return states


def institution_goal_states(*, institution: Institution | int, year: int, as_of: datetime.date) -> GoalStates:
    """GoalState of every reprogrammed row of an institution's plan for a year, in one query."""
    lines = reprogramming_lines_as_of(as_of, reprogramming__institution=institution, reprogramming__date__year=year)
    return fold_goal_changes(lines)


def goal_state(states: GoalStates, *, model_name: str, pk: int, kind: str, initial: Decimal) -> GoalState:
    """A row's GoalState in `states` (fold_goal_changes): as its latest document set it, else its initial goal."""
    return states.get((model_name, pk, kind)) or GoalState(current=initial)


def initial_goal(item: Product | Subproduct, kind: str) -> Decimal:
    """A row's initial goal; a product has no financial goal of its own (it is the sum of its subproducts')."""
    if kind == GoalKind.PHYSICAL:
        return item.physical_initial
    if isinstance(item, Subproduct):
        return item.financial_initial
    raise ValueError("A product's financial goal is the sum of its subproducts'.")


def goal_in(states: GoalStates, item: Product | Subproduct, kind: str) -> Decimal:
    """The goal of a product or subproduct in `states` (institution_goal_states); its initial goal when unchanged."""
    model_name = "product" if isinstance(item, Product) else "subproduct"
    return goal_state(states, model_name=model_name, pk=item.pk, kind=kind, initial=initial_goal(item, kind)).current


def current_goal(item: Product | Subproduct, kind: str, as_of: datetime.date) -> Decimal:
    """The goal of a product or subproduct as set by the latest reprogramming dated on or before `as_of`.

    A product's financial goal is the sum of its subproducts'.
    """
    if isinstance(item, Product) and kind == GoalKind.FINANCIAL:
        return sum((current_goal(sub, kind, as_of) for sub in item.subproducts.all()), ZERO)
    lines = reprogramming_lines_as_of(
        as_of, **{"product" if isinstance(item, Product) else "subproduct": item, "kind": kind}
    )
    return goal_in(fold_goal_changes(lines), item, kind)


def plan_of(*, institution: Institution, year: int) -> QuerySet[Result]:
    """The year's results → products → subproducts in report order, in three queries."""
    subproducts = Subproduct.objects.order_by("order", "id")
    products = Product.objects.order_by("order", "id").prefetch_related(Prefetch("subproducts", queryset=subproducts))
    link_order = Case(When(link=LinkType.RI, then=0), default=1)
    return (
        Result.objects.filter(institution=institution, year=year)
        .order_by(link_order, "order", "id")
        .prefetch_related(Prefetch("products", queryset=products))
    )


def plan_products(*, institution: Institution, year: int) -> list[tuple[Product, list[Subproduct]]]:
    """The year's products in plan_of's report order, each with its subproducts, in two queries: the pages that list
    every row (entry, programme) need neither the results nor the prefetch machinery, which cost more than the
    queries."""
    link_order = Case(When(result__link=LinkType.RI, then=0), default=1)
    products = Product.objects.filter(result__institution=institution, result__year=year).order_by(
        link_order, "result__order", "result_id", "order", "id"
    )
    subproducts: dict[int, list[Subproduct]] = {}
    for sub in Subproduct.objects.filter(product__result__institution=institution, product__result__year=year).order_by(
        "order", "id"
    ):
        subproducts.setdefault(sub.product_id, []).append(sub)
    return [(product, subproducts.get(product.pk, [])) for product in products]


def executed_between(item: Product | Subproduct, *, first_month: int, last_month: int) -> dict[str, Decimal]:
    """Execution of a product (physical) or subproduct (physical and financial), months inclusive, in SQL."""
    months = {"month__range": (first_month, last_month)}
    physical = Coalesce(Sum("physical"), ZERO)
    if isinstance(item, Product):
        return ProductExecution.objects.filter(product=item, **months).aggregate(physical=physical)
    financial = Coalesce(Sum("financial"), ZERO)
    return SubproductExecution.objects.filter(subproduct=item, **months).aggregate(
        physical=physical, financial=financial
    )


def institutions_with_latest_year(institutions: QuerySet[Institution]) -> QuerySet[Institution]:
    """The institutions, each annotated with the latest year that has a plan."""
    return institutions.annotate(latest_year=Max("results__year")).order_by("code")


def products_with_totals(*, institution: Institution, year: int) -> QuerySet[Product]:
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


def execution_by_month(*, institution: Institution, year: int, kind: str) -> list[dict[str, Any]]:
    """Rows of {product, subproduct, unit, m1..m12, total} for every product (physical only) and subproduct.

    Two aggregate queries; a product has no financial row of its own, so the financial list holds subproducts only.
    """
    field = "physical" if kind == GoalKind.PHYSICAL else "financial"
    months = {
        f"m{month}": Coalesce(Sum(f"executions__{field}", filter=Q(executions__month=month)), ZERO)
        for month in range(1, 13)
    }
    rows: list[dict[str, Any]] = []
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


def latest_approved_reprogramming(institution: Institution) -> Reprogramming | None:
    return (
        Reprogramming.objects.filter(institution=institution, status=ReprogrammingStatus.APPROVED)
        .order_by("-date", "-id")
        .first()
    )


def validate_reprogramming_order(institution: Institution, date: datetime.date, *, pk: int | None = None) -> None:
    """New documents go in date order, one pending at a time (as in SIPLAN)."""
    pending = (
        Reprogramming.objects.filter(institution=institution, status=ReprogrammingStatus.PENDING).exclude(pk=pk).first()
    )
    if pending is not None:
        raise ValidationError(
            _("Ya hay una reprogramación pendiente (%(number)s): el director debe aprobarla antes de ingresar otra.")
            % {"number": pending.number}
        )
    latest = latest_approved_reprogramming(institution)
    if latest is not None and latest.pk != pk and date < latest.date:
        raise ValidationError(
            _("La fecha no puede ser anterior a la de la última reprogramación aprobada (%(number)s, %(date)s).")
            % {"number": latest.number, "date": latest.date.strftime("%d/%m/%Y")}
        )
