"""The cuatrimestre report, computed once: plain data that the page, JSON, Excel and PDF only render.

build_report() reads the plan, the approved reprogrammings and the execution with a fixed number
of queries (one record per row and month, up to the cuatrimestre's end) and applies DOMAIN.md's rules: a
product's physical figures are its own, its financial figures the sums of its subproducts'.
"""

import datetime
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol, TypedDict

from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from goals.evidence import row_names
from goals.figures import percentage
from goals.models import (
    ZERO,
    Evidence,
    GoalKind,
    Institution,
    LinkType,
    Product,
    ProductExecution,
    Result,
    Subproduct,
    SubproductExecution,
)
from goals.periods import cuatrimestre_last_day, cuatrimestre_months
from goals.queries import goal_state, institution_goal_states, plan_of
from goals.versions import cached_figures

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
MONTH_NAMES = [
    _("Enero"), _("Febrero"), _("Marzo"), _("Abril"), _("Mayo"), _("Junio"),
    _("Julio"), _("Agosto"), _("Septiembre"), _("Octubre"), _("Noviembre"), _("Diciembre"),
]  # fmt: skip
CUATRIMESTRE_NAMES = {1: _("Primer Cuatrimestre"), 2: _("Segundo Cuatrimestre"), 3: _("Tercer Cuatrimestre")}
CUATRIMESTRE_ORDINALS = {1: _("1er cuatrimestre"), 2: _("2do cuatrimestre"), 3: _("3er cuatrimestre")}
FIRST_PGG_YEAR = 2020
PGG_TERM_YEARS = 4


def pgg_period(year: int) -> str:
    """The Política General de Gobierno in force in `year`, by presidential term: 2024 → "2024-2028"."""
    start = year - (year - FIRST_PGG_YEAR) % PGG_TERM_YEARS
    return f"{start}-{start + PGG_TERM_YEARS}"


@dataclass(frozen=True)
class Figures:
    """One Física or Financiera row of the report, every column of it."""

    initial: Decimal
    reprogrammings: int
    current: Decimal
    months: tuple[Decimal, ...]
    total: Decimal
    pct_period: Decimal
    cumulative: Decimal
    pct_cumulative: Decimal
    pct_cumulative_initial: Decimal

    @classmethod
    def compute(
        cls,
        initial: Decimal,
        documents: Collection[int],
        current: Decimal,
        months: Sequence[Decimal],
        cumulative: Decimal,
    ) -> "Figures":
        total = sum(months, ZERO)
        return cls(
            initial=initial,
            reprogrammings=len(documents),
            current=current,
            months=tuple(months),
            total=total,
            pct_period=percentage(total, current),
            cumulative=cumulative,
            pct_cumulative=percentage(cumulative, current),
            pct_cumulative_initial=percentage(cumulative, initial),
        )


@dataclass(frozen=True)
class Item:
    """A product (with its subproducts) or a subproduct, with its two rows of figures; a computed product knows its
    row (`product_id`: None for a subproduct and in an approved snapshot's JSON, which never holds it)."""

    name: str
    unit: str
    physical: Figures
    financial: Figures
    subproducts: tuple["Item", ...] = ()
    product_id: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Section:
    link: str
    strategic_axis: str
    strategic_action: str
    result: str
    products: tuple[Item, ...]


@dataclass(frozen=True)
class ReportInstitution:
    code: str
    name: str
    acronym: str
    authority_name: str
    authority_title: str


@dataclass(frozen=True)
class Report:
    institution: ReportInstitution
    year: int
    cuatrimestre: int
    months: tuple[int, ...]
    sections: tuple[Section, ...] = field(default=())

    @property
    def cuatrimestre_name(self) -> str | Promise:
        """ "Tercer Cuatrimestre"."""
        return CUATRIMESTRE_NAMES[self.cuatrimestre]

    @property
    def title(self) -> str:
        """ "Tercer Cuatrimestre 2024"."""
        return f"{self.cuatrimestre_name} {self.year}"

    @property
    def ordinal(self) -> str | Promise:
        """ "3er cuatrimestre", as the column headings say it."""
        return CUATRIMESTRE_ORDINALS[self.cuatrimestre]

    @property
    def month_names(self) -> list[str | Promise]:
        return [MONTH_NAMES[month - 1] for month in self.months]

    @property
    def last_day(self) -> datetime.date:
        return cuatrimestre_last_day(self.year, self.cuatrimestre)

    @property
    def item_count(self) -> int:
        """Its products and subproducts: each one a physical and a financial row of the printed report."""
        return sum(1 + len(product.subproducts) for section in self.sections for product in section.products)

    @property
    def link_groups(self) -> list[tuple[str | Promise, list[Section]]]:
        """[(heading, sections)] for RI/PGG then RE, both always present as in SIPLAN."""
        headings: dict[str, str | Promise] = {
            LinkType.RI: _("Productos vinculados a RI/PGG %(period)s") % {"period": pgg_period(self.year)},
            LinkType.RE: _("Productos vinculados a RE"),
        }
        return [
            (heading, [section for section in self.sections if section.link == link])
            for link, heading in headings.items()
        ]

    @property
    def is_empty(self) -> bool:
        return not self.sections


