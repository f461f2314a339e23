"""Thin views: scope to the user's institution (404 otherwise), check the role, call a service, redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from goals.access import institution_for_user_or_404
from goals.models import Reprogramming
from reports.alerts import alerts_before_approval
from reports.computation import build_report
from reports.services import ReportNotFound, ensure_report_exists

from . import audit, documents, roles, services
from .forms import AuditSearchForm, VerifyUploadForm
from .models import ReportSnapshot, ReportStatus

REPORT_ACTIONS = {
    "enviar": (services.submit, gettext_lazy("El reporte fue enviado a revisión.")),
    "devolver": (services.return_report, gettext_lazy("El reporte fue devuelto al planificador.")),
    "aprobar": (services.approve, gettext_lazy("El reporte fue aprobado y sus cifras quedaron congeladas.")),
    "reabrir": (services.reopen, gettext_lazy("El reporte fue reabierto; la versión aprobada queda en su historial.")),
}
SIGN_SUCCESS = gettext_lazy("Los documentos fueron firmados; los originales sin firma siguen verificables.")
REPROGRAMMING_ACTIONS = {
    "aprobar": (services.approve_reprogramming, gettext_lazy("La reprogramación fue aprobada.")),
    "reabrir": (services.reopen_reprogramming, gettext_lazy("La reprogramación fue reabierta y está pendiente.")),
}


def reported_cuatrimestre_or_404(institution, year, cuatrimestre):
    """The cuatrimestre, when the institution's year has a plan to report on; else a 404 (no report to act on)."""
    try:
        ensure_report_exists(institution, year, cuatrimestre)
    except ReportNotFound as error:
        raise Http404(str(error)) from None
    return cuatrimestre


def act(request, service, success, *args):
    """Run a service step; its refusal (a ValidationError) is shown to the user, a PermissionDenied is a 403."""
    try:
        service(request.user, *args)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)


@login_required
def report_status(request, code, year, cuatrimestre):
    institution = institution_for_user_or_404(request.user, code)
    report = services.report_state(institution, year, reported_cuatrimestre_or_404(institution, year, cuatrimestre))
    internal = roles.can_read_drafts(request.user, institution)
    snapshots = report.snapshots.select_related("approved_by", "superseded_by") if report.pk else []
    alerts = (
        alerts_before_approval(institution, build_report(institution, year, cuatrimestre))
        if internal and report.status != ReportStatus.APPROVED
        else []
    )
    return render(
        request,
        "approvals/report_status.html",
        {
            "institution": institution,
            "report": report,
            "transitions": report.transitions.select_related("user") if report.pk and internal else [],
            "snapshots": snapshots,
            "can_submit": roles.can_submit(request.user, institution),
            "can_approve": roles.can_approve(request.user, institution),
            "alerts": alerts,
            "stored_documents": documents_listed(report),
            "can_sign": documents.can_sign(request.user, institution, report),
        },
    )


def documents_listed(report):
    """The stored documents of the approval in force, for the status page; [] while not approved."""
    snapshot = report.current_snapshot if report.pk else None
    return documents.documents_of(snapshot) if snapshot else []


@login_required
@require_POST
def sign_documents(request, code, year, cuatrimestre):
    """Firmar documentos: the director signs, afterwards, an approval made without a certificate."""
    institution = institution_for_user_or_404(request.user, code)
    act(request, documents.sign_documents, SIGN_SUCCESS, institution, year, reported_cuatrimestre_or_404(institution, year, cuatrimestre))
    return redirect("approvals:report_status", code=institution.code, year=year, cuatrimestre=cuatrimestre)


@login_required
@require_POST
def report_action(request, code, year, cuatrimestre, action):
    institution = institution_for_user_or_404(request.user, code)
    if action not in REPORT_ACTIONS:
        raise Http404
    service, success = REPORT_ACTIONS[action]
    act(request, service, success, institution, year, reported_cuatrimestre_or_404(institution, year, cuatrimestre), request.POST.get("comment", ""))
    return redirect("approvals:report_status", code=institution.code, year=year, cuatrimestre=cuatrimestre)


