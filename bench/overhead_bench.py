"""What every request costs whatever its page: gunicorn's worker class, persistent connections, the session engine.

    .venv/bin/python bench/overhead_bench.py [--requests 400] [--users 8] [--redis redis://127.0.0.1:6390/0]
                                             [--postgres postgres://postgres@127.0.0.1:5432/postgres]

A throwaway PostgreSQL database gets one small institution (bench/synthetic.py, the seed's plan once) and its
planner a session. Then, for each deployment of CONFIGURATIONS, gunicorn starts on 127.0.0.1 (DEBUG off) and
--users threads request three light pages --requests times each: /healthz (no session: the floor), the unread
notices' count (session, user, one query of its own: what every signed-in request pays) and /reportes/ (the base
template and its menu). Printed per page and deployment: the gunicorn workers' CPU per request (from /proc, with
what PostgreSQL's backends used meanwhile beside it) and p50/p95 latency. With --redis (a Redis of your own on
127.0.0.1), the sessions read through it (cached_db) are measured too. Only 127.0.0.1 is contacted.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from load_bench import (
    HOST,
    Session,
    free_port,
    load_average,
    percentile,
    server_environment,
    wait_until_up,
    workers_cpu_seconds,
)

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))
PAGES = (("healthz (no session)", "/healthz"), ("unread notices (session)", None), ("/reportes/ (menu)", "/reportes/"))
CONFIGURATIONS = (  # (name, gunicorn arguments, environment)
    ("sync ×4, new connection each request", ["--workers", "4"], {"CONN_MAX_AGE": "0"}),
    ("sync ×4, CONN_MAX_AGE=60", ["--workers", "4"], {"CONN_MAX_AGE": "60"}),
    ("gthread 3×4, CONN_MAX_AGE=60", ["--workers", "3", "--threads", "4", "--worker-class", "gthread"],
     {"CONN_MAX_AGE": "60"}),
)  # fmt: skip


def prepare():
    """In a child process: migrate, build one institution, sign its planner in; JSON out."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.urls import reverse
    from synthetic import build_institutions, username

    call_command("migrate", verbosity=0)
    build_institutions(1, 1)
    user = get_user_model().objects.get(username=username("B001", "planificador"))
    store = SessionStore()
    store.update(
        {"_auth_user_id": str(user.pk), "_auth_user_backend": settings.AUTHENTICATION_BACKENDS[-1],
         "_auth_user_hash": user.get_session_auth_hash()}
    )  # fmt: skip
    store.create()
    call_command("collectstatic", verbosity=0, interactive=False)
    print(json.dumps({"session": store.session_key, "unread": reverse("notifications:unread")}))


def postgres_cpu_seconds():
    """CPU time of PostgreSQL's processes (with the backends that ended), from /proc: the server's share."""
    ticks, total = os.sysconf("SC_CLK_TCK"), 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            name, rest = stat.read_text().rsplit(")", 1)
        except OSError:
            continue
        if name.split("(", 1)[1].startswith("postgres"):
            total += sum(int(value) for value in rest.split()[11:15])
    return total / ticks


def drive(port, session_key, path, args):
    """--requests GETs of `path` by --users threads: (latencies, errors)."""
    budget, lock, latencies, errors = iter(range(args.requests)), threading.Lock(), [], []

    def user():
        session = Session(port)
        session.cookies["sessionid"] = session_key
        while True:
            with lock:
                if next(budget, None) is None:
                    return
            started = time.perf_counter()
            status, content = session.request("GET", path)
            with lock:
                latencies.append(time.perf_counter() - started)
                if status != 200 or not content:
                    errors.append(status)

    threads = [threading.Thread(target=user) for _ in range(args.users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(latencies), errors


def measure(name, gunicorn, extra, environment, built, args):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "siplan.wsgi:application", "--bind", f"{HOST}:{port}",
         "--timeout", "120", "--log-level", "warning", *gunicorn],
        cwd=ROOT.parent, env={**environment, **extra}, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_until_up(port, server)
        for page, path in PAGES:
            path = path or built["unread"]
            drive(port, built["session"], path, argparse.Namespace(requests=40, users=args.users))  # warm up
            web, database = workers_cpu_seconds(server.pid), postgres_cpu_seconds()
            latencies, errors = drive(port, built["session"], path, args)
            web, database = workers_cpu_seconds(server.pid) - web, postgres_cpu_seconds() - database
            p50, p95 = (percentile(latencies, fraction) * 1000 for fraction in (0.5, 0.95))
            print(f"| {name} | {page} | {web / len(latencies) * 1000:.1f} | {database / len(latencies) * 1000:.1f} "
                  f"| {p50:.0f} | {p95:.0f} | {len(errors)} |", flush=True)  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=400, help="requests per page and deployment")
    parser.add_argument("--users", type=int, default=8, help="concurrent clients")
    parser.add_argument("--redis", help="a Redis on 127.0.0.1 to measure cached_db sessions with")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare()
        return
    for url in filter(None, (args.postgres, args.redis)):
        if urllib.parse.urlsplit(url).hostname not in (HOST, "localhost"):
            parser.error("only 127.0.0.1 is contacted")
    from postgres import throwaway_database

    configurations = list(CONFIGURATIONS)
    if args.redis:
        configurations.append(("gthread 3×4, CONN_MAX_AGE=60, Redis (cached_db sessions)", configurations[-1][1],
                               {"CONN_MAX_AGE": "60", "REDIS_URL": args.redis}))  # fmt: skip
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {load_average()}; "
        f"{args.requests} requests per row, {args.users} clients\n"
    )
    print("| deployment | page | gunicorn CPU ms/request | PostgreSQL CPU ms/request | p50 ms | p95 ms | errors |")
    print("|---|---|---:|---:|---:|---:|---:|")
    with throwaway_database(args.postgres) as database_url, tempfile.TemporaryDirectory() as workdir:
        environment = server_environment(database_url, str(Path(workdir) / "static"))
        done = subprocess.run([sys.executable, __file__, "--prepare"], env=environment, check=True,
                              capture_output=True, text=True, timeout=600)  # fmt: skip
        built = json.loads(done.stdout.strip().splitlines()[-1])
        for name, gunicorn, extra in configurations:
            measure(name, gunicorn, extra, environment, built, args)
    print(f"\n(load average after: {load_average()})")


if __name__ == "__main__":
    main()
