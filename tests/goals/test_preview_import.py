"""Before confirming a plan or reprogramming import the planner sees, per row, each value's old and new figure, and
how many rows are new, change or stay as they are; confirming rewrites none of the unchanged (no history for them),
and a bad row anywhere writes nothing."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from lxml.html import fromstring as parse_html

from goals.imports import REPROGRAMMING_COLUMNS, export_rows, import_file, rows_to_csv
from goals.models import (
    GoalKind,
    Product,
    ProductProgramme,
    ReprogrammingLine,
    ReprogrammingStatus,
    Subproduct,
    SubproductProgramme,
)
from tests.factories import (
    InstitutionFactory,
    ProductFactory,
    ProductProgrammeFactory,
    ReprogrammingFactory,
    ReprogrammingLineFactory,
    ResultFactory,
    RoleUserFactory,
    SubproductFactory,
    SubproductProgrammeFactory,
)
from tests.goals.imports_helpers import csv_file

pytestmark = pytest.mark.django_db


def plan_of(code):
    """A plan in 2024 (orders as an import numbers them), its programme five a month and Q50 a month."""
    institution = InstitutionFactory(code=code)
    result = ResultFactory(institution=institution, year=2024, description="Sin Resultado", order=1)
    product = ProductFactory(result=result, name="P", order=1)
    subproduct = SubproductFactory(product=product, name="S", order=1)
    for month in range(1, 13):
        ProductProgrammeFactory(product=product, month=month, physical=Decimal("5"))
        SubproductProgrammeFactory(subproduct=subproduct, month=month, physical=Decimal("5"), financial=Decimal("50"))
    return institution, product, subproduct


@pytest.fixture
def plan():
    plan_of("OTR")  # another institution whose plan shares every name
    return plan_of("PRV")


@pytest.fixture
def planner(client, plan):
    user = RoleUserFactory(institution=plan[0], role="Planificador")
    client.force_login(user)
    return user


def edited_plan(institution):
    """The exported plan with «S»'s physical goal 100 → 120 and March programme 5 → 7, and a new subproduct «S2»."""
    rows = export_rows(kind="plan", institution=institution, year=2024)
    rows[1].update(meta_fisica_inicial=Decimal("120"), prog_03=Decimal("7"))
    rows.append({**rows[1], "subproducto": "S2", **{f"prog_{m:02d}": "" for m in range(1, 13)},
                 **{f"progfin_{m:02d}": "" for m in range(1, 13)}})  # fmt: skip
    return rows


def upload(client, kind, content):
    file = SimpleUploadedFile(f"{kind}.csv", content, content_type="text/csv")
    return client.post(reverse("goals:import"), {"template": kind, "file": file})


def preview_of(response):
    page = parse_html(response.content.decode())
    counts = page.find(".//p[@class='preview-counts']").text_content()
    rows = page.xpath("//table[contains(@class, 'preview-changes')]/tbody/tr")
    return counts, [[cell.text_content() for cell in row] for row in rows]


def test_the_plan_preview_shows_each_changed_value_and_the_rows_counts(client, planner, plan):
    institution, _product, subproduct = plan
    counts, changes = preview_of(upload(client, "plan", rows_to_csv("plan", edited_plan(institution))))
    assert counts == "1 registro nuevo · 1 que cambia · 1 sin cambios (no se reescribe)"
    assert changes == [
        ["3", "S", "", "meta_fisica_inicial", "100.00", "120.00"],
        ["3", "S", "marzo", "programación física", "5.00", "7.00"],
    ]
    subproduct.refresh_from_db()
    assert subproduct.physical_initial == Decimal("100.00")
    assert not Subproduct.objects.filter(name="S2").exists()


def test_confirming_the_plan_rewrites_only_what_changes(client, planner, plan):
    institution, product, subproduct = plan
    upload(client, "plan", rows_to_csv("plan", edited_plan(institution)))
    before = {
        "product": product.history.count(),
        "product programme": ProductProgramme.history.count(),
        "subproduct programme": SubproductProgramme.history.count(),
    }
    client.post(reverse("goals:confirm_import"))
    after = {
        "product": product.history.count(),
        "product programme": ProductProgramme.history.count(),
        "subproduct programme": SubproductProgramme.history.count(),
    }
    assert after == {**before, "subproduct programme": before["subproduct programme"] + 1}
    assert subproduct.history.count() == 2
    assert SubproductProgramme.objects.get(subproduct=subproduct, month=3).physical == Decimal("7.00")
    assert Subproduct.objects.get(product=product, name="S2").physical_initial == Decimal("120.00")
    other = Subproduct.objects.get(product__result__institution__code="OTR", name="S")
    assert (other.physical_initial, other.history.count()) == (Decimal("100.00"), 1)