class ApprovalStamp(Protocol):
    """What the renderings print of an approved snapshot (approvals.models.ReportSnapshot)."""

    approved_at: datetime.datetime
    oficio_number: str
    sha256: str


def approval_note(snapshot: ApprovalStamp | None) -> str:
    """One line every rendering prints: who approved the report and its oficio, or that it is a draft."""
    if snapshot is None:
        return str(_("BORRADOR: no aprobado"))
    return str(
        _("Aprobado el %(when)s · %(number)s · SHA-256 %(hash)s")
        % {
            "when": formats.date_format(timezone.localtime(snapshot.approved_at), "SHORT_DATETIME_FORMAT"),
            "number": snapshot.oficio_number,
            "hash": snapshot.sha256,
        }
    )


class Executed(TypedDict):
    months: list[Decimal]
    cumulative: Decimal


# {row id: {kind: Executed}}
ExecutionSums = dict[int, dict[str, Executed]]


def monthly_sums(queryset: QuerySet[Any], key: str, months: Sequence[int], kinds: list[str]) -> ExecutionSums:
    """{row id: {kind: {"months": [..], "cumulative": ..}}} from January to the last of `months`, in one query.

    A row has one record per month, so the records are read as they are and added up here: a SQL
    aggregate with a CASE per month and kind costs more to build than the sums cost to make.
    """
    first = months[0]
    sums: ExecutionSums = {}
    for pk, month, *amounts in queryset.filter(month__lte=months[-1]).values_list(key, "month", *kinds).order_by():
        row = sums.get(pk)
        if row is None:
            row = sums[pk] = {kind: {"months": [ZERO] * len(months), "cumulative": ZERO} for kind in kinds}
        for kind, amount in zip(kinds, amounts):
            row[kind]["cumulative"] += amount
            if month >= first:
                row[kind]["months"][month - first] += amount
    return sums


class ReportBuilder:
    """Turns the plan, goal states and execution sums into the report's figures."""

    def __init__(self, *, institution: Institution, year: int, cuatrimestre: int) -> None:
        self.months = cuatrimestre_months(cuatrimestre)
        self.goal_states = institution_goal_states(
            institution=institution, year=year, as_of=cuatrimestre_last_day(year, cuatrimestre)
        )
        product_rows = ProductExecution.objects.filter(
            product__result__institution=institution, product__result__year=year
        )
        subproduct_rows = SubproductExecution.objects.filter(
            subproduct__product__result__institution=institution, subproduct__product__result__year=year
        )
        self.product_execution = monthly_sums(product_rows, "product_id", self.months, ["physical"])
        self.subproduct_execution = monthly_sums(
            subproduct_rows, "subproduct_id", self.months, ["physical", "financial"]
        )

    def execution(self, sums: ExecutionSums, pk: int, kind: str) -> tuple[list[Decimal], Decimal]:
        executed = sums.get(pk, {}).get(kind)
        if executed is None:
            return [ZERO] * len(self.months), ZERO
        return executed["months"], executed["cumulative"]

    def goal(self, model_name: str, pk: int, kind: str, initial: Decimal) -> tuple[Decimal, set[int]]:
        """(current goal, reprogramming documents) of a row as of the cuatrimestre's last day."""
        state = goal_state(self.goal_states, model_name=model_name, pk=pk, kind=kind, initial=initial)
        return state.current, state.documents

    def row(self, model_name: str, pk: int, kind: str, initial: Decimal, sums: ExecutionSums) -> Figures:
        current, documents = self.goal(model_name, pk, kind, initial)
        months, cumulative = self.execution(sums, pk, "physical" if kind == GoalKind.PHYSICAL else "financial")
        return Figures.compute(initial, documents, current, months, cumulative)

    def subproduct(self, subproduct: Subproduct) -> Item:
        sums = self.subproduct_execution
        return Item(
            name=subproduct.name,
            unit=subproduct.unit,
            physical=self.row("subproduct", subproduct.pk, GoalKind.PHYSICAL, subproduct.physical_initial, sums),
            financial=self.row("subproduct", subproduct.pk, GoalKind.FINANCIAL, subproduct.financial_initial, sums),
        )

    def product(self, product: Product) -> Item:
        subproducts = tuple(self.subproduct(subproduct) for subproduct in product.subproducts.all())
        return Item(
            name=product.name,
            unit=product.unit,
            physical=self.row(
                "product", product.pk, GoalKind.PHYSICAL, product.physical_initial, self.product_execution
            ),
            financial=self.financial_sum(product, subproducts),
            subproducts=subproducts,
            product_id=product.pk,
        )

    def financial_sum(self, product: Product, subproducts: tuple[Item, ...]) -> Figures:
        """A product's money: its subproducts' sums, counting each reprogramming document once."""
        documents: set[int] = set()
        for subproduct in product.subproducts.all():
            documents |= self.goal("subproduct", subproduct.pk, GoalKind.FINANCIAL, ZERO)[1]
        figures = [item.financial for item in subproducts]
        return Figures.compute(
            initial=sum((f.initial for f in figures), ZERO),
            documents=documents,
            current=sum((f.current for f in figures), ZERO),
            months=[sum((f.months[index] for f in figures), ZERO) for index in range(len(self.months))],
            cumulative=sum((f.cumulative for f in figures), ZERO),
        )

    def section(self, result: Result) -> Section:
        return Section(
            link=result.link,
            strategic_axis=result.strategic_axis,
            strategic_action=result.strategic_action,
            result=result.description,
            products=tuple(self.product(product) for product in result.products.all()),
        )


