"""The report's rules on small plans worked out by hand (DOMAIN.md)."""

import datetime
from decimal import Decimal

import pytest

from goals.models import GoalKind, ReprogrammingStatus
from reports.computation import (
    build_report,
    percentage,
    pgg_period,
    report_from_dict,
    report_to_dict,
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

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def plan():
    """One product (Persona, 120) with a subproduct in Documento (40; Q 1,000) and one in Persona (120; Q 3,000)."""
    institution = InstitutionFactory(code="PRB")
    result = ResultFactory(institution=institution, year=2025)
    product = ProductFactory(result=result, unit="Persona", physical_initial=D("120"))
    reports = SubproductFactory(
        product=product, unit="Documento", physical_initial=D("40"), financial_initial=D("1000")
    )
    people = SubproductFactory(product=product, unit="Persona", physical_initial=D("120"), financial_initial=D("3000"))
    for month in range(1, 13):
        ProductExecutionFactory(product=product, month=month, physical=D(month))
        SubproductExecutionFactory(subproduct=reports, month=month, physical=D("1"), financial=D("10.50"))
        SubproductExecutionFactory(subproduct=people, month=month, physical=D(month), financial=D(month * 100))
    return institution, product, reports, people


def only_product(report):
    [section] = report.sections
    [product] = section.products
    return product


def test_first_cuatrimestre_by_hand(plan):
    institution, *_ = plan
    product = only_product(build_report(institution=institution, year=2025, cuatrimestre=1))
    assert product.physical.months == (D("1"), D("2"), D("3"), D("4"))
    assert product.physical.total == D("10")
    assert product.physical.pct_period == D("8.33")  # 10 / 120
    assert product.physical.cumulative == D("10")
    reports, people = product.subproducts
    assert (
        reports.unit == "Documento" and reports.physical.total == D("4") and reports.physical.pct_period == D("10.00")
    )
    assert reports.financial.total == D("42.00") and reports.financial.pct_period == D("4.20")
    assert product.financial.initial == D("4000")
    assert product.financial.months == (D("110.50"), D("210.50"), D("310.50"), D("410.50"))
    assert product.financial.total == D("1042.00")
    assert product.financial.pct_cumulative == D("26.05")


def test_second_cuatrimestre_cumulates_from_january(plan):
    institution, *_ = plan
    product = only_product(build_report(institution=institution, year=2025, cuatrimestre=2))
    assert product.physical.months == (D("5"), D("6"), D("7"), D("8"))
    assert product.physical.total == D("26")
    assert product.physical.cumulative == D("36")  # 1 + … + 8
    assert product.physical.pct_cumulative == D("30.00")
    assert product.financial.cumulative == D("3684.00")  # 8 × 10.50 + 3,600


def test_reprogramming_counts_from_its_date_and_only_when_approved(plan):
    institution, product, reports, people = plan
    june = ReprogrammingFactory(institution=institution, date=datetime.date(2025, 6, 10))
    ReprogrammingLineFactory(reprogramming=june, product=product, kind=GoalKind.PHYSICAL, new_goal=D("80"))
    ReprogrammingLineFactory(reprogramming=june, subproduct=people, kind=GoalKind.FINANCIAL, new_goal=D("2000"))
    september = ReprogrammingFactory(institution=institution, date=datetime.date(2025, 9, 1))
    ReprogrammingLineFactory(reprogramming=september, product=product, kind=GoalKind.PHYSICAL, new_goal=D("60"))
    ReprogrammingLineFactory(reprogramming=september, subproduct=reports, kind=GoalKind.FINANCIAL, new_goal=D("500"))
    pending = ReprogrammingFactory(
        institution=institution, date=datetime.date(2025, 7, 1), status=ReprogrammingStatus.PENDING
    )
    ReprogrammingLineFactory(reprogramming=pending, product=product, kind=GoalKind.PHYSICAL, new_goal=D("999"))

    first = only_product(build_report(institution=institution, year=2025, cuatrimestre=1))
    assert (first.physical.current, first.physical.reprogrammings) == (D("120"), 0)

    second = only_product(build_report(institution=institution, year=2025, cuatrimestre=2))
    assert (second.physical.initial, second.physical.current, second.physical.reprogrammings) == (D("120"), D("80"), 1)
    assert (second.financial.current, second.financial.reprogrammings) == (D("3000"), 1)
    assert second.physical.pct_cumulative_initial == D("30.00")
    assert second.physical.pct_cumulative == D("45.00")

    third = only_product(build_report(institution=institution, year=2025, cuatrimestre=3))
    assert (third.physical.current, third.physical.reprogrammings) == (D("60"), 2)
    assert (third.financial.current, third.financial.reprogrammings) == (D("2500"), 2)
    assert third.subproducts[0].financial.reprogrammings == 1


def test_two_subproducts_changed_by_one_document_count_it_once(plan):
    institution, product, reports, people = plan
    document = ReprogrammingFactory(institution=institution, date=datetime.date(2025, 3, 1))
    for subproduct in (reports, people):
        ReprogrammingLineFactory(
            reprogramming=document, subproduct=subproduct, kind=GoalKind.FINANCIAL, new_goal=D("1")
        )
    assert only_product(build_report(institution=institution, year=2025, cuatrimestre=1)).financial.reprogrammings == 1


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (D("12.345"), D("100"), D("12.35")),  # exactly .xx5 rounds up, not to even
        (D("0.125"), D("1"), D("12.50")),
        (D("1"), D("8"), D("12.50")),
        (D("1"), D("3"), D("33.33")),
        (D("2"), D("3"), D("66.67")),
        (D("629998.90"), D("0"), D("0.00")),
        (D("150"), D("100"), D("150.00")),
    ],
)
def test_percentages_round_half_up_and_zero_goals_give_zero(part, whole, expected):
    assert percentage(part, whole) == expected


