"""Deadline day: hundreds of institutions report a cuatrimestre at once, against gunicorn, a worker and PostgreSQL.

    .venv/bin/python bench/deadline_bench.py [--institutions 400] [--users 100] [--seconds 180]
                                             [--postgres postgres://postgres@127.0.0.1:5432/postgres]

A throwaway PostgreSQL database gets --institutions synthetic institutions (bench/synthetic.py: the seed's plan
once, every tenth ten times over), with April's execution taken out and written as each institution's
`ejecucion` CSV, and one SEGEPLAN oversight user who follows them all. gunicorn (DEBUG off) and django-tasks
`db_worker`s (--db-workers) start on 127.0.0.1. --users virtual users then take institutions from a queue and walk
each one through its deadline day, as its planner, director and reader, while SEGEPLAN follows:

    planner    dashboard, April's entry page, a save of it, the import of April (upload, preview, confirm),
               the draft report page, submission
    director   the status page, approval with his password (the documents are made by the worker)
    reader     the approved report page, its PDF and xlsx, the API's list of approved reports
    oversight  /seguimiento/ for the cuatrimestre (every fourth institution)

Each user pauses --think seconds on average (exponentially) before each request, as people read a page before
the next click. Users are signed in beforehand (sessions made in the database), so the password hashing of a
login is paid only where the director signs. After --seconds no new institution is started; the ones under way
finish. Then it waits for the worker's queue to empty and prints p50/p95/p99 per action, errors, the time from
each approval to its stored documents, the queue's latency and the peak memory of the web and worker
processes. It asserts that every action ran, that every started institution ended approved, and that every
approval has its documents. Only 127.0.0.1 is contacted. Linux only (CPU and memory are read from /proc).
"""

import argparse
import collections
import json
import os
import queue
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

from load_bench import (
    HOST,
    FormFields,
    Session,
    free_port,
    load_average,
    percentile,
    process_cpu_seconds,
    server_environment,
    wait_until_up,
    workers_cpu_seconds,
)

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))
YEAR, CUATRIMESTRE, MONTH = 2024, 1, 4
ROLES = ("planificador", "director", "lector")
OVERSIGHT = "segeplan"
OVERSIGHT_ACTION = "oversight: /seguimiento/"


class UploadSession(Session):
    """A Session that can also post a file, as the import page's form does, and waits longer for an answer."""

    timeout = 300

    def post_file(self, path, fields, name, filename, content):
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
            for key, value in fields.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: text/csv\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.send("POST", path, body, f"multipart/form-data; boundary={boundary}")


class Recorder:
    """Latencies and errors per action, shared by the virtual users, who think between requests."""

    def __init__(self, think, seed):
        self.mean_think = think
        self.random = random.Random(seed)
        self.lock = threading.Lock()
        self.latencies = collections.defaultdict(list)
        self.errors = collections.defaultdict(list)
        self.approved = {}

    def call(self, action, expected, function, *args):
        self.think()
        started = time.perf_counter()
        try:
            status, content = function(*args)
        except OSError as error:  # a timeout or a refused connection is an error of the action, not of the run
            status, content = type(error).__name__, b""
        elapsed = time.perf_counter() - started
        with self.lock:
            self.latencies[action].append(elapsed)
            if status != expected or (status == 200 and not content):
                self.errors[action].append(status)
        return status, content

    def think(self):
        """A person reads the page before the next click: exponential pauses of --think seconds on average."""
        if self.mean_think:
            with self.lock:
                pause = self.random.expovariate(1 / self.mean_think)
            time.sleep(pause)


