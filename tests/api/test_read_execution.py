"""A program with a token reads monthly execution and programme, filtered by institution, year and month."""

from decimal import Decimal

import pytest
from django.urls import reverse

from goals.models import Product, ProductProgramme, Subproduct, SubproductProgramme
from tests.factories import ProductExecutionFactory, ProductFactory, ResultFactory

pytestmark = pytest.mark.django_db

CONTROL = "Control Registro de Nacionales y Extranjeros en el Territorio Nacional"
SEPTEMBER = {"institution": "IGM", "year": 2024, "month": 9}


def rows(client, name, params):
    response = client.get(reverse(f"api:{name}"), {**params, "page_size": 500})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_september_execution_of_products_is_physical_only(planner, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        products = rows(planner, "product_execution", SEPTEMBER)
    assert len(products) == 6
    control = next(row for row in products if row["product_name"] == CONTROL)
    assert control == {
        "institution": "IGM",
        "year": 2024,
        "month": 9,
        "product": Product.objects.get(name=CONTROL).pk,
        "product_name": CONTROL,
        "unit": "Persona",
        "physical": "844965.00",
    }


def test_subproducts_carry_physical_and_financial_execution(planner, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        subproducts = rows(planner, "subproduct_execution", SEPTEMBER)
    assert len(subproducts) == 11
    informes = next(row for row in subproducts if row["subproduct_name"].startswith("Informes de Ejecución"))
    assert (informes["unit"], informes["physical"], informes["financial"]) == ("Documento", "1.00", "35830.03")
    assert informes["product"] == Product.objects.get(name=CONTROL).pk


def test_a_year_of_execution_adds_up_to_the_cumulative(planner):
    control = [row for row in rows(planner, "product_execution", {"year": 2024}) if row["product_name"] == CONTROL]
    assert len(control) == 12
    assert sum(Decimal(row["physical"]) for row in control) == Decimal("11766120.00")


def test_filters_by_year_and_month_narrow_the_list(planner, igm):
    other_year = ProductFactory(result=ResultFactory(institution=igm, year=2025))
    ProductExecutionFactory(product=other_year, month=9, physical=Decimal("7.50"))
    assert [row["physical"] for row in rows(planner, "product_execution", {"year": 2025})] == ["7.50"]
    assert rows(planner, "product_execution", {"year": 2025, "month": 10}) == []
    assert len(rows(planner, "product_execution", {"month": 9})) == 7


def test_bad_filters_are_clear_errors(planner):
    response = planner.get(reverse("api:product_execution"), {"month": "13", "year": "dos mil"})
    assert response.status_code == 400
    assert set(response.json()) == {"month", "year"}


def test_lists_are_paginated(planner):
    response = planner.get(reverse("api:subproduct_execution"), {"year": 2024, "page_size": 50, "page": 2})
    body = response.json()
    assert body["count"] == 11 * 12
    assert len(body["results"]) == 50 and body["previous"] and body["next"]


def test_the_monthly_programme_is_served_when_present(planner, igm):
    control = Product.objects.get(name=CONTROL)  # September: the demo's first two cuatrimestres load approved
    ProductProgramme.objects.create(product=control, month=9, physical=Decimal("1000000.00"))
    subproduct = control.subproducts.get(unit="Documento")
    SubproductProgramme.objects.create(
        subproduct=subproduct, month=9, physical=Decimal("1.00"), financial=Decimal("205206.33")
    )
    assert [row["physical"] for row in rows(planner, "product_programme", {"institution": "IGM"})] == ["1000000.00"]
    [row] = rows(planner, "subproduct_programme", {"year": 2024, "month": 9})
    assert (row["subproduct"], row["physical"], row["financial"]) == (subproduct.pk, "1.00", "205206.33")
    assert Subproduct.objects.get(pk=row["subproduct"]).product == control
