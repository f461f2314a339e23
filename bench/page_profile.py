"""Server CPU and queries per request of the heaviest pages and the draft report's JSON, in-process (no gunicorn,
no load).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/siplan_bench SECRET_KEY=x \\
        .venv/bin/python bench/page_profile.py [--scale 10] [--requests 10] [--profile] [--follow-up 400]

The database DATABASE_URL names is emptied (every table dropped), migrated and filled with ONE institution,
B001, the seed's plan `--scale` times over (bench/synthetic.py), its reports all drafts. Each page is then
requested `--requests` times with Django's test client as the user load_bench.py uses for it, and the
script prints the CPU time of this process per request (time.process_time: it hardly depends on what else
the machine runs, unlike wall-clock latency) and the queries per request, after a first GET of the page (its CPU
in the last column) that warms templates and the cache of draft figures (goals.versions): the measured requests
read the figures from that cache, the first GET computes them unless a page before it did. The database server's
own CPU is not in it. With --profile, cProfile's 25 costliest functions (cumulative) per page follow.
Every answer must be 200 or 302 with content, or the script stops.

With --follow-up N, the database gets N institutions instead (the seed's plan once each), of every type and
sector in turn, a third cuatrimestre period with an extension for every seventh, and reports in every state
(none, draft, in review, approved on time, approved late, one in five each); the pages are then SEGEPLAN's
/seguimiento/ as an oversight user reading them all: by default, sorted, filtered, page 2 and the xlsx.
"""

import argparse
import cProfile
import pstats
import re
import statistics
import sys
import time
from urllib.parse import urlencode

from in_process import deployed_settings_for_the_test_client, plain_storages

deployed_settings_for_the_test_client()

CODE, YEAR, CUATRIMESTRE, MONTH = "B001", 2024, 3, 9
OVERSIGHT = "segeplan"
PAGES = (  # (name, path, role, method)
    ("dashboard", "/", "director", "GET"),
    ("consolidated view", f"/consolidado/?anio={YEAR}&cuatrimestre={CUATRIMESTRE}", "director", "GET"),
    ("entry page", f"/ejecucion/{YEAR}/{MONTH}/", "planificador", "GET"),
    ("entry page save (no-op POST)", f"/ejecucion/{YEAR}/{MONTH}/", "planificador", "POST"),
    ("report page, draft", f"/reportes/{CODE}/{YEAR}/{CUATRIMESTRE}/", "planificador", "GET"),
    ("report JSON, draft", f"/reportes/{CODE}/{YEAR}/{CUATRIMESTRE}.json", "planificador", "GET"),
)
FOLLOW_UP = f"/seguimiento/?anio={YEAR}&cuatrimestre={CUATRIMESTRE}"
FOLLOW_UP_PAGES = (
    ("follow-up", FOLLOW_UP, OVERSIGHT, "GET"),
    ("follow-up sorted by days", f"{FOLLOW_UP}&sort=-days", OVERSIGHT, "GET"),
    ("follow-up of ministries, late", f"{FOLLOW_UP}&tipo=ministerio&resultado=tarde", OVERSIGHT, "GET"),
    ("follow-up page 2", f"{FOLLOW_UP}&page=2", OVERSIGHT, "GET"),
    ("follow-up xlsx", f"{FOLLOW_UP}&formato=xlsx", OVERSIGHT, "GET"),
)
URLENCODED = "application/x-www-form-urlencoded"  # as a browser and load_bench.py post the form (not multipart)
FORM = re.compile(r'<form[^>]*id="entry-form".*?</form>', re.S)
INPUT = re.compile(r"<input\b[^>]*>")
ATTRIBUTE = re.compile(r'(\w[\w-]*)="([^"]*)"')


def entry_form_fields(html):
    """The named inputs of the entry form, as a browser posts them (a no-op save)."""
    import html as html_module

    form = FORM.search(html)
    assert form, "the entry page has no entry form"
    fields = {}
    for tag in INPUT.findall(form.group(0)):
        attributes = dict(ATTRIBUTE.findall(tag))
        if attributes.get("name"):
            fields[attributes["name"]] = html_module.unescape(attributes.get("value", ""))
    assert "version" in fields, "the entry form has no version field"
    return fields


def prepare(scale, institutions=1, **options):
    """The tables dropped and migrated again, then `institutions` built (synthetic.build_institutions, `options`
    its keyword arguments)."""
    from django.core.management import call_command
    from django.db import connection
    from synthetic import build_institutions

    with connection.cursor() as cursor:
        for table in connection.introspection.django_table_names(include_views=False) + ["django_migrations"]:
            if table in connection.introspection.table_names():
                cursor.execute(f"DROP TABLE {connection.ops.quote_name(table)} CASCADE")
    call_command("migrate", verbosity=0)
    return build_institutions(institutions, scale, **options)


