"""A product's progress to date: the seed's figures, the programme, the traffic light, and a bounded number of
queries."""

import datetime
from decimal import Decimal

import pytest

from approvals.demo import load_demo
from goals.models import (
    GoalKind,
    Institution,
    Product,
    ProductProgramme,
    SubproductProgramme,
)
from reports.computation import build_report
from reports.progress import (
    LIGHT_GREEN,
    LIGHT_RED,
    LIGHT_YELLOW,
    month_to_date,
    product_progress,
    report_progress,
    traffic_light,
)
from tests.factories import (
    InstitutionFactory,
    ProductExecutionFactory,
    ProductFactory,
    ReprogrammingFactory,
    ReprogrammingLineFactory,
    ResultFactory,
    SubproductExecutionFactory,
    SubproductFactory,
)

D = Decimal


def progress_of(institution, year, month):
    return product_progress(
        Product.objects.filter(result__institution=institution, result__year=year), year=year, month=month
    )


@pytest.mark.django_db
@pytest.mark.parametrize("cuatrimestre", [1, 2, 3])
def test_progress_at_a_cuatrimestre_end_equals_the_report_cumulative(cuatrimestre):
    load_demo()
    igm = Institution.objects.get(code="IGM")
    report = build_report(institution=igm, year=2024, cuatrimestre=cuatrimestre)
    products = [product for section in report.sections for product in section.products]

    progress = progress_of(igm, 2024, cuatrimestre * 4)

    assert [row.name for row in progress] == [product.name for product in products]
    for row, product in zip(progress, products):
        for kind in ("physical", "financial"):
            computed, reported = getattr(row, kind), getattr(product, kind)
            assert (computed.current, computed.cumulative, computed.pct) == (
                reported.current, reported.cumulative, reported.pct_cumulative,
            ), (row.name, kind)  # fmt: skip


@pytest.mark.django_db
def test_seed_control_registro_at_year_end():
    load_demo()
    row = next(
        row
        for row in progress_of(Institution.objects.get(code="IGM"), 2024, 12)
        if row.name.startswith("Control Registro")
    )
    assert row.physical.current == D("12901391.00")
    assert row.physical.cumulative == D("11766120.00")
    assert row.physical.pct == D("91.20")
    assert row.physical.programmed is None
    assert row.physical.expected_pct == D("100.00")
    assert row.physical.months[8:] == (D("844965.00"), D("965785.00"), D("1102171.00"), D("1105039.00"))
    assert (row.institution_code, row.year, row.link) == ("IGM", 2024, "RI")


@pytest.fixture
def product():
    """A product of 120 units (10 a month programmed) with one subproduct of Q 1,200 (Q 100 a month programmed)."""
    product = ProductFactory(physical_initial=D("120"))
    subproduct = SubproductFactory(product=product, physical_initial=D("120"), financial_initial=D("1200"))
    for month in range(1, 13):
        ProductProgramme.objects.create(product=product, month=month, physical=D("10"))
        SubproductProgramme.objects.create(subproduct=subproduct, month=month, physical=D("10"), financial=D("100"))
    ProductExecutionFactory(product=product, month=1, physical=D("15"))
    SubproductExecutionFactory(subproduct=subproduct, month=1, physical=D("15"), financial=D("40"))
    SubproductExecutionFactory(subproduct=subproduct, month=4, physical=D("0"), financial=D("500"))
    return product


@pytest.mark.django_db
def test_progress_is_measured_against_the_programme_to_date(product):
    (row,) = progress_of(product.result.institution, 2024, 3)
    assert (row.physical.cumulative, row.physical.programmed) == (D("15"), D("30"))
    assert (row.physical.pct, row.physical.expected_pct) == (D("12.50"), D("25.00"))
    assert row.physical.light == LIGHT_RED  # half of what was programmed
    assert (row.financial.cumulative, row.financial.programmed) == (D("40"), D("300"))
    assert row.financial.light == LIGHT_RED
    assert row.light == LIGHT_RED


@pytest.mark.django_db
def test_execution_after_the_month_is_not_counted_but_is_in_the_twelve_months(product):
    (row,) = progress_of(product.result.institution, 2024, 3)
    assert row.financial.cumulative == D("40")
    assert row.financial.months[3] == D("500")
    (row,) = progress_of(product.result.institution, 2024, 4)
    assert row.financial.cumulative == D("540")
    assert (row.financial.pct, row.financial.expected_pct, row.financial.light) == (D("45.00"), D("33.33"), LIGHT_GREEN)


@pytest.mark.django_db
def test_without_programme_the_straight_line_share_of_the_year_is_expected():
    product = ProductFactory(physical_initial=D("1200"))
    SubproductFactory(product=product, financial_initial=D("0"))
    ProductExecutionFactory(product=product, month=2, physical=D("160"))
    (row,) = progress_of(product.result.institution, 2024, 3)
    assert row.physical.programmed is None
    assert (row.physical.pct, row.physical.expected_pct) == (D("13.33"), D("25.00"))
    assert row.physical.light == LIGHT_RED
    assert (row.financial.current, row.financial.expected_pct, row.financial.light) == (D("0"), D("0.00"), LIGHT_GREEN)


