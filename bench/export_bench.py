"""How long the report's files take to render: the seed report and one ten times its size.

    .venv/bin/python bench/export_bench.py

Targets (issue #5): seed PDF < 2 s, xlsx < 0.5 s; ten times the seed < 10 s and < 2 s. Rendering
works on the computed report (plain data), so the large report is the seed's sections repeated.
"""

import dataclasses
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def timed(label, render, report, signature, runs=3):
    """The best of `runs` renderings; each must give a file that starts with `signature` (%PDF, PK for xlsx)."""
    best = min(measure(render, report, signature) for _ in range(runs))
    print(f"{label}: {best:.2f} s (best of {runs})")


def measure(render, report, signature):
    started = time.perf_counter()
    content = render(report)
    elapsed = time.perf_counter() - started
    assert content.startswith(signature) and len(content) > 10_000, f"{len(content)} bytes, {content[:8]!r}"
    return elapsed


def main():
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siplan.settings")
    with tempfile.TemporaryDirectory() as folder:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        import django

        django.setup()
        from django.core.management import call_command

        from approvals.demo import load_demo
        from goals.models import Institution
        from reports.computation import build_report
        from reports.pdf import render_report_pdf
        from reports.xlsx import render_xlsx

        call_command("migrate", verbosity=0)
        load_demo()
        seed = build_report(institution=Institution.objects.get(code="IGM"), year=2024, cuatrimestre=3)
        large = dataclasses.replace(seed, sections=seed.sections * 10)
        assert seed.sections, "the demo's report has no rows"
        timed("seed report, PDF", render_report_pdf, seed, b"%PDF")
        timed("seed report, xlsx", render_xlsx, seed, b"PK")
        timed("10 × seed (170 products and subproducts), PDF", render_report_pdf, large, b"%PDF", runs=1)
        timed("10 × seed, xlsx", render_xlsx, large, b"PK")


if __name__ == "__main__":
    main()
