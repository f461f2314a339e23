"""Planning staff import the monthly programme with the plan: optional columns prog_01…prog_12 and
progfin_01…progfin_12."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from goals.imports import (
    PLAN_COLUMNS,
    export_rows,
    import_file,
    rows_to_csv,
    template_workbook,
)
from goals.models import (
    Institution,
    Product,
    ProductProgramme,
    Subproduct,
    SubproductProgramme,
)
from goals.resources import PlanResource
from tests.factories import (
    InstitutionFactory,
    ProductProgrammeFactory,
    ReprogrammingFactory,
    ReprogrammingLineFactory,
    SubproductProgrammeFactory,
    UserFactory,
)
from tests.goals.imports_helpers import csv_file, xlsx_file

pytestmark = pytest.mark.django_db

D = Decimal
PROG = [f"prog_{month:02d}" for month in range(1, 13)]
PROGFIN = [f"progfin_{month:02d}" for month in range(1, 13)]
HEADER = PLAN_COLUMNS + PROG + PROGFIN
RESULT = ["RI", "-", "", "Sin Resultado"]
EMPTY = [""] * 12


def plan_row(product, subproduct, unit, physical, financial, prog=EMPTY, progfin=EMPTY):
    return ["NEW", "Institución Nueva", 2025, *RESULT, product, subproduct, unit, physical, financial, *prog, *progfin]


def quarterly(figure):
    """A figure in March, June, September and December; the other months empty."""
    return ["", "", figure, "", "", figure, "", "", figure, "", "", figure]


PRODUCT_ROW = plan_row("Dirección", "", "Documento", "12", "", prog=quarterly("3"))
SUBPRODUCT_ROW = plan_row(
    "Dirección", "Informes", "Documento", "12", "1,000.50", prog=quarterly("3"), progfin=["83.37"] * 11 + ["83.43"]
)


def stored(model):
    return {(record.month, record.physical, getattr(record, "financial", None)) for record in model.objects.all()}


@pytest.mark.parametrize("make_file", [csv_file, xlsx_file])
def test_a_plan_with_its_programme_creates_both_in_one_file(make_file):
    name = "plan.csv" if make_file is csv_file else "plan.xlsx"
    result = import_file("plan", make_file(HEADER, PRODUCT_ROW, SUBPRODUCT_ROW), name)
    assert result.ok, result.errors
    assert stored(ProductProgramme) == {(month, D("3.00"), None) for month in (3, 6, 9, 12)}
    money = {record.month: (record.physical, record.financial) for record in SubproductProgramme.objects.all()}
    assert len(money) == 12 and money[3] == (D("3.00"), D("83.37")) and money[1] == (D("0.00"), D("83.37"))
    assert money[12] == (D("3.00"), D("83.43"))
    assert sum(financial for _physical, financial in money.values()) == D("1000.50")
    assert result.created == 4 + 4 + 12  # institution, result, product, subproduct; then the months
    assert ProductProgramme.history.count() == 4 and SubproductProgramme.history.count() == 12


def test_a_plan_without_the_columns_leaves_the_programme_untouched():
    assert import_file("plan", csv_file(HEADER, PRODUCT_ROW, SUBPRODUCT_ROW), "plan.csv").ok
    before = stored(SubproductProgramme)
    rows = [row[: len(PLAN_COLUMNS)] for row in (PRODUCT_ROW, SUBPRODUCT_ROW)]
    rows[0][PLAN_COLUMNS.index("meta_fisica_inicial")] = "20"
    result = import_file("plan", csv_file(PLAN_COLUMNS, *rows), "plan.csv")
    assert result.ok and (result.created, result.updated) == (0, 1)
    assert stored(SubproductProgramme) == before and ProductProgramme.objects.count() == 4


def test_an_empty_cell_in_a_present_column_is_zero_and_a_missing_group_keeps_what_is_stored():
    assert import_file("plan", csv_file(HEADER, PRODUCT_ROW, SUBPRODUCT_ROW), "plan.csv").ok
    only_physical = PLAN_COLUMNS + PROG
    rows = [row[: len(only_physical)] for row in (PRODUCT_ROW, SUBPRODUCT_ROW)]
    rows[1][only_physical.index("prog_03")] = ""
    result = import_file("plan", csv_file(only_physical, *rows), "plan.csv")
    assert result.ok and (result.created, result.updated) == (0, 1)
    march = SubproductProgramme.objects.get(month=3)
    assert (march.physical, march.financial) == (D("0.00"), D("83.37"))


def test_importing_the_same_programme_twice_changes_nothing():
    assert import_file("plan", csv_file(HEADER, PRODUCT_ROW, SUBPRODUCT_ROW), "plan.csv").ok
    again = import_file("plan", csv_file(HEADER, PRODUCT_ROW, SUBPRODUCT_ROW), "plan.csv")
    assert (again.created, again.updated) == (0, 0)


@pytest.mark.parametrize(
    ("bad_row", "column", "message"),
    [
        (
            plan_row("Dirección", "", "Documento", "12", "", prog=quarterly("3"), progfin=["", "", "5"] + [""] * 9),
            "progfin_03",
            "un producto no tiene programación financiera propia: se programa en sus subproductos.",
        ),
        (
            plan_row("Dirección", "", "Documento", "12", "", prog=["4", "4", "4", "0.01"] + [""] * 8),
            "prog_04",
            "La programación física de «Dirección» suma 12.01 y supera su meta vigente de 12.00.",
        ),
        (
            plan_row("Dirección", "", "Documento", "12", "", prog=quarterly("3x")),
            "prog_03",
            "«3x» no es un número.",
        ),
    ],
)
def test_a_bad_programme_refuses_the_whole_file_naming_row_and_column(bad_row, column, message):
    result = import_file("plan", csv_file(HEADER, SUBPRODUCT_ROW, bad_row), "plan.csv")
    assert [str(error) for error in result.errors if error.column == column] == [
        f"Fila 3, columna «{column}»: {message}"
    ]
    assert not Institution.objects.exists() and not SubproductProgramme.objects.exists()


def test_money_over_the_subproducts_goal_is_refused_at_the_month_that_passes_it():
    row = plan_row("Dirección", "Informes", "Documento", "12", "1,000.50", progfin=["500", "500.50", "0.01"] + [""] * 9)
    [error] = import_file("plan", csv_file(HEADER, PRODUCT_ROW, row), "plan.csv").errors
    assert str(error) == (
        "Fila 3, columna «progfin_03»: La programación financiera de «Informes» suma 1,000.51 "
        "y supera su meta vigente de 1,000.50."
    )


def test_the_goal_is_the_one_the_file_sets_unless_an_approved_reprogramming_changed_it():
    assert import_file("plan", csv_file(PLAN_COLUMNS, PRODUCT_ROW[: len(PLAN_COLUMNS)]), "plan.csv").ok
    raised = plan_row("Dirección", "", "Documento", "24", "", prog=["2"] * 12)
    assert import_file("plan", csv_file(HEADER, raised), "plan.csv").ok
    assert Product.objects.get().physical_initial == D("24.00")

    document = ReprogrammingFactory(institution=Institution.objects.get(code="NEW"), date=datetime.date(2025, 7, 1))
    ReprogrammingLineFactory(reprogramming=document, product=Product.objects.get(), new_goal=D("18"))
    [error] = import_file("plan", csv_file(HEADER, raised), "plan.csv").errors
    assert error.message == "La programación física de «Dirección» suma 24.00 y supera su meta vigente de 18.00."
    assert error.column == "prog_10"


def test_a_programme_group_comes_whole():
    header = PLAN_COLUMNS + PROG[:11]
    result = import_file("plan", csv_file(header, PRODUCT_ROW[: len(header)]), "plan.csv")
    assert [(error.row, error.column) for error in result.errors] == [(1, "prog_12")]
    assert "las doce columnas" in result.errors[0].message
    assert not Institution.objects.exists()


def test_a_plan_with_a_programme_exports_its_columns_and_imports_back_the_same():
    institution = InstitutionFactory(code="NEW", name="Institución Nueva")
    assert import_file("plan", csv_file(HEADER, PRODUCT_ROW, SUBPRODUCT_ROW), "plan.csv").ok
    rows = export_rows(kind="plan", institution=institution, year=2025)
    assert rows[0]["prog_03"] == D("3.00") and rows[0]["prog_01"] == "" and rows[0]["progfin_03"] == ""
    assert rows[1]["progfin_12"] == D("83.43")
    content = rows_to_csv("plan", rows)
    assert content.decode().splitlines()[0].split(",") == HEADER
    before = stored(ProductProgramme), stored(SubproductProgramme)
    assert (lambda again: (again.created, again.updated))(import_file("plan", io.BytesIO(content), "plan.csv")) == (
        0,
        0,
    )

    ProductProgramme.objects.all().delete()
    SubproductProgramme.objects.all().delete()
    assert import_file("plan", io.BytesIO(content), "plan.csv").ok
    assert (stored(ProductProgramme), stored(SubproductProgramme)) == before


def test_a_plan_without_a_programme_exports_only_the_plan_columns():
    assert import_file("plan", csv_file(PLAN_COLUMNS, PRODUCT_ROW[: len(PLAN_COLUMNS)]), "plan.csv").ok
    content = rows_to_csv("plan", export_rows(kind="plan", institution=Institution.objects.get(code="NEW"), year=2025))
    assert content.decode().splitlines()[0].split(",") == PLAN_COLUMNS
    assert PlanResource().export(queryset=Product.objects.all()).headers == PLAN_COLUMNS


def test_the_admin_export_carries_the_programme():
    SubproductProgrammeFactory(
        subproduct__product__result__institution__code="ADM", month=2, physical=D("1"), financial=D("9.50")
    )
    dataset = PlanResource().export(queryset=Product.objects.all())
    assert dataset.headers == HEADER
    assert dataset[1][HEADER.index("progfin_02")] == D("9.50")
    ProductProgrammeFactory(product=Subproduct.objects.get().product, month=1, physical=D("2"))
    assert PlanResource().export(queryset=Product.objects.all())[0][HEADER.index("prog_01")] == D("2.00")


def test_the_downloadable_templates_example_row_imports_with_its_programme():
    workbook = load_workbook(io.BytesIO(template_workbook(kind="plan", year=2025)))
    help_rows = {row[0]: row[1] for row in workbook["Columnas"].iter_rows(min_row=2, values_only=True)}
    assert "una celda vacía es 0" in help_rows["prog_05"] and "mayo" in help_rows["prog_05"]
    assert "solo en filas de subproducto" in help_rows["progfin_01"]
    header, example = ([cell.value for cell in row] for row in workbook.worksheets[0].iter_rows(max_row=2))
    product_row = [*example[:8], "", "Documento", 3, "", *[""] * 24]
    result = import_file("plan", xlsx_file(header, product_row, example), "plan.xlsx")
    assert result.ok, result.errors
    subproduct = Subproduct.objects.get()
    assert (
        sum(record.financial for record in subproduct.programme.all())
        == subproduct.financial_initial
        == D("277360806.00")
    )
    assert sorted(subproduct.programme.filter(physical__gt=0).values_list("month", flat=True)) == [4, 8, 12]


def test_a_planner_signs_the_programme_they_import():
    planner = UserFactory(institution=InstitutionFactory(code="NEW"))
    assert import_file("plan", csv_file(HEADER, PRODUCT_ROW, SUBPRODUCT_ROW), "plan.csv", user=planner).ok
    assert set(SubproductProgramme.objects.values_list("updated_by", flat=True)) == {planner.pk}
    assert set(SubproductProgramme.history.values_list("history_user", flat=True)) == {planner.pk}
