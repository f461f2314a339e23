from dataclasses import dataclass, replace

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig
from django_tables2.export import TableExport

from goals.access import institution_for_user_or_404, institutions_for
from goals.evidence import evidence_of_months
from goals.roles import can_read_drafts
from goals.versions import cached_figures
from goals.views import paginated
from reports.computation import Report, draft_report, evidence_counts
from reports.formats import FORMATS, filename
from reports.forms import ConsolidatedForm, ReportChoiceForm
from reports.pdf import render_oficio_pdf, render_package_pdf
from reports.services import ReportNotFound, draft_html, draft_json, json_text, plan_years, rendered, report_html
from reports.tables import ConsolidatedTable, consolidated_export

from . import drafts
from .alerts import alerts_before_approval
from .documents import CONTENT_TYPES, SUFFIXES, circular_for
from .models import DocumentKind
from .reading import (
    approved_reports_to_read,
    frozen_report,
    institutions_with_readable_cuatrimestre,
    report_of,
    snapshot_for,
)
from .tasks import served_when_made


def snapshot_or_404(request, code, year, cuatrimestre):
    """(institution, snapshot or None for a draft) of the report the URL names, if the user may read it: drafts only
    for the institution's planners and director, approved reports for every reader of the institution; else a 404."""
    institution = institution_for_user_or_404(request.user, code)
    try:
        snapshot = snapshot_for(institution=institution, year=year, cuatrimestre=cuatrimestre)
    except ReportNotFound as error:
        raise Http404(str(error)) from None
    if snapshot is None and not can_read_drafts(request.user, institution):
        raise Http404(_("Este reporte aún no ha sido aprobado."))
    return institution, snapshot


def report_or_404(request, code, year, cuatrimestre):
    """(institution, report, snapshot): snapshot_or_404's, with the report's figures."""
    institution, snapshot = snapshot_or_404(request, code, year, cuatrimestre)
    report = report_of(institution=institution, year=year, cuatrimestre=cuatrimestre, snapshot=snapshot)
    return institution, report, snapshot


@login_required
def choose(request):
    institutions = institutions_for(request.user)
    years = plan_years(institutions)
    approved = approved_reports_to_read(request.user, institutions)
    form = ReportChoiceForm(request.GET or None, institutions=institutions, years=years, approved=approved)
    if form.is_valid():
        return redirect(
            "reports:report",
            code=form.cleaned_data["institution"].code,
            year=form.cleaned_data["year"],
            cuatrimestre=form.cleaned_data["cuatrimestre"],
        )
    return render(request, "reports/choose.html", {"form": form, "has_plans": bool(years)})


@login_required
def consolidated(request):
    """Every product of the institutions the user may read, with its progress; ?formato=xlsx downloads it whole.
    Who does not read an institution's drafts sees it only once its report of the cuatrimestre is approved."""
    institutions = institutions_for(request.user)
    years = plan_years(institutions)
    form = ConsolidatedForm(request.GET, institutions=institutions, years=years)
    valid = form.is_valid()
    if valid:
        readable = institutions_with_readable_cuatrimestre(
            user=request.user,
            institutions=form.chosen_institutions(),
            year=form.cleaned_data["anio"],
            cuatrimestre=form.cleaned_data["cuatrimestre"],
        )
    table = ConsolidatedTable(form.rows(institutions=readable) if valid else [])
    if valid and request.GET.get("formato") == TableExport.XLSX:
        RequestConfig(request, paginate=False).configure(table)
        export = consolidated_export(
            table, year=form.cleaned_data["anio"], cuatrimestre=form.cleaned_data["cuatrimestre"]
        )
        return export.response(filename=export.dataset.title.lower().replace(" ", "-") + ".xlsx")
    context = {"form": form, "table": paginated(request, table), "has_plans": bool(years)}
    return render(request, "reports/consolidated.html", context)


@dataclass(frozen=True)
class DraftPage:
    """What the report page prints of a draft: its heading (the report without its rows: institution, title,
    period), its body (reports/_report_body.html: the alerts, the table, the medios de verificación) and whether
    its PDF is prepared in the background."""

    heading: Report
    body: str
    pdf_in_background: bool


