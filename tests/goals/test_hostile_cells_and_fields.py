"""Property-based: whatever a spreadsheet cell or an entry-page field holds, siplan accepts it as a valid figure
or refuses it with a message, never fails, and a refused file or page writes nothing."""

import datetime
import math
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goals.imports import EXECUTION_COLUMNS, PLAN_COLUMNS, import_file
from goals.imports.rows import Row
from goals.models import Product, ProductExecution, Subproduct, SubproductExecution
from goals.validators import amount_text, largest, parse_amount
from tests.factories import (
    InstitutionFactory,
    ProductFactory,
    ResultFactory,
    RoleUserFactory,
    SubproductFactory,
)
from tests.goals.imports_helpers import csv_file

pytestmark = pytest.mark.django_db

# Derandomized so that a run is repeatable; deadline=None because the database makes timings uneven.
EXAMPLES = settings(
    max_examples=75, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
LARGEST = largest(18, 2)
# Text that looks like a number more often than arbitrary text would: digits, separators, signs, exponents,
# Unicode digits and the characters that break spreadsheets.
NUMBERISH = st.text(alphabet="0123456789,.-+ eE٣１２\u202e\x07", max_size=30)
TEXT = st.one_of(NUMBERISH, st.text(max_size=40), st.sampled_from(["", "1,5", "2,50", "1,234.50", "9" * 30, "٣"]))
# Names of every length around the fields' limits (a unit holds 100 characters, a name 500).
LETTER = st.characters(categories=["L", "N", "P", "Zs"])
PRINTABLE = st.one_of(
    st.text(alphabet=LETTER, min_size=1, max_size=40),
    st.builds(
        lambda text, times: (text * times)[:600], st.text(alphabet=LETTER, min_size=1, max_size=5), st.integers(20, 600)
    ),
)
CELL = st.one_of(
    TEXT,
    st.none(),
    st.integers(min_value=-(10**25), max_value=10**25),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(min_value=datetime.datetime(1900, 1, 1)),
)


def is_figure(value):
    return isinstance(value, Decimal) and value.as_tuple().exponent == -2 and 0 <= value <= LARGEST


@EXAMPLES
@given(value=CELL)
def test_a_cell_is_read_as_a_figure_or_refused_with_a_message(value):
    errors = []
    row = Row(2, {"ejecucion_fisica": value, "mes": value, "producto": value, "fecha": value}, errors)
    amount = row.amount("ejecucion_fisica")
    month = row.integer("mes", 1, 12, "el mes debe estar entre 1 y 12, no «%(value)s».")
    row.text("producto")
    row.date("fecha")
    assert amount is None or is_figure(amount)
    assert month is None or month in range(1, 13)
    assert (amount is None) == any(error.column == "ejecucion_fisica" for error in errors)
    assert all(error.message.strip() for error in errors)


@EXAMPLES
@given(text=TEXT)
def test_an_accepted_amount_is_printed_and_read_back_the_same(text):
    try:
        amount = parse_amount(text)
    except ValidationError as refused:
        assert refused.messages and refused.messages[0]
        return
    if amount is not None:
        assert is_figure(amount)
        assert parse_amount(amount_text(amount)) == amount
        assert not re.search(r"[^0-9,. -]", text.strip())


@pytest.fixture
def plan():
    institution = InstitutionFactory(code="HOS")
    product = ProductFactory(result=ResultFactory(institution=institution, year=2025), name="P", physical_initial=10)
    return institution, product, SubproductFactory(product=product, name="S")


def stored():
    """Everything the imports and the entry page write, to compare before and after."""
    return (
        list(Product.objects.values_list("name", "unit", "physical_initial").order_by("id")),
        list(Subproduct.objects.values_list("name", "unit", "physical_initial", "financial_initial").order_by("id")),
        list(ProductExecution.objects.values_list("product", "month", "physical").order_by("id")),
        list(SubproductExecution.objects.values_list("subproduct", "month", "physical", "financial").order_by("id")),
    )


def rolled_back(action):
    """Run `action` in a savepoint rolled back afterwards, so that each example starts from the same data."""
    with transaction.atomic():
        outcome = action()
        transaction.set_rollback(True)
    return outcome


@EXAMPLES
@given(cells=st.lists(TEXT, min_size=4, max_size=4))
def test_an_execution_file_with_arbitrary_cells_is_imported_or_refused_whole(plan, cells):
    month, physical, financial, subproduct = cells
    rows = [["HOS", "2025", month, "P", "", physical, ""], ["HOS", "2025", "1", "P", subproduct, physical, financial]]
    before = stored()

    def attempt():
        result = import_file("ejecucion", csv_file(EXECUTION_COLUMNS, *rows), "ejecucion.csv")
        return result, stored()

    result, after = rolled_back(attempt)
    if result.ok:
        executions = after[2] + after[3]
        assert executions and all(is_figure(figure) for record in executions for figure in record[2:])
    else:
        assert after == before
        assert all(str(error).startswith("Fila ") for error in result.errors)


@EXAMPLES
@given(cells=st.lists(st.one_of(PRINTABLE, TEXT), min_size=4, max_size=4))
def test_a_plan_file_with_arbitrary_text_is_imported_or_refused_whole(plan, cells):
    product, subproduct, unit, axis = cells
    rows = [
        ["HOS", "", "2025", "RI", axis, "", "Sin Resultado", product, "", unit, "1", ""],
        ["HOS", "", "2025", "RI", axis, "", "Sin Resultado", product, subproduct, unit, "1", "1.00"],
    ]
    before = stored()
    result, after = rolled_back(lambda: (import_file("plan", csv_file(PLAN_COLUMNS, *rows), "plan.csv"), stored()))
    if result.ok:
        assert {len(name) for name, *_rest in after[0] + after[1]} <= set(range(1, 501))
    else:
        assert after == before


@pytest.fixture
def entry_page(client, plan):
    _institution, product, subproduct = plan
    client.force_login(RoleUserFactory(institution=plan[0], role="Planificador"))
    url = reverse("goals:enter_month", args=[2025, 3])
    form = client.get(url).context["form"]
    hidden = {"version": form.initial["version"], "opened_at": form.initial["opened_at"].isoformat()}
    fields = [f"p{product.pk}_physical", f"s{subproduct.pk}_physical", f"s{subproduct.pk}_financial"]
    return client, url, hidden, fields


@EXAMPLES
@given(values=st.lists(st.one_of(TEXT, PRINTABLE), min_size=3, max_size=3))
def test_the_entry_page_saves_valid_figures_or_shows_errors_and_saves_nothing(entry_page, values):
    client, url, hidden, fields = entry_page
    data = {**hidden, **dict(zip(fields, values))}
    before = stored()
    response, after = rolled_back(lambda: (client.post(url, data), stored()))
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert response.context["form"].errors
        assert after == before
    else:
        physical, sub_physical, sub_financial = (parse_amount(value) for value in values)
        assert [record[2] for record in after[2]] == ([] if physical is None else [physical])
        typed = sub_physical is not None or sub_financial is not None
        assert [record[2:] for record in after[3]] == ([(sub_physical or 0, sub_financial or 0)] if typed else [])


def test_a_float_cell_keeps_its_written_value():
    """An Excel number like 0.1 is read as written, not as its binary approximation."""
    errors = []
    assert Row(2, {"x": 0.1}, errors).amount("x") == Decimal("0.10")
    assert Row(2, {"x": math.inf}, errors).amount("x") is None and errors