class Deadline:
    """The virtual users' walk through each institution's deadline day."""

    def __init__(self, port, built, args):
        self.port = port
        self.built = built
        self.args = args
        self.recorder = Recorder(args.think, args.seed)
        self.codes = queue.Queue()
        codes = list(built["codes"])
        random.Random(args.seed).shuffle(codes)  # large and small institutions mixed, the same way every run
        for code in codes:
            self.codes.put(code)
        self.started_codes = []
        self.stop_at = time.perf_counter() + args.seconds

    def session(self, username):
        session = UploadSession(self.port)
        # A CSRF secret of the client's own, posted back as the form's token (Django accepts an unmasked one).
        session.cookies.update(sessionid=self.built["sessions"][username], csrftoken=uuid.uuid4().hex)
        return session

    def warm_up(self):
        """Every gunicorn worker loads its code and connects before the clock starts (not measured)."""
        session = self.session(OVERSIGHT)
        for _request in range(self.args.workers * 2):
            session.request("GET", "/")

    def get(self, session, action, path, expected=200):
        return self.recorder.call(action, expected, session.request, "GET", path)

    def post(self, session, action, path, fields, expected=302):
        fields = {**fields, "csrfmiddlewaretoken": session.cookies.get("csrftoken", "")}
        return self.recorder.call(action, expected, session.request, "POST", path, fields)

    def user(self):
        while time.perf_counter() < self.stop_at:
            try:
                code = self.codes.get_nowait()
            except queue.Empty:
                return
            with self.recorder.lock:
                self.started_codes.append(code)
            self.walk(code)

    def walk(self, code):
        planner, director, reader = (self.session(f"{code}-{role}") for role in ROLES)
        report = f"/reportes/{code}/{YEAR}/{CUATRIMESTRE}"
        self.get(planner, "planner: dashboard", "/")
        entry = f"/ejecucion/{YEAR}/{MONTH}/"
        _status, page = self.get(planner, "planner: entry page", entry)
        form = FormFields()
        form.feed(page.decode())
        self.post(planner, "planner: entry save", entry, form.fields)
        csv = Path(self.built["csv"][code]).read_bytes()
        token = planner.cookies.get("csrftoken", "")
        self.recorder.call(
            "planner: import upload and preview", 200, planner.post_file, "/importar/",
            {"csrfmiddlewaretoken": token, "template": "ejecucion"}, "file", f"{code}-abril.csv", csv,
        )  # fmt: skip
        self.post(planner, "planner: import confirm", "/importar/confirmar/", {})
        self.get(planner, "planner: draft report page", f"{report}/")
        self.post(planner, "planner: submit", f"{report}/estado/enviar/", {"comment": ""})
        self.get(director, "director: status page", f"{report}/estado/")
        self.post(
            director, "director: approve (password, snapshot)", f"{report}/estado/aprobar/",
            {"password": self.built["password"], "typist_initials": "bch", "comment": ""},
        )  # fmt: skip
        with self.recorder.lock:
            self.recorder.approved[code] = time.time()
        self.get(reader, "reader: approved report page", f"{report}/")
        self.get(reader, "reader: PDF download", f"{report}.pdf")
        self.get(reader, "reader: xlsx download", f"{report}.xlsx")
        self.recorder.call("reader: API approved reports", 200, self.api, code)
        if int(code[1:]) % 4 == 0:
            oversight = self.session(OVERSIGHT)
            query = urllib.parse.urlencode({"anio": YEAR, "cuatrimestre": CUATRIMESTRE})
            self.get(oversight, OVERSIGHT_ACTION, f"/seguimiento/?{query}")

    def api(self, code):
        """The API's list of approved reports, with the reader's token instead of a session."""
        token = UploadSession(self.port)
        return token.send("GET", "/api/v1/reports/", headers={"Authorization": f"Token {self.built['tokens'][code]}"})


# ---------------------------------------------------------------- the data, the server and the worker


