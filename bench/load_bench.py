"""Speed under load: 10 users at once against gunicorn on loopback, on a synthetic plan 1×, 10×, 100× the seed.

    .venv/bin/python bench/load_bench.py [--scales 1 10 100] [--postgres postgres://postgres@127.0.0.1:5432/postgres]

For each scale: a throwaway PostgreSQL database is created, migrated and filled (bench/synthetic.py:
institutions B001 and B002, each the seed's plan repeated k times with twelve months of execution);
B001's third cuatrimestre is submitted and approved (approvals.services), so its report is served
from the snapshot while B002's, the same size, is recomputed. gunicorn starts on 127.0.0.1 (DEBUG
off), each virtual user logs in with its own session, and every URL of SCENARIOS is driven by
--users threads until --requests answers or --seconds have passed, in --rounds interleaved rounds.
Prints one Markdown table per scale (p50/p95/p99 in ms, requests per second, the gunicorn workers'
CPU time per request, errors); gunicorn is stopped and the database dropped at the end, whatever
happens. Only 127.0.0.1 is contacted. Linux only (the CPU time is read from /proc).

The entry page save re-posts the month as the page shows it: a no-op save (the whole path: the
form of every row, the version check under the institution's lock, the comparison with the stored
figures) that writes nothing, so ten users can save the same month without conflicts.
"""

import argparse
import http.client
import http.cookies
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))
HOST = "127.0.0.1"
YEAR, CUATRIMESTRE, MONTH = 2024, 3, 9
APPROVED, DRAFT = "B001", "B002"
INSTITUTIONS = 2
KEPT_COOKIES = {"sessionid", "csrftoken"}  # not "messages": a save's notice would otherwise pile up


@dataclass(frozen=True)
class Scenario:
    """One URL under load, as one user of one institution ("planificador", "director" or "lector")."""

    name: str
    path: str
    institution: str
    role: str
    method: str = "GET"


SCENARIOS = (
    Scenario("report page, draft (recomputed)", f"/reportes/{DRAFT}/{YEAR}/{CUATRIMESTRE}/", DRAFT, "planificador"),
    Scenario("report page, approved (snapshot)", f"/reportes/{APPROVED}/{YEAR}/{CUATRIMESTRE}/", APPROVED, "lector"),
    Scenario("report JSON, draft (recomputed)", f"/reportes/{DRAFT}/{YEAR}/{CUATRIMESTRE}.json", DRAFT, "planificador"),
    Scenario(
        "report JSON, approved (snapshot)", f"/reportes/{APPROVED}/{YEAR}/{CUATRIMESTRE}.json", APPROVED, "lector"
    ),
    Scenario("entry page save (no-op POST)", f"/ejecucion/{YEAR}/{MONTH}/", DRAFT, "planificador", method="POST"),
    Scenario("dashboard", "/", DRAFT, "director"),
    Scenario("consolidated view", f"/consolidado/?anio={YEAR}&cuatrimestre={CUATRIMESTRE}", DRAFT, "director"),
)


# ---------------------------------------------------------------- the client


