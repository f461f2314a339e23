from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig
from django_tables2.export import TableExport

from approvals.documents import served_of
from approvals.forms import PasswordConfirmationForm, SignLaterForm
from approvals.report_views import stored_attachment
from goals.access import institutions_for
from goals.models import FIRST_YEAR, LAST_YEAR
from goals.periods import CUATRIMESTRES
from goals.roles import can_prepare_congress_report
from goals.views import paginated
from jobs.models import JobStatus
from jobs.services import enqueue
from jobs.views import job_for_user_or_404
from reports.tables import XlsxExport

from . import bulk, congress
from .follow_up import SHEET_HEADERS, follow_up_rows, rates
from .forms import CONGRESS_SIGNING, CongressReopenForm, CuatrimestreForm, FollowUpForm
from .models import CongressReport
from .tables import FollowUpTable


def require_oversight(user):
    """Pages across institutions are for oversight staff and superusers; anyone else gets a 404."""
    if not user.reads_several_institutions:
        raise Http404("Página no encontrada")


@login_required
def follow_up(request):
    """Who has reported, for oversight staff and superusers; ?formato=xlsx downloads it whole, in the page's order."""
    require_oversight(request.user)
    form = FollowUpForm(request.GET, institutions=institutions_for(request.user))
    rows, summary = [], None
    if form.is_valid():
        rows = follow_up_rows(form.chosen_institutions(), form.cleaned_data["anio"], form.cleaned_data["cuatrimestre"])
        summary = rates(rows)
        if form.cleaned_data["resultado"]:
            rows = [row for row in rows if row.outcome == form.cleaned_data["resultado"]]
    table = FollowUpTable(rows)
    if form.is_valid() and request.GET.get("formato") == TableExport.XLSX:
        RequestConfig(request, paginate=False).configure(table)
        name = _("Seguimiento %(year)s C%(cuatrimestre)s") % {
            "year": form.cleaned_data["anio"],
            "cuatrimestre": form.cleaned_data["cuatrimestre"],
        }
        sheets = [(_("Tasas"), SHEET_HEADERS, summary.sheet())]
        return XlsxExport(table, title=name, more_sheets=sheets).response(
            filename=name.lower().replace(" ", "-") + ".xlsx"
        )
    context = {
        "form": form,
        "table": paginated(request, table),
        "rates": summary,
        "bulk_form": CuatrimestreForm(initial=form.cleaned_data) if form.is_valid() else None,
        "congress_url": congress.page_url(
            year=form.cleaned_data["anio"], cuatrimestre=form.cleaned_data["cuatrimestre"]
        )
        if form.is_valid() and can_prepare_congress_report(request.user)
        else None,
    }
    return render(request, "oversight/follow_up.html", context)


@login_required
@require_POST
def bulk_start(request):
    """Start building the zip of every approved package of a cuatrimestre; the job's page follows its progress."""
    require_oversight(request.user)
    form = CuatrimestreForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Elija un año y un cuatrimestre válidos."))
        return redirect("oversight:follow_up")
    data = form.cleaned_data
    year, cuatrimestre = data["anio"], data["cuatrimestre"]
    again_url = f"{reverse('oversight:follow_up')}?{urlencode({'anio': year, 'cuatrimestre': cuatrimestre})}"
    job = enqueue(
        bulk.build_bulk_zip, bulk.KIND, user=request.user, again_url=again_url, year=year, cuatrimestre=cuatrimestre
    )
    return redirect("jobs:job", pk=job.pk)


@login_required
def bulk_download(request, pk, year, cuatrimestre):
    """The finished zip, for the user who asked for it (or a superuser), streamed from storage."""
    require_oversight(request.user)
    job = job_for_user_or_404(request.user, pk)
    name = bulk.stored_name(job_id=job.pk, year=year, cuatrimestre=cuatrimestre)
    if job.expired_at is not None:
        return redirect("jobs:job", pk=job.pk)
    if job.kind != bulk.KIND or job.status != JobStatus.DONE or not default_storage.exists(name):
        raise Http404("Descarga no encontrada")
    filename = bulk.zip_filename(year=year, cuatrimestre=cuatrimestre)
    return FileResponse(default_storage.open(name, "rb"), as_attachment=True, filename=filename)


