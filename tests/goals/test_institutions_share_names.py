"""Institutions whose plans share every name: each one's writes (imports, the entry and programme pages) never
touch another's plan, execution or report. Every institution has a "Dirección y Coordinación"."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from goals.imports import (
    EXECUTION_COLUMNS,
    PLAN_COLUMNS,
    REPROGRAMMING_COLUMNS,
    import_file,
)
from goals.models import Institution, Product, Subproduct
from goals.programme import programme_sheet
from reports.computation import build_report, report_to_dict
from tests.factories import RoleUserFactory
from tests.goals.imports_helpers import csv_file

pytestmark = pytest.mark.django_db

D = Decimal
DIRECTION = "Dirección y Coordinación"
EMISSION = "Emisión de Documentos"
PASSPORTS = "Pasaportes"
# (product, subproduct or "") in plan order: the same names in every institution.
ROWS = [(DIRECTION, ""), (DIRECTION, DIRECTION), (EMISSION, ""), (EMISSION, PASSPORTS)]


def plan_file(code, year, physical="10", financial="1,000.00"):
    return csv_file(
        PLAN_COLUMNS,
        *[
            [
                code,
                f"Institución {code}",
                year,
                "RI",
                "-",
                "",
                "Sin Resultado",
                product,
                subproduct,
                "Documento",
                physical,
                financial if subproduct else "",
            ]  # fmt: skip
            for product, subproduct in ROWS
        ],
    )


def execution_rows(code, year, month, physical="2", financial="100.00"):
    return [
        [code, year, month, product, subproduct, physical, financial if subproduct else ""]
        for product, subproduct in ROWS
    ]


def execution_file(*rows):
    return csv_file(EXECUTION_COLUMNS, *rows)


def import_ok(kind, file, **kwargs):
    result = import_file(kind, file, f"{kind}.csv", **kwargs)
    assert result.ok, [str(error) for error in result.errors]
    return result


def report(code, year, cuatrimestre=1):
    return report_to_dict(
        build_report(institution=Institution.objects.get(code=code), year=year, cuatrimestre=cuatrimestre)
    )


def figures(report_data):
    """(name, physical total, financial total) of every product and subproduct of a report, in order."""
    return [
        (item["name"], item["physical"]["total"], item["financial"]["total"])
        for section in report_data["sections"]
        for product in section["products"]
        for item in [product, *product["subproducts"]]
    ]


def test_a_second_institutions_plan_of_another_year_creates_its_own_products():
    """Issue 14's scenario: B's plan for 2025 took A's 2024 "Dirección y Coordinación" and its execution."""
    import_ok("plan", plan_file("AAA", 2024))
    import_ok("ejecucion", execution_file(*execution_rows("AAA", 2024, 1)))
    before = report("AAA", 2024)

    second = import_ok("plan", plan_file("BBB", 2025))

    # The institution, its result, two products and two subproducts: all new, nothing of A's updated.
    assert (second.created, second.updated) == (6, 0)
    assert report("AAA", 2024) == before
    assert figures(before)[:2] == [(DIRECTION, "2.00", "100.00"), (DIRECTION, "2.00", "100.00")]
    assert Product.objects.filter(name=DIRECTION, result__institution__code="AAA", result__year=2024).count() == 1
    assert Product.objects.filter(name=DIRECTION, result__institution__code="BBB", result__year=2025).count() == 1
    again = import_ok("ejecucion", execution_file(*execution_rows("AAA", 2024, 1)))
    assert (again.created, again.updated) == (0, 0)


@pytest.fixture
def institutions():
    """Three institutions with the same plan for 2024, each with January's execution."""
    for code in ("AAA", "BBB", "CCC"):
        import_ok("plan", plan_file(code, 2024))
        import_ok("ejecucion", execution_file(*execution_rows(code, 2024, 1)))
    return {code: report(code, 2024) for code in ("AAA", "CCC")}


@pytest.fixture
def planner_b(institutions):
    return RoleUserFactory(institution=Institution.objects.get(code="BBB"), role="Planificador")


def assert_others_unchanged(before):
    for code, report_before in before.items():
        assert report(code, 2024) == report_before, code


def test_a_plan_import_changes_only_its_institutions_goals(institutions, planner_b):
    result = import_ok("plan", plan_file("BBB", 2024, physical="7", financial="500.00"), user=planner_b)
    assert result.updated == 4
    assert [row[0] for row in figures(report("BBB", 2024))] == [DIRECTION, DIRECTION, EMISSION, PASSPORTS]
    assert set(
        Subproduct.objects.filter(product__result__institution__code="BBB").values_list(
            "physical_initial", "financial_initial"
        )
    ) == {(D("7.00"), D("500.00"))}
    assert_others_unchanged(institutions)


