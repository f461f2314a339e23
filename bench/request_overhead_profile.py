"""What every signed-in request costs before its page's own work: server CPU and queries per request, in-process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/siplan_bench SECRET_KEY=x \\
        .venv/bin/python bench/request_overhead_profile.py [--scale 10] [--requests 50] [--profile] [--reuse]

The database DATABASE_URL names is emptied, migrated and filled with one institution, B001, the seed's plan
`--scale` times over (bench/page_profile.py's prepare, bench/synthetic.py), its reports all drafts. Each page of
PAGES is then requested `--requests` times with Django's test client (DEBUG off, cached templates, a kept
connection) after a first warming GET, signed in as the institution's planner or director: /healthz (no session:
the floor), the unread notices' count (session, user, one query of its own: the base without a template), the
notices' list (an empty page: the base template, its menu and the user's permissions), /reportes/ (a small form
besides) and the dashboard (a heavy page, for scale).
Printed per page: the CPU time of this process per request (time.process_time, median and minimum) and the
queries per request. With --profile, cProfile's costliest functions of each page follow (--sort, --lines).
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time

from in_process import deployed_settings_for_the_test_client, plain_storages

deployed_settings_for_the_test_client()
os.environ.setdefault("CONN_MAX_AGE", "60")  # as deployed: one connection kept between requests

CODE = "B001"
PAGES = (  # (name, path, role or None for no session)
    ("healthz (no session)", "/healthz", None),
    ("unread notices (planner)", "/avisos/sin-leer.json", "planificador"),
    ("unread notices (director)", "/avisos/sin-leer.json", "director"),
    ("notices list (planner)", "/avisos/", "planificador"),
    ("/reportes/ (planner)", "/reportes/", "planificador"),
    ("/reportes/ (director)", "/reportes/", "director"),
    ("dashboard (director)", "/", "director"),
)


def measure(client, path, count, profiler):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cpu, queries = [], []
    for _ in range(count):
        with CaptureQueriesContext(connection) as captured:
            started = time.process_time()
            if profiler:
                profiler.enable()
            response = client.get(path)
            if profiler:
                profiler.disable()
            cpu.append(time.process_time() - started)
        assert response.status_code == 200 and response.content, f"{path}: HTTP {response.status_code}"
        queries.append(len(captured.captured_queries))
    return cpu, queries


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sort", default="tottime", help="cProfile's order (tottime, cumulative)")
    parser.add_argument("--lines", type=int, default=30, help="how many of cProfile's functions")
    parser.add_argument("--only", help="the pages whose name contains this")
    parser.add_argument("--reuse", action="store_true", help="keep the database as the last run left it")
    args = parser.parse_args()

    import logging

    import django

    django.setup()
    logging.getLogger("axes").setLevel(logging.WARNING)  # a line per force_login
    from django.contrib.auth import get_user_model
    from django.test import Client
    from page_profile import prepare
    from synthetic import username

    if not args.reuse:
        code, products, subproducts = prepare(args.scale)[0]
        print(f"{code}: {products} products, {subproducts} subproducts")
    User = get_user_model()
    profiles = []
    print("| page | requests | CPU ms/request (median) | CPU ms (min) | queries/request |")
    print("|---|---:|---:|---:|---:|")
    with plain_storages():
        for name, path, role in PAGES:
            if args.only and args.only not in name:
                continue
            client = Client()
            if role:
                client.force_login(User.objects.get(username=username(CODE, role)))
            client.get(path)  # warm up: templates, translations, the figures' cache (goals.versions)
            profiler = cProfile.Profile(time.process_time) if args.profile else None
            cpu, queries = measure(client, path, args.requests, profiler)
            print(
                f"| {name} | {args.requests} | {statistics.median(cpu) * 1000:.2f} | {min(cpu) * 1000:.2f} | "
                f"{max(queries)} |",
                flush=True,
            )
            profiles.append((name, profiler))
    for name, profiler in profiles:
        if profiler:
            print(f"\n### {name}")
            pstats.Stats(profiler, stream=sys.stdout).sort_stats(args.sort).print_stats(args.lines)


if __name__ == "__main__":
    main()