@pytest.mark.django_db
def test_only_approved_reprogrammings_dated_by_the_month_end_set_the_goal():
    product = ProductFactory(physical_initial=D("100"))
    subproduct = SubproductFactory(product=product, financial_initial=D("1000"))
    institution = product.result.institution
    june = ReprogrammingFactory(institution=institution, date=datetime.date(2024, 6, 30))
    ReprogrammingLineFactory(reprogramming=june, product=product, kind=GoalKind.PHYSICAL, new_goal=D("80"))
    ReprogrammingLineFactory(reprogramming=june, subproduct=subproduct, kind=GoalKind.FINANCIAL, new_goal=D("2000"))
    pending = ReprogrammingFactory(institution=institution, date=datetime.date(2024, 7, 1), status="pendiente")
    ReprogrammingLineFactory(reprogramming=pending, product=product, kind=GoalKind.PHYSICAL, new_goal=D("10"))

    (may,) = progress_of(institution, 2024, 5)
    (july,) = progress_of(institution, 2024, 7)
    assert (may.physical.current, may.financial.current) == (D("100"), D("1000"))
    assert (july.physical.current, july.financial.current) == (D("80"), D("2000"))


@pytest.mark.parametrize(
    "pct, expected, light",
    [("90.00", "100.00", LIGHT_GREEN), ("89.99", "100.00", LIGHT_YELLOW), ("70.00", "100.00", LIGHT_YELLOW),
     ("69.99", "100.00", LIGHT_RED), ("0.00", "0.00", LIGHT_GREEN), ("150.00", "50.00", LIGHT_GREEN)],
)  # fmt: skip
def test_traffic_light_thresholds(pct, expected, light):
    assert traffic_light(D(pct), D(expected)) == light


@pytest.mark.parametrize(
    "year, month",
    [(2023, 12), (2024, 10), (2025, 0)],
)
def test_month_to_date_is_the_last_closed_month(year, month):
    assert month_to_date(year=year, today=datetime.date(2024, 11, 25)) == month


@pytest.mark.django_db
def test_progress_takes_the_same_queries_for_one_or_many_institutions(django_assert_num_queries):
    def plan(institutions, products):
        for _ in range(institutions):
            result = ResultFactory(institution=InstitutionFactory(), year=2024)
            for _ in range(products):
                sub = SubproductFactory(product=ProductFactory(result=result))
                SubproductExecutionFactory(subproduct=sub, month=2, financial=D("5"))

    plan(1, 1)
    with django_assert_num_queries(7):
        assert len(product_progress(Product.objects.all(), year=2024, month=6)) == 1
    plan(12, 5)
    with django_assert_num_queries(7):
        rows = product_progress(Product.objects.filter(result__year=2024), year=2024, month=6)
    assert len(rows) == 61
    assert [row.institution_code for row in rows] == sorted(row.institution_code for row in rows)


def measured(rows):
    return [
        (row.product_id, row.name, row.link, row.result, row.light)
        + tuple((kind.current, kind.cumulative, kind.programmed, kind.pct, kind.expected_pct)
                for kind in (row.physical, row.financial))
        for row in rows
    ]  # fmt: skip


@pytest.mark.django_db
def test_a_report_measures_its_products_as_the_dashboard_does_at_its_last_month(django_assert_max_num_queries):
    """The status page, submission and approval read the late products from the report they computed: the same
    progress, programme and light as product_progress reading everything again, every cuatrimestre."""
    load_demo()
    igm = Institution.objects.get(code="IGM")
    first, second, third, *_rest = Product.objects.filter(result__institution=igm).order_by("pk")
    # In bulk: the demo's first two reports are approved, and their months' programme could no longer be entered.
    ProductProgramme.objects.bulk_create(
        [ProductProgramme(product=first, month=month, physical=first.physical_initial / 12) for month in range(1, 13)]
        + [ProductProgramme(product=second, month=12, physical=second.physical_initial)]  # none to date before December
    )
    SubproductProgramme.objects.bulk_create(
        SubproductProgramme(
            subproduct=subproduct, month=month, physical=D("1"), financial=subproduct.financial_initial / 3
        )
        for subproduct in third.subproducts.all()
        for month in (2, 5, 11)
    )
    for cuatrimestre, month in ((1, 4), (2, 8), (3, 12)):
        report = build_report(institution=igm, year=2024, cuatrimestre=cuatrimestre)
        with django_assert_max_num_queries(2):
            found = report_progress(report)
        expected = progress_of(igm, 2024, month)
        assert measured(found) == measured(expected)
    assert {row.light for row in found} == {LIGHT_GREEN, LIGHT_YELLOW, LIGHT_RED}  # the third's: every light
