"""The report as a PDF, printed by WeasyPrint from the same template as the page, with print CSS."""

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import CSS, HTML

from .computation import approval_note

STYLESHEETS = ("css/report.css", "css/report_pdf.css")


def render_report_pdf(report, snapshot=None):
    """The report's PDF: "BORRADOR" across every page until approved, the approval's data once it is."""
    html = render_to_string(
        "reports/report_pdf.html",
        {"report": report, "snapshot": snapshot, "approval": approval_note(snapshot), "generated_at": timezone.now()},
    )
    stylesheets = [CSS(filename=finders.find(path)) for path in STYLESHEETS]
    return HTML(string=html).write_pdf(stylesheets=stylesheets)
