"""A plan import writes its results, products and subproducts in bulk (PlanImporter.write_plan): the records, history
rows, counts and preview it leaves are those the row-by-row writer of c414f14 left (`write_plan_row_by_row` below,
kept as the reference), for a first import, a re-import that changes goals, moves a product, adds rows and reorders,
and one that changes nothing; two institutions share every name."""

import types

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from simple_history.models import HistoricalRecords

from goals.imports import PLAN_COLUMNS, import_file
from goals.imports.plan import ITEM_FIELDS, RESULT_FIELDS, PlanImporter, PlanOrders
from goals.models import ZERO, Institution, Product, Result, Subproduct
from tests.factories import UserFactory
from tests.goals.imports_helpers import csv_file

pytestmark = pytest.mark.django_db

A = ("RI", "Eje 1", "Acción 1", "Resultado A")
B = ("RE", "Eje 2", "Acción 2", "Resultado B")
C = ("RI", "Eje 1", "Acción 3", "Resultado C")


def row(code, result, product, subproduct, unit, physical, financial=""):
    return [code, "Institución", 2025, *result, product, subproduct, unit, physical, financial]


def first_file(code):
    return [
        row(code, A, "Dirección", "", "Documento", "3"),
        row(code, A, "Dirección", "Informes", "Documento", "12", "1,000.50"),
        row(code, A, "Dirección", "Talleres", "Evento", "4", "200"),
        row(code, A, "Formación", "", "Persona", "10"),
        row(code, A, "Formación", "Cursos", "Persona", "5", "300"),
        row(code, B, "Salud", "", "Persona", "50"),
        row(code, B, "Salud", "Vacunas", "Dosis", "40", "5,000"),
    ]


def second_file(code):
    """Results B before A; Salud's goal changed and a subproduct added; Formación moved to B; Dirección's unit
    changed and its subproducts reordered, Talleres' money changed; a new result with a new product and subproduct."""
    return [
        row(code, B, "Salud", "", "Persona", "60"),
        row(code, B, "Salud", "Vacunas", "Dosis", "40", "5,000"),
        row(code, B, "Salud", "Consultas", "Consulta", "30", "1,200"),
        row(code, B, "Formación", "", "Persona", "10"),
        row(code, B, "Formación", "Cursos", "Persona", "5", "300"),
        row(code, A, "Dirección", "", "Informe", "3"),
        row(code, A, "Dirección", "Talleres", "Evento", "4", "250"),
        row(code, A, "Dirección", "Informes", "Documento", "12", "1,000.50"),
        row(code, C, "Nutrición", "", "Ración", "100"),
        row(code, C, "Nutrición", "Raciones", "Ración", "100", "800"),
    ]


def write_plan_row_by_row(self):
    """PlanImporter.write_plan as c414f14 wrote it: one or two queries and a save per row."""
    institutions = dict(self.institutions)
    for code, name in self.new_names.items():
        institutions[code] = self.upserter.upsert(Institution, {"code": code}, {"name": name or code, "acronym": code})
    items = sorted(self.items, key=lambda item: bool(item[6]))
    orders = PlanOrders(items)
    results, products = {}, {}
    for row, code, year, link, (axis, action, text), product, subproduct, unit, physical, financial in items:
        institution = institutions[code]
        result_key = (code, year, link, axis, action, text)
        if result_key not in results:
            results[result_key], _created, changes = self.upserter.upsert_changes(
                Result,
                {"institution": institution, "year": year, "link": link, "strategic_axis": axis,
                 "strategic_action": action, "description": text},
                {"order": orders.results[result_key]},
            )  # fmt: skip
            self.show(row, text, changes, RESULT_FIELDS)
        result = results[result_key]
        if not subproduct:
            existing = Product.objects.filter(result__institution=institution, result__year=year, name=product).first()
            lookup = {"pk": existing.pk} if existing else {"result": result, "name": product}
            values = {
                "result": result, "unit": unit, "physical_initial": physical,
                "order": orders.products[(code, year, product)],
            }  # fmt: skip
            saved, created, changes = self.upserter.upsert_changes(Product, lookup, values)
            products[(code, year, product)] = self.saved[(code, year, product, subproduct)] = saved
        else:
            parent = products.get((code, year, product)) or Product.objects.get(
                result__institution=institution, result__year=year, name=product
            )
            self.saved[(code, year, product, subproduct)], created, changes = self.upserter.upsert_changes(
                Subproduct,
                {"product": parent, "name": subproduct},
                {"unit": unit, "physical_initial": physical, "financial_initial": financial or ZERO,
                 "order": orders.subproducts[(code, year, product, subproduct)]},
            )  # fmt: skip
        if created:
            self.preview.mark_new(row.number)
        self.show(row, subproduct or product, changes, ITEM_FIELDS)


@pytest.fixture
def signed_in(db):
    """The imports run as in a page's request, whose user django-simple-history signs the history with."""
    user = UserFactory(is_superuser=True)
    HistoricalRecords.context.request = types.SimpleNamespace(user=user)
    yield user
    del HistoricalRecords.context.request


