import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig
from django_tables2.export import TableExport

from goals.access import institution_for_user_or_404, institutions_for
from goals.evidence import evidence_of_months
from goals.roles import can_read_drafts
from goals.views import paginated
from reports.computation import evidence_counts, report_to_dict
from reports.formats import FORMATS, filename
from reports.forms import ConsolidatedForm, ReportChoiceForm
from reports.pdf import render_oficio_pdf, render_package_pdf
from reports.services import ReportNotFound, draft_html, plan_years, rendered, report_html
from reports.tables import ConsolidatedTable, consolidated_export

from . import drafts
from .alerts import alerts_before_approval
from .documents import CONTENT_TYPES, SUFFIXES, circular_for
from .models import DocumentKind
from .reading import approved_reports_to_read, institutions_with_readable_cuatrimestre, report_for
from .tasks import served_when_made


def report_or_404(request, code, year, cuatrimestre):
    """(institution, report, snapshot) the URL names, if the user may read it: drafts only for the institution's
    planners and director, approved reports for every reader of the institution; else a 404."""
    institution = institution_for_user_or_404(request.user, code)
    try:
        report, snapshot = report_for(institution=institution, year=year, cuatrimestre=cuatrimestre)
    except ReportNotFound as error:
        raise Http404(str(error)) from None
    if snapshot is None and not can_read_drafts(request.user, institution):
        raise Http404(_("Este reporte aún no ha sido aprobado."))
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


@login_required
def report_page(request, code, year, cuatrimestre):
    institution, report, snapshot = report_or_404(request, code, year, cuatrimestre)
    alerts = alerts_before_approval(institution, report) if snapshot is None else []
    evidence = evidence_of_months(institution=institution, year=year, months=report.months)
    context = {
        "report": report,
        "report_html": (
            report_html(report, snapshot, evidence_counts(evidence))
            if snapshot is not None
            else draft_html(institution=institution, year=year, cuatrimestre=cuatrimestre)
        ),
        "evidence": evidence,
        "snapshot": snapshot,
        "alerts": alerts,
        "generated_at": timezone.now(),
        "pdf_in_background": snapshot is None and drafts.in_background(report),
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
    _institution, report, snapshot = report_or_404(request, code, year, cuatrimestre)
    content = rendered(snapshot, "json", lambda: json.dumps(report_to_dict(report), ensure_ascii=False))
    return HttpResponse(content, content_type="application/json")
