"""The rules of goals and execution, written once: the report and the entry pages call these."""

import calendar
import datetime
from dataclasses import dataclass, field

from django.db.models import Sum
from django.db.models.functions import Coalesce

from .models import ZERO, GoalKind, ProductExecution, ReprogrammingLine, ReprogrammingStatus, SubproductExecution

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


def cuatrimestre_last_day(year, cuatrimestre):
    last_month = cuatrimestre_months(cuatrimestre)[-1]
    return datetime.date(year, last_month, calendar.monthrange(year, last_month)[1])


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


def reprogramming_lines_as_of(as_of, **filters):
    """Lines of the approved documents dated on or before `as_of`, in the order they take effect.

    A pending document does not count until the director approves it.
    """
    return (
        ReprogrammingLine.objects.filter(
            reprogramming__date__lte=as_of, reprogramming__status=ReprogrammingStatus.APPROVED, **filters
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


def current_goal(item, kind, as_of):
    """The goal of a product or subproduct as set by the latest reprogramming dated on or before `as_of`.

    A product's financial goal is the sum of its subproducts'.
    """
    if item._meta.model_name == "product" and kind == GoalKind.FINANCIAL:
        return sum((current_goal(sub, kind, as_of) for sub in item.subproducts.all()), ZERO)
    initial = item.physical_initial if kind == GoalKind.PHYSICAL else item.financial_initial
    lines = reprogramming_lines_as_of(as_of, **{item._meta.model_name: item, "kind": kind})
    state = fold_goal_changes(lines).get(
        (item._meta.model_name, item.pk, kind), GoalState(current=initial)
    )
    return state.current


def executed_between(item, first_month, last_month):
    """Execution of a product (physical) or subproduct (physical and financial), months inclusive, in SQL."""
    if item._meta.model_name == "product":
        executions = ProductExecution.objects.filter(product=item)
        sums = {"physical": Coalesce(Sum("physical"), ZERO)}
    else:
        executions = SubproductExecution.objects.filter(subproduct=item)
        sums = {"physical": Coalesce(Sum("physical"), ZERO), "financial": Coalesce(Sum("financial"), ZERO)}
    return executions.filter(month__range=(first_month, last_month)).aggregate(**sums)