def stored(code, imports):
    """The institution's results, products and subproducts, and each one's history (in order, with the import that
    wrote each row: `imports` are the (start, end) times of the imports), by name (ids left out)."""
    results = {r.pk: r for r in Result.objects.filter(institution__code=code)}
    products = {p.pk: p for p in Product.objects.filter(result__in=list(results))}
    subproducts = {s.pk: s for s in Subproduct.objects.filter(product__in=list(products))}

    def result_name(pk):
        return results[pk].description

    def product_name(pk):
        return products[pk].name

    def when(date):
        (written,) = [number for number, (start, end) in enumerate(imports) if start <= date <= end]
        return written

    shapes = {
        Result: lambda r: (r.year, r.link, r.strategic_axis, r.strategic_action, r.description, r.order),
        Product: lambda p: (result_name(p.result_id), p.name, p.unit, p.physical_initial, p.order),
        Subproduct: lambda s: (
            product_name(s.product_id),
            s.name,
            s.unit,
            s.physical_initial,
            s.financial_initial,
            s.order,
        ),
    }
    records, history = {}, {}
    for model, mine in ((Result, results), (Product, products), (Subproduct, subproducts)):
        records[model.__name__] = sorted(shapes[model](record) for record in mine.values())
        for version in model.history.filter(id__in=list(mine)).order_by("history_date", "history_id"):
            shape = shapes[model](mine[version.id])
            key = (model.__name__, *(shape[4:5] if model is Result else shape[:2]))
            history.setdefault(key, []).append(
                (shapes[model](version), version.history_type, version.history_change_reason)
                + (version.history_user_id, when(version.history_date))
            )
    return records, history


def test_a_plan_written_in_bulk_stores_what_row_by_row_stored(monkeypatch, signed_in):
    counts, previews, times = {}, {}, {}
    for rows_of in (first_file, second_file, second_file):
        for code in ("ROWS", "BULK"):
            with monkeypatch.context() as patch:
                if code == "ROWS":
                    patch.setattr(PlanImporter, "write_plan", write_plan_row_by_row)
                content = csv_file(PLAN_COLUMNS, *rows_of(code))
                dry = import_file("plan", content, "plan.csv", user=signed_in, dry_run=True)
                previews.setdefault(code, []).append((dry.preview.outcomes, dry.preview.found))
                started = timezone.now()
                content.seek(0)
                result = import_file("plan", content, "plan.csv", user=signed_in)
                times.setdefault(code, []).append((started, timezone.now()))
            assert result.ok, result.errors
            counts.setdefault(code, []).append((result.created, result.updated))
    assert counts["ROWS"] == counts["BULK"] == [(10, 0), (4, 7), (0, 0)]
    assert previews["ROWS"] == previews["BULK"]
    by_rows, in_bulk = stored("ROWS", times["ROWS"]), stored("BULK", times["BULK"])
    assert by_rows == in_bulk
    records, history = in_bulk
    assert records["Result"] == [
        (2025, "RE", "Eje 2", "Acción 2", "Resultado B", 1),
        (2025, "RI", "Eje 1", "Acción 1", "Resultado A", 2),
        (2025, "RI", "Eje 1", "Acción 3", "Resultado C", 3),
    ]
    assert ("Resultado B", "Formación", "Persona", 10, 2) in records["Product"]
    assert ("Dirección", "Talleres", "Evento", 4, 250, 1) in records["Subproduct"]
    assert sum(len(versions) for versions in history.values()) == 9 + 4 + 7
    assert history[("Product", "Resultado B", "Formación")] == [
        (("Resultado A", "Formación", "Persona", 10, 2), "+", None, signed_in.pk, 0),
        (("Resultado B", "Formación", "Persona", 10, 2), "~", None, signed_in.pk, 1),
    ]
    assert history[("Subproduct", "Nutrición", "Raciones")] == [
        (("Nutrición", "Raciones", "Ración", 100, 800, 1), "+", None, signed_in.pk, 1),
    ]


def plan_of(code, products, offset):
    """`products` products of 3 subproducts each, every goal `offset` higher than with offset 0."""
    return [
        row(code, A, f"Producto {p}", sub, "Persona", str(10 + offset), "" if not sub else str(100 + offset))
        for p in range(products)
        for sub in ("", "S1", "S2", "S3")
    ]


def test_a_plan_makes_as_many_queries_for_eighty_rows_as_for_eight():
    queries = {}
    for code, products in (("SMALL", 2), ("LARGE", 20)):
        for offset in (0, 1):
            with CaptureQueriesContext(connection) as captured:
                result = import_file("plan", csv_file(PLAN_COLUMNS, *plan_of(code, products, offset)), "plan.csv")
            assert result.ok, result.errors
            assert (result.created, result.updated) == ((2 + products * 4, 0) if offset == 0 else (0, products * 4))
            queries.setdefault(code, []).append(len(captured))
    assert queries["SMALL"] == queries["LARGE"]
