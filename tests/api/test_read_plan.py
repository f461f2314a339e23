"""A program with a token reads an institution's years and plan: initial and current goals, money on subproducts."""

import pytest
from django.urls import reverse

from tests.factories import ProductFactory, ResultFactory, SubproductFactory

pytestmark = pytest.mark.django_db

CONTROL = "Control Registro de Nacionales y Extranjeros en el Territorio Nacional"


def plan(client, *args, **params):
    response = client.get(reverse("api:plan", args=["IGM", 2024]), params)
    assert response.status_code == 200, response.content
    return response.json()


def product_named(page, name):
    return next(product for result in page["results"] for product in result["products"] if product["name"] == name)


def test_years_lists_the_years_with_a_plan(planner, igm):
    ResultFactory(institution=igm, year=2025)
    assert planner.get(reverse("api:years", args=["IGM"])).json()["results"] == [{"year": 2025}, {"year": 2024}]


def test_plan_shows_initial_and_current_goals_after_the_reprogramming(planner, django_assert_max_num_queries):
    with django_assert_max_num_queries(11):
        page = plan(planner)
    assert page["count"] == 4
    control = product_named(page, CONTROL)
    assert control["unit"] == "Persona"
    assert (control["physical_initial"], control["physical_current"]) == ("14466570.00", "12901391.00")
    # Money lives in subproducts; a product's is their sum.
    assert (control["financial_initial"], control["financial_current"]) == ("92677855.00", "92677855.00")
    informes = control["subproducts"][0]
    assert informes["name"].startswith("Informes de Ejecución")
    assert (informes["unit"], informes["physical_initial"], informes["financial_initial"]) == (
        "Documento",
        "12.00",
        "2462476.00",
    )


def test_plan_as_of_a_day_before_the_reprogramming_shows_the_initial_goal(planner):
    control = product_named(plan(planner, as_of="2024-08-14"), CONTROL)
    assert control["physical_current"] == "14466570.00"
    assert product_named(plan(planner, as_of="2024-08-15"), CONTROL)["physical_current"] == "12901391.00"


def test_a_bad_date_is_a_clear_error(planner):
    response = planner.get(reverse("api:plan", args=["IGM", 2024]), {"as_of": "15/08/2024"})
    assert response.status_code == 400
    assert "as_of" in response.json()


def test_a_year_without_plan_or_out_of_range_is_not_found(planner):
    assert planner.get(reverse("api:plan", args=["IGM", 2023])).status_code == 404
    out_of_range = planner.get(reverse("api:plan", args=["IGM", 1999]))
    assert out_of_range.status_code == 404 and out_of_range.json() == {"detail": "Año fuera de rango."}


def test_plan_queries_do_not_grow_with_its_size(planner, igm, django_assert_max_num_queries):
    result = ResultFactory(institution=igm, year=2025)
    for _index in range(20):
        SubproductFactory.create_batch(3, product=ProductFactory(result=result))
    with django_assert_max_num_queries(11):
        page = planner.get(reverse("api:plan", args=["IGM", 2025])).json()
    assert len(page["results"][0]["products"]) == 20
    assert page["results"][0]["products"][0]["financial_initial"] == "3000.00"


def test_another_institutions_token_does_not_find_igm(outsider, igm):
    assert outsider.get(reverse("api:years", args=["IGM"])).status_code == 404
    assert outsider.get(reverse("api:plan", args=["IGM", 2024])).status_code == 404
    assert outsider.get(reverse("api:years", args=["OTRA"])).json()["results"] == []
