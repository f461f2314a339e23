"""The report as PDF, laid out by Typst; its oficio and annex printed by WeasyPrint from their HTML templates.

The report's figures and texts are printed and translated here, into the JSON that
templates/reports/report.typ places: Typst lays a report ten times the seed's size out in a fraction
of a second, where WeasyPrint took seconds (README, Benchmarks). The oficio stays HTML, which an
institution adjusts (templates/reports/oficio_<CODE>.html). Typst runs on the fonts of static/fonts
(DejaVu Sans Condensed) and its own, never the machine's, so every machine prints the same bytes.

Once approved, every variable part comes from the snapshot (its oficio number, typist, circular and
approval time, which also dates the PDF's metadata), so rendering the same approval twice gives the
same bytes. Signing is apart (reports/signing.py): approved documents are signed once, when stored.
"""

import importlib.metadata
import json
import subprocess
import sys
import threading
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string, select_template
from django.utils import formats, timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from goals.figures import printed_amount, separators
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
from .document_language import in_document_language
from .signing import PX_TO_PT, verification_qr_svg, verification_url
from .xlsx import figure_headings

REPORT_SOURCE = Path(__file__).resolve().parent / "templates" / "reports" / "report.typ"
TYPST_RENDERER = Path(__file__).resolve().parent / "typst_render.py"
# The directory the typst package is installed in, where TYPST_RENDERER, run without `site`, imports it from.
TYPST_DIRECTORY = str(importlib.metadata.distribution("typst").locate_file(""))
FONTS = Path(settings.BASE_DIR) / "static" / "fonts"
SIGNATURE_ANCHOR = "signature-box"
FIXED_PT = {"unit": 46, "kind": 43, "reprogrammings": 38, "execution": 77}
FONT_PT = 7  # the table's font size in report.typ
DIGIT_EM = 0.57  # a bold DejaVu Sans Condensed digit; commas, dots and signs are narrower
MARK_EM = 0.33
CELL_EXTRA_PT = 6  # inset, stroke and a little air
AMOUNT_MIN_PT = 42  # "Septiembre" in the header
PERCENT_MIN_PT = 50  # "cuatrimestre" in the header


@dataclass(frozen=True)
class Pdf:
    """A rendered PDF and where its visible signature goes: (page index, box in points from the bottom left)."""

    content: bytes
    anchor: tuple


def metadata_date(snapshot):
    """The approval time as a W3C date for the PDF's creation date; None (no date) for a draft."""
    return timezone.localtime(snapshot.approved_at).replace(microsecond=0).isoformat() if snapshot else None


def printed_width(value, minimum):
    """Points that `value`, printed as 14,466,570.00, needs in its cell."""
    text = f"{value:,.2f}"
    digits = sum(character.isdigit() for character in text)
    em = digits * DIGIT_EM + (len(text) - digits) * MARK_EM
    return max(minimum, em * FONT_PT + CELL_EXTRA_PT)


def figure_rows(report):
    for section in report.sections:
        for product in section.products:
            for item in (product, *product.subproducts):
                yield item.physical
                yield item.financial


def widest(report, values, minimum):
    return max(
        (printed_width(value, minimum) for figures in figure_rows(report) for value in values(figures)),
        default=minimum,
    )


def column_widths(report):
    """{column: width in points}, each figure column as wide as its longest printed figure (a ministry's billions
    fit as well as a small institution's thousands, and every section's table lines up); the name takes the rest."""
    return {
        **FIXED_PT,
        "initial": widest(report, lambda figures: (figures.initial,), AMOUNT_MIN_PT),
        "current": widest(report, lambda figures: (figures.current,), AMOUNT_MIN_PT),
        "month": widest(report, lambda figures: (*figures.months, figures.total), AMOUNT_MIN_PT),
        "pct_period": widest(report, lambda figures: (figures.pct_period,), PERCENT_MIN_PT),
        "cumulative": widest(report, lambda figures: (figures.cumulative,), AMOUNT_MIN_PT),
        "pct_cumulative": widest(report, lambda figures: (figures.pct_cumulative,), PERCENT_MIN_PT),
        "pct_cumulative_initial": widest(report, lambda figures: (figures.pct_cumulative_initial,), PERCENT_MIN_PT),
    }


