"""How long the consolidated view takes for 150 institutions × 100 subproducts (issue #7: under 1 s on PostgreSQL).

    .venv/bin/python bench/consolidated_bench.py --postgres postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/consolidated_bench.py                # a throwaway SQLite file
    .venv/bin/python bench/consolidated_bench.py --profile      # and where the time goes (pyinstrument)

Each institution has a 2024 plan of 33 products with 3 subproducts each (the first product has 4: 100
subproducts), every month of execution, and one approved reprogramming changing a third of the goals.
The view is called through a RequestFactory as a superuser (every institution): the first page, and the
xlsx export of all rows. The time is the view's, from request to rendered response; the database's own
time is in the wall time only, so on a machine loaded by other work the two differ widely.
"""

import datetime
import io
import statistics
import sys
import time
from decimal import Decimal

from import_bench import argument_parser, in_throwaway_database

INSTITUTIONS = 150
PRODUCTS = 33
SUBPRODUCTS = 3
YEAR = 2024
RUNS = 5


def build():
    """The plan, execution and reprogrammings of every institution, written with bulk_create."""
    from django.db import connection

    from goals.models import (
        GoalKind,
        Institution,
        LinkType,
        Product,
        ProductExecution,
        Reprogramming,
        ReprogrammingLine,
        ReprogrammingStatus,
        Result,
        Subproduct,
        SubproductExecution,
    )

    institutions = Institution.objects.bulk_create(
        Institution(code=f"I{index:03d}", name=f"Institución {index}", acronym=f"I{index:03d}")
        for index in range(INSTITUTIONS)
    )
    results = Result.objects.bulk_create(
        Result(institution=institution, year=YEAR, link=link, description=f"Resultado {link}", order=order)
        for institution in institutions
        for order, link in enumerate(LinkType.values)
    )
    products = Product.objects.bulk_create(
        Product(
            result=results[index * 2 + p % 2],
            name=f"Producto {p}",
            unit="Persona",
            order=p,
            physical_initial=Decimal("1200.00"),
        )  # fmt: skip
        for index in range(INSTITUTIONS)
        for p in range(PRODUCTS)
    )
    subproducts = Subproduct.objects.bulk_create(
        Subproduct(
            product=product,
            name=f"Subproducto {s}",
            unit="Persona",
            order=s,
            physical_initial=Decimal("400.00"),
            financial_initial=Decimal("120000.00"),
        )  # fmt: skip
        for p, product in enumerate(products)
        for s in range(SUBPRODUCTS + (p % PRODUCTS == 0))
    )
    months = range(1, 13)
    ProductExecution.objects.bulk_create(
        (ProductExecution(product=product, month=month, physical=Decimal(90 + p % 20))
         for p, product in enumerate(products) for month in months), batch_size=5000)  # fmt: skip
    SubproductExecution.objects.bulk_create(
        (SubproductExecution(subproduct=sub, month=month, physical=Decimal(30 + s % 7),
                             financial=Decimal("9500.25") + s % 900)
         for s, sub in enumerate(subproducts) for month in months), batch_size=5000)  # fmt: skip
    documents = {
        institution.pk: document
        for institution, document in zip(institutions, Reprogramming.objects.bulk_create(
            Reprogramming(institution=institution, number=f"RES-001-{YEAR}", date=datetime.date(YEAR, 6, 30),
                          status=ReprogrammingStatus.APPROVED) for institution in institutions))
    }  # fmt: skip
    institution_of = {result.pk: result.institution_id for result in results}
    ReprogrammingLine.objects.bulk_create(
        [ReprogrammingLine(reprogramming=documents[institution_of[product.result_id]], product=product,
                           kind=GoalKind.PHYSICAL, new_goal=Decimal("1100.00")) for product in products[::3]]
        + [ReprogrammingLine(reprogramming=documents[institution_of[sub.product.result_id]], subproduct=sub,
                             kind=GoalKind.FINANCIAL, new_goal=Decimal("110000.00")) for sub in subproducts[::3]],
        batch_size=5000,
    )  # fmt: skip
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # the planner's statistics, as autovacuum keeps them in a database in use
    return len(products), len(subproducts)


def timed(label, view, request, runs=RUNS):
    """Wall time, and the CPU time of this process (the part other programs' load on the machine cannot inflate)."""
    times, cpu_times = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        response = view(request)
        times.append(time.perf_counter() - started)
        cpu_times.append(time.process_time() - cpu_started)
        assert response.status_code == 200, response.status_code
    print(f"{label}: median {statistics.median(times):.2f} s, max {max(times):.2f} s "
          f"(Python CPU median {statistics.median(cpu_times):.2f} s; {runs} runs)")  # fmt: skip
    return response


def table_rows(response):
    """The rows the response carries: the xlsx's data rows, or the page's table rows (header excluded)."""
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        from openpyxl import load_workbook

        return sum(1 for _row in load_workbook(io.BytesIO(response.content), read_only=True).active.iter_rows()) - 1
    return response.content.decode().count("<tr") - 1


def run(profile):
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import RequestFactory
    from django.urls import reverse

    from approvals.report_views import consolidated

    # No collectstatic manifest here: static URLs as in development, at no cost to the timing.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    started = time.perf_counter()
    product_count, subproduct_count = build()
    print(f"built {INSTITUTIONS} institutions, {product_count} products, {subproduct_count} subproducts, "
          f"a year of execution in {time.perf_counter() - started:.1f} s")  # fmt: skip
    user = get_user_model().objects.create_superuser("bench", "bench@example.org", "bench-only", institution=None)
    url = reverse("reports:consolidated")
    requests = {  # label: (query, the least number of rows the response must carry)
        "first page": ({"anio": YEAR, "cuatrimestre": 3}, 2),
        "first page, RE products in red": (
            {"anio": YEAR, "cuatrimestre": 3, "vinculacion": "RE", "semaforo": "rojo"},
            1,
        ),
        f"xlsx export ({product_count} rows)": ({"anio": YEAR, "cuatrimestre": 3, "formato": "xlsx"}, product_count),
    }
    for label, (query, least_rows) in requests.items():
        request = RequestFactory().get(url, query)
        request.user = user
        if profile:
            from pyinstrument import Profiler

            with Profiler() as profiler:
                consolidated(request)
            print(profiler.output_text(color=False, show_all=False))
        rows = table_rows(timed(label, consolidated, request))
        assert rows >= least_rows, f"{label}: {rows} rows, expected at least {least_rows}"


def main():
    parser = argument_parser(__doc__)
    parser.add_argument("--profile", action="store_true", help="print where each request's time goes")
    args = parser.parse_args()
    in_throwaway_database(args.postgres, lambda: run(args.profile))


if __name__ == "__main__":
    sys.exit(main())
