"""The report and its oficio as PDF, printed by WeasyPrint: the report from the same template as the page.

Once approved, every variable part comes from the snapshot (its oficio number, typist, circular and
approval time, which also dates the PDF's metadata), so rendering the same approval twice gives the
same bytes. Signing is apart (reports/signing.py): approved documents are signed once, when stored.
"""

from dataclasses import dataclass

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string, select_template
from django.utils import timezone
from django.utils.formats import date_format
from weasyprint import CSS, HTML

from siplan.text import printable

from .annex import (
    ANNEX_HEADINGS,
    ANNEX_TITLE,
    EVIDENCE_HEADINGS,
    EVIDENCE_TITLE,
    annex_rows,
    evidence_rows,
    frozen_evidence,
    frozen_justifications,
)
from .computation import approval_note, pgg_period
from .signing import PX_TO_PT, verification_qr, verification_url

STYLESHEETS = ("css/report.css", "css/report_pdf.css")
SIGNATURE_ANCHOR = "signature-box"


@dataclass(frozen=True)
class Pdf:
    """A rendered PDF and where its visible signature goes: (page index, box in points from the bottom left)."""

    content: bytes
    anchor: tuple


def metadata_date(snapshot):
    """The approval time as a W3C date for the PDF's creation date; None (no date) for a draft."""
    return timezone.localtime(snapshot.approved_at).replace(microsecond=0).isoformat() if snapshot else None


def report_document(report, snapshot):
    context = {
        "report": report,
        "snapshot": snapshot,
        "approval": approval_note(snapshot),
        "generated_at": snapshot.approved_at if snapshot else timezone.now(),
        "created": metadata_date(snapshot),
    }
    if snapshot is not None:
        context.update(verification_url=verification_url(snapshot), verification_qr=verification_qr(snapshot))
    html = render_to_string("reports/report_pdf.html", context)
    return HTML(string=printable(html)).render(stylesheets=[CSS(filename=finders.find(path)) for path in STYLESHEETS])


def signature_anchor(document):
    """(page index, box) in PDF points (from the bottom left) of the first #signature-box of the document."""
    for index, page in enumerate(document.pages):
        if SIGNATURE_ANCHOR in page.anchors:
            left, top, right, bottom = page.anchors[SIGNATURE_ANCHOR]
            height = page.height
            return index, (left * PX_TO_PT, (height - bottom) * PX_TO_PT, right * PX_TO_PT, (height - top) * PX_TO_PT)
    raise ValueError("The document has no #signature-box.")


def as_pdf(document):
    return Pdf(document.write_pdf(), signature_anchor(document))


def render_report_pdf(report, snapshot=None):
    """The report's PDF: "BORRADOR" across every page until approved; once approved, the approval's data
    and the verification QR code."""
    return report_document(report, snapshot).write_pdf()


def oficio_number(institution, report, snapshot):
    """The approved correlative (OFICIO-IGM-DG-026-2025), or OFICIO-IGM-DG-BORRADOR while not approved."""
    if snapshot is not None:
        return snapshot.oficio_number
    return f"OFICIO-{institution.acronym}-{institution.issuing_office}-BORRADOR"


def oficio_document(institution, report, snapshot, typist="", circular=""):
    """The cover letter; an institution may adjust its text in templates/reports/oficio_<CODE>.html. An approved
    oficio takes its typist and circular from the snapshot."""
    template = select_template([f"reports/oficio_{institution.code}.html", "reports/oficio.html"])
    months = [date_format(timezone.datetime(report.year, month, 1), "F").lower() for month in report.months]
    html = template.render(
        {
            "institution": institution,
            "report": report,
            "oficio_number": oficio_number(institution, report, snapshot),
            "date": timezone.localtime(snapshot.approved_at).date() if snapshot else timezone.localdate(),
            "created": metadata_date(snapshot),
            "first_month": months[0],
            "last_month": months[-1],
            "pgg": pgg_period(report.year),
            "typist": snapshot.typist_initials if snapshot else typist,
            "circular": snapshot.circular if snapshot else circular,
        }
    )
    return HTML(string=printable(html)).render()


def annex_document(report, snapshot):
    """The annex «Justificación de desviaciones» of an approved report: its justifications, then its medios de
    verificación; None when its snapshot froze neither."""
    justifications, evidence = frozen_justifications(snapshot), frozen_evidence(snapshot)
    if not (justifications or evidence):
        return None
    context = {
        "report": report,
        "snapshot": snapshot,
        "title": ANNEX_TITLE,
        "headings": ANNEX_HEADINGS,
        "rows": annex_rows(justifications),
        "evidence_title": EVIDENCE_TITLE,
        "evidence_headings": EVIDENCE_HEADINGS,
        "evidence_rows": evidence_rows(evidence),
    }
    return HTML(string=printable(render_to_string("reports/annex_pdf.html", context))).render()


def packaged(oficio, report, annex=None):
    """The oficio followed by the report, and the annex when there is one, in one document: what goes to
    SEGEPLAN; signed at the oficio's signer."""
    return oficio.copy(oficio.pages + report.pages + (annex.pages if annex is not None else []))


def render_oficio_pdf(institution, report, snapshot=None, typist="", circular=""):
    return oficio_document(institution, report, snapshot, typist, circular).write_pdf()


def render_package_pdf(institution, report, snapshot=None, typist="", circular=""):
    oficio = oficio_document(institution, report, snapshot, typist, circular)
    return packaged(oficio, report_document(report, snapshot)).write_pdf()


def approved_pdfs(institution, report, snapshot):
    """{kind: Pdf} of an approved report: the report, the oficio and the package, each page laid out once."""
    oficio = oficio_document(institution, report, snapshot)
    body = report_document(report, snapshot)
    package = packaged(oficio, body, annex_document(report, snapshot))
    return {"pdf": as_pdf(body), "oficio": as_pdf(oficio), "paquete": as_pdf(package)}
