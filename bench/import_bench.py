"""How long a year of execution for a large institution takes to import (2,000 subproducts × 12 months), and its plan
(200 products, 2,000 subproducts; then again with every goal changed).

    .venv/bin/python bench/import_bench.py                    # a throwaway SQLite file
    .venv/bin/python bench/import_bench.py --postgres postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/import_bench.py --plan-only         # the plan's two imports only

With --postgres a throwaway database is created next to the one named, and dropped afterwards, and the execution
file is imported three ways in the same run: by import_file (COPY on PostgreSQL), by import_file with the ORM and
django-simple-history writing (the path before issue 16, SQLite's), and by the COPY reference (the CSV parsed with
no checks, COPY into a temporary table, one INSERT ... ON CONFLICT, history COPYed).
Targets: under 15 seconds on both (issue #4); within 2x of the COPY reference (issue #16).
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PRODUCTS = 200
SUBPRODUCTS_PER_PRODUCT = 10
SUBPRODUCTS = PRODUCTS * SUBPRODUCTS_PER_PRODUCT


RESULTS = PRODUCTS // 20


def plan_rows(offset=0):
    for p in range(PRODUCTS):
        common = {"institucion": "BIG", "institucion_nombre": "Institución grande", "anio": 2025, "vinculacion": "RI",
                  "resultado": f"Resultado {p // 20}", "producto": f"Producto {p}", "unidad": "Persona"}  # fmt: skip
        yield {**common, "subproducto": "", "meta_fisica_inicial": 1000 + offset}
        for s in range(SUBPRODUCTS_PER_PRODUCT):
            yield {
                **common,
                "subproducto": f"Subproducto {s}",
                "meta_fisica_inicial": 100 + offset,
                "meta_financiera_inicial": "12,500.00",
            }


def execution_rows(offset):
    for p in range(PRODUCTS):
        for s in range(SUBPRODUCTS_PER_PRODUCT):
            for month in range(1, 13):
                yield {"institucion": "BIG", "anio": 2025, "mes": month, "producto": f"Producto {p}",
                       "subproducto": f"Subproducto {s}", "ejecucion_fisica": month + offset,
                       "ejecucion_financiera": f"{1000 + month + offset}.25"}  # fmt: skip


def run(plan_only=False):
    run_plan()
    if not plan_only:
        run_execution()


def run_plan():
    import io

    from goals.imports import import_file, rows_to_csv
    from goals.models import Subproduct

    # The plan (the institution, its results, products and subproducts created), then again with every physical goal
    # changed (every product and subproduct updated).
    for offset, label, expected in (
        (1, "plan", (1 + RESULTS + PRODUCTS + SUBPRODUCTS, 0)),
        (0, "plan, re-import with every physical goal changed", (0, PRODUCTS + SUBPRODUCTS)),
    ):
        started, cpu = time.perf_counter(), time.process_time()
        result = import_file("plan", io.BytesIO(rows_to_csv("plan", plan_rows(offset))), "plan.csv")
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(f"{label}: {PRODUCTS} products, {SUBPRODUCTS} subproducts in {elapsed:.2f} s (CPU {cpu:.2f} s)")
        assert result.ok, result.errors[:5]
        assert (result.created, result.updated) == expected, (result.created, result.updated)
        stored = Subproduct.objects.filter(product__result__institution__code="BIG")
        assert sorted(set(stored.values_list("physical_initial", flat=True))) == [100 + offset], "plan not imported"
        assert stored.count() == SUBPRODUCTS, "plan not imported"


def run_execution():
    from goals.imports import rows_to_csv

    files = {offset: rows_to_csv("ejecucion", execution_rows(offset)) for offset in (0, 1)}
    for mode in modes():
        forget_execution()
        for label, offset in (("first import", 0), ("re-import with every figure changed", 1)):
            started = time.perf_counter()
            created, updated = MODES[mode](files[offset])
            elapsed = time.perf_counter() - started
            assert (created, updated) == ((SUBPRODUCTS * 12, 0) if offset == 0 else (0, SUBPRODUCTS * 12)), (
                f"{created} created, {updated} updated"
            )
            check_stored(offset)
            print(f"ejecucion, {label}, {mode}: {created + updated} rows in {elapsed:.2f} s")


def modes():
    from django.db import connection

    return list(MODES) if connection.vendor == "postgresql" else ["import"]


def import_execution(content, writer=None):
    """import_file as the page and the command call it; `writer` replaces goals.writes.copy_figures."""
    import io

    from goals import writes
    from goals.imports import import_file

    copy_figures = writes.copy_figures
    writes.copy_figures = writer or copy_figures
    try:
        result = import_file("ejecucion", io.BytesIO(content), "ejecucion.csv")
    finally:
        writes.copy_figures = copy_figures
    assert result.ok, result.errors[:5]
    return result.created, result.updated


def import_through_orm(content):
    """The import with the ORM and django-simple-history writing (the path before COPY, and SQLite's)."""
    from goals import writes

    return import_execution(content, writes.save_figures)


def copy_reference(content):
    """The reference: the CSV parsed with no checks, its rows COPYed into a temporary table, one INSERT ... ON
    CONFLICT, the history rows COPYed; (created, updated)."""
    import csv
    import io
    from decimal import Decimal

    from django.db import connection, transaction
    from django.utils import timezone

    from goals.models import Subproduct

    ids = {
        (product, name): pk
        for pk, product, name in Subproduct.objects.filter(product__result__institution__code="BIG").values_list(
            "pk", "product__name", "name"
        )
    }
    rows = [
        (ids[(row["producto"], row["subproducto"])], int(row["mes"]), Decimal(row["ejecucion_fisica"]),
         Decimal(row["ejecucion_financiera"].replace(",", "")))
        for row in csv.DictReader(io.StringIO(content.decode("utf-8")))
    ]  # fmt: skip
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE reference (target bigint, month int, physical numeric, financial numeric)"
        )
        with cursor.cursor.copy("COPY reference FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            "INSERT INTO goals_subproductexecution (subproduct_id, month, physical, financial, updated_at) "
            "SELECT target, month, physical, financial, %s FROM reference ON CONFLICT (subproduct_id, month) DO UPDATE "
            "SET physical = EXCLUDED.physical, financial = EXCLUDED.financial, updated_at = EXCLUDED.updated_at "
            "RETURNING id, subproduct_id, month, physical, financial, (xmax = 0)",
            [now],
        )
        written = cursor.fetchall()
        cursor.execute("DROP TABLE reference")
        with cursor.cursor.copy(
            "COPY goals_historicalsubproductexecution (id, subproduct_id, month, physical, financial, updated_at, "
            "history_date, history_type) FROM STDIN"
        ) as copy:
            for pk, target, month, physical, financial, inserted in written:
                copy.write_row((pk, target, month, physical, financial, now, now, "+" if inserted else "~"))
    created = sum(1 for *_values, inserted in written if inserted)
    return created, len(written) - created


