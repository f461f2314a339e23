"""The database itself refuses what DOMAIN.md forbids, whatever path the data takes."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from goals.models import GoalKind, SubproductExecution
from goals.periods import cuatrimestre_last_day, cuatrimestre_months
from goals.queries import current_goal, executed_between
from tests.factories import (
    ProductExecutionFactory,
    ProductFactory,
    ReprogrammingFactory,
    ReprogrammingLineFactory,
    SubproductExecutionFactory,
    SubproductFactory,
)

pytestmark = pytest.mark.django_db


def refused_by_database(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_a_second_record_for_the_same_month_is_refused():
    execution = SubproductExecutionFactory(month=3)
    refused_by_database(lambda: SubproductExecutionFactory(subproduct=execution.subproduct, month=3))


def test_month_13_is_refused_by_the_database():
    refused_by_database(lambda: SubproductExecutionFactory(month=13))
    refused_by_database(lambda: ProductExecutionFactory(month=0))


def test_negative_figures_are_refused_by_the_database():
    refused_by_database(lambda: SubproductExecutionFactory(financial=Decimal("-0.01")))
    refused_by_database(lambda: ProductExecutionFactory(physical=Decimal("-1")))
    refused_by_database(lambda: SubproductFactory(financial_initial=Decimal("-5")))


def test_form_validation_names_the_field_in_spanish():
    execution = SubproductExecution(subproduct=SubproductFactory(), month=13, physical=Decimal("-1"))
    with pytest.raises(ValidationError) as error:
        execution.full_clean()
    assert set(error.value.message_dict) >= {"month", "physical"}
    assert "La cifra no puede ser negativa." in error.value.message_dict["physical"]


def test_a_product_reprogramming_line_can_only_change_the_physical_goal():
    product = ProductFactory()
    refused_by_database(lambda: ReprogrammingLineFactory(product=product, kind=GoalKind.FINANCIAL))


def test_a_reprogramming_line_names_exactly_one_row():
    subproduct = SubproductFactory()
    refused_by_database(lambda: ReprogrammingLineFactory(product=subproduct.product, subproduct=subproduct))
    refused_by_database(lambda: ReprogrammingLineFactory())


def test_product_names_are_unique_in_an_institution_year():
    product = ProductFactory(name="Registro de Extranjería")
    twin = ProductFactory.build(result=product.result, name="Registro de Extranjería")
    with pytest.raises(ValidationError) as error:
        twin.full_clean()
    assert "name" in error.value.message_dict


def test_current_goal_follows_the_latest_document_dated_on_or_before_the_day():
    subproduct = SubproductFactory(physical_initial=Decimal("100"), financial_initial=Decimal("5000"))
    institution = subproduct.product.result.institution
    march = ReprogrammingFactory(institution=institution, date=datetime.date(2024, 3, 15))
    july = ReprogrammingFactory(institution=institution, date=datetime.date(2024, 7, 1))
    # Entered out of date order: the date decides, not the order of entry.
    ReprogrammingLineFactory(reprogramming=july, subproduct=subproduct, new_goal=Decimal("80"))
    ReprogrammingLineFactory(reprogramming=march, subproduct=subproduct, new_goal=Decimal("120"))
    ReprogrammingLineFactory(
        reprogramming=march, subproduct=subproduct, kind=GoalKind.FINANCIAL, new_goal=Decimal("6000")
    )

    physical = GoalKind.PHYSICAL
    assert current_goal(subproduct, physical, datetime.date(2024, 3, 14)) == Decimal("100")
    assert current_goal(subproduct, physical, datetime.date(2024, 3, 15)) == Decimal("120")
    assert current_goal(subproduct, physical, datetime.date(2024, 6, 30)) == Decimal("120")
    assert current_goal(subproduct, physical, datetime.date(2024, 12, 31)) == Decimal("80")
    assert current_goal(subproduct, GoalKind.FINANCIAL, datetime.date(2024, 12, 31)) == Decimal("6000")


def test_a_products_financial_goal_is_the_sum_of_its_subproducts():
    product = ProductFactory()
    first = SubproductFactory(product=product, financial_initial=Decimal("1000.50"))
    SubproductFactory(product=product, financial_initial=Decimal("2000.25"))
    reprogramming = ReprogrammingFactory(institution=product.result.institution, date=datetime.date(2024, 5, 1))
    ReprogrammingLineFactory(
        reprogramming=reprogramming, subproduct=first, kind=GoalKind.FINANCIAL, new_goal=Decimal("500.00")
    )
    assert current_goal(product, GoalKind.FINANCIAL, datetime.date(2024, 4, 30)) == Decimal("3000.75")
    assert current_goal(product, GoalKind.FINANCIAL, datetime.date(2024, 12, 31)) == Decimal("2500.25")


def test_execution_between_months_is_summed_exactly():
    subproduct = SubproductFactory()
    for month, physical, financial in [(1, "1", "0.10"), (4, "2", "0.20"), (5, "4", "0.40")]:
        SubproductExecutionFactory(
            subproduct=subproduct, month=month, physical=Decimal(physical), financial=Decimal(financial)
        )
    assert executed_between(subproduct, first_month=1, last_month=4) == {
        "physical": Decimal("3"),
        "financial": Decimal("0.30"),
    }
    assert executed_between(subproduct, first_month=9, last_month=12) == {
        "physical": Decimal("0"),
        "financial": Decimal("0"),
    }
    ProductExecutionFactory(product=subproduct.product, month=2, physical=Decimal("7"))
    assert executed_between(subproduct.product, first_month=1, last_month=12) == {"physical": Decimal("7")}


def test_cuatrimestres_split_the_year_in_three():
    assert cuatrimestre_months(3) == [9, 10, 11, 12]
    assert cuatrimestre_last_day(2024, 1) == datetime.date(2024, 4, 30)
    assert cuatrimestre_last_day(2024, 2) == datetime.date(2024, 8, 31)
    with pytest.raises(ValueError):
        cuatrimestre_months(4)
