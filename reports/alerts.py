"""Warnings about a computed report that the planner and the director see before it is approved.

They read only the report's rows (no query): over-execution, money spent on a zero goal, physical
and financial progress far apart, and a product whose own physical figures differ from the sum of
its subproducts in the same unit (DOMAIN.md: the seed prints two such products as they are).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from goals.models import ZERO

HUNDRED = Decimal("100")
PROGRESS_GAP_POINTS = Decimal("25")


@dataclass(frozen=True)
class Alert:
    item: str
    message: str


def kinds(item):
    return ((_("física"), item.physical), (_("financiera"), item.financial))


def over_execution(item):
    for label, figures in kinds(item):
        if figures.current and figures.pct_cumulative > HUNDRED:
            yield _("ejecución %(kind)s acumulada al %(pct)s %% de la meta vigente.") % {
                "kind": label, "pct": figures.pct_cumulative,
            }  # fmt: skip


def spending_on_zero_goal(item):
    if item.financial.current == ZERO and item.financial.cumulative > ZERO:
        yield _("gasto de Q %(amount)s con meta financiera vigente de 0.00.") % {"amount": f"{item.financial.cumulative:,.2f}"}


def progress_gap(item):
    gap = abs(item.physical.pct_cumulative - item.financial.pct_cumulative)
    if item.physical.current and item.financial.current and gap > PROGRESS_GAP_POINTS:
        yield _("avance físico %(physical)s %% y financiero %(financial)s %%: %(gap)s puntos de diferencia.") % {
            "physical": item.physical.pct_cumulative, "financial": item.financial.pct_cumulative, "gap": gap,
        }  # fmt: skip


def product_differs_from_subproducts(product, month_names):
    same_unit = [sub.physical for sub in product.subproducts if sub.unit == product.unit]
    if not same_unit:
        return
    if product.physical.current != sum((figures.current for figures in same_unit), ZERO):
        yield _("su meta física vigente (%(own)s) no es la suma de sus subproductos en %(unit)s (%(sum)s).") % {
            "own": f"{product.physical.current:,.2f}", "unit": product.unit,
            "sum": f"{sum((figures.current for figures in same_unit), ZERO):,.2f}",
        }  # fmt: skip
    for index, month in enumerate(month_names):
        subtotal = sum((figures.months[index] for figures in same_unit), ZERO)
        if product.physical.months[index] != subtotal:
            yield _("su ejecución física de %(month)s (%(own)s) no es la suma de sus subproductos en %(unit)s (%(sum)s).") % {
                "month": str(month).lower(), "own": f"{product.physical.months[index]:,.2f}", "unit": product.unit,
                "sum": f"{subtotal:,.2f}",
            }  # fmt: skip


def report_alerts(report):
    """Every alert of the report, product by product, in report order."""
    alerts = []
    for section in report.sections:
        for product in section.products:
            messages = [*product_differs_from_subproducts(product, report.month_names), *over_execution(product)]
            alerts += [Alert(product.name, message) for message in messages]
            for sub in product.subproducts:
                messages = [*over_execution(sub), *spending_on_zero_goal(sub), *progress_gap(sub)]
                alerts += [Alert(sub.name, message) for message in messages]
    return alerts
