"""How long the report's files take to render: the seed report and one ten times its size, the PDF by today's
renderer (Typst) and by the one before it (WeasyPrint, the code of commit WEASYPRINT_COMMIT), in the same run.

    .venv/bin/python bench/export_bench.py [--baseline REV]

Each renderer runs in its own process (its peak memory is then its own) on the demo's computed report; the large
report is the seed's sections repeated ten times. Every PDF is read back with pypdf and must hold one
"Ejecución financiera" row per product and subproduct; every xlsx must be a zip of real size. Printed: wall time
and CPU time (the process's and its children's, every thread included: on a shared machine CPU time is the figure
to compare), best of RUNS, and the measuring process's peak resident memory so far (Django, the demo and the
renderings before it included; Typst's own process is measured apart, bench/RESULTS.md).

Targets (issue #16): the PDF ten times the seed's size under 1 s.
"""

import argparse
import dataclasses
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEASYPRINT_COMMIT = "df9fe2b"  # the last commit whose report PDF WeasyPrint laid out
RUNS = 3
FINANCIAL_ROW = "Ejecución financiera"


def check_pdf(content, report):
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)
    rows = text.count(FINANCIAL_ROW)
    assert rows == report.item_count, f"{rows} financial rows in the PDF, {report.item_count} expected"


def check_xlsx(content, report):
    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(content), read_only=True).worksheets[0]
    rows = sum(1 for row in sheet.iter_rows(values_only=True) for value in row if value == FINANCIAL_ROW)
    assert rows == report.item_count, f"{rows} financial rows in the xlsx, {report.item_count} expected"


def cpu_seconds():
    """CPU time of this process and of its children that ended (Typst lays the report out in a child process)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def measure(render, report, check, runs):
    """(best wall seconds, best CPU seconds) over `runs` renderings, each checked."""
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), cpu_seconds()
        content = render(report)
        walls.append(time.perf_counter() - wall)
        cpus.append(cpu_seconds() - cpu)
        check(content, report)
    return min(walls), min(cpus)


def run_here(formats):
    """Measure this process's checkout (sys.path[0]); print one JSON line per measurement."""
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siplan.settings")
    with tempfile.TemporaryDirectory() as folder:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        import django

        django.setup()
        from django.core.management import call_command
        from django.utils import translation

        try:
            from approvals.demo import load_demo
        except ImportError:  # the baseline checkout, from before the demo moved up to approvals
            from goals.demo import load_demo
        from goals.models import Institution
        from reports import pdf
        from reports.computation import build_report
        from reports.pdf import render_report_pdf
        from reports.xlsx import render_xlsx

        assert Path(pdf.__file__).is_relative_to(sys.path[0]), f"{pdf.__file__} is not the checkout's"

        call_command("migrate", verbosity=0)
        load_demo()
        translation.activate("es-gt")
        seed = build_report(institution=Institution.objects.get(code="IGM"), year=2024, cuatrimestre=3)
        assert seed.sections, "the demo's report has no rows"
        large = dataclasses.replace(seed, sections=seed.sections * 10)
        renderers = {"pdf": (render_report_pdf, check_pdf), "xlsx": (render_xlsx, check_xlsx)}
        for kind in formats:
            render, check = renderers[kind]
            for size, report in (("1×", seed), ("10×", large)):
                wall, cpu = measure(render, report, check, RUNS)
                peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
                row = {"kind": kind, "size": size, "wall": wall, "cpu": cpu, "peak_mb": peak}
                print(json.dumps(row), flush=True)


def checkout(revision, folder):
    """The project's files at `revision`, written into `folder`."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def measured(source, formats):
    """The JSON lines of run_here() in a fresh process on the checkout at `source`."""
    command = [sys.executable, str(Path(__file__).resolve()), "--source", str(source), "--formats", *formats]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", default=WEASYPRINT_COMMIT, help="the revision whose PDF renderer to compare")
    parser.add_argument("--source", help=argparse.SUPPRESS)
    parser.add_argument("--formats", nargs="+", default=["pdf", "xlsx"], help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.source:
        sys.path.insert(0, arguments.source)
        run_here(arguments.formats)
        return
    print(f"load average before: {' '.join(f'{load:.2f}' for load in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as folder:
        results = [("today (Typst)", row) for row in measured(ROOT, ["pdf", "xlsx"])]
        baseline = checkout(arguments.baseline, Path(folder))
        results += [(f"{arguments.baseline} (WeasyPrint)", row) for row in measured(baseline, ["pdf"])]
    print(f"load average after: {' '.join(f'{load:.2f}' for load in os.getloadavg())}")
    print(f"| renderer | file | size | wall s (best of {RUNS}) | CPU s | peak RSS MB of the process |")
    print("|---|---|---|---|---|---|")
    for label, row in results:
        print(f"| {label} | {row['kind']} | {row['size']} | {row['wall']:.2f} | {row['cpu']:.2f} | {row['peak_mb']} |")


if __name__ == "__main__":
    main()
