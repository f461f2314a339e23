"""The administrator edits a product's subproducts and months in the admin's tabular inlines. Django puts those
inputs under column headings with no <label>: siplan names each after its column (aria-label), the Delete box too,
so that a screen reader (and axe-core's "label" rule) knows what each one is."""

from decimal import Decimal

import lxml.html
import pytest
from django.contrib import admin

from siplan.admin_inlines import LabelledTabularInline
from tests.factories import ProductExecutionFactory, ProductFactory, SubproductFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_every_input_of_a_products_inlines_is_named_after_its_column(client):
    product = ProductFactory(name="Dirección y Coordinación")
    SubproductFactory(product=product, name="Dirección y Coordinación")
    ProductExecutionFactory(product=product, month=2, physical=Decimal("5.00"))
    client.force_login(UserFactory(institution=product.result.institution, is_staff=True, is_superuser=True))

    page = lxml.html.fromstring(client.get(f"/admin/goals/product/{product.pk}/change/").content.decode())

    inputs = [
        field
        for field in page.xpath(
            "//div[contains(@class, 'inline-group')]//*[self::input or self::select or self::textarea]"
        )
        if field.get("type") != "hidden"
    ]
    assert inputs and [field.get("name") for field in inputs if not field.get("aria-label")] == []
    assert page.get_element_by_id("id_subproducts-0-name").get("aria-label") == "Nombre"
    assert page.get_element_by_id("id_subproducts-0-DELETE").get("aria-label") == "Eliminar"
    assert page.get_element_by_id("id_executions-0-physical").get("aria-label") == "Ejecución física"


def test_every_tabular_inline_of_the_admin_names_its_inputs():
    inlines = [inline for model_admin in admin.site._registry.values() for inline in model_admin.inlines]
    tabular = [inline for inline in inlines if issubclass(inline, admin.TabularInline)]
    assert tabular and [inline for inline in tabular if not issubclass(inline, LabelledTabularInline)] == []
