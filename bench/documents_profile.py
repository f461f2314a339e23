"""CPU of the documents job (approvals.tasks.make_documents) per approval, in-process, as a db_worker runs it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/siplan_bench SECRET_KEY=x \\
        .venv/bin/python bench/documents_profile.py [--small 4] [--large 2] [--profile] [--save DIR]

The database DATABASE_URL names is emptied (every table dropped), migrated and filled with institutions of the
seed's size (--small) and ten times it (--large) (bench/synthetic.py). Each one's first cuatrimestre of 2024 is
submitted and approved (approvals.services, the task backend set to "database" so that the job waits in the queue),
then its job runs here, one after the other, as a db_worker runs them. The CPU is this process's plus its children's
(Typst lays the report out in a child process: resource.getrusage(RUSAGE_CHILDREN)); the database server's own CPU is
not in it. The first job of the process also loads what every later one finds loaded (fonts, templates, modules),
so it is printed apart; the medians are of the later jobs of each size. Each document's share is the CPU spent in
the functions that make it (PARTS below), measured around each call.

With --profile, cProfile's 30 costliest functions (cumulative, this process only) over the jobs after the first.
With --save DIR, every stored document is written to DIR/<code>/.
"""

import argparse
import cProfile
import functools
import os
import pstats
import resource
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siplan.settings")
os.environ["DEBUG"] = "0"  # production-like: cached templates, no query log
os.environ["TASKS_BACKEND"] = "database"  # approve() enqueues the job; this script runs it
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="siplan-documents-bench-"))

YEAR, CUATRIMESTRE = 2024, 1
# (module, function): the renderers whose CPU is reported apart, when the module has them.
PARTS = (
    ("reports.pdf", "report_document"),
    ("reports.pdf", "oficio_document"),
    ("reports.pdf", "annex_document"),
    ("reports.pdf", "packaged"),
    ("reports.xlsx", "render_xlsx"),
    ("approvals.documents", "store_file"),
)


def cpu_seconds():
    """Process time of this process and its finished children (Typst), user and system."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class PartTimer:
    """Wraps PARTS' functions in their modules to add up each one's CPU."""

    def __init__(self):
        self.spent = defaultdict(float)

    def wrap(self, function, name):
        @functools.wraps(function)
        def timed(*args, **kwargs):
            started = cpu_seconds()
            try:
                return function(*args, **kwargs)
            finally:
                self.spent[name] += cpu_seconds() - started

        return timed

    def install(self):
        import importlib

        for module_name, name in PARTS:
            module = importlib.import_module(module_name)
            if hasattr(module, name):
                setattr(module, name, self.wrap(getattr(module, name), name))
        # approvals.documents imported render_xlsx by name before it was wrapped
        documents = importlib.import_module("approvals.documents")
        xlsx = importlib.import_module("reports.xlsx")
        if hasattr(documents, "render_xlsx"):
            documents.render_xlsx = xlsx.render_xlsx

    def take(self):
        spent, self.spent = dict(self.spent), defaultdict(float)
        return spent


def approve_all(codes):
    """Submit and approve each institution's report; {code: snapshot id}."""
    from django.contrib.auth import get_user_model
    from synthetic import username

    from approvals import services
    from goals.models import Institution

    User = get_user_model()
    snapshots = {}
    for code in codes:
        institution = Institution.objects.get(code=code)
        planner = User.objects.get(username=username(code, "planificador"))
        director = User.objects.get(username=username(code, "director"))
        services.submit(user=planner, institution=institution, year=YEAR, cuatrimestre=CUATRIMESTRE)
        snapshot = services.approve(
            user=director, institution=institution, year=YEAR, cuatrimestre=CUATRIMESTRE, typist_initials="bch"
        )
        snapshots[code] = snapshot.pk
    return snapshots


def save_documents(snapshot_id, folder):
    from approvals.models import StoredDocument

    folder.mkdir(parents=True, exist_ok=True)
    for document in StoredDocument.objects.filter(snapshot_id=snapshot_id):
        (folder / f"{'signed-' if document.signed else ''}{document.filename}").write_bytes(document.read())


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", type=int, default=4, help="institutions of the seed's size")
    parser.add_argument("--large", type=int, default=2, help="institutions ten times the seed")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--save", type=Path, help="write every stored document under this folder")
    args = parser.parse_args()

    import django

    django.setup()
    from page_profile import prepare

    from approvals.models import ReportSnapshot, StoredDocument
    from approvals.tasks import make_documents

    count = args.small + args.large
    every = count // args.large if args.large else count + 1
    built = prepare(1, count, large_scale=10, large_every=every)
    smallest = min(products for _code, products, _subproducts in built)
    snapshots = approve_all([code for code, _products, _subproducts in built])
    timer = PartTimer()
    timer.install()
    profiler = cProfile.Profile(time.process_time) if args.profile else None  # CPU, not waits
    rows = []
    for number, (code, products, subproducts) in enumerate(built):
        started = cpu_seconds()
        if profiler and number:
            profiler.enable()
        make_documents.call(snapshot_id=snapshots[code])
        if profiler and number:
            profiler.disable()
        total = cpu_seconds() - started
        parts = timer.take()
        assert StoredDocument.objects.filter(snapshot_id=snapshots[code]).count() == 4, code
        rows.append((code, "10x" if products > smallest else "1x", products, subproducts, total, parts, number == 0))
        if args.save:
            save_documents(snapshots[code], args.save / code)
    assert ReportSnapshot.objects.count() == count

    names = [name for _module, name in PARTS]
    print(f"{'institution':<12} {'size':<5} {'products':>8} {'subprod.':>8} {'job CPU ms':>10}  "
          + " ".join(f"{name:>16}" for name in names))  # fmt: skip
    for code, size, products, subproducts, total, parts, first in rows:
        label = f"{code}{' (1st)' if first else ''}"
        print(f"{label:<12} {size:<5} {products:>8} {subproducts:>8} {total * 1000:>10.0f}  "
              + " ".join(f"{parts.get(name, 0) * 1000:>16.0f}" for name in names))  # fmt: skip
    for size in ("1x", "10x"):
        later = [row for row in rows if row[1] == size and not row[6]]
        if later:
            median = statistics.median(row[4] for row in later) * 1000
            shares = " ".join(
                f"{name} {statistics.median(row[5].get(name, 0) for row in later) * 1000:.0f}" for name in names
            )
            print(f"median job CPU, {size} (jobs after the first): {median:.0f} ms ({len(later)} jobs; {shares})")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()
