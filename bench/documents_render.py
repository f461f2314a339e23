"""Render every approval's documents in the database again, with the code of a given tree, into a folder.

    DATABASE_URL=… SECRET_KEY=x .venv/bin/python bench/documents_render.py TREE OUT

TREE is a checkout of siplan (e.g. `git archive BASE | tar -x -C /tmp/base`), OUT a folder that gets, per
institution, the report PDF, the oficio, the package and the workbook as approved_pdfs and render_xlsx make them
(nothing is stored), with each PDF's signature anchor beside it. Two trees' folders (or one tree's, twice) compare
byte for byte with `diff -r`; `pdftotext -layout` of each PDF compares their text.
"""

import os
import sys
from pathlib import Path


def main():
    tree, out = Path(sys.argv[1]).resolve(), Path(sys.argv[2])
    sys.path.insert(0, str(tree))
    os.chdir(tree)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siplan.settings")
    os.environ["DEBUG"] = "0"
    import django

    django.setup()
    from approvals.documents import frozen
    from approvals.models import ReportSnapshot
    from reports.pdf import approved_pdfs
    from reports.xlsx import render_xlsx

    for snapshot in ReportSnapshot.objects.select_related("report__institution").order_by("pk"):
        institution, report = frozen(snapshot)
        folder = out / institution.code
        folder.mkdir(parents=True, exist_ok=True)
        for kind, pdf in approved_pdfs(institution, report, snapshot).items():
            (folder / f"{kind}.pdf").write_bytes(pdf.content)
            (folder / f"{kind}.anchor").write_text(repr(pdf.anchor))
        (folder / "report.xlsx").write_bytes(render_xlsx(report, snapshot))
    print(f"{out}: {ReportSnapshot.objects.count()} approvals")


if __name__ == "__main__":
    main()
