"""Thin views: scope to the user's institution (404 otherwise), check the role, call a service, redirect."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from goals import roles
from goals.access import institution_for_user_or_404
from goals.evidence import evidence_of_months
from goals.models import Evidence, Reprogramming
from goals.reading import readable_months
from reports.computation import build_report, evidence_counts
from reports.services import ReportNotFound, draft_html, ensure_report_exists, report_html

from . import audit, conversation, documents, justifications, services
from .forms import ApprovalForm, AuditSearchForm, SignLaterForm, VerifyUploadForm
from .models import JUSTIFICATION_MAX_CHARS, ReportSnapshot, ReportStatus
from .review import report_review

# action: (service, success message, the service's keyword for the form's "comment")
REPORT_ACTIONS: dict[str, tuple[Callable[..., object], str | Promise, str]] = {
    "enviar": (services.submit, gettext_lazy("El reporte fue enviado a revisión."), "comment"),
    "devolver": (services.return_report, gettext_lazy("El reporte fue devuelto al planificador."), "comment"),
    "comentar": (conversation.post_comment, gettext_lazy("Su comentario fue publicado."), "text"),
    "reabrir": (
        services.reopen,
        gettext_lazy("El reporte fue reabierto; la versión aprobada queda en su historial."),
        "reason",
    ),
}
APPROVED = gettext_lazy("El reporte fue aprobado y sus cifras quedaron congeladas.")
SIGN_SUCCESS = gettext_lazy("Los documentos fueron firmados; los originales sin firma siguen verificables.")
# What the director confirms before signing the approved documents afterwards (SignLaterForm).
SIGNING = gettext_lazy(
    "Confirmo que firmo el reporte, el oficio y el paquete aprobados con el certificado de la institución; "
    "los originales sin firma se conservan."
)
REPROGRAMMING_ACTIONS: dict[str, tuple[Callable[..., object], str | Promise]] = {
    "aprobar": (services.approve_reprogramming, gettext_lazy("La reprogramación fue aprobada.")),
    "reabrir": (services.reopen_reprogramming, gettext_lazy("La reprogramación fue reabierta y está pendiente.")),
}


def reported_cuatrimestre_or_404(institution, year, cuatrimestre):
    """The cuatrimestre, when the institution's year has a plan to report on; else a 404 (no report to act on)."""
    try:
        ensure_report_exists(institution=institution, year=year, cuatrimestre=cuatrimestre)
    except ReportNotFound as error:
        raise Http404(str(error)) from None
    return cuatrimestre


def act(request: HttpRequest, service: Callable[..., object], success: str | Promise, **arguments: object) -> None:
    """Run a service step as the signed-in user, its arguments by keyword; its refusal (a ValidationError) is shown
    to the user, a PermissionDenied is a 403."""
    try:
        service(user=request.user, **arguments)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, str(success))


def status_report_html(institution, year, cuatrimestre, review, evidence):
    """The report as its page renders it: the snapshot's, the draft's (cached: reports.services.draft_html), or none
    to who may not read the figures."""
    if review.figures is None:
        return ""
    if review.snapshot is None:
        return draft_html(institution=institution, year=year, cuatrimestre=cuatrimestre)
    return report_html(review.figures, review.snapshot, evidence_counts(evidence))


def render_status(request, institution, year, cuatrimestre, approval_form=None, sign_form=None):
    """The report's status page: its state, and to those who read drafts its figures, alerts and changes."""
    review = report_review(user=request.user, institution=institution, year=year, cuatrimestre=cuatrimestre)
    can_approve = roles.can_approve(request.user, institution)
    if approval_form is None and can_approve:
        approval_form = ApprovalForm(initial={"typist_initials": review.proposed_initials}, request=request)
    figures = review.figures
    evidence = (
        evidence_of_months(institution=institution, year=year, months=figures.months) if figures is not None else []
    )
    stored = list(review.snapshot.documents.select_related("created_by")) if review.snapshot else []
    context = {
        "institution": institution,
        "report": review.report,
        "review": review,
        "report_html": status_report_html(institution, year, cuatrimestre, review, evidence),
        "evidence": evidence,
        "alerts": review.alerts,
        "can_submit": roles.can_submit(request.user, institution),
        "can_approve": can_approve,
        "approval_form": approval_form,
        # Listed as stored, never made here: the approval's job makes them on the worker tier (approvals.tasks).
        "stored_documents": stored,
        "documents_pending": review.snapshot is not None and not stored,
        "can_sign": documents.can_sign(request.user, institution, review.report),
        "sign_form": sign_form or SignLaterForm(confirmation=SIGNING),
        "thread": conversation.thread(review.report, review.transitions)
        if conversation.may_converse(request.user, institution)
        else None,
    }
    return render(request, "approvals/report_status.html", context)


@login_required
def report_status(request, code, year, cuatrimestre):
    return render_status(request, institution_for_user_or_404(request.user, code), year, cuatrimestre)


def posted(request, prefix):
    """{field id: value} of the POST's fields named `prefix`<field id>."""
    return {name.removeprefix(prefix): value for name, value in request.POST.items() if name.startswith(prefix)}