def test_a_plan_imported_again_as_exported_changes_nothing(client, planner, plan):
    institution = plan[0]
    counts, changes = preview_of(
        upload(client, "plan", rows_to_csv("plan", export_rows(kind="plan", institution=institution, year=2024)))
    )
    assert (counts, changes) == ("0 registros nuevos · 0 que cambian · 2 sin cambios (no se reescriben)", [])


def test_a_bad_plan_row_in_the_middle_writes_nothing(plan):
    institution, product, subproduct = plan
    rows = edited_plan(institution)
    rows.insert(1, {**rows[0], "producto": "Q", "unidad": ""})
    result = import_file("plan", io.BytesIO(rows_to_csv("plan", rows)), "plan.csv")
    assert [(error.row, error.column) for error in result.errors] == [(3, "unidad")]
    subproduct.refresh_from_db()
    assert subproduct.physical_initial == Decimal("100.00")
    assert not Product.objects.filter(name="Q").exists() and not Subproduct.objects.filter(name="S2").exists()
    assert SubproductProgramme.objects.get(subproduct=subproduct, month=3).physical == Decimal("5.00")


@pytest.fixture
def reprogrammed(plan):
    institution, product, subproduct = plan
    document = ReprogrammingFactory(
        institution=institution,
        number="RES-001-2024",
        date=datetime.date(2024, 3, 15),
        status=ReprogrammingStatus.PENDING,
    )  # pending: an approved document refuses any change (test_approved_reprogrammings_do_not_change)
    kept = ReprogrammingLineFactory(reprogramming=document, product=product, kind=GoalKind.PHYSICAL, new_goal=80)
    changed = ReprogrammingLineFactory(
        reprogramming=document, subproduct=subproduct, kind=GoalKind.FINANCIAL, new_goal=Decimal("900")
    )
    return kept, changed


REPROGRAMMING_ROWS = [
    ["PRV", 2024, "RES-001-2024", "2024-03-15", "P", "", "fisica", "80", "Ajuste"],  # unchanged
    ["PRV", 2024, "RES-001-2024", "2024-03-15", "P", "S", "financiera", "950", ""],  # 900 → 950
    ["PRV", 2024, "RES-001-2024", "2024-03-15", "P", "S", "fisica", "90", ""],  # new line
]


def test_the_reprogramming_preview_shows_old_and_new_goals_and_confirming_rewrites_only_them(reprogrammed, capsys):
    kept, changed = reprogrammed
    content = csv_file(REPROGRAMMING_COLUMNS, *REPROGRAMMING_ROWS).getvalue()
    dry = import_file("reprogramacion", io.BytesIO(content), "r.csv", dry_run=True)
    assert (dry.preview.new, dry.preview.changed, dry.preview.unchanged) == (1, 1, 1)
    [change] = dry.preview.changes
    assert (change.row, change.item, change.period, change.figure, change.old_shown, change.new_shown) == (
        3, "S", "RES-001-2024", "meta vigente nueva (financiera)", "900.00", "950.00",
    )  # fmt: skip
    assert ReprogrammingLine.objects.count() == 2
    result = import_file("reprogramacion", io.BytesIO(content), "r.csv")
    assert (result.created, result.updated) == (1, 1)
    assert kept.history.count() == 1
    changed.refresh_from_db()
    assert (changed.new_goal, changed.history.count()) == (Decimal("950.00"), 2)


def test_the_command_line_dry_run_prints_the_preview(reprogrammed, tmp_path, capsys):
    path = tmp_path / "reprogramacion.csv"
    path.write_bytes(csv_file(REPROGRAMMING_COLUMNS, *REPROGRAMMING_ROWS).getvalue())
    call_command("import_data", "reprogramacion", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "Filas nuevas: 1; con cambios: 1; sin cambios: 1." in out
    assert "Fila 3, S, RES-001-2024: meta vigente nueva (financiera) 900.00 → 950.00" in out
    assert reprogrammed[1].history.count() == 1


def test_a_bad_reprogramming_row_in_the_middle_writes_nothing(reprogrammed):
    rows = [REPROGRAMMING_ROWS[1], ["PRV", 2024, "RES-001-2024", "2024-03-15", "P", "X", "fisica", "1", ""],
            REPROGRAMMING_ROWS[2]]  # fmt: skip
    result = import_file("reprogramacion", csv_file(REPROGRAMMING_COLUMNS, *rows), "r.csv")
    assert [(error.row, error.column) for error in result.errors] == [(3, "subproducto")]
    assert ReprogrammingLine.objects.count() == 2
    assert reprogrammed[1].history.count() == 1
