"""Warnings about a computed report that the planner and the director see before it is approved.

Four read only the report's rows (no query): over-execution, money spent on a zero goal, physical
and financial progress far apart, and a product whose own physical figures differ from the sum of
its subproducts in the same unit (DOMAIN.md: the seed prints two such products as they are). The
fifth, a month left empty after its entry window closed, asks the database whether any execution
record exists for the month, since the report's rows show a month never entered as zeros.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goals.models import ZERO, ProductExecution, SubproductExecution
from goals.periods import cuatrimestre_of_month, month_name
from reports.alert_kinds import DeviationKind

from .locks import entry_windows

HUNDRED = Decimal("100")
PROGRESS_GAP_POINTS = Decimal("25")


@dataclass(frozen=True)
class Alert:
    """`item` is what the page names; `product` and `subproduct` (blank on a product's own row) identify the row,
    and an empty month is its own row (`product` is the month's name)."""

    item: str
    message: str
    kind: str = ""
    product: str = ""
    subproduct: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return self.product, self.subproduct, self.kind


# Translated only when an alert names them, not for every row of every report checked.
PHYSICAL, FINANCIAL = gettext_lazy("física"), gettext_lazy("financiera")


def kinds(item):
    return ((PHYSICAL, item.physical), (FINANCIAL, item.financial))


def over_execution(item):
    for label, figures in kinds(item):
        if figures.current and figures.pct_cumulative > HUNDRED:
            yield _("ejecución %(kind)s acumulada al %(pct)s %% de la meta vigente.") % {
                "kind": label, "pct": figures.pct_cumulative,
            }  # fmt: skip


def spending_on_zero_goal(item):
    if item.financial.current == ZERO and item.financial.cumulative > ZERO:
        yield _("gasto de Q %(amount)s con meta financiera vigente de 0.00.") % {
            "amount": f"{item.financial.cumulative:,.2f}"
        }


def progress_gap(item):
    gap = abs(item.physical.pct_cumulative - item.financial.pct_cumulative)
    if item.physical.current and item.financial.current and gap > PROGRESS_GAP_POINTS:
        yield _("avance físico %(physical)s %% y financiero %(financial)s %%: %(gap)s puntos de diferencia.") % {
            "physical": item.physical.pct_cumulative, "financial": item.financial.pct_cumulative, "gap": gap,
        }  # fmt: skip


def product_differs_from_subproducts(product, months):
    same_unit = [sub.physical for sub in product.subproducts if sub.unit == product.unit]
    if not same_unit:
        return
    if product.physical.current != sum((figures.current for figures in same_unit), ZERO):
        yield _("su meta física vigente (%(own)s) no es la suma de sus subproductos en %(unit)s (%(sum)s).") % {
            "own": f"{product.physical.current:,.2f}", "unit": product.unit,
            "sum": f"{sum((figures.current for figures in same_unit), ZERO):,.2f}",
        }  # fmt: skip
    for index, month in enumerate(months):
        subtotal = sum((figures.months[index] for figures in same_unit), ZERO)
        if product.physical.months[index] != subtotal:
            yield _(
                "su ejecución física de %(month)s (%(own)s) no es la suma de sus subproductos "
                "en %(unit)s (%(sum)s)."
            ) % {
                "month": month_name(month), "own": f"{product.physical.months[index]:,.2f}", "unit": product.unit,
                "sum": f"{subtotal:,.2f}",
            }  # fmt: skip


def report_alerts(report):
    """Every alert of the report, product by product, in report order."""
    alerts = []
    for section in report.sections:
        for product in section.products:
            for kind, messages in (
                (DeviationKind.PRODUCT_NOT_SUM, product_differs_from_subproducts(product, report.months)),
                (DeviationKind.OVER_EXECUTION, over_execution(product)),
            ):
                alerts += [Alert(product.name, message, kind, product.name) for message in messages]
            for sub in product.subproducts:
                for kind, messages in (
                    (DeviationKind.OVER_EXECUTION, over_execution(sub)),
                    (DeviationKind.SPENDING_ON_ZERO_GOAL, spending_on_zero_goal(sub)),
                    (DeviationKind.PROGRESS_GAP, progress_gap(sub)),
                ):
                    alerts += [Alert(sub.name, message, kind, product.name, sub.name) for message in messages]
    return alerts


def months_without_execution(*, institution, year, months):
    """The months among `months` with no execution record at all for the institution's plan (a 0 typed in is a
    record), in one query."""
    products = ProductExecution.objects.filter(
        product__result__institution=institution, product__result__year=year, month__in=months
    )
    subproducts = SubproductExecution.objects.filter(
        subproduct__product__result__institution=institution, subproduct__product__result__year=year, month__in=months
    )
    entered = products.values_list("month").order_by().union(subproducts.values_list("month").order_by())
    found = {month for (month,) in entered}
    return [month for month in months if month not in found]


@dataclass(frozen=True)
class EmptyMonth:
    """A month with no execution record, and the load deadline of its cuatrimestre (None: no window set)."""

    year: int
    month: int
    deadline: object
    closed: bool

    @property
    def name(self):
        return f"{month_name(self.month).capitalize()} {self.year}"


def empty_months(*, institution, year, last_month, today=None, windows=None):
    """The months from January to `last_month` with no execution record, each with its entry window.

    A window is closed the day after its load deadline; with no window set it never closes (locks.entry_windows).
    `windows`: the year's entry_windows, when the caller has them already (the dashboard).
    """
    today = today or timezone.localdate()
    windows = entry_windows(institution=institution, year=year) if windows is None else windows
    found = []
    for month in months_without_execution(institution=institution, year=year, months=range(1, last_month + 1)):
        window = windows.get(cuatrimestre_of_month(month))
        deadline = window.load_deadline if window else None
        found.append(EmptyMonth(year, month, deadline, deadline is not None and today > deadline))
    return found


def empty_month_alerts(empty):
    """A month left without any execution record after its entry window closed, among `empty` (empty_months)."""
    return [
        Alert(
            month.name,
            _("ningún dato de ejecución cargado; el plazo de carga venció el %(deadline)s.")
            % {"deadline": formats.date_format(month.deadline, "SHORT_DATE_FORMAT")},
            DeviationKind.EMPTY_MONTH,
            month.name,
        )
        for month in empty
        if month.closed
    ]


def alerts_before_approval(institution, report, today=None, empty=None):
    """Every alert the planner and the director see on a cuatrimestre report not yet approved.

    `empty`: empty_months() to the report's last month or later, when the caller has them already (the dashboard).
    """
    last_month = report.months[-1]
    if empty is None:
        empty = empty_months(institution=institution, year=report.year, last_month=last_month, today=today)
    return report_alerts(report) + empty_month_alerts([month for month in empty if month.month <= last_month])