class Session:
    """A browser's cookies against one server; one connection per request (gunicorn's sync workers close it)."""

    timeout = 120

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, fields=None):
        """A form's fields posted (urlencoded) or none, with this browser's cookies."""
        if fields is None:
            return self.send(method, path)
        return self.send(method, path, urllib.parse.urlencode(fields), "application/x-www-form-urlencoded")

    def send(self, method, path, body=None, content_type=None, headers=None):
        """(status, content) of one request on a new connection; the session's cookies sent and kept."""
        headers = {"Host": f"{HOST}:{self.port}", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        connection = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or ():
            for name, morsel in http.cookies.SimpleCookie(header).items():
                if name in KEPT_COOKIES:
                    self.cookies[name] = morsel.value
        return response.status, content

    def log_in(self, username, password):
        _status, page = self.request("GET", "/cuenta/ingresar/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        status, _content = self.request(
            "POST", "/cuenta/ingresar/", {"csrfmiddlewaretoken": token, "username": username, "password": password}
        )
        if status != 302:
            raise RuntimeError(f"{username} could not log in (HTTP {status})")


class FormFields(HTMLParser):
    """The named inputs of <form id="entry-form">, as the browser would post them."""

    def __init__(self):
        super().__init__()
        self.inside = False
        self.fields = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == "entry-form"
        elif tag == "input" and self.inside and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def form_fields(session, path):
    status, page = session.request("GET", path)
    parser = FormFields()
    parser.feed(page.decode())
    if status != 200 or "version" not in parser.fields:
        raise RuntimeError(f"{path} has no entry form (HTTP {status})")
    return parser.fields


def workers_cpu_seconds(master_pid):
    """CPU time (user + system) the gunicorn master's workers have used so far, from Linux's /proc, with that of
    the processes they started and waited for (the report PDF's Typst runs in a process of its own).

    Unlike latency, it hardly depends on what else the machine is doing. PostgreSQL's share is not in it.
    """
    return sum(cpu_seconds(stat) for stat, parent in processes() if parent == master_pid)


def process_cpu_seconds(pid):
    """CPU time (user + system) of one process and of the children it waited for (e.g. the db_worker's)."""
    return sum(cpu_seconds(stat) for stat, _parent in processes() if int(stat.parent.name) == pid)


def processes():
    """(/proc/PID/stat, parent PID) of every process now running."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError):
            continue  # the process ended meanwhile
        yield stat, parent


def cpu_seconds(stat):
    """utime + stime + cutime + cstime (the 12th to 15th fields after the name) of a /proc/PID/stat, in seconds."""
    try:
        fields = stat.read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0  # the process ended meanwhile
    return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def percentile(ordered, fraction):
    """Nearest-rank percentile of an ascending list."""
    return ordered[max(0, min(len(ordered) - 1, round(fraction * len(ordered)) - 1))]


@dataclass
class Measure:
    name: str
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: tuple = ()
    server_cpu: float = 0.0
    note: str = ""

    def row(self):
        if self.note:
            return f"| {self.name} | {self.note} | | | | | | |"
        ordered = sorted(self.latencies)
        p50, p95, p99 = (percentile(ordered, fraction) * 1000 for fraction in (0.50, 0.95, 0.99))
        rate, cpu = self.requests / self.seconds, self.server_cpu / self.requests * 1000
        figures = f"{p50:.0f} | {p95:.0f} | {p99:.0f} | {rate:.1f} | {cpu:.0f}"
        return f"| {self.name} | {self.requests} | {figures} | {self.errors} |"

    def __add__(self, other):
        """The same URL measured over another round."""
        return Measure(self.name, self.requests + other.requests, self.errors + other.errors,
                       self.seconds + other.seconds, self.latencies + other.latencies,
                       self.server_cpu + other.server_cpu, self.note or other.note)  # fmt: skip

    @property
    def median(self):
        return statistics.median(self.latencies) if self.latencies else None


class Load:
    """--users threads, each with its own logged-in session, sharing a budget of requests and a deadline per round.

    Every URL is measured in --rounds rounds, one URL after the other in each, so that a change in the
    machine's load (other people's work) weighs on every URL alike.
    """

    def __init__(self, port, server_pid, password, args):
        self.port = port
        self.server_pid = server_pid
        self.password = password
        self.args = args
        self.sessions = {}

    def sessions_for(self, scenario):
        """The virtual users of a scenario's institution and role, logged in once and kept across scenarios."""
        key = (scenario.institution, scenario.role)
        if key not in self.sessions:
            username = f"{scenario.institution}-{scenario.role}"
            sessions = [Session(self.port) for _ in range(self.args.users)]
            for session in sessions:
                session.log_in(username, self.password)
            self.sessions[key] = sessions
        return self.sessions[key]

    def run(self, scenario, expected):
        sessions = self.sessions_for(scenario)
        fields = form_fields(sessions[0], scenario.path) if scenario.method == "POST" else None
        probe, _content = sessions[0].request(scenario.method, scenario.path, self.with_token(fields, sessions[0]))
        if probe == 404 and expected != 404:
            return Measure(scenario.name, note="skipped: HTTP 404 (not on this branch yet)")
        assert probe == expected, f"{scenario.name}: HTTP {probe}, expected {expected}: nothing to time"
        latencies, errors = [], []
        budget = iter(range(self.args.requests // self.args.rounds))
        lock = threading.Lock()
        deadline = time.perf_counter() + self.args.seconds / self.args.rounds

        def user(session):
            data = self.with_token(fields, session)
            while time.perf_counter() < deadline:
                with lock:
                    if next(budget, None) is None:
                        return
                started = time.perf_counter()
                status, content = session.request(scenario.method, scenario.path, data)
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    if status != expected or (status == 200 and not content):
                        errors.append(status)

        threads = [threading.Thread(target=user, args=(session,)) for session in sessions]
        cpu_before, started = workers_cpu_seconds(self.server_pid), time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds, cpu = time.perf_counter() - started, workers_cpu_seconds(self.server_pid) - cpu_before
        return Measure(scenario.name, len(latencies), len(errors), seconds, tuple(latencies), cpu)

    @staticmethod
    def with_token(fields, session):
        """The entry form's fields with this session's CSRF token (the form was read by another session)."""
        if fields is None:
            return None
        return {**fields, "csrfmiddlewaretoken": session.cookies["csrftoken"]}


# ---------------------------------------------------------------- the server and its data


def prepare(scale):
    """In a child process (DATABASE_URL set): migrate, build the plan, approve B001's report, collect static files."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from synthetic import PASSWORD, build_institutions, username

    from approvals.services import approve, submit
    from goals.models import Institution

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    sizes = build_institutions(INSTITUTIONS, scale)
    institution = Institution.objects.get(code=APPROVED)
    User = get_user_model()
    for earlier in range(1, CUATRIMESTRE + 1):  # a cuatrimestre is approved only after the earlier ones
        report = {"institution": institution, "year": YEAR, "cuatrimestre": earlier}
        submit(user=User.objects.get(username=username(APPROVED, "planificador")), **report)
        approve(user=User.objects.get(username=username(APPROVED, "director")), **report)
    call_command("collectstatic", verbosity=0, interactive=False)
    products, subproducts = sizes[0][1:]
    print(json.dumps({"password": PASSWORD, "products": products, "subproducts": subproducts,
                      "seconds": round(time.perf_counter() - started, 1)}))  # fmt: skip


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def wait_until_up(port, server, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited while starting")
        try:
            status, _content = Session(port).request("GET", "/healthz")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /healthz in time")


def server_environment(database_url, static_root):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "siplan.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-not-a-secret",
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": static_root,
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
    }


def run_scale(scale, args):
    from postgres import throwaway_database

    with throwaway_database(args.postgres) as database_url, tempfile.TemporaryDirectory() as static_root:
        environment = server_environment(database_url, static_root)
        prepared = subprocess.run(
            [sys.executable, __file__, "--prepare", str(scale)],
            env=environment, check=True, capture_output=True, text=True, timeout=1800,
        )  # fmt: skip
        built = json.loads(prepared.stdout.strip().splitlines()[-1])
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "siplan.wsgi:application", "--bind", f"{HOST}:{port}",
             "--workers", str(args.workers), "--timeout", "120", "--log-level", "warning"],
            cwd=ROOT.parent, env=environment, stdout=subprocess.DEVNULL,  # gunicorn.conf.py's access log
        )  # fmt: skip
        try:
            wait_until_up(port, server)
            load = Load(port, server.pid, built["password"], args)
            measures = {scenario.name: Measure(scenario.name) for scenario in SCENARIOS}
            for _round in range(args.rounds):
                for scenario in SCENARIOS:
                    if not measures[scenario.name].note:
                        measures[scenario.name] += load.run(scenario, 302 if scenario.method == "POST" else 200)
            for measure in measures.values():
                assert measure.note or measure.requests, f"{measure.name}: no request was made"
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    return built, list(measures.values())


def report(scale, built, measures, args):
    print(f"\n### {scale}× the seed: {built['products']} products, {built['subproducts']} subproducts per institution")
    print(f"\n(data built in {built['seconds']} s; {args.users} users, up to {args.requests} requests or "
          f"{args.seconds:.0f} s per URL in {args.rounds} rounds, {args.workers} gunicorn workers; "
          f"load average after: {load_average()})\n")  # fmt: skip
    print("| URL | requests | p50 ms | p95 ms | p99 ms | req/s | server CPU ms/request | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for measure in measures:
        print(measure.row())
    by_name = {measure.name: measure for measure in measures}
    for what in ("page", "JSON"):
        recomputed = by_name[f"report {what}, draft (recomputed)"].median
        snapshot = by_name[f"report {what}, approved (snapshot)"].median
        if recomputed and snapshot:
            speed_up = recomputed / snapshot
            print(f"\nreport {what}: the snapshot is served {speed_up:.1f}× faster than a recomputation (p50)")
    sys.stdout.flush()


def load_average():
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100], help="sizes, in multiples of the seed")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres",
                        help="an existing database to create the throwaway ones from")  # fmt: skip
    parser.add_argument("--users", type=int, default=10, help="concurrent virtual users")
    parser.add_argument("--requests", type=int, default=300, help="at most this many requests per URL")
    parser.add_argument("--seconds", type=float, default=60, help="at most this long per URL")
    parser.add_argument("--rounds", type=int, default=3, help="measure every URL in this many interleaved rounds")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers (the Dockerfile's 3)")
    parser.add_argument("--prepare", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare(args.prepare)
        return
    if urllib.parse.urlsplit(args.postgres).hostname not in (HOST, "localhost"):
        parser.error("only a PostgreSQL on 127.0.0.1 is used")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {load_average()}")
    for scale in args.scales:
        built, measures = run_scale(scale, args)
        report(scale, built, measures, args)


if __name__ == "__main__":
    main()
