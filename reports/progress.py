"""Each product's progress to date against its goal and its programme: the dashboard and the consolidated view.

The report (reports.computation) answers what happened in a cuatrimestre; this answers, for any set of
products of a year (one institution or a hundred and fifty), where each one stands at the end of a month
and whether it is on course. The rules are DOMAIN.md's: a product's physical figures are its own, its
money the sum of its subproducts'; only approved reprogrammings count; percentages round half up.

Every figure is summed in SQL per product and month, so the number of queries does not grow with the
number of institutions or products.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Q, Sum, When
from django.utils import timezone
from django.utils.translation import gettext_lazy

from goals.figures import percentage
from goals.models import (
    ZERO,
    GoalKind,
    LinkType,
    Product,
    ProductExecution,
    ProductProgramme,
    Subproduct,
    SubproductExecution,
    SubproductProgramme,
)
from goals.periods import month_last_day
from goals.queries import fold_goal_changes, goal_state, reprogramming_lines_as_of
from goals.versions import cached_figures

MONTHS = 12
LIGHT_GREEN, LIGHT_YELLOW, LIGHT_RED = "verde", "amarillo", "rojo"
LIGHT_ORDER = (LIGHT_GREEN, LIGHT_YELLOW, LIGHT_RED)
# What every page and export calls each light; the values above stay the URLs' (?semaforo=rojo).
LIGHT_LABELS = {
    LIGHT_GREEN: gettext_lazy("En ruta"),
    LIGHT_YELLOW: gettext_lazy("Atención"),
    LIGHT_RED: gettext_lazy("Rezagado"),
}
# Progress at 90 % or more of what was expected by now is on course; under 70 % is off course.
GREEN_FROM, YELLOW_FROM = Decimal("0.90"), Decimal("0.70")


def traffic_light(pct, expected_pct):
    """verde, amarillo or rojo: the progress made against the progress expected by now."""
    if expected_pct <= ZERO:
        return LIGHT_GREEN
    ratio = pct / expected_pct
    if ratio >= GREEN_FROM:
        return LIGHT_GREEN
    if ratio >= YELLOW_FROM:
        return LIGHT_YELLOW
    return LIGHT_RED


def worse_light(*lights):
    return max(lights, key=LIGHT_ORDER.index)


@dataclass(frozen=True)
class Progress:
    """One kind (physical or financial) of one product, measured at the end of `month` (0 to 12).

    `current` is the goal as of the month's last day (January's for month 0); `months` every month's
    execution stored so far; `programmed` None when the row has no monthly programme.
    """

    current: Decimal
    months: tuple
    cumulative: Decimal
    programmed: Decimal | None
    month: int

    @property
    def pct(self):
        """Cumulative ÷ current goal × 100."""
        return percentage(self.cumulative, self.current)

    @property
    def expected_pct(self):
        """The programme to date ÷ current goal × 100; without a programme, the straight-line share of the year."""
        if not self.current:
            return ZERO
        if self.programmed is None:
            return percentage(Decimal(self.month), Decimal(MONTHS))
        return percentage(self.programmed, self.current)

    @property
    def light(self):
        return traffic_light(self.pct, self.expected_pct)


@dataclass(frozen=True)
class ProductProgress:
    institution_code: str
    institution_name: str
    year: int
    link: str
    result: str
    product_id: int
    name: str
    unit: str
    physical: Progress
    financial: Progress

    @property
    def light(self):
        return worse_light(self.physical.light, self.financial.light)


def month_to_date(*, year, today=None):
    """The last closed month to measure a year against: 12 for past years, last month for this one, 0 for later."""
    today = today or timezone.localdate()
    if year < today.year:
        return MONTHS
    if year > today.year:
        return 0
    return today.month - 1


def monthly(queryset, key, field):
    """{row id: [12 Decimals]}: `field` summed per row and month in SQL, one result row per row id.

    One row per id with twelve sums, rather than one per id and month, halves the time of 150
    institutions' execution (bench/consolidated_bench.py).
    """
    sums = {f"month_{month}": Sum(field, filter=Q(month=month), default=ZERO) for month in range(1, MONTHS + 1)}
    rows = queryset.values(key).order_by().annotate(**sums).values_list(key, *sums)
    return {pk: months for pk, *months in rows}


class ProgressBuilder:
    """Loads, for a set of products, the goals, execution and programme that progress is computed from."""

    def __init__(self, products, year, month):
        self.month = month
        as_of = month_last_day(year, max(month, 1))
        product_ids = products.values("pk")
        self.subproducts = defaultdict(list)
        for pk, product_id, initial in Subproduct.objects.filter(product__in=product_ids).values_list(
            "pk", "product_id", "financial_initial"
        ):
            self.subproducts[product_id].append((pk, initial))
        lines = reprogramming_lines_as_of(
            as_of,
            Q(product__in=product_ids, kind=GoalKind.PHYSICAL)
            | Q(subproduct__product__in=product_ids, kind=GoalKind.FINANCIAL),
            reprogramming__date__year=year,
        )
        self.goal_states = fold_goal_changes(lines)
        self.physical = monthly(ProductExecution.objects.filter(product__in=product_ids), "product_id", "physical")
        self.financial = monthly(
            SubproductExecution.objects.filter(subproduct__product__in=product_ids),
            "subproduct__product_id",
            "financial",
        )
        self.physical_programme = monthly(
            ProductProgramme.objects.filter(product__in=product_ids), "product_id", "physical"
        )
        self.financial_programme = monthly(
            SubproductProgramme.objects.filter(subproduct__product__in=product_ids),
            "subproduct__product_id",
            "financial",
        )

    def goal(self, model_name, pk, kind, initial):
        return goal_state(self.goal_states, model_name=model_name, pk=pk, kind=kind, initial=initial).current

    def progress(self, current, months, programme):
        months = tuple(months) if months is not None else (ZERO,) * MONTHS
        return Progress(
            current=current,
            months=months,
            cumulative=sum(months[: self.month], ZERO),
            programmed=None if programme is None else sum(programme[: self.month], ZERO),
            month=self.month,
        )

    def product(self, row):
        pk = row["pk"]
        financial_goal = sum(
            (self.goal("subproduct", sub, GoalKind.FINANCIAL, initial) for sub, initial in self.subproducts[pk]), ZERO
        )
        return ProductProgress(
            institution_code=row["result__institution__code"],
            institution_name=row["result__institution__name"],
            year=row["result__year"],
            link=row["result__link"],
            result=row["result__description"],
            product_id=pk,
            name=row["name"],
            unit=row["unit"],
            physical=self.progress(
                self.goal("product", pk, GoalKind.PHYSICAL, row["physical_initial"]),
                self.physical.get(pk),
                self.physical_programme.get(pk),
            ),
            financial=self.progress(financial_goal, self.financial.get(pk), self.financial_programme.get(pk)),
        )


PRODUCT_FIELDS = (
    "pk", "name", "unit", "physical_initial", "result__year", "result__link", "result__description",
    "result__institution__code", "result__institution__name",
)  # fmt: skip


def product_progress(products, *, year, month):
    """Progress of `products` (a scoped Product queryset of `year`) at the end of `month`, in plan order.

    Seven queries whatever the number of institutions and products.
    """
    builder = ProgressBuilder(products, year, month)
    link_order = Case(When(result__link=LinkType.RI, then=0), default=1)
    rows = products.order_by("result__institution__code", link_order, "result__order", "result_id", "order", "pk")
    return [builder.product(row) for row in rows.values(*PRODUCT_FIELDS)]


def programmed_to_date(queryset, key, field, month):
    """{row id: `field` summed from January to `month`} of the rows with a programme in any month, in one query."""
    to_date = Sum(field, filter=Q(month__lte=month), default=ZERO)
    return dict(queryset.values(key).order_by().annotate(to_date=to_date).values_list(key, "to_date"))


def report_progress(report):
    """product_progress at the end of a computed report's cuatrimestre (reports.computation.build_report), in plan
    order, from the goals and execution the report has read: its vigente is the goal as of that month's last day, its
    acumulado the execution from January, what ProgressBuilder would read again. Only the programme is read here, in
    two queries. `months` is empty: the report holds only the cuatrimestre's."""
    month = report.months[-1]
    rows = [(section, product) for section in report.sections for product in section.products]
    ids = [product.product_id for _section, product in rows]
    physical = programmed_to_date(ProductProgramme.objects.filter(product__in=ids), "product_id", "physical", month)
    financial = programmed_to_date(
        SubproductProgramme.objects.filter(subproduct__product__in=ids), "subproduct__product_id", "financial", month
    )

    def progress(figures, programmed):
        return Progress(
            current=figures.current, months=(), cumulative=figures.cumulative, programmed=programmed, month=month
        )

    return [
        ProductProgress(
            institution_code=report.institution.code,
            institution_name=report.institution.name,
            year=report.year,
            link=section.link,
            result=section.result,
            product_id=product.product_id,
            name=product.name,
            unit=product.unit,
            physical=progress(product.physical, physical.get(product.product_id)),
            financial=progress(product.financial, financial.get(product.product_id)),
        )
        for section, product in rows
    ]


def institution_progress(*, institution, year, month):
    """product_progress of every product of the institution's year, computed once per version of its figures."""
    return cached_figures(
        institution=institution,
        parts=("progress", year, month),
        compute=lambda: product_progress(
            Product.objects.filter(result__institution=institution, result__year=year), year=year, month=month
        ),
    )
