"""Server CPU and queries per request of deadline day's walk through one seed-size institution, in-process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/siplan_director SECRET_KEY=x \\
        .venv/bin/python bench/walk_profile.py [--institutions 9] [--profile]
    … bench/walk_profile.py --pages-only --save DIR [--reuse]

The database DATABASE_URL names is emptied, migrated and filled with institutions of the seed's plan once each
(bench/synthetic.py). Each is then walked as bench/deadline_bench.py walks it, with Django's test client: the
planner's dashboard right after a write (the figures' cache cold, as on deadline day: goals.versions), the director's
status page of the draft, the planner's submit, the director's status page of the submitted report, the director's
approval (password and snapshot; its documents are queued, TASKS_BACKEND=database, not made) and the reader's
approved report page. The first institution warms templates and translations and is not counted; the script
prints, per step, the CPU time of this process per request (time.process_time, median and max over the other
institutions) and the queries per request. The approval's row is followed by the CPU of the password check alone
(PBKDF2, kept deliberately slow) and the approval's CPU without it. With --profile, each step's pyinstrument profile
over all the counted institutions follows: a sampling profiler, since cProfile's cost per call inflates the ORM's
many small calls (a 65 ms page measured 330 ms under it); its times are wall-clock, the database's included.

With --pages-only, three institutions are left instead as a draft, in review and approved, and the pages of the walk
(and every role's status page) are written to --save DIR as the users see them, CSRF tokens and nonces blanked:
run it once before a change and once after with --reuse, on the same database, and diff the two directories
(same data, same HTML).
"""

import argparse
import functools
import os
import re
import statistics
import time
from pathlib import Path

from in_process import deployed_settings_for_the_test_client, plain_storages

deployed_settings_for_the_test_client()
os.environ["TASKS_BACKEND"] = "database"  # the approval queues its documents for the worker, as deployed

YEAR, CUATRIMESTRE = 2024, 1  # as bench/deadline_bench.py: the first report of the year
STEPS = (  # (name, role, method, path after /reportes/<code>/<year>/<cuatrimestre>, or None for the dashboard)
    ("planner: dashboard, after a write", "planificador", "GET", None),
    ("director: status page, draft", "director", "GET", "/estado/"),
    ("planner: submit", "planificador", "POST", "/estado/enviar/"),
    ("director: status page, submitted", "director", "GET", "/estado/"),
    ("director: approve (password, snapshot)", "director", "POST", "/estado/aprobar/"),
    ("reader: approved report page", "lector", "GET", "/"),
)
APPROVE = STEPS[4][0]
BLANKED = re.compile(r'((?:name="csrfmiddlewaretoken" value|nonce)=")[^"]*(")')


def prepare(institutions):
    from django.core.management import call_command
    from django.db import connection
    from synthetic import build_institutions

    with connection.cursor() as cursor:
        for table in connection.introspection.django_table_names(include_views=False) + ["django_migrations"]:
            if table in connection.introspection.table_names():
                cursor.execute(f"DROP TABLE {connection.ops.quote_name(table)} CASCADE")
    call_command("migrate", verbosity=0)
    return [code for code, _products, _subproducts in build_institutions(institutions, 1)]


def clients(code):
    from django.contrib.auth import get_user_model
    from django.test import Client
    from synthetic import username

    User = get_user_model()
    signed_in = {}
    for role in ("planificador", "director", "lector"):
        signed_in[role] = Client()
        signed_in[role].force_login(User.objects.get(username=username(code, role)))
    return signed_in


def request(client, method, path):
    from synthetic import PASSWORD

    if method == "GET":
        return client.get(path)
    fields = {"password": PASSWORD, "typist_initials": "bch", "comment": ""} if path.endswith("/aprobar/") else {}
    return client.post(path, {"comment": "", **fields})


def step_path(code, path):
    return "/" if path is None else f"/reportes/{code}/{YEAR}/{CUATRIMESTRE}{path}"


