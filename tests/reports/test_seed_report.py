"""The demo institution's third cuatrimestre 2024 is the seed report, figure for figure."""

from decimal import Decimal

import pytest

from reports.computation import report_to_dict
from tests.seed import seed_items, seed_sections

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_report(seed_report):
    return seed_report


def report_items(data):
    for section in data["sections"]:
        for product in section["products"]:
            yield product
            yield from product["subproducts"]


def test_every_row_and_column_equals_the_seed(demo_report):
    data = report_to_dict(demo_report)
    rows = [(item["name"], kind, item[kind]) for item in report_items(data) for kind in ("physical", "financial")]
    expected = [(item["name"], kind, item[kind]) for item in seed_items() for kind in ("physical", "financial")]
    assert len(rows) == 34
    for row, seed_row in zip(rows, expected, strict=True):
        assert row == seed_row


def test_sections_and_their_headings_equal_the_seed(demo_report):
    data = report_to_dict(demo_report)
    assert [{k: v for k, v in s.items() if k != "products"} for s in data["sections"]] == [
        {k: v for k, v in s.items() if k != "products"} for s in seed_sections()
    ]
    assert data["months"] == [9, 10, 11, 12]
    assert data["institution"]["code"] == "IGM"


def test_zero_goal_spending_shows_zero_percent(demo_report):
    prorroga = demo_report.sections[-1].products[-1].subproducts[-1]
    assert prorroga.name == "Prorroga de Documentos Migratorios"
    assert prorroga.financial.current == Decimal("0.00")
    assert prorroga.financial.total == Decimal("629998.90")
    assert (prorroga.financial.pct_period, prorroga.financial.pct_cumulative) == (Decimal("0.00"), Decimal("0.00"))


def test_over_execution_is_shown_as_it_is(demo_report):
    extranjeria = demo_report.sections[-1].products[0].subproducts[0]
    assert extranjeria.name == "Registro de Extranjería"
    assert extranjeria.physical.pct_cumulative_initial == Decimal("189.36")


def test_product_money_is_the_sum_of_its_subproducts_but_its_physical_rows_are_its_own(demo_report):
    visas = demo_report.sections[-1].products[0]
    assert visas.physical.months[2:] == (Decimal("6988.00"), Decimal("6948.00"))
    assert [sum(sub.physical.months[index] for sub in visas.subproducts) for index in (2, 3)] == [
        Decimal("6899.00"),
        Decimal("7037.00"),
    ]
    assert visas.financial.initial == sum(sub.financial.initial for sub in visas.subproducts)
