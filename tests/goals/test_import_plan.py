from decimal import Decimal

import pytest

from goals.imports import PLAN_COLUMNS, import_file
from goals.models import Institution, Product, Subproduct
from tests.factories import InstitutionFactory, UserFactory
from tests.goals.imports_helpers import csv_file, xlsx_file

pytestmark = pytest.mark.django_db

RESULT = ["RI", "-", "", "Sin Resultado"]


def plan_row(product, subproduct, unit, physical, financial, institution="NEW", year=2025):
    return [institution, "Institución Nueva", year, *RESULT, product, subproduct, unit, physical, financial]


GOOD_ROWS = [
    plan_row("Dirección", "Informes", "Documento", "12", "1,000.50"),
    plan_row("Dirección", "", "Documento", "3", ""),
    plan_row("Dirección", "Personas", "Persona", 120, 2500),
]


@pytest.mark.parametrize("make_file", [csv_file, xlsx_file])
def test_a_plan_file_creates_the_institution_products_and_subproducts(make_file):
    name = "plan.csv" if make_file is csv_file else "plan.xlsx"
    result = import_file("plan", make_file(PLAN_COLUMNS, *GOOD_ROWS), name)
    assert result.ok, result.errors
    institution = Institution.objects.get(code="NEW")
    assert institution.name == "Institución Nueva"
    product = Product.objects.get(result__institution=institution, name="Dirección")
    assert (product.unit, product.physical_initial) == ("Documento", Decimal("3.00"))
    assert list(product.subproducts.values_list("name", "financial_initial")) == [
        ("Informes", Decimal("1000.50")),
        ("Personas", Decimal("2500.00")),
    ]
    assert result.created == 5


def test_importing_the_same_plan_twice_changes_nothing():
    assert import_file("plan", csv_file(PLAN_COLUMNS, *GOOD_ROWS), "plan.csv").ok
    again = import_file("plan", csv_file(PLAN_COLUMNS, *GOOD_ROWS), "plan.csv")
    assert (again.created, again.updated) == (0, 0)
    assert Subproduct.objects.count() == 2


def test_columns_may_come_in_any_order():
    order = list(reversed(PLAN_COLUMNS))
    rows = [list(reversed(row)) for row in GOOD_ROWS]
    assert import_file("plan", csv_file(order, *rows), "plan.csv").ok


@pytest.mark.parametrize(
    ("bad_row", "column", "reason"),
    [
        (plan_row("Dirección", "Nuevo", "Documento", "12a", "5"), "meta_fisica_inicial", "no es un número"),
        (plan_row("Dirección", "Nuevo", "Documento", "-4", "5"), "meta_fisica_inicial", "no puede ser negativa"),
        (plan_row("Dirección", "Nuevo", "Documento", "1.234", "5"), "meta_fisica_inicial", "más de dos decimales"),
        (plan_row("Otro", "", "Documento", "3", "100"), "meta_financiera_inicial", "suma de sus subproductos"),
        (plan_row("Dirección", "Nuevo", "", "3", "100"), "unidad", "no puede estar vacía"),
        (plan_row("Dirección", "Nuevo", "Documento", "3", "1", year="20x5"), "anio", "no es un año válido"),
        (["NEW", "x", 2025, "RX", "-", "", "R", "Dirección", "S", "Documento", 1, 1], "vinculacion", "RI o RE"),
        (plan_row("Otro", "Suelto", "Documento", "3", "1"), "producto", "no tiene fila propia"),
    ],
)
def test_one_bad_row_refuses_the_whole_file_naming_row_and_column(bad_row, column, reason):
    result = import_file("plan", csv_file(PLAN_COLUMNS, *GOOD_ROWS, bad_row), "plan.csv")
    assert not result.ok
    [error] = result.errors
    assert (error.row, error.column) == (5, column)
    assert reason in error.message
    assert f"Fila 5, columna «{column}»" in str(error)
    assert not Institution.objects.exists()


def test_a_missing_column_is_named():
    result = import_file("plan", csv_file(PLAN_COLUMNS[:-1], *[row[:-1] for row in GOOD_ROWS]), "plan.csv")
    assert [(e.row, e.column) for e in result.errors] == [(1, "meta_financiera_inicial")]


@pytest.mark.parametrize(
    ("content", "name", "reason"),
    [
        (b"%PDF-1.4 garbage", "plan.pdf", "CSV (UTF-8) o XLSX"),
        (b"not a zip", "plan.xlsx", "XLSX"),
        (b"\xff\xfe\x00bad", "plan.csv", "UTF-8"),
    ],
)
def test_a_file_that_is_not_csv_or_xlsx_is_refused_without_a_traceback(content, name, reason):
    import io

    result = import_file("plan", io.BytesIO(content), name)
    assert reason in result.errors[0].message


def test_a_planner_cannot_import_another_institutions_plan():
    planner = UserFactory(institution=InstitutionFactory(code="MINE"))
    InstitutionFactory(code="NEW")
    result = import_file("plan", csv_file(PLAN_COLUMNS, *GOOD_ROWS), "plan.csv", user=planner)
    assert {(e.row, e.column) for e in result.errors} == {(2, "institucion"), (3, "institucion"), (4, "institucion")}
    assert not Product.objects.exists()


def test_dry_run_counts_and_writes_nothing():
    result = import_file("plan", csv_file(PLAN_COLUMNS, *GOOD_ROWS), "plan.csv", dry_run=True)
    assert result.ok and result.created == 5
    assert not Institution.objects.exists()
