"""Numbers typed or imported are read one way everywhere: 1,234.50 is accepted; 12,5, ١٢ or a figure the
database cannot hold are refused with a Spanish message, before anything is written."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from goals.entry import FigureField
from goals.imports import EXECUTION_COLUMNS, PLAN_COLUMNS, import_file
from goals.models import Product, ProductExecution, SubproductExecution
from goals.validators import AmountField, parse_amount
from tests.factories import (
    InstitutionFactory,
    ProductFactory,
    ResultFactory,
    RoleUserFactory,
    SubproductExecutionFactory,
    SubproductFactory,
)
from tests.goals.imports_helpers import csv_file, xlsx_file
from tests.goals.test_admin_entry import twelve_months_form

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("0", D("0.00")), ("12", D("12.00")), ("12.5", D("12.50")), ("1,234.50", D("1234.50")),
        ("1,234,567", D("1234567.00")), (" 7.05 ", D("7.05")), (".5", D("0.50")), ("-0", D("0.00")),
        ("9,999,999,999,999,999.99", D("9999999999999999.99")), ("", None), ("0012", D("12.00")),
        ("9999999999999999.99", D("9999999999999999.99")), ("00000000000000000001.5", D("1.50")),
        ("0,123.5", D("123.50")), ("999,999,999,999,999.99", D("999999999999999.99")),
    ],
)  # fmt: skip
def test_amounts_in_guatemalan_writing_are_accepted(typed, value):
    parsed = parse_amount(typed)
    assert parsed == value
    assert value is None or str(parsed) == str(value)  # to the cent


@given(st.decimals(min_value=0, max_value=D("9999999999999999.99"), places=2))
def test_a_plain_amount_reads_as_the_same_amount_written_with_thousands_separators(value):
    """Plain digits, and digits grouped as siplan prints them (up to fifteen), take a short path
    (goals.validators.plain_amount); sixteen grouped digits take the general rules: the same Decimal, to the cent."""
    plain, grouped = parse_amount(f"{value:f}"), parse_amount(f"{value:,f}")
    assert plain == grouped == value
    assert str(plain) == str(grouped) == f"{value:.2f}"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "1,5",
            "«1,5» no es una cifra válida: la coma solo separa miles, en grupos de tres (1,234.50), "
            "y el punto los decimales.",
        ),
        ("2,50", "«2,50» no es una cifra válida"),
        ("12,5", "«12,5» no es una cifra válida"),
        ("1,23,4", "«1,23,4» no es una cifra válida"),
        ("1234,567", "«1234,567» no es una cifra válida"),
        ("1.234", "«1.234» tiene más de dos decimales."),
        ("12x", "«12x» no es un número."),
        ("1e5", "«1e5» no es un número."),
        ("NaN", "«NaN» no es un número."),
        ("12.", "«12.» no es un número."),
        ("٣", "«٣» no es un número: escriba las cifras con los dígitos 0 a 9."),
        ("１２", "«１２» no es un número: escriba las cifras con los dígitos 0 a 9."),
        ("-4", "«-4» es negativo: la cifra no puede ser negativa."),
        (
            "100000000000000000000",
            "«100000000000000000000» es demasiado grande: el máximo es 9,999,999,999,999,999.99.",
        ),
        ("10,000,000,000,000,000", "«10,000,000,000,000,000» es demasiado grande"),
        ("10000000000000000", "«10000000000000000» es demasiado grande"),
    ],
)
def test_loose_amounts_are_refused_with_the_reason(typed, message):
    with pytest.raises(ValidationError) as refused:
        parse_amount(typed)
    assert refused.value.messages[0].startswith(message)


def cleaned(field, typed):
    try:
        return field.clean(typed)
    except ValidationError as refused:
        return refused.messages


@given(st.text(alphabet="0123456789,.-+ eE٣１nNaIif", max_size=24))
def test_the_entry_pages_figures_are_refused_as_any_amount_field_refuses_them(typed):
    """The entry and programme pages' FigureField leaves out DecimalField's checks after parse_amount: it accepts,
    and refuses with the same reason, what an AmountField does."""
    assert cleaned(FigureField(required=False), typed) == cleaned(AmountField(required=False), typed)


@pytest.fixture
def plan():
    institution = InstitutionFactory(code="NUM")
    product = ProductFactory(result=ResultFactory(institution=institution, year=2025), name="P", physical_initial=10)
    subproduct = SubproductFactory(product=product, name="S")
    return institution, product, subproduct


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ({"ejecucion_fisica": "1,5"}, "ejecucion_fisica", "«1,5» no es una cifra válida"),
        ({"ejecucion_financiera": "2,50"}, "ejecucion_financiera", "«2,50» no es una cifra válida"),
        ({"mes": "٣"}, "mes", "el mes debe estar entre 1 y 12, no «٣»."),
        ({"mes": "１２"}, "mes", "el mes debe estar entre 1 y 12, no «１２»."),
        ({"anio": "２０２５"}, "anio", "«２０２５» no es un año válido."),
        (
            {"ejecucion_financiera": "100000000000000000000"},
            "ejecucion_financiera",
            "«100000000000000000000» es demasiado grande",
        ),
    ],
)
@pytest.mark.parametrize("make_file", [csv_file, xlsx_file])
def test_an_import_refuses_a_loose_number_and_writes_nothing(plan, cells, column, message, make_file):
    row = {"institucion": "NUM", "anio": "2025", "mes": "3", "producto": "P", "subproducto": "S",
           "ejecucion_fisica": "1", "ejecucion_financiera": "10.00", **cells}  # fmt: skip
    name = "ejecucion.csv" if make_file is csv_file else "ejecucion.xlsx"
    result = import_file("ejecucion", make_file(EXECUTION_COLUMNS, [row[column] for column in EXECUTION_COLUMNS]), name)
    assert [(error.row, error.column) for error in result.errors] == [(2, column)]
    assert result.errors[0].message.startswith(message)
    assert not SubproductExecution.objects.exists()


def test_an_xlsx_with_real_numbers_imports_them_exactly(plan):
    rows = [["NUM", 2025.0, 3.0, "P", "S", 12.5, 1234.56], ["NUM", 2025, 4, "P", "S", 3, "1,234.50"]]
    result = import_file("ejecucion", xlsx_file(EXECUTION_COLUMNS, *rows), "ejecucion.xlsx")
    assert result.ok, result.errors
    assert list(SubproductExecution.objects.order_by("month").values_list("month", "physical", "financial")) == [
        (3, D("12.50"), D("1234.56")),
        (4, D("3.00"), D("1234.50")),
    ]


def test_an_excel_number_too_large_is_refused_written_out(plan):
    rows = [["NUM", 2025, 3, "P", "S", 1, 1e20]]
    result = import_file("ejecucion", xlsx_file(EXECUTION_COLUMNS, *rows), "ejecucion.xlsx")
    assert [error.message for error in result.errors] == [
        "«100000000000000000000» es demasiado grande: el máximo es 9,999,999,999,999,999.99."
    ]
    assert not SubproductExecution.objects.exists()


def test_a_plan_goal_too_large_for_the_database_is_refused_at_its_cell():
    row = ["BIG", "Grande", 2025, "RI", "-", "", "Sin Resultado", "P", "", "Persona", "100000000000000000000", ""]
    result = import_file("plan", csv_file(PLAN_COLUMNS, row), "plan.csv")
    assert [str(error) for error in result.errors] == [
        "Fila 2, columna «meta_fisica_inicial»: «100000000000000000000» es demasiado grande: el máximo es "
        "9,999,999,999,999,999.99."
    ]
    assert not Product.objects.exists()


@pytest.fixture
def planner(plan):
    return RoleUserFactory(institution=plan[0], role="Planificador")


def test_the_entry_page_shows_figures_as_guatemala_writes_them_and_reads_them_back(client, plan, planner):
    _institution, product, subproduct = plan
    SubproductExecutionFactory(subproduct=subproduct, month=2, physical=D("3"), financial=D("5109097.78"))
    client.force_login(planner)
    url = reverse("goals:enter_month", args=[2025, 2])
    response = client.get(url)
    html = response.content.decode()
    assert 'value="5,109,097.78"' in re.search(rf'<input[^>]*name="s{subproduct.pk}_financial"[^>]*>', html).group(0)
    form = response.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data.update(version=form.initial["version"], opened_at=form.initial["opened_at"].isoformat())
    data = {name: "" if value is None else form.fields[name].prepare_value(value) for name, value in data.items()}
    data[f"p{product.pk}_physical"] = "1,234.50"
    assert client.post(url, data).status_code == 302
    assert ProductExecution.objects.get(month=2).physical == D("1234.50")
    assert SubproductExecution.objects.get(month=2).financial == D("5109097.78")


def test_the_entry_page_refuses_12_comma_5_at_its_field(client, plan, planner):
    _institution, product, _subproduct = plan
    client.force_login(planner)
    url = reverse("goals:enter_month", args=[2025, 2])
    form = client.get(url).context["form"]
    data = {f"p{product.pk}_physical": "12,5", "version": form.initial["version"],
            "opened_at": form.initial["opened_at"].isoformat()}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors[f"p{product.pk}_physical"][0].startswith("«12,5» no es una cifra válida")
    assert not ProductExecution.objects.exists()


def test_the_programme_page_refuses_a_figure_too_large_and_accepts_grouped_ones(client, plan, planner):
    _institution, product, _subproduct = plan
    client.force_login(planner)
    url = reverse("goals:programme", args=["NUM", 2025])
    form = client.get(url).context["form"]
    base = {"version": form.initial["version"], "opened_at": form.initial["opened_at"].isoformat()}
    response = client.post(url, {**base, f"p{product.pk}_physical_01": "100000000000000000000"})
    assert response.status_code == 200
    assert "es demasiado grande" in response.context["form"].errors[f"p{product.pk}_physical_01"][0]
    assert not product.programme.exists()
    product.physical_initial = D("5000")
    product.save()
    assert client.post(url, {**base, f"p{product.pk}_physical_01": "1,234.50"}).status_code == 302
    assert product.programme.get().physical == D("1234.50")


def test_the_admin_reads_amounts_by_the_same_rule(admin_client, plan):
    _institution, product, _subproduct = plan
    url = reverse("admin:goals_product_change", args=[product.pk])
    data = {
        "result": product.result_id, "name": "P", "unit": "Persona", "order": "0", "physical_initial": "12,5",
        **{f"{prefix}-{key}": value for prefix in ("subproducts", "executions", "programme")
           for key, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))},
    }  # fmt: skip
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "«12,5» no es una cifra válida" in response.content.decode()
    data["physical_initial"] = "1,234.50"
    assert admin_client.post(url, data).status_code == 302
    product.refresh_from_db()
    assert product.physical_initial == D("1234.50")
    field = re.search(r'<input[^>]*name="physical_initial"[^>]*>', admin_client.get(url).content.decode()).group(0)
    assert 'type="text"' in field and 'value="1,234.50"' in field


@pytest.mark.parametrize(
    ("month", "physical", "message"),
    [("１２", "1", "«１２» no es un número entero."), ("3", "2,50", "«2,50» no es una cifra válida")],
)
def test_the_admins_twelve_months_refuse_unicode_digits_and_loose_amounts(admin_client, plan, month, physical, message):
    _institution, _product, subproduct = plan
    url = reverse("admin:goals_subproduct_change", args=[subproduct.pk])
    response = admin_client.post(url, twelve_months_form(subproduct, [(month, physical, "1")]))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SubproductExecution.objects.exists()