@login_required
def justifications_page(request, code, year, cuatrimestre):
    """The planner answers the draft's deviations; a save never overwrites what someone saved after the page opened."""
    institution = institution_for_user_or_404(request.user, code)
    cuatrimestre = reported_cuatrimestre_or_404(institution, year, cuatrimestre)
    if not roles.can_read_drafts(request.user, institution):
        raise Http404
    figures = build_report(institution=institution, year=year, cuatrimestre=cuatrimestre)
    if request.method == "POST":
        try:
            with transaction.atomic():
                changed = justifications.save_justifications(
                    user=request.user,
                    institution=institution,
                    report=figures,
                    answers=posted(request, "text-"),
                    versions=posted(request, "version-"),
                )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            saved = ngettext("Se guardó %(count)s justificación.", "Se guardaron %(count)s justificaciones.", changed)
            messages.success(request, saved % {"count": changed})
            return redirect("approvals:justifications", code=institution.code, year=year, cuatrimestre=cuatrimestre)
    report = services.report_state(institution=institution, year=year, cuatrimestre=cuatrimestre)
    context = {
        "institution": institution,
        "report": report,
        "deviations": justifications.deviations(institution=institution, report=figures),
        "editable": roles.can_submit(request.user, institution) and report.status == ReportStatus.DRAFT,
        "max_chars": JUSTIFICATION_MAX_CHARS,
    }
    return render(request, "approvals/justifications.html", context)


@login_required
@require_POST
def approve_report(request, code, year, cuatrimestre):
    """Approval is deliberate: the director's password again, checked as a login; a wrong one approves nothing."""
    institution = institution_for_user_or_404(request.user, code)
    cuatrimestre = reported_cuatrimestre_or_404(institution, year, cuatrimestre)
    services.require(roles.can_approve(request.user, institution))
    form = ApprovalForm(request.POST, request=request)
    if not form.is_valid():
        return render_status(request, institution, year, cuatrimestre, approval_form=form)
    act(
        request,
        services.approve,
        APPROVED,
        institution=institution,
        year=year,
        cuatrimestre=cuatrimestre,
        comment=form.cleaned_data["comment"],
        typist_initials=form.cleaned_data["typist_initials"],
    )
    return redirect("approvals:report_status", code=institution.code, year=year, cuatrimestre=cuatrimestre)


@login_required
@require_POST
def sign_documents(request, code, year, cuatrimestre):
    """Firmar documentos: the director signs, afterwards, an approval made without a certificate, once confirmed."""
    institution = institution_for_user_or_404(request.user, code)
    cuatrimestre = reported_cuatrimestre_or_404(institution, year, cuatrimestre)
    services.require(roles.can_approve(request.user, institution))
    form = SignLaterForm(request.POST, confirmation=SIGNING)
    if not form.is_valid():
        return render_status(request, institution, year, cuatrimestre, sign_form=form)
    act(
        request,
        documents.sign_documents,
        SIGN_SUCCESS,
        institution=institution,
        year=year,
        cuatrimestre=cuatrimestre,
    )
    return redirect("approvals:report_status", code=institution.code, year=year, cuatrimestre=cuatrimestre)


@login_required
@require_POST
def report_action(request, code, year, cuatrimestre, action):
    institution = institution_for_user_or_404(request.user, code)
    if action not in REPORT_ACTIONS:
        raise Http404
    service, success, text = REPORT_ACTIONS[action]
    act(
        request,
        service,
        success,
        institution=institution,
        year=year,
        cuatrimestre=reported_cuatrimestre_or_404(institution, year, cuatrimestre),
        **{text: request.POST.get("comment", "")},
    )
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
        "other": documents.recognised(sha256) if sha256 and snapshot is None else None,
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
    who reads its drafts (goals.roles.can_read_drafts); for anyone else they do not exist."""
    institution = institution_for_user_or_404(user, code)
    if not roles.can_read_drafts(user, institution):
        raise Http404
    return institution


@login_required
def reprogrammings(request, code):
    institution = internal_institution_or_404(request.user, code)
    documents = (
        Reprogramming.objects.filter(institution=institution).select_related("approved_by").order_by("date", "id")
    )
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
    act(request, service, success, reprogramming=reprogramming)
    return redirect("approvals:reprogrammings", code=institution.code)


@login_required
def resolution_pdf(request, code, pk):
    institution = internal_institution_or_404(request.user, code)
    reprogramming = get_object_or_404(Reprogramming, institution=institution, pk=pk)
    if not reprogramming.resolution_pdf:
        raise Http404
    return FileResponse(reprogramming.resolution_pdf.open("rb"), content_type="application/pdf")


@login_required
def evidence_download(request, code, pk):
    """A medio de verificación, to whoever may read its month's figures (approvals.reading): always as an attachment
    of the type its content was checked to be, never sniffed into another."""
    institution = institution_for_user_or_404(request.user, code)
    evidence = get_object_or_404(Evidence, institution=institution, pk=pk)
    if evidence.month not in readable_months(user=request.user, institution=institution, year=evidence.year):
        raise PermissionDenied(gettext("Los medios de verificación de un mes se leen una vez aprobado su reporte."))
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def audit_log(request, code):
    institution = institution_for_user_or_404(request.user, code)
    if not roles.can_audit(request.user, institution):
        raise Http404
    form = AuditSearchForm({key: value for key, value in request.GET.items() if key != "page"} or None)
    if form.is_bound and not form.is_valid():
        return render(request, "approvals/audit_log.html", {"institution": institution, "form": form, "entries": []})
    page = Paginator(audit.search(institution, **(form.cleaned_data if form.is_bound else {})), audit.AUDIT_PAGE)
    page = page.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "institution": institution,
        "form": form,
        "entries": page.object_list,
        "page": page,
        "query": query.urlencode(),
    }
    return render(request, "approvals/audit_log.html", context)


@login_required
def item_history(request, code, kind, pk):
    institution = internal_institution_or_404(request.user, code)
    item = audit.plan_item_or_404(institution, kind, pk)
    return render(
        request,
        "approvals/item_history.html",
        {"institution": institution, "item": item, "entries": audit.item_history(item)},
    )