def test_rounding_at_exactly_half_a_cent_in_a_report():
    institution = InstitutionFactory(code="HALF")
    product = ProductFactory(result=ResultFactory(institution=institution, year=2025), physical_initial=D("200"))
    ProductExecutionFactory(product=product, month=1, physical=D("0.01"))
    assert only_product(build_report(institution=institution, year=2025, cuatrimestre=1)).physical.pct_period == D(
        "0.01"
    )  # 0.005 → 0.01


def test_rows_without_execution_show_zeros():
    institution = InstitutionFactory(code="NADA")
    SubproductFactory(product=ProductFactory(result=ResultFactory(institution=institution, year=2025)))
    product = only_product(build_report(institution=institution, year=2025, cuatrimestre=3))
    assert product.physical.months == (D("0.00"),) * 4
    assert product.subproducts[0].financial.cumulative == D("0.00")


def test_other_years_and_institutions_stay_out(plan):
    institution, product, *_ = plan
    ProductFactory(result=ResultFactory(institution=institution, year=2024))
    ProductFactory(result=ResultFactory(year=2025))
    report = build_report(institution=institution, year=2025, cuatrimestre=3)
    assert [p.name for s in report.sections for p in s.products] == [product.name]


def test_ri_sections_come_before_re_sections():
    institution = InstitutionFactory(code="ORD")
    ResultFactory(institution=institution, year=2025, link="RE", description="Estratégico", order=1)
    ResultFactory(institution=institution, year=2025, link="RI", description="Institucional", order=2)
    report = build_report(institution=institution, year=2025, cuatrimestre=1)
    assert [s.result for s in report.sections] == ["Institucional", "Estratégico"]
    assert [heading for heading, _ in report.link_groups] == [
        "Productos vinculados a RI/PGG 2024-2028",
        "Productos vinculados a RE",
    ]


def test_report_survives_its_json_unchanged(plan):
    institution, *_ = plan
    report = build_report(institution=institution, year=2025, cuatrimestre=2)
    assert report_from_dict(report_to_dict(report)) == report


@pytest.mark.parametrize(
    ("year", "period"), [(2020, "2020-2024"), (2023, "2020-2024"), (2024, "2024-2028"), (2028, "2028-2032")]
)
def test_pgg_period_follows_the_presidential_term(year, period):
    assert pgg_period(year) == period
