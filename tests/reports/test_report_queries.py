"""The report reads the database with the same number of queries whatever the size of the plan."""

import datetime
from decimal import Decimal

import pytest

from goals.models import GoalKind, Product, ProductExecution, Result, Subproduct, SubproductExecution
from reports.computation import build_report
from tests.factories import InstitutionFactory, ReprogrammingFactory, ReprogrammingLineFactory

pytestmark = pytest.mark.django_db

REPORT_QUERIES = 6


def build_plan(institution, results, products_per_result, subproducts_per_product):
    """A plan with executed months and a reprogramming, written in bulk."""
    document = ReprogrammingFactory(institution=institution, date=datetime.date(2024, 3, 1))
    for r in range(results):
        result = Result.objects.create(institution=institution, year=2024, link="RI", description=f"R{r}", order=r)
        for p in range(products_per_result):
            product = Product.objects.create(result=result, name=f"P{r}-{p}", unit="Persona", physical_initial=100)
            ReprogrammingLineFactory(reprogramming=document, product=product, kind=GoalKind.PHYSICAL, new_goal=90)
            ProductExecution.objects.bulk_create(
                ProductExecution(product=product, month=month, physical=month) for month in range(1, 13)
            )
            subproducts = Subproduct.objects.bulk_create(
                Subproduct(product=product, name=f"S{s}", unit="Persona", physical_initial=10, financial_initial=1000)
                for s in range(subproducts_per_product)
            )
            SubproductExecution.objects.bulk_create(
                SubproductExecution(subproduct=sub, month=month, physical=1, financial=Decimal("10.25"))
                for sub in subproducts
                for month in range(1, 13)
            )


def test_query_count_does_not_grow_with_the_plan(django_assert_num_queries):
    small = InstitutionFactory(code="SMALL")
    build_plan(small, results=1, products_per_result=1, subproducts_per_product=1)
    large = InstitutionFactory(code="LARGE")
    build_plan(large, results=10, products_per_result=6, subproducts_per_product=3)  # 240 items, > 10 × the seed's 17

    with django_assert_num_queries(REPORT_QUERIES):
        build_report(small, 2024, 3)
    with django_assert_num_queries(REPORT_QUERIES):
        report = build_report(large, 2024, 3)
    products = [product for section in report.sections for product in section.products]
    assert len(products) == 60 and sum(len(p.subproducts) for p in products) == 180
    assert products[-1].physical.current == Decimal("90")
    assert products[-1].financial.cumulative == Decimal("369.00")  # 3 subproducts × 12 × 10.25