def report_every_way():
    """Every institution of a type and sector in turn, its report in one of five states; SEGEPLAN reads them all."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from synthetic import username

    from approvals.models import CuatrimestreReport, Period, PeriodExtension, ReportAction, ReportStatus
    from approvals.models import ReportTransition as Transition
    from goals.models import Institution, InstitutionType, Sector

    User = get_user_model()
    institutions = list(Institution.objects.order_by("code"))
    for number, institution in enumerate(institutions):
        institution.institution_type = InstitutionType.values[number % len(InstitutionType.values)]
        institution.sector = Sector.values[number % len(Sector.values)]
    Institution.objects.bulk_update(institutions, ["institution_type", "sector"])
    deadline = datetime.date(YEAR + 1, 1, 15)
    load_deadline = deadline - datetime.timedelta(days=5)
    period = Period.objects.create(
        year=YEAR, cuatrimestre=CUATRIMESTRE, load_deadline=load_deadline, oficio_deadline=deadline
    )
    PeriodExtension.objects.bulk_create(
        PeriodExtension(period=period, institution=institution, load_deadline=deadline, oficio_deadline=deadline
                        + datetime.timedelta(days=10))
        for institution in institutions[::7]
    )  # fmt: skip
    states = (None, ReportStatus.DRAFT, ReportStatus.IN_REVIEW, ReportStatus.APPROVED, ReportStatus.APPROVED)
    numbered = [(number, institution) for number, institution in enumerate(institutions) if states[number % 5]]
    reports = CuatrimestreReport.objects.bulk_create(
        CuatrimestreReport(institution=institution, year=YEAR, cuatrimestre=CUATRIMESTRE, status=states[number % 5])
        for number, institution in numbered
    )
    user = User.objects.get(username=username(CODE, "director"))
    steps = []  # (report, action, from, to, days from the deadline)
    for (number, _institution), report in zip(numbered, reports, strict=True):
        if report.status != ReportStatus.DRAFT:
            steps.append((report, ReportAction.SUBMIT, ReportStatus.DRAFT, ReportStatus.IN_REVIEW, -3))
        if report.status == ReportStatus.APPROVED:
            days = 4 if number % 5 == 4 else -1  # approved late, on time
            steps.append((report, ReportAction.APPROVE, ReportStatus.IN_REVIEW, ReportStatus.APPROVED, days))
    transitions = Transition.objects.bulk_create(
        Transition(report=report, action=action, from_status=before, to_status=after, user=user)
        for report, action, before, after, _days in steps
    )
    for days in {step[-1] for step in steps}:
        day = deadline + datetime.timedelta(days=days)
        at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
        ids = [transition.pk for transition, step in zip(transitions, steps, strict=True) if step[-1] == days]
        Transition.objects.filter(pk__in=ids).update(at=at)
    segeplan = User.objects.create_user(OVERSIGHT, institution=None)
    segeplan.readable_institutions.set(institutions)


def measure(client, name, path, method, count, profile, first):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fields = urlencode(entry_form_fields(client.get(path).content.decode())) if method == "POST" else None
    cpu, queries = [], []
    profiler = cProfile.Profile(time.process_time) if profile else None  # CPU, not waits on the database
    for _ in range(count):
        with CaptureQueriesContext(connection) as captured:
            started = time.process_time()
            if profiler:
                profiler.enable()
            response = client.post(path, fields, URLENCODED) if fields is not None else client.get(path)
            if profiler:
                profiler.disable()
            cpu.append(time.process_time() - started)
        assert response.status_code in (200, 302), f"{name}: HTTP {response.status_code}"
        assert response.status_code == 302 or len(response.content) > 1000, f"{name}: no content"
        if response.status_code == 302:
            assert response["Location"].startswith(path.split("?")[0]), f"{name}: refused ({response['Location']})"
        queries.append(len(captured.captured_queries))
    print(
        f"| {name} | {count} | {statistics.median(cpu) * 1000:.0f} | {min(cpu) * 1000:.0f} | "
        f"{max(queries)} | {response.status_code} | {first:.0f} |",
        flush=True,
    )
    return profiler


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--follow-up", type=int, metavar="N", help="SEGEPLAN's /seguimiento/ with N institutions")
    parser.add_argument("--reuse", action="store_true", help="keep the database as the last run left it")
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from synthetic import username

    if not args.reuse:
        started = time.perf_counter()
        if args.follow_up:
            prepare(1, args.follow_up)
            report_every_way()
            print(f"{args.follow_up} institutions built in {time.perf_counter() - started:.1f} s")
        else:
            code, products, subproducts = prepare(args.scale)[0]
            built = time.perf_counter() - started
            print(f"{code}: {products} products, {subproducts} subproducts, built in {built:.1f} s")
    User = get_user_model()
    profiles = []
    print("| page | requests | CPU ms/request (median) | CPU ms (min) | queries/request | status | first GET, CPU ms |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    with plain_storages():
        for name, path, role, method in FOLLOW_UP_PAGES if args.follow_up else PAGES:
            client = Client()
            client.force_login(User.objects.get(username=role if role == OVERSIGHT else username(CODE, role)))
            started = time.process_time()
            client.get(path)  # warm up: templates, translations, caches (the figures' cache: goals.versions)
            first = (time.process_time() - started) * 1000
            profiles.append((name, measure(client, name, path, method, args.requests, args.profile, first)))
    for name, profiler in profiles:
        if profiler:
            print(f"\n### {name}")
            pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
