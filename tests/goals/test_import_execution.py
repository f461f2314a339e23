import io
from decimal import Decimal

import pytest

from approvals import services
from goals.imports import EXECUTION_COLUMNS, import_file
from goals.models import ProductExecution, SubproductExecution
from tests.factories import (
    ProductFactory,
    ResultFactory,
    RoleUserFactory,
    SubproductFactory,
    UserFactory,
)
from tests.goals.imports_helpers import csv_file, xlsx_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    result = ResultFactory(institution__code="EJE", year=2025)
    product = ProductFactory(result=result, name="Dirección")
    subproduct = SubproductFactory(product=product, name="Informes")
    return product, subproduct


def rows(*extra):
    return [
        ["EJE", 2025, 1, "Dirección", "", "3", ""],
        ["EJE", 2025, 1, "Dirección", "Informes", "2", "1,234.50"],
        ["EJE", "2025", "2", "Dirección", "Informes", 4, 99.9],
        *extra,
    ]


@pytest.mark.parametrize(("make_file", "name"), [(csv_file, "e.csv"), (xlsx_file, "e.xlsx")])
def test_execution_file_stores_each_month_as_decimals(plan, make_file, name):
    product, subproduct = plan
    result = import_file("ejecucion", make_file(EXECUTION_COLUMNS, *rows()), name)
    assert result.ok, result.errors
    assert ProductExecution.objects.get(product=product, month=1).physical == Decimal("3.00")
    february = SubproductExecution.objects.get(subproduct=subproduct, month=2)
    assert (february.physical, february.financial) == (Decimal("4.00"), Decimal("99.90"))
    assert SubproductExecution.objects.get(subproduct=subproduct, month=1).financial == Decimal("1234.50")


def test_importing_twice_updates_never_duplicates(plan):
    assert import_file("ejecucion", csv_file(EXECUTION_COLUMNS, *rows()), "e.csv").created == 3
    again = import_file("ejecucion", csv_file(EXECUTION_COLUMNS, *rows()), "e.csv")
    assert (again.created, again.updated) == (0, 0)
    changed = [list(row) for row in rows()]
    changed[2][5] = "5"
    assert import_file("ejecucion", csv_file(EXECUTION_COLUMNS, *changed), "e.csv").updated == 1
    assert SubproductExecution.objects.count() == 2
    assert SubproductExecution.objects.get(month=2).physical == Decimal("5.00")
    assert SubproductExecution.history.filter(history_type="~", month=2).count() == 1


@pytest.mark.parametrize(
    ("bad_row", "column", "reason"),
    [
        (["EJE", 2025, 13, "Dirección", "Informes", "1", "1"], "mes", "entre 1 y 12"),
        (["EJE", 2025, 3, "Dirección", "Informes", "uno", "1"], "ejecucion_fisica", "no es un número"),
        (["EJE", 2025, 3, "Dirección", "Informes", "1", "-1"], "ejecucion_financiera", "negativa"),
        (["XXX", 2025, 3, "Dirección", "Informes", "1", "1"], "institucion", "no existe la institución XXX"),
        (["EJE", 2025, 3, "Nada", "", "1", ""], "producto", "no existe el producto"),
        (["EJE", 2025, 3, "Dirección", "Nada", "1", "1"], "subproducto", "no existe el subproducto"),
        (["EJE", 2025, 3, "Dirección", "", "1", "50"], "ejecucion_financiera", "no tiene ejecución financiera"),
        (["EJE", 2025, 1, "Dirección", "Informes", "1", "1"], "mes", "repite el mismo mes de la fila 3"),
    ],
)
def test_one_bad_row_refuses_the_file_and_the_database_is_unchanged(plan, bad_row, column, reason):
    result = import_file("ejecucion", csv_file(EXECUTION_COLUMNS, *rows(bad_row)), "e.csv")
    assert [(error.row, error.column) for error in result.errors] == [(5, column)]
    assert reason in result.errors[0].message
    assert not SubproductExecution.objects.exists() and not ProductExecution.objects.exists()


def test_months_of_an_approved_report_are_refused(plan):
    product, _subproduct = plan
    institution = product.result.institution
    services.submit(
        user=RoleUserFactory(institution=institution, role="Planificador"),
        institution=institution,
        year=2025,
        cuatrimestre=1,
    )
    services.approve(
        user=RoleUserFactory(institution=institution, role="Director"),
        institution=institution,
        year=2025,
        cuatrimestre=1,
    )
    result = import_file("ejecucion", csv_file(EXECUTION_COLUMNS, *rows()), "e.csv")
    assert result.errors[0].row == 2
    assert "Primer Cuatrimestre 2025" in result.errors[0].message
    assert not SubproductExecution.objects.exists()


def test_changes_are_signed_and_kept_in_the_history(plan):
    product, subproduct = plan
    planner = UserFactory(institution=product.result.institution)
    assert import_file("ejecucion", csv_file(EXECUTION_COLUMNS, *rows()), "e.csv", user=planner).ok
    record = SubproductExecution.objects.get(subproduct=subproduct, month=2)
    assert record.updated_by == planner
    assert record.history.get().history_user == planner


def test_an_empty_file_is_refused(plan):
    assert "vacío" in import_file("ejecucion", io.BytesIO(b""), "e.csv").errors[0].message