MODES = {"import": import_execution, "import, ORM writes": import_through_orm, "COPY reference": copy_reference}


def forget_execution():
    """Delete the execution and its history in two statements (the ORM's delete writes a history row per record,
    one at a time: minutes on PostgreSQL for a year of a large institution)."""
    from django.db import connection

    from goals.models import SubproductExecution

    with connection.cursor() as cursor:
        for model in (SubproductExecution.history.model, SubproductExecution):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def check_stored(offset):
    """Every month of every subproduct stored with the file's figures, and one history row each per import."""
    from decimal import Decimal

    from django.db.models import Sum

    from goals.models import SubproductExecution

    totals = SubproductExecution.objects.aggregate(physical=Sum("physical"), financial=Sum("financial"))
    months = range(1, 13)
    assert totals["physical"] == SUBPRODUCTS * sum(month + offset for month in months), totals
    assert totals["financial"] == SUBPRODUCTS * sum(Decimal(f"{1000 + month + offset}.25") for month in months)
    assert SubproductExecution.history.count() == SUBPRODUCTS * 12 * (offset + 1)


def argument_parser(description):
    """The benches' common option: --postgres URL (else a throwaway SQLite file)."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", help="URL of an existing PostgreSQL database to create the throwaway one from")
    return parser


def in_throwaway_database(postgres, body):
    """Set Django up on a database created for the run (next to `postgres`, or a SQLite file), migrate, call body().

    The database is dropped afterwards, whatever happens.
    """
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siplan.settings")
    if postgres:
        from postgres import throwaway_database

        with throwaway_database(postgres) as url:
            os.environ["DATABASE_URL"] = url
            try:
                setup_and_run(body)
            finally:
                from django.db import connections

                connections.close_all()
    else:
        with tempfile.TemporaryDirectory() as folder:
            os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
            setup_and_run(body)


def setup_and_run(body):
    import django
    from django.core.management import call_command

    django.setup()
    print(f"database: {os.environ['DATABASE_URL'].split('://')[0]}")
    call_command("migrate", verbosity=0)
    body()


def main():
    parser = argument_parser(__doc__)
    parser.add_argument("--plan-only", action="store_true", help="time the plan's two imports only")
    args = parser.parse_args()
    in_throwaway_database(args.postgres, lambda: run(args.plan_only))


if __name__ == "__main__":
    main()