def congress_or_404(user, year, cuatrimestre):
    """Only who reads every institution sees the Congress report (anyone else: 404), of a year siplan keeps."""
    if not (can_prepare_congress_report(user) and FIRST_YEAR <= year <= LAST_YEAR and cuatrimestre in CUATRIMESTRES):
        raise Http404("Página no encontrada")


def render_congress(request, year, cuatrimestre, approval_form=None, reopen_form=None, sign_form=None):
    report = congress.in_force(year=year, cuatrimestre=cuatrimestre)
    documents = list(report.documents.all()) if report else []
    context = {
        "year": year,
        "cuatrimestre": cuatrimestre,
        "title": congress.title(year=year, cuatrimestre=cuatrimestre),
        "report": report,
        "data": report.data if report else None,
        "reopened": congress.reopened_since(report) if report else [],
        "newly_approved": congress.newly_approved(report) if report else 0,
        "documents": documents,
        # The one a download link gets for each kind: the signed copy once there is one (an original has no link).
        "served": [served_of(documents, document.kind) for document in documents],
        "approval_form": approval_form or PasswordConfirmationForm(request=request),
        "reopen_form": reopen_form or CongressReopenForm(),
        "can_sign": congress.can_sign(request.user, report),
        "sign_form": sign_form or SignLaterForm(confirmation=CONGRESS_SIGNING),
        "history": CongressReport.objects.filter(
            year=year, cuatrimestre=cuatrimestre, superseded_at__isnull=False
        ).select_related("approved_by", "superseded_by"),
    }
    return render(request, "oversight/congress.html", context)


@login_required
def congress_page(request, year, cuatrimestre):
    """The Congress report of a cuatrimestre: its state, the institutions in it and missing, its documents."""
    congress_or_404(request.user, year, cuatrimestre)
    return render_congress(request, year, cuatrimestre)


@login_required
@require_POST
def congress_build(request, year, cuatrimestre):
    """Build (or rebuild) the draft in the background; the job's page shows its progress."""
    congress_or_404(request.user, year, cuatrimestre)
    job = congress.start_build(user=request.user, year=year, cuatrimestre=cuatrimestre)
    return redirect("jobs:job", pk=job.pk)


@login_required
@require_POST
def congress_approve(request, year, cuatrimestre):
    """Approval is deliberate: the approver's password again, checked as a login; a wrong one approves nothing."""
    congress_or_404(request.user, year, cuatrimestre)
    form = PasswordConfirmationForm(request.POST, request=request)
    if not form.is_valid():
        return render_congress(request, year, cuatrimestre, approval_form=form)
    try:
        job = congress.approve(user=request.user, year=year, cuatrimestre=cuatrimestre)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("oversight:congress", year=year, cuatrimestre=cuatrimestre)
    return redirect("jobs:job", pk=job.pk)


@login_required
@require_POST
def congress_reopen(request, year, cuatrimestre):
    congress_or_404(request.user, year, cuatrimestre)
    form = CongressReopenForm(request.POST)
    if not form.is_valid():
        return render_congress(request, year, cuatrimestre, reopen_form=form)
    try:
        congress.reopen(user=request.user, year=year, cuatrimestre=cuatrimestre, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("El reporte para el Congreso fue reabierto; la versión aprobada queda en su historial.")
        )
    return redirect("oversight:congress", year=year, cuatrimestre=cuatrimestre)


@login_required
@require_POST
def congress_sign(request, year, cuatrimestre):
    """Sign afterwards an approval made before SEGEPLAN's certificate was configured, once confirmed."""
    congress_or_404(request.user, year, cuatrimestre)
    form = SignLaterForm(request.POST, confirmation=CONGRESS_SIGNING)
    if not form.is_valid():
        return render_congress(request, year, cuatrimestre, sign_form=form)
    try:
        congress.sign(user=request.user, year=year, cuatrimestre=cuatrimestre)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("El PDF del reporte para el Congreso fue firmado; el original sin firma sigue verificable.")
        )
    return redirect("oversight:congress", year=year, cuatrimestre=cuatrimestre)


@login_required
def congress_download(request, year, cuatrimestre, extension):
    """The approved report's PDF or Excel as stored at approval (the PDF's signed copy once signed later): the same
    bytes every time, ETag its SHA-256."""
    congress_or_404(request.user, year, cuatrimestre)
    report = congress.in_force(year=year, cuatrimestre=cuatrimestre)
    document = served_of(congress.documents_of(report), extension) if report else None
    if document is None:
        raise Http404("Documento no encontrado")
    return stored_attachment(request, document)
