"""A plan imported again as it was exported changes nothing, however its rows' orders were numbered (the admin leaves
0, a deleted product leaves a gap): the preview shows every row unchanged and nothing is written. A file that really
reorders the plan shows each moved row's order, old → new. Another institution whose plan shares every name keeps
its own orders."""

import io
from decimal import Decimal

import pytest

from goals.imports import export_rows, import_file, rows_to_csv
from goals.models import Product, Result, Subproduct
from tests.factories import InstitutionFactory, ProductFactory, ResultFactory, SubproductFactory

pytestmark = pytest.mark.django_db


def plan_of(code):
    """Two results (both order 0, as the admin leaves them), products numbered with gaps, subproducts all 0."""
    institution = InstitutionFactory(code=code)
    first = ResultFactory(institution=institution, year=2024, description="Primero", order=0)
    second = ResultFactory(institution=institution, year=2024, description="Segundo", order=0)
    for result, names in ((first, ("A", "B")), (second, ("C",))):
        for place, name in zip((2, 5), names):
            product = ProductFactory(result=result, name=name, order=place, physical_initial=Decimal("10"))
            for sub in ("S1", "S2"):
                SubproductFactory(product=product, name=f"{name}-{sub}", order=0)
    return institution


@pytest.fixture
def plan():
    plan_of("OTR")
    return plan_of("PRV")


def orders(code):
    return (
        sorted(Result.objects.filter(institution__code=code).values_list("description", "order")),
        sorted(Product.objects.filter(result__institution__code=code).values_list("name", "order")),
        sorted(Subproduct.objects.filter(product__result__institution__code=code).values_list("name", "order")),
    )


def history_count():
    return Result.history.count() + Product.history.count() + Subproduct.history.count()


def test_reimporting_the_exported_plan_shows_every_row_unchanged_and_writes_nothing(plan):
    before, written = orders("PRV"), history_count()
    content = rows_to_csv("plan", export_rows(kind="plan", institution=plan, year=2024))
    dry = import_file("plan", io.BytesIO(content), "plan.csv", dry_run=True)
    assert (dry.errors, dry.preview.new, dry.preview.changed, dry.preview.unchanged, dry.preview.changes) == (
        [], 0, 0, 9, [],
    )  # fmt: skip
    result = import_file("plan", io.BytesIO(content), "plan.csv")
    assert (result.errors, result.created, result.updated) == ([], 0, 0)
    assert (orders("PRV"), history_count()) == (before, written)


def test_a_file_that_reorders_the_plan_shows_each_moved_row_old_to_new(plan):
    rows = export_rows(kind="plan", institution=plan, year=2024)
    b_rows = [row for row in rows if row["producto"] == "B"]
    a_rows = [row for row in rows if row["producto"] == "A"]
    rest = [row for row in rows if row["producto"] not in ("A", "B")]
    dry = import_file("plan", io.BytesIO(rows_to_csv("plan", b_rows + a_rows + rest)), "plan.csv", dry_run=True)
    moved = [
        (change.row, change.item, change.figure, change.old_shown, change.new_shown) for change in dry.preview.changes
    ]
    assert moved == [(2, "B", "orden en el plan", "5", "1")]  # A keeps its 2, now after B
    assert (dry.preview.changed, dry.preview.unchanged) == (1, 8)
    others = orders("OTR")
    import_file("plan", io.BytesIO(rows_to_csv("plan", b_rows + a_rows + rest)), "plan.csv")
    assert orders("PRV")[1] == [("A", 2), ("B", 1), ("C", 2)]
    assert orders("OTR") == others
