"""The report and its oficio as PDF, printed by WeasyPrint: the report from the same template as the page."""

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string, select_template
from django.utils import timezone
from django.utils.formats import date_format
from weasyprint import CSS, HTML

from siplan.text import printable

from .computation import approval_note, pgg_period
from .signing import PX_TO_PT, sign_pdf, verification_qr, verification_url

STYLESHEETS = ("css/report.css", "css/report_pdf.css")


def report_document(report, snapshot):
    context = {"report": report, "snapshot": snapshot, "approval": approval_note(snapshot), "generated_at": timezone.now()}
    if snapshot is not None:
        context.update(verification_url=verification_url(snapshot), verification_qr=verification_qr(snapshot))
    html = render_to_string("reports/report_pdf.html", context)
    return HTML(string=printable(html)).render(stylesheets=[CSS(filename=finders.find(path)) for path in STYLESHEETS])


def render_report_pdf(report, snapshot=None):
    """The report's PDF: "BORRADOR" across every page until approved; once approved, the approval's data,
    the verification QR code, and the institution's signature when it has a certificate."""
    document = report_document(report, snapshot)
    content = document.write_pdf()
    if snapshot is None:
        return content
    return sign_pdf(content, report.institution.code, signature_anchor(document, len(document.pages) - 1))


def signature_anchor(document, page_index):
    """(page index, box) in PDF points (from the bottom left) of the #signature-box line of the signature block."""
    page = document.pages[page_index]
    left, top, right, bottom = page.anchors["signature-box"]
    return page_index, (left * PX_TO_PT, (page.height - bottom) * PX_TO_PT, right * PX_TO_PT, (page.height - top) * PX_TO_PT)


def oficio_number(institution, report, snapshot):
    """The approved correlative (OFICIO-IGM-DG-026-2025), or OFICIO-IGM-DG-BORRADOR while not approved."""
    if snapshot is not None:
        return snapshot.oficio_number
    return f"OFICIO-{institution.acronym}-{institution.issuing_office}-BORRADOR"


def oficio_document(institution, report, snapshot, typist=""):
    """The cover letter; an institution may adjust its text in templates/reports/oficio_<CODE>.html."""
    template = select_template([f"reports/oficio_{institution.code}.html", "reports/oficio.html"])
    months = [date_format(timezone.datetime(report.year, month, 1), "F").lower() for month in report.months]
    html = template.render(
        {
            "institution": institution,
            "report": report,
            "oficio_number": oficio_number(institution, report, snapshot),
            "date": timezone.localtime(snapshot.approved_at).date() if snapshot else timezone.localdate(),
            "first_month": months[0],
            "last_month": months[-1],
            "pgg": pgg_period(report.year),
            "typist": typist,
        }
    )
    return HTML(string=printable(html)).render()


def render_oficio_pdf(institution, report, snapshot=None, typist=""):
    return oficio_document(institution, report, snapshot, typist).write_pdf()


def render_package_pdf(institution, report, snapshot=None, typist=""):
    """The oficio followed by the report, in one PDF: what goes to SEGEPLAN."""
    oficio = oficio_document(institution, report, snapshot, typist)
    report_pages = report_document(report, snapshot)
    return oficio.copy(oficio.pages + report_pages.pages).write_pdf()