def table_head(report):
    initial, reprogrammings, current, *rest = figure_headings(report)
    months, total = rest[: len(report.months)], rest[len(report.months)]
    pct_period, cumulative, pct_cumulative, pct_cumulative_initial = rest[len(report.months) + 1 :]
    return {
        "name": _("Producto/Subproducto"),
        "unit": _("Unidad de Medida"),
        "kind": _("Metas física/financiera"),
        "initial": initial,
        "reprogrammings": reprogrammings,
        "current": current,
        "execution": _("Ejecución física/financiera"),
        "period": _("Ejecución %(ordinal)s") % {"ordinal": report.ordinal},
        "months": [str(month) for month in months],
        "total": total,
        "pct_period": pct_period,
        "cumulative": cumulative,
        "pct_cumulative": pct_cumulative,
        "pct_cumulative_initial": pct_cumulative_initial,
    }


class RowPrinter:
    """A product's or subproduct's two rows as report.typ takes them: [name, unit, physical cells, financial cells]."""

    def __init__(self):
        self.separators = separators()
        self.executions = (_("Ejecución física"), _("Ejecución financiera"))

    def amount(self, value):
        return printed_amount(value, self.separators)

    def cells(self, figures, execution):
        amount = self.amount
        return [
            amount(figures.initial),
            str(figures.reprogrammings),
            amount(figures.current),
            execution,
            *(amount(value) for value in figures.months),
            amount(figures.total),
            amount(figures.pct_period),
            amount(figures.cumulative),
            amount(figures.pct_cumulative),
            amount(figures.pct_cumulative_initial),
        ]

    def item(self, item):
        physical, financial = self.executions
        return [item.name, item.unit, self.cells(item.physical, physical), self.cells(item.financial, financial)]

    def product(self, product):
        """[the product's rows, then each subproduct's]."""
        return [self.item(item) for item in (product, *product.subproducts)]


def report_data(report, snapshot):
    """Everything report.typ prints, printed and translated in the active language."""
    rows = RowPrinter()
    institution = report.institution
    generated_at = snapshot.approved_at if snapshot else timezone.now()
    created = timezone.localtime(snapshot.approved_at).replace(microsecond=0) if snapshot else None
    return {
        "title": f"{institution.acronym} · {report.title}",
        "author": institution.name,
        "created": None if created is None else list(created.timetuple()[:6]),
        "draft": snapshot is None,
        "watermark": _("BORRADOR"),
        "labels": {
            "system": _("Sistema de Planes Institucionales -SIPLAN-"),
            "heading": _("Reporte de Avance de Metas Físicas y Financieras"),
            "period": _("Ejecución mensual - %(title)s") % {"title": report.title},
            "institution": institution.name.upper(),
            "acronym": institution.acronym,
            "generated": _("Generado el %(when)s")
            % {"when": formats.date_format(timezone.localtime(generated_at), "SHORT_DATETIME_FORMAT")},
            "approval": approval_note(snapshot),
            "page": _("Página"),
            "of": _("de"),
            "axis": _("Eje estratégico:"),
            "action": _("acción estratégica:"),
            "physical": _("Física"),
            "financial": _("Financiera"),
            "signature": _("Firma y sello de la máxima autoridad"),
            "name": _("Nombre:"),
            "verify": _("Verifique este reporte en"),
        },
        "head": table_head(report),
        "widths": column_widths(report),
        "groups": [
            {
                "heading": str(heading),
                "sections": [
                    {
                        "axis": section.strategic_axis,
                        "action": section.strategic_action,
                        "result_label": _("Resultado estratégico")
                        if section.link == "RE"
                        else _("Resultado institucional"),
                        "result": section.result,
                        "products": [rows.product(product) for product in section.products],
                    }
                    for section in sections
                ],
            }
            for heading, sections in report.link_groups
        ],
        "signature": {
            "name": institution.authority_name,
            "title": institution.authority_title,
            "institution": institution.name,
        },
        "verification": None
        if snapshot is None
        else {"url": verification_url(snapshot), "qr": verification_qr_svg(snapshot)},
    }