def prepare(args):
    """In a child process (DATABASE_URL set): migrate, build the institutions, sign their users in; JSON out."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from rest_framework.authtoken.models import Token
    from synthetic import PASSWORD, build_institutions, username

    from goals.imports import export_rows, rows_to_csv
    from goals.models import Institution, ProductExecution, SubproductExecution

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    sizes = build_institutions(args.institutions, 1, large_scale=10)
    User = get_user_model()
    segeplan = User.objects.create_user(OVERSIGHT, password=PASSWORD, institution=Institution.objects.get(code="B001"))
    segeplan.readable_institutions.set(Institution.objects.all())
    csv = {}
    for institution in Institution.objects.order_by("code"):
        rows = [
            row for row in export_rows(kind="ejecucion", institution=institution, year=YEAR) if int(row["mes"]) == MONTH
        ]
        path = Path(args.workdir) / f"{institution.code}-abril.csv"
        path.write_bytes(rows_to_csv("ejecucion", rows))
        csv[institution.code] = str(path)
    ProductExecution.objects.filter(month=MONTH).delete()
    SubproductExecution.objects.filter(month=MONTH).delete()
    sessions = {}
    for user in User.objects.all():
        store = SessionStore()
        store.update(
            {"_auth_user_id": str(user.pk), "_auth_user_backend": settings.AUTHENTICATION_BACKENDS[-1],
             "_auth_user_hash": user.get_session_auth_hash()}
        )  # fmt: skip
        store.create()
        sessions[user.username] = store.session_key
    tokens = {code: Token.objects.create(user=User.objects.get(username=username(code, "lector"))).key for code in csv}
    call_command("collectstatic", verbosity=0, interactive=False)
    print(json.dumps({
        "password": PASSWORD, "codes": sorted(csv), "csv": csv, "sessions": sessions, "tokens": tokens,
        "large": sum(1 for _code, products, _subproducts in sizes if products > sizes[0][1]),
        "seconds": round(time.perf_counter() - started, 1),
    }))  # fmt: skip


def measure_documents(args):
    """In a child process: the approvals, those with stored documents, and the worker's jobs that made them.

    A document's own dates are the approval's (so that its bytes never change), so the time an approval waited
    for its documents is read from its job: enqueued when the approval committed, finished when they were stored.
    """
    import django

    django.setup()
    from django_tasks_db.models import DBTaskResult

    from approvals.models import ReportSnapshot

    tasks = DBTaskResult.objects.filter(task_path__endswith="make_documents")
    ready = [(task.finished_at - task.enqueued_at).total_seconds() for task in tasks if task.finished_at]
    waits = [(task.started_at - task.enqueued_at).total_seconds() for task in tasks if task.started_at]
    print(json.dumps({
        "approved": ReportSnapshot.objects.count(),
        "with_documents": ReportSnapshot.objects.filter(documents__isnull=False).distinct().count(),
        "ready": sorted(ready), "queue_waits": sorted(waits), "tasks": tasks.count(),
        "unfinished": tasks.filter(finished_at=None).count(), "failed": tasks.filter(status="FAILED").count(),
    }))  # fmt: skip


def peak_memory_mb(pids):
    """The peak resident memory (VmHWM) of these processes and their children, summed, in MB."""
    pids = set(pids)
    total = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        parent = int(re.search(r"^PPid:\s+(\d+)", text, re.M).group(1))
        pid = int(status.parent.name)
        peak = re.search(r"^VmHWM:\s+(\d+) kB", text, re.M)
        if peak and (pid in pids or parent in pids):
            total += int(peak.group(1))
    return total // 1024


def child(flag, environment, args, timeout):
    command = [sys.executable, __file__, flag, "--institutions", str(args.institutions), "--workdir", args.workdir]
    done = subprocess.run(command, env=environment, check=True, capture_output=True, text=True, timeout=timeout)
    return json.loads(done.stdout.strip().splitlines()[-1])


def environment_for(database_url, workdir, media):
    return {
        **server_environment(database_url, str(Path(workdir) / "static")),
        "TASKS_BACKEND": "database",
        "MEDIA_ROOT": str(Path(media) / "media"),
    }


def kept_data(args):
    """With --data: the institutions built by an earlier run with as many (a database, this run's template, and the
    CSVs in the folder), built there first when there are none yet."""
    path = Path(args.data) / f"built-{args.institutions}.json"
    if not path.exists():
        import psycopg

        name = f"siplan_bench_data_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(args.postgres, autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {name}")
        args.workdir = args.data
        url = args.postgres.rsplit("/", 1)[0] + "/" + name
        path.write_text(json.dumps({**child("--prepare", environment_for(url, args.data, args.data), args, 3600),
                                    "database": name}))  # fmt: skip
    return json.loads(path.read_text())


def run(args):
    from postgres import throwaway_database

    built = kept_data(args) if args.data else None
    template = built["database"] if built else None
    with throwaway_database(args.postgres, template) as database_url, tempfile.TemporaryDirectory() as workdir:
        args.workdir = args.data or workdir
        environment = environment_for(database_url, args.workdir, workdir)
        if built is None:
            built = child("--prepare", environment, args, timeout=3600)
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "siplan.wsgi:application", "--bind", f"{HOST}:{port}",
             "--workers", str(args.workers), "--threads", str(args.threads), "--timeout", "300",
             "--worker-class", "sync" if args.threads == 1 else "gthread",
             "--log-level", "warning"],
            cwd=ROOT.parent, env=environment, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        workers = [
            subprocess.Popen(
                [sys.executable, "manage.py", "db_worker", "--interval", "0.5"],
                cwd=ROOT.parent,
                env=environment,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                preexec_fn=lambda: os.nice(args.worker_nice),  # the worker tier yields the cores to the web tier
            )  # fmt: skip
            for _worker in range(args.db_workers)
        ]
        try:
            wait_until_up(port, server)
            deadline = Deadline(port, built, args)
            deadline.warm_up()
            cpu_before, started = workers_cpu_seconds(server.pid), time.perf_counter()
            worker_before, client_before = workers_cpu(workers), time.process_time()
            users = [threading.Thread(target=deadline.user) for _ in range(args.users)]
            for thread in users:
                thread.start()
            for thread in users:
                thread.join()
            elapsed, cpu = time.perf_counter() - started, workers_cpu_seconds(server.pid) - cpu_before
            cpu = {"web": cpu, "client": time.process_time() - client_before}
            drained = wait_for_queue(environment, args)
            cpu["worker"] = workers_cpu(workers) - worker_before
            memory = {"web": peak_memory_mb([server.pid]), "worker": peak_memory_mb([w.pid for w in workers])}
        finally:
            for process in (server, *workers):
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
    return built, deadline, elapsed, cpu, drained, memory


def workers_cpu(workers):
    return sum(process_cpu_seconds(worker.pid) for worker in workers)


def wait_for_queue(environment, args, seconds=600):
    """The documents' figures once the worker has made every approval's documents (or after `seconds`)."""
    deadline = time.monotonic() + seconds
    while True:
        measured = child("--documents", environment, args, timeout=300)
        if measured["unfinished"] == 0 or time.monotonic() > deadline:
            return measured
        time.sleep(5)


def report(built, deadline, elapsed, cpu, documents, memory, args):
    recorder = deadline.recorder
    requests = sum(len(latencies) for latencies in recorder.latencies.values())
    walked = len(deadline.started_codes)
    institutions = f"{len(built['codes'])} institutions ({built['large']} at 10× the seed)"
    print(f"\n## Deadline day: {institutions}, {args.users} users")
    print(f"\n(data built in {built['seconds']} s; {walked} institutions walked in {elapsed:.0f} s, "
          f"{requests} requests, {requests / elapsed:.1f} req/s, {args.think} s thinking; "
          f"{args.workers} gunicorn workers × {args.threads} threads, "
          f"{args.db_workers} db_worker at nice {args.worker_nice}; "
          f"load average after: {load_average()})\n")  # fmt: skip
    print(f"CPU: gunicorn {cpu['web']:.0f} s ({cpu['web'] / requests * 1000:.0f} ms a request), "
          f"db_worker {cpu['worker']:.0f} s ({cpu['worker'] / max(1, documents['tasks']) * 1000:.0f} ms a job), "
          f"this load client {cpu['client']:.0f} s ({cpu['client'] / requests * 1000:.1f} ms a request)\n")  # fmt: skip
    print("| action | requests | p50 ms | p95 ms | p99 ms | errors |")
    print("|---|---:|---:|---:|---:|---:|")
    for action, latencies in recorder.latencies.items():
        ordered = sorted(latencies)
        p50, p95, p99 = (percentile(ordered, fraction) * 1000 for fraction in (0.50, 0.95, 0.99))
        errors = recorder.errors.get(action, [])
        shown = f"{len(errors)} ({collections.Counter(errors).most_common(3)})" if errors else "0"
        print(f"| {action} | {len(latencies)} | {p50:.0f} | {p95:.0f} | {p99:.0f} | {shown} |")
    ready, waits = documents["ready"], documents["queue_waits"]
    if ready:
        p50, p95 = percentile(ready, 0.5), percentile(ready, 0.95)
        print(f"\nApproval to stored documents (its job): p50 {p50:.1f} s, p95 {p95:.1f} s, max {ready[-1]:.1f} s "
              f"({documents['with_documents']} of {documents['approved']} approvals)")  # fmt: skip
    if waits:
        p50, p95 = percentile(waits, 0.5), percentile(waits, 0.95)
        print(f"Queue wait (enqueued to started): p50 {p50:.1f} s, p95 {p95:.1f} s ({documents['tasks']} jobs, "
              f"{documents['failed']} failed, {documents['unfinished']} unfinished)")  # fmt: skip
    print(f"Peak memory: web {memory['web']} MB (gunicorn and its workers), worker {memory['worker']} MB")


def check(built, deadline, documents):
    """The benchmark did the work it timed: every action ran, every walk ended approved, with its documents."""
    recorder = deadline.recorder
    for action in EXPECTED_ACTIONS:
        assert recorder.latencies.get(action), f"{action}: no request was made"
    walked = len(deadline.started_codes)
    assert walked, "no institution was walked"
    if any(int(code[1:]) % 4 == 0 for code in deadline.started_codes):
        assert recorder.latencies.get(OVERSIGHT_ACTION), "SEGEPLAN did not follow up"
    assert documents["approved"] == walked, f"{walked} institutions walked, {documents['approved']} approved"
    assert documents["with_documents"] == walked, f"{documents['with_documents']} of {walked} have their documents"


EXPECTED_ACTIONS = (
    "planner: dashboard", "planner: entry page", "planner: entry save", "planner: import upload and preview",
    "planner: import confirm", "planner: draft report page", "planner: submit", "director: status page",
    "director: approve (password, snapshot)", "reader: approved report page", "reader: PDF download",
    "reader: xlsx download", "reader: API approved reports",
)  # fmt: skip


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--institutions", type=int, default=400)
    parser.add_argument("--users", type=int, default=100, help="concurrent virtual users")
    parser.add_argument("--seconds", type=float, default=180, help="start no new institution after this long")
    parser.add_argument("--think", type=float, default=5, help="mean seconds a user reads before the next request")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (1: sync workers)")
    parser.add_argument("--db-workers", type=int, default=1, help="db_worker processes")
    parser.add_argument("--worker-nice", type=int, default=0, help="the db_worker's niceness (0: the web tier's)")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres",
                        help="an existing database to create the throwaway one from")  # fmt: skip
    parser.add_argument("--seed", type=int, default=2024, help="the order institutions are walked in")
    parser.add_argument(
        "--data",
        help="keep the built institutions in this folder (and a database it names, the "
        "template of each run's) for the next run with as many; drop that database when done",
    )
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--documents", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare(args)
        return
    if args.documents:
        measure_documents(args)
        return
    if urllib.parse.urlsplit(args.postgres).hostname not in (HOST, "localhost"):
        parser.error("only a PostgreSQL on 127.0.0.1 is used")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {load_average()}")
    built, deadline, elapsed, cpu, documents, memory = run(args)
    report(built, deadline, elapsed, cpu, documents, memory, args)
    check(built, deadline, documents)


if __name__ == "__main__":
    main()
