"""An approved report freezes what it reported, at the model layer: the admin, the shell and services cannot go
around."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from goals.freeze import ensure_writable
from goals.models import ReprogrammingStatus
from tests.factories import (
    InstitutionFactory,
    ProductFactory,
    ReprogrammingFactory,
    ReprogrammingLineFactory,
    SubproductExecutionFactory,
    SubproductFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def igm():
    return InstitutionFactory(code="IGM", acronym="IGM", issuing_office="DG")


def test_editing_september_after_the_third_cuatrimestre_is_approved_names_the_report(igm, frozen):
    execution = SubproductExecutionFactory(subproduct__product__result__institution=igm, month=9)
    frozen(igm, 2024, 3)
    execution.physical = Decimal("5")
    with pytest.raises(ValidationError) as refused:
        execution.save()
    message = refused.value.messages[0]
    assert "septiembre 2024" in message
    assert "Tercer Cuatrimestre 2024" in message
    assert "OFICIO-IGM-DG-001-2025" in message


def test_deleting_a_frozen_month_is_refused(igm, frozen):
    execution = SubproductExecutionFactory(subproduct__product__result__institution=igm, month=2)
    frozen(igm, 2024, 1)
    with pytest.raises(ValidationError, match="febrero 2024"):
        with transaction.atomic():
            execution.delete()


def test_months_after_the_approved_cuatrimestre_stay_open(igm, frozen):
    subproduct = SubproductFactory(product__result__institution=igm)
    frozen(igm, 2024, 1)
    SubproductExecutionFactory(subproduct=subproduct, month=5, physical=Decimal("3"))


def test_moving_figures_out_of_a_frozen_month_is_refused(igm, frozen):
    execution = SubproductExecutionFactory(subproduct__product__result__institution=igm, month=3)
    frozen(igm, 2024, 1)
    execution.month = 7
    with pytest.raises(ValidationError, match="marzo 2024"):
        execution.save()


def test_the_plan_of_an_approved_year_cannot_change(igm, frozen):
    product = ProductFactory(result__institution=igm)
    frozen(igm, 2024, 1)
    product.physical_initial = Decimal("1")
    with pytest.raises(ValidationError, match="El plan 2024"):
        product.save()
    with pytest.raises(ValidationError, match="El plan 2024"):
        SubproductFactory(product=product)


def test_another_year_and_another_institution_stay_open(igm, frozen):
    frozen(igm, 2024, 3)
    ProductFactory(result__institution=igm, result__year=2025)
    SubproductExecutionFactory(month=9)


def test_reprogrammings_dated_in_an_approved_cuatrimestre_are_frozen(igm, frozen):
    reprogramming = ReprogrammingFactory(
        institution=igm, date=datetime.date(2024, 4, 30), status=ReprogrammingStatus.PENDING
    )  # pending: an approved document refuses any change of its own (goals.signals)
    line = ReprogrammingLineFactory(reprogramming=reprogramming, product=ProductFactory(result__institution=igm))
    frozen(igm, 2024, 1)
    with pytest.raises(ValidationError, match="30/04/2024"):
        with transaction.atomic():  # delete() runs in a transaction that the refusal rolls back
            line.delete()
    with pytest.raises(ValidationError, match="Primer Cuatrimestre 2024"):
        ReprogrammingFactory(institution=igm, date=datetime.date(2024, 3, 1))
    ReprogrammingFactory(institution=igm, date=datetime.date(2024, 5, 1))


def test_bulk_writers_ask_explicitly(igm, frozen):
    frozen(igm, 2024, 2)
    ensure_writable(institution=igm, year=2024, months=[9, 10])
    with pytest.raises(ValidationError, match="agosto 2024"):
        ensure_writable(institution=igm.pk, year=2024, months=[8, 9])