def draft_page(*, institution, year, cuatrimestre):
    """The draft's DraftPage, once per version of the institution's figures (goals.versions) and per day (an empty
    month's alert names the entry windows closed by today): the report, its alerts and its medios de verificación are
    read inside, after the version, never passed in from an earlier read. The same for every reader: nothing in it
    depends on who reads it (the page's links that do, and its CSRF token, are outside the body)."""

    def render():
        report = draft_report(institution=institution, year=year, cuatrimestre=cuatrimestre)
        evidence = evidence_of_months(institution=institution, year=year, months=report.months)
        context = {
            "report": report,
            "report_html": draft_html(institution=institution, year=year, cuatrimestre=cuatrimestre),
            "evidence": evidence,
            "alerts": alerts_before_approval(institution, report),
        }
        body = render_to_string("reports/_report_body.html", context)
        return DraftPage(replace(report, sections=()), body, drafts.in_background(report))

    parts = ("page", year, cuatrimestre, timezone.localdate())
    return cached_figures(institution=institution, parts=parts, compute=render)


def approved_body(institution, report, snapshot):
    """An approved report's reports/_report_body.html: no alerts, its table rendered once (reports.services.
    report_html), its medios de verificación as listed now."""
    evidence = evidence_of_months(institution=institution, year=report.year, months=report.months)
    context = {
        "report": report,
        "report_html": report_html(report, snapshot, evidence_counts(evidence)),
        "evidence": evidence,
    }
    return render_to_string("reports/_report_body.html", context)


@login_required
def report_page(request, code, year, cuatrimestre):
    institution, snapshot = snapshot_or_404(request, code, year, cuatrimestre)
    if snapshot is None:
        page = draft_page(institution=institution, year=year, cuatrimestre=cuatrimestre)
        report, body, pdf_in_background = page.heading, page.body, page.pdf_in_background
    else:
        report = frozen_report(snapshot.sha256)
        body, pdf_in_background = approved_body(institution, report, snapshot), False
    context = {
        "report": report,
        "body": body,
        "snapshot": snapshot,
        "generated_at": timezone.now(),
        "pdf_in_background": pdf_in_background,
    }
    return render(request, "reports/report.html", context)


@login_required
def report_download(request, code, year, cuatrimestre, extension):
    """A draft rendered now; an approved report's file as stored at approval. POSTed for a large draft's PDF, the
    worker prepares it and the job's page follows it (approvals.drafts)."""
    institution, report, snapshot = report_or_404(request, code, year, cuatrimestre)
    if snapshot is not None:
        return stored_attachment(request, served_when_made(snapshot, extension))
    if request.method == "POST" and extension == "pdf" and drafts.in_background(report):
        return redirect(drafts.start(user=request.user, institution=institution, year=year, cuatrimestre=cuatrimestre))
    return attachment(FORMATS[extension].render(report), FORMATS[extension].content_type, filename(report, extension))


@login_required
def oficio_download(request, code, year, cuatrimestre, package):
    """The oficio alone, or the package (oficio then report) that goes to SEGEPLAN: as stored once approved;
    a draft's is typed by whoever downloads it and cites its period's circular."""
    institution, report, snapshot = report_or_404(request, code, year, cuatrimestre)
    kind = DocumentKind.PACKAGE if package else DocumentKind.OFICIO
    if snapshot is not None:
        return stored_attachment(request, served_when_made(snapshot, kind))
    render_pdf = render_package_pdf if package else render_oficio_pdf
    content = render_pdf(
        institution, report, None, request.user.typist_initials, circular_for(year=year, cuatrimestre=cuatrimestre)
    )
    return attachment(content, "application/pdf", filename(report, "pdf").replace(".pdf", SUFFIXES[kind]))


def attachment(content, content_type, name):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def stored_attachment(request, document):
    """A stored document, the same bytes for everyone: ETag its SHA-256, 304 when the client has it."""
    etag = f'"{document.sha256}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = attachment(document.read(), CONTENT_TYPES[document.kind], document.filename)
    response["ETag"] = etag
    return response


@login_required
def report_json(request, code, year, cuatrimestre):
    institution, snapshot = snapshot_or_404(request, code, year, cuatrimestre)
    if snapshot is None:
        content = draft_json(institution=institution, year=year, cuatrimestre=cuatrimestre)
    else:
        content = rendered(snapshot, "json", lambda: json_text(frozen_report(snapshot.sha256)))
    return HttpResponse(content, content_type="application/json")
