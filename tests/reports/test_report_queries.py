"""The report reads the database with the same number of queries whatever the size of the plan."""

from decimal import Decimal

import pytest

from reports.computation import build_report
from tests.factories import InstitutionFactory, build_plan

pytestmark = pytest.mark.django_db

REPORT_QUERIES = 6


def test_query_count_does_not_grow_with_the_plan(django_assert_num_queries):
    small = InstitutionFactory(code="SMALL")
    build_plan(small, results=1, products_per_result=1, subproducts_per_product=1)
    large = InstitutionFactory(code="LARGE")
    build_plan(large, results=10, products_per_result=6, subproducts_per_product=3)  # 240 items, > 10 × the seed's 17

    with django_assert_num_queries(REPORT_QUERIES):
        build_report(institution=small, year=2024, cuatrimestre=3)
    with django_assert_num_queries(REPORT_QUERIES):
        report = build_report(institution=large, year=2024, cuatrimestre=3)
    products = [product for section in report.sections for product in section.products]
    assert len(products) == 60 and sum(len(p.subproducts) for p in products) == 180
    assert products[-1].physical.current == Decimal("90")
    assert products[-1].financial.cumulative == Decimal("369.00")  # 3 subproducts × 12 × 10.25
