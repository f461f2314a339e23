"""How long a year of execution for a large institution takes to import (2,000 subproducts × 12 months).

    .venv/bin/python bench/import_bench.py                    # a throwaway SQLite file
    .venv/bin/python bench/import_bench.py --postgres postgres://postgres@127.0.0.1:5432/postgres

With --postgres a throwaway database is created next to the one named, and dropped afterwards.
Target (issue #4): under 15 seconds on both.
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


def plan_rows():
    for p in range(PRODUCTS):
        common = {"institucion": "BIG", "institucion_nombre": "Institución grande", "anio": 2025, "vinculacion": "RI",
                  "resultado": f"Resultado {p // 20}", "producto": f"Producto {p}", "unidad": "Persona"}  # fmt: skip
        yield {**common, "subproducto": "", "meta_fisica_inicial": 1000}
        for s in range(SUBPRODUCTS_PER_PRODUCT):
            yield {
                **common,
                "subproducto": f"Subproducto {s}",
                "meta_fisica_inicial": 100,
                "meta_financiera_inicial": "12,500.00",
            }


def execution_rows(offset):
    for p in range(PRODUCTS):
        for s in range(SUBPRODUCTS_PER_PRODUCT):
            for month in range(1, 13):
                yield {"institucion": "BIG", "anio": 2025, "mes": month, "producto": f"Producto {p}",
                       "subproducto": f"Subproducto {s}", "ejecucion_fisica": month + offset,
                       "ejecucion_financiera": f"{1000 + month + offset}.25"}  # fmt: skip


def run():
    import io

    from goals.imports import import_file, rows_to_csv
    from goals.models import Subproduct

    started = time.perf_counter()
    result = import_file("plan", io.BytesIO(rows_to_csv("plan", plan_rows())), "plan.csv")
    print(f"plan: {PRODUCTS} products, {SUBPRODUCTS} subproducts in {time.perf_counter() - started:.2f} s")
    assert result.ok, result.errors[:5]
    assert Subproduct.objects.filter(product__result__institution__code="BIG").count() == SUBPRODUCTS, (
        "plan not imported"
    )
    for label, offset in (("first import", 0), ("re-import with every figure changed", 1)):
        content = rows_to_csv("ejecucion", execution_rows(offset))
        started = time.perf_counter()
        result = import_file("ejecucion", io.BytesIO(content), "ejecucion.csv")
        elapsed = time.perf_counter() - started
        assert result.ok, result.errors[:5]
        assert result.created + result.updated == SUBPRODUCTS * 12, f"{result.created + result.updated} rows imported"
        print(f"ejecucion, {label}: {result.created + result.updated} rows in {elapsed:.2f} s")


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
    in_throwaway_database(argument_parser(__doc__).parse_args().postgres, run)


if __name__ == "__main__":
    main()