def build_report(*, institution: Institution, year: int, cuatrimestre: int) -> Report:
    """The report of (institution, year, cuatrimestre) by DOMAIN.md's rules, in a fixed number of queries."""
    builder = ReportBuilder(institution=institution, year=year, cuatrimestre=cuatrimestre)
    return Report(
        institution=ReportInstitution(
            code=institution.code,
            name=institution.name,
            acronym=institution.acronym,
            authority_name=institution.authority_name,
            authority_title=institution.authority_title,
        ),
        year=year,
        cuatrimestre=cuatrimestre,
        months=tuple(builder.months),
        sections=tuple(builder.section(result) for result in plan_of(institution=institution, year=year)),
    )


def draft_report(*, institution: Institution, year: int, cuatrimestre: int) -> Report:
    """build_report, computed once per version of the institution's figures (goals.versions): for pages that show a
    draft. What becomes a document (submission, approval and their snapshot) calls build_report itself."""
    report: Report = cached_figures(
        institution=institution,
        parts=("report", year, cuatrimestre),
        compute=lambda: build_report(institution=institution, year=year, cuatrimestre=cuatrimestre),
    )
    return report


FIGURE_COLUMNS = (
    "initial", "reprogrammings", "current", "months", "total",
    "pct_period", "cumulative", "pct_cumulative", "pct_cumulative_initial",
)  # fmt: skip


def figures_to_dict(figures: Figures) -> dict[str, Any]:
    """Every column in the contract's order: decimals as "1234.50", the document count as a number."""
    data: dict[str, Any] = {}
    for column in FIGURE_COLUMNS:
        value = getattr(figures, column)
        if column == "reprogrammings":
            data[column] = value
        elif column == "months":
            data[column] = [f"{month:.2f}" for month in value]
        else:
            data[column] = f"{value:.2f}"
    return data


def figures_from_dict(data: dict[str, Any]) -> Figures:
    values = {column: Decimal(data[column]) for column in FIGURE_COLUMNS if column not in ("reprogrammings", "months")}
    return Figures(reprogrammings=data["reprogrammings"], months=tuple(Decimal(v) for v in data["months"]), **values)


def item_to_dict(item: Item, with_subproducts: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": item.name,
        "unit": item.unit,
        "physical": figures_to_dict(item.physical),
        "financial": figures_to_dict(item.financial),
    }
    if with_subproducts:
        data["subproducts"] = [item_to_dict(subproduct, False) for subproduct in item.subproducts]
    return data


def item_from_dict(data: dict[str, Any]) -> Item:
    return Item(
        name=data["name"],
        unit=data["unit"],
        physical=figures_from_dict(data["physical"]),
        financial=figures_from_dict(data["financial"]),
        subproducts=tuple(item_from_dict(sub) for sub in data.get("subproducts", ())),
    )


def report_to_dict(report: Report) -> dict[str, Any]:
    """The report's JSON shape (issue #3's contract): decimals as strings with two places."""
    return {
        "institution": vars(report.institution).copy(),
        "year": report.year,
        "cuatrimestre": report.cuatrimestre,
        "months": list(report.months),
        "sections": [
            {
                "link": section.link,
                "strategic_axis": section.strategic_axis,
                "strategic_action": section.strategic_action,
                "result": section.result,
                "products": [item_to_dict(product, True) for product in section.products],
            }
            for section in report.sections
        ],
    }


def report_from_dict(data: dict[str, Any]) -> Report:
    """The Report back from its JSON, exactly as it was computed (approved snapshots are served this way)."""
    return Report(
        institution=ReportInstitution(**data["institution"]),
        year=data["year"],
        cuatrimestre=data["cuatrimestre"],
        months=tuple(data["months"]),
        sections=tuple(
            Section(
                link=section["link"],
                strategic_axis=section["strategic_axis"],
                strategic_action=section["strategic_action"],
                result=section["result"],
                products=tuple(item_from_dict(product) for product in section["products"]),
            )
            for section in data["sections"]
        ),
    )


def evidence_counts(evidence: Iterable[Evidence]) -> Counter[tuple[str, str]]:
    """{(product name, subproduct name or ""): number of files} of the report's medios de verificación (already read,
    goals.evidence.evidence_of_months), keyed as the report names its rows; no query."""
    return Counter(row_names(item) for item in evidence)