def walk(code, timings, queries, profiles):
    """One institution's walk; each step's CPU and queries appended when `timings` is not None, its profile when
    `profiles` is."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    from approvals.models import CuatrimestreReport
    from goals import versions
    from goals.models import Institution

    signed_in = clients(code)
    versions.bump(institution_ids=[Institution.objects.get(code=code).pk])  # deadline day: a write just before
    for name, role, method, path in STEPS:
        profiler = Profiler(interval=0.0005) if profiles is not None else None
        with CaptureQueriesContext(connection) as captured:
            started = time.process_time()
            if profiler:
                profiler.start()
            response = request(signed_in[role], method, step_path(code, path))
            if profiler:
                profiles.setdefault(name, []).append(profiler.stop())
            cpu = time.process_time() - started
        assert response.status_code == (302 if method == "POST" else 200), f"{code} {name}: {response.status_code}"
        if timings is not None:
            timings.setdefault(name, []).append(cpu)
            queries.setdefault(name, []).append(len(captured.captured_queries))
    report = CuatrimestreReport.objects.get(institution__code=code, year=YEAR, cuatrimestre=CUATRIMESTRE)
    assert report.status == "aprobado", f"{code}: the walk left the report {report.status}"


def password_check_cpu(repeat=5):
    """CPU of one check of the bench users' password (PBKDF2), median of `repeat`."""
    from django.contrib.auth.hashers import check_password, make_password
    from synthetic import PASSWORD

    encoded = make_password(PASSWORD)
    cpu = []
    for _ in range(repeat):
        started = time.process_time()
        check_password(PASSWORD, encoded)
        cpu.append(time.process_time() - started)
    return statistics.median(cpu)


def measure(codes, profile):
    from pyinstrument.renderers import ConsoleRenderer
    from pyinstrument.session import Session

    walk(codes[0], None, None, None)  # warm up: templates, translations, imports
    timings, queries = {}, {}
    profiles = {} if profile else None
    for code in codes[1:]:
        walk(code, timings, queries, profiles)
    password = password_check_cpu()
    print(f"{len(codes) - 1} institutions walked (seed size), {codes[0]} to warm up")
    print("| step | CPU ms/request (median) | CPU ms (max) | queries/request |")
    print("|---|---:|---:|---:|")
    for name, *_rest in STEPS:
        cpu = statistics.median(timings[name]) * 1000
        print(f"| {name} | {cpu:.0f} | {max(timings[name]) * 1000:.0f} | {max(queries[name])} |")
        if name == APPROVE:
            print(f"| … of which the password check | {password * 1000:.0f} | | |")
            print(f"| … the approval without it | {cpu - password * 1000:.0f} | | |")
    for name, sessions in (profiles or {}).items():
        print(f"\n### {name}")
        print(ConsoleRenderer(short_mode=True).render(functools.reduce(Session.combine, sessions)))


def leave_in_every_state(codes):
    """The draft, in review and approved reports the saved pages show (the approval without documents)."""
    from django.contrib.auth import get_user_model
    from synthetic import username

    from approvals import services
    from goals.models import Institution

    User = get_user_model()
    _draft, in_review, approved = (Institution.objects.get(code=code) for code in codes)
    for institution in (in_review, approved):
        planner = User.objects.get(username=username(institution.code, "planificador"))
        services.submit(user=planner, institution=institution, year=YEAR, cuatrimestre=CUATRIMESTRE)
    director = User.objects.get(username=username(approved.code, "director"))
    services.approve(user=director, institution=approved, year=YEAR, cuatrimestre=CUATRIMESTRE, typist_initials="bch")


def save_pages(codes, directory):
    directory.mkdir(parents=True, exist_ok=True)
    for code in codes:
        signed_in = clients(code)
        for role, path in (
            ("planificador", None),
            ("director", "/estado/"),
            ("planificador", "/estado/"),
            ("lector", "/estado/"),
            ("lector", "/"),
        ):
            response = signed_in[role].get(step_path(code, path))
            html = BLANKED.sub(r"\1\2", response.content.decode())
            name = f"{code}-{role}-{(path or '/dashboard/').strip('/').replace('/', '-') or 'report'}.html"
            (directory / name).write_text(f"{response.status_code}\n{html}")
    print(f"{len(list(directory.iterdir()))} pages saved in {directory}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--institutions", type=int, default=9, help="walked, the first to warm up")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--pages-only", action="store_true", help="save the pages of a draft, review and approval")
    parser.add_argument("--save", type=Path, help="with --pages-only: the directory the pages go to")
    parser.add_argument("--reuse", action="store_true", help="with --pages-only: the database a first run left")
    args = parser.parse_args()

    import django

    django.setup()

    with plain_storages():
        if args.pages_only:
            codes = ["B001", "B002", "B003"]
            if not args.reuse:
                prepare(len(codes))
                leave_in_every_state(codes)
            save_pages(codes, args.save)
            return
        started = time.perf_counter()
        codes = prepare(args.institutions)
        print(f"{len(codes)} institutions built in {time.perf_counter() - started:.1f} s")
        measure(codes, args.profile)


if __name__ == "__main__":
    main()