@login_required
def snapshot_json(request, code, sha256):
    """An approved version exactly as stored (in force or superseded): its SHA-256 is the file's."""
    institution = institution_for_user_or_404(request.user, code)
    snapshot = get_object_or_404(ReportSnapshot, report__institution=institution, sha256=sha256)
    response = HttpResponse(snapshot.content, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{snapshot.oficio_number}.json"'
    return response


def verify(request, sha256=None):
    """Public, no login: is this hash, or this uploaded file byte for byte, an approved report or one of its
    stored documents; which one, is it still in force, and does its signature hold?"""
    form = VerifyUploadForm(request.POST or None, request.FILES or None)
    verdict = None
    if request.method == "POST" and form.is_valid():
        try:
            verdict = documents.verify_upload(form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error)
    if verdict is not None:
        sha256 = verdict.sha256
    sha256 = (sha256 or request.GET.get("sha256", "")).strip().lower()
    snapshot = documents.approval_of_hash(sha256) if sha256 else None
    context = {
        "sha256": sha256,
        "snapshot": snapshot,
        "stored_documents": snapshot.documents.select_related("created_by") if snapshot else [],
        "form": form,
        "verdict": verdict,
    }
    return render(request, "approvals/verify.html", context)


def verify_short(request, short):
    """The short URL printed under the QR code: the first characters of the hash."""
    snapshots = ReportSnapshot.objects.filter(sha256__startswith=short.lower())[:2] if len(short) >= 12 else []
    if len(snapshots) != 1:
        return redirect(f"{reverse('approvals:verify_search')}?sha256={short}")
    return redirect("approvals:verify", sha256=snapshots[0].sha256)


def internal_institution_or_404(user, code):
    """The institution whose internal papers (reprogrammings, their resolutions, an item's history) the user reads:
    who reads its drafts (approvals.roles.can_read_drafts); for anyone else they do not exist."""
    institution = institution_for_user_or_404(user, code)
    if not roles.can_read_drafts(user, institution):
        raise Http404
    return institution


@login_required
def reprogrammings(request, code):
    institution = internal_institution_or_404(request.user, code)
    documents = Reprogramming.objects.filter(institution=institution).select_related("approved_by").order_by("date", "id")
    latest = services.latest_approved_reprogramming(institution)
    return render(
        request,
        "approvals/reprogrammings.html",
        {
            "institution": institution,
            "documents": documents,
            "latest": latest,
            "can_approve": roles.can_approve_reprogrammings(request.user, institution),
        },
    )


@login_required
@require_POST
def reprogramming_action(request, code, pk, action):
    institution = institution_for_user_or_404(request.user, code)
    reprogramming = get_object_or_404(Reprogramming, institution=institution, pk=pk)
    if action not in REPROGRAMMING_ACTIONS:
        raise Http404
    service, success = REPROGRAMMING_ACTIONS[action]
    act(request, service, success, reprogramming)
    return redirect("approvals:reprogrammings", code=institution.code)


@login_required
def resolution_pdf(request, code, pk):
    institution = internal_institution_or_404(request.user, code)
    reprogramming = get_object_or_404(Reprogramming, institution=institution, pk=pk)
    if not reprogramming.resolution_pdf:
        raise Http404
    return FileResponse(reprogramming.resolution_pdf.open("rb"), content_type="application/pdf")


@login_required
def audit_log(request, code):
    institution = institution_for_user_or_404(request.user, code)
    if not roles.can_audit(request.user, institution):
        raise Http404
    form = AuditSearchForm(request.GET or None)
    entries = audit.search(institution, **(form.cleaned_data if form.is_valid() else {}))
    return render(request, "approvals/audit_log.html", {"institution": institution, "form": form, "entries": entries})


@login_required
def item_history(request, code, kind, pk):
    institution = internal_institution_or_404(request.user, code)
    item = audit.plan_item_or_404(institution, kind, pk)
    return render(
        request,
        "approvals/item_history.html",
        {"institution": institution, "item": item, "entries": audit.item_history(item)},
    )