def printable_tree(value):
    """`value` (JSON's dicts, lists and scalars) with each string's control characters replaced (siplan.text)."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {key: printable_tree(item) for key, item in value.items()}
    if isinstance(value, list):
        return [printable_tree(item) for item in value]
    return value


def report_document(report, snapshot):
    """The report's Pdf: "BORRADOR" across every page until approved; once approved, the approval's data and the
    verification QR code. Typst runs in a process of its own (reports/typst_render.py says why)."""
    request = {
        "source": str(REPORT_SOURCE),
        "fonts": str(FONTS),
        "inputs": {"report": json.dumps(printable_tree(report_data(report, snapshot)), ensure_ascii=False)},
        "anchor": SIGNATURE_ANCHOR,
    }
    done = subprocess.run(
        [sys.executable, "-S", str(TYPST_RENDERER), TYPST_DIRECTORY],
        input=json.dumps(request).encode(),
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"Typst could not lay the report out: {done.stderr.decode(errors='replace')}")
    anchor, _newline, content = done.stdout.partition(b"\n")
    page, *box = json.loads(anchor)
    return Pdf(content, (page, tuple(box)))


@in_document_language
def render_report_pdf(report, snapshot=None):
    return report_document(report, snapshot).content


def html_signature_anchor(document):
    """(page index, box) in PDF points (from the bottom left) of the first #signature-box of a WeasyPrint document;
    None when it has none."""
    for index, page in enumerate(document.pages):
        if SIGNATURE_ANCHOR in page.anchors:
            left, top, right, bottom = page.anchors[SIGNATURE_ANCHOR]
            height = page.height
            return index, (left * PX_TO_PT, (height - bottom) * PX_TO_PT, right * PX_TO_PT, (height - top) * PX_TO_PT)
    return None


_thread_fonts = threading.local()


def font_configuration():
    """This thread's WeasyPrint FontConfiguration, made once: its Pango font map keeps the faces and metrics of the
    fonts it has found (a fifth of an oficio's rendering when made afresh), and the documents print the same bytes
    with it as with a new one. One per thread, as Pango's font maps are not to be shared between threads."""
    if not hasattr(_thread_fonts, "configuration"):
        _thread_fonts.configuration = FontConfiguration()
    return _thread_fonts.configuration


def html_document(html, stylesheets=()):
    """The Pdf WeasyPrint prints from `html` (with `stylesheets`, weasyprint.CSS, besides its own)."""
    document = HTML(string=printable(html)).render(stylesheets=list(stylesheets), font_config=font_configuration())
    return Pdf(document.write_pdf(), html_signature_anchor(document))


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
    return html_document(html)


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
    return html_document(render_to_string("reports/annex_pdf.html", context))


def packaged(oficio, report, annex=None):
    """The oficio followed by the report, and the annex when there is one, in one file: what goes to SEGEPLAN;
    signed at the oficio's signer. The oficio's metadata (its dates fixed at approval) are the package's, and pypdf
    adds nothing variable (no time, no random file identifier), so the same parts give the same bytes."""
    writer = PdfWriter(clone_from=PdfReader(BytesIO(oficio.content)))
    for part in (report, annex):
        if part is not None:
            writer.append(PdfReader(BytesIO(part.content)))
    output = BytesIO()
    writer.write(output)
    return Pdf(output.getvalue(), oficio.anchor)


@in_document_language
def render_oficio_pdf(institution, report, snapshot=None, typist="", circular=""):
    return oficio_document(institution, report, snapshot, typist, circular).content


@in_document_language
def render_package_pdf(institution, report, snapshot=None, typist="", circular=""):
    oficio = oficio_document(institution, report, snapshot, typist, circular)
    return packaged(oficio, report_document(report, snapshot)).content


@in_document_language
def approved_pdfs(institution, report, snapshot):
    """{kind: Pdf} of an approved report: the report, the oficio and the package, each part laid out once."""
    oficio = oficio_document(institution, report, snapshot)
    body = report_document(report, snapshot)
    return {"pdf": body, "oficio": oficio, "paquete": packaged(oficio, body, annex_document(report, snapshot))}