def test_a_reprogramming_import_changes_only_its_institutions_goals(institutions):
    rows = [
        ["BBB", 2024, "RES-001-2024", "2024-03-01", product, subproduct, "fisica", "20", "Ajuste"]
        for product, subproduct in ROWS
    ]
    import_ok("reprogramacion", csv_file(REPROGRAMMING_COLUMNS, *rows))
    b_report = report("BBB", 2024)
    assert [section["products"][0]["physical"]["current"] for section in b_report["sections"]] == ["20.00"]
    assert_others_unchanged(institutions)


def test_an_execution_import_from_the_browser_changes_only_its_institution(client, institutions, planner_b):
    client.force_login(planner_b)
    upload = SimpleUploadedFile(
        "ejecucion.csv", execution_file(*execution_rows("BBB", 2024, 1, "5", "300.00")).getvalue()
    )
    client.post(reverse("goals:import"), {"template": "ejecucion", "file": upload})
    client.post(reverse("goals:confirm_import"))
    assert figures(report("BBB", 2024))[:2] == [(DIRECTION, "5.00", "300.00"), (DIRECTION, "5.00", "300.00")]
    assert_others_unchanged(institutions)


@pytest.mark.parametrize("as_user", [True, False])
def test_the_import_data_command_changes_only_its_institution(tmp_path, institutions, planner_b, as_user):
    path = tmp_path / "ejecucion.csv"
    path.write_bytes(execution_file(*execution_rows("BBB", 2024, 1, "5", "300.00")).getvalue())
    call_command("import_data", "ejecucion", str(path), *(["--user", planner_b.username] if as_user else []))
    assert figures(report("BBB", 2024))[2:] == [(EMISSION, "5.00", "300.00"), (PASSPORTS, "5.00", "300.00")]
    assert_others_unchanged(institutions)


def other_rows_fields(code, prefix_kinds):
    """Field names the entry and programme pages would use for another institution's rows (a forged POST)."""
    fields = {}
    for product in Product.objects.filter(result__institution__code=code):
        fields.update({f"p{product.pk}_{kind}": "99" for kind in prefix_kinds})
        for subproduct in product.subproducts.all():
            fields.update({f"s{subproduct.pk}_{kind}": "99" for kind in prefix_kinds})
    return fields


def test_the_entry_page_changes_only_its_institution(client, institutions, planner_b):
    client.force_login(planner_b)
    url = reverse("goals:enter_month", args=[2024, 1])
    form = client.get(url).context["form"]
    data = {
        **other_rows_fields("AAA", ["physical", "financial"]),
        **other_rows_fields("CCC", ["physical", "financial"]),
    }
    data.update({name: "1,234.50" for name in form.fields if name not in ("version", "opened_at")})
    data.update(version=form.initial["version"], opened_at=form.initial["opened_at"].isoformat())
    assert client.post(url, data).status_code == 302
    assert figures(report("BBB", 2024))[3] == (PASSPORTS, "1234.50", "1234.50")
    assert_others_unchanged(institutions)


def test_the_programme_page_changes_only_its_institution(client, institutions, planner_b):
    def programme_of(code):
        rows, _version = programme_sheet(institution=Institution.objects.get(code=code), year=2024)
        return [(row.item.name, {month: record.physical for month, record in row.records.items()}) for row in rows]

    others = {code: programme_of(code) for code in ("AAA", "CCC")}
    client.force_login(planner_b)
    url = reverse("goals:programme", args=["BBB", 2024])
    form = client.get(url).context["form"]
    forged = {
        f"{name}_{month:02d}": "1"
        for name in other_rows_fields("AAA", ["physical", "financial"])
        for month in range(1, 13)
    }
    data = {**forged, **{name: "0.50" for name in form.fields if name not in ("version", "opened_at")}}
    data.update(version=form.initial["version"], opened_at=form.initial["opened_at"].isoformat())
    assert client.post(url, data).status_code == 302
    assert programme_of("BBB")[0] == (DIRECTION, dict.fromkeys(range(1, 13), D("0.50")))
    assert {code: programme_of(code) for code in others} == others
    assert others["AAA"][0] == (DIRECTION, {})
    assert_others_unchanged(institutions)
