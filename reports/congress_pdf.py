"""The Congress report as PDF, printed by WeasyPrint from its own template and stylesheet, apart from the
institution report's renderer (reports.pdf).

Only renders frozen blocks (reports.congress); the approval time dates the PDF's metadata (dcterms.created and
modified) and the approval line, so the same approval always gives the same bytes.
"""

import datetime

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import CSS, HTML

from siplan.text import printable

from .computation import CUATRIMESTRE_NAMES
from .congress import InstitutionBlock, overall_totals
from .document_language import in_document_language

STYLESHEET = "css/congress_pdf.css"


@in_document_language
def render_congress_pdf(
    *,
    blocks: list[InstitutionBlock],
    year: int,
    cuatrimestre: int,
    missing: list[tuple[str, str]],
    approved_at: datetime.datetime,
    approved_by: str,
    sha256: str,
) -> bytes:
    """Every institution's products with their physical and financial progress and its financial total, the
    total of all, and the institutions without an approved report."""
    current, cumulative, pct = overall_totals(blocks=blocks)
    context = {
        "blocks": blocks,
        "year": str(year),
        "cuatrimestre": CUATRIMESTRE_NAMES[cuatrimestre],
        "missing": missing,
        "total": {"current": current, "cumulative": cumulative, "pct": pct},
        "approved_at": timezone.localtime(approved_at),
        "approved_by": approved_by,
        "sha256": sha256,
        "created": timezone.localtime(approved_at).replace(microsecond=0).isoformat(),
    }
    html = render_to_string("reports/congress_pdf.html", context)
    return HTML(string=printable(html)).write_pdf(stylesheets=[CSS(filename=finders.find(STYLESHEET))])
