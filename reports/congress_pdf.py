"""The Congress report as PDF, printed by WeasyPrint (reports.pdf.html_document, as the oficio) from its own
template and stylesheet, apart from the institution report's Typst layout.

Only renders frozen blocks (reports.congress); the approval time dates the PDF's metadata (dcterms.created and
modified) and the approval line, so the same approval always gives the same bytes. Like the institution's report,
it ends with a signature box (#signature-box) where the stored copy is signed when approved.
"""

import datetime

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import CSS

from .computation import CUATRIMESTRE_NAMES
from .congress import InstitutionBlock, overall_totals
from .document_language import in_document_language
from .pdf import Pdf, html_document

STYLESHEET = "css/congress_pdf.css"


@in_document_language
def congress_pdf_document(
    *,
    blocks: list[InstitutionBlock],
    year: int,
    cuatrimestre: int,
    missing: list[tuple[str, str]],
    approved_at: datetime.datetime,
    approved_by: str,
    sha256: str,
) -> Pdf:
    """Every institution's products with their physical and financial progress and its financial total, the
    total of all, and the institutions without an approved report; and where its signature goes."""
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
    return html_document(html, stylesheets=[CSS(filename=finders.find(STYLESHEET))])
