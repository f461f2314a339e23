"""The report's path (submit, return, approve, reopen) and the reprogramming's (approve, reopen).

Each step runs in one transaction, takes the institution's lock (the one every write of its data takes,
approvals.locks.lock_institutions) and re-reads the row under select_for_update, so two people acting at
once cannot both move it (two directors cannot both approve) and a write checked before a submission or
an approval either commits before it or is refused.

Cuatrimestres close in order, as in SIPLAN: a report is approved only once the earlier ones of its year
are, and reopened only while no later one is approved. Submission is not ordered (SIPLAN lets a report
be sent while an earlier one is being corrected); since a report in review freezes every month it
prints from January, a later report in review keeps a returned earlier one frozen until it too is returned.
"""

import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from goals import roles, versions
from goals.evidence import evidence_of_months, evidence_to_list
from goals.freeze import lock_institutions
from goals.models import Institution, Reprogramming, ReprogrammingStatus
from goals.periods import CUATRIMESTRES
from goals.queries import latest_approved_reprogramming, validate_reprogramming_order
from goals.validators import multi_line
from reports.annex import EVIDENCE_KEY, JUSTIFICATIONS_KEY
from reports.computation import build_report, report_to_dict

from . import justifications, signals
from .documents import fix_variable_parts
from .models import (
    CuatrimestreReport,
    ReportAction,
    ReportSnapshot,
    ReportStatus,
    ReportTransition,
    canonical_json,
)
from .tasks import make_documents


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("Su rol no le permite hacer esto."))


def _reports_with_last_action(**filters: Any) -> QuerySet[CuatrimestreReport]:
    """The reports, each annotated with `last_action`, the action of its latest step."""
    last_step = ReportTransition.objects.filter(report=OuterRef("pk")).order_by("-at", "-id").values("action")[:1]
    return CuatrimestreReport.objects.filter(**filters).annotate(last_action=Subquery(last_step))


def _unsaved_report(*, institution: Institution, year: int, cuatrimestre: int) -> CuatrimestreReport:
    report = CuatrimestreReport(institution=institution, year=year, cuatrimestre=cuatrimestre)
    report.last_action = None  # type: ignore[attr-defined]  # annotated on saved rows by the query
    return report


def report_state(*, institution: Institution, year: int, cuatrimestre: int) -> CuatrimestreReport:
    """The report's row with its `last_action`; an unsaved draft when nobody has acted on it yet."""
    return _reports_with_last_action(institution=institution, year=year, cuatrimestre=cuatrimestre).first() or (
        _unsaved_report(institution=institution, year=year, cuatrimestre=cuatrimestre)
    )


def report_states(*, institution: Institution, year: int) -> list[CuatrimestreReport]:
    """The year's three reports in cuatrimestre order, in one query; each carries `last_action`, its latest step
    (None when nobody has acted on it yet)."""
    saved = {report.cuatrimestre: report for report in _reports_with_last_action(institution=institution, year=year)}
    return [
        saved.get(cuatrimestre) or _unsaved_report(institution=institution, year=year, cuatrimestre=cuatrimestre)
        for cuatrimestre in CUATRIMESTRES
    ]


def reviewed_content(report: CuatrimestreReport) -> tuple[ReportTransition, dict[str, Any]] | None:
    """(step, report dict): what the report's latest submission or approval held, to show what changed since;
    None before any, or when that submission predates stored submissions."""
    step = (
        report.transitions.filter(action__in=[ReportAction.SUBMIT, ReportAction.APPROVE])
        .select_related("user")
        .order_by("-at", "-id")
        .first()
        if report.pk
        else None
    )
    if step is None:
        return None
    if step.action == ReportAction.SUBMIT:
        return (step, json.loads(step.submitted_report)) if step.submitted_report else None
    snapshot = report.snapshots.order_by("-approved_at", "-id").first()
    return (step, snapshot.data["report"]) if snapshot else None


def snapshot_in_force(*, institution: Institution, year: int, cuatrimestre: int) -> ReportSnapshot | None:
    """The approved, frozen report, or None while it is not approved; its content is read only when asked for."""
    return (
        ReportSnapshot.objects.defer("content")
        .filter(
            report__institution=institution,
            report__year=year,
            report__cuatrimestre=cuatrimestre,
            superseded_at__isnull=True,
        )
        .select_related("report__institution", "approved_by")
        .first()
    )


def _locked(*, institution: Institution, year: int, cuatrimestre: int) -> CuatrimestreReport:
    """The report's row, locked after the institution's write lock."""
    lock_institutions(institution)
    report, _created = CuatrimestreReport.objects.get_or_create(
        institution=institution, year=year, cuatrimestre=cuatrimestre
    )
    return CuatrimestreReport.objects.select_for_update().get(pk=report.pk)


def _expect(report: CuatrimestreReport, expected: ReportStatus, action: ReportAction) -> None:
    if report.status != expected:
        verbs = {
            ReportAction.SUBMIT: _("enviarlo a revisión"),
            ReportAction.RETURN: _("devolverlo"),
            ReportAction.APPROVE: _("aprobarlo"),
            ReportAction.REOPEN: _("reabrirlo"),
        }
        raise ValidationError(
            _("El reporte del %(report)s está en estado «%(status)s»: no se puede %(verb)s.")
            % {"report": report.title, "status": report.get_status_display(), "verb": verbs[action]}
        )


def _move(
    report: CuatrimestreReport,
    action: ReportAction,
    expected: ReportStatus,
    new_status: ReportStatus,
    user: User,
    comment: str,
    submitted_report: str = "",
) -> CuatrimestreReport:
    _expect(report, expected, action)
    multi_line(comment)
    ReportTransition.objects.create(
        report=report,
        action=action,
        from_status=report.status,
        to_status=new_status,
        user=user,
        comment=comment,
        submitted_report=submitted_report,
    )
    report.status = new_status
    report.save(update_fields=["status"])
    signals.report_moved.send(sender=CuatrimestreReport, report=report, action=action, user=user, comment=comment)
    return report


def _required(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(message)
    return text


@transaction.atomic
def submit(
    *, user: User, institution: Institution, year: int, cuatrimestre: int, comment: str = ""
) -> CuatrimestreReport:
    require(roles.can_submit(user, institution))
    report = _locked(institution=institution, year=year, cuatrimestre=cuatrimestre)
    figures = build_report(institution=institution, year=year, cuatrimestre=cuatrimestre)
    if report.status == ReportStatus.DRAFT:
        justifications.ensure_required_answered(institution=institution, report=figures)
    content = canonical_json(report_to_dict(figures))
    return _move(
        report, ReportAction.SUBMIT, ReportStatus.DRAFT, ReportStatus.IN_REVIEW, user, comment.strip(), content
    )


@transaction.atomic
def return_report(
    *, user: User, institution: Institution, year: int, cuatrimestre: int, comment: str
) -> CuatrimestreReport:
    require(roles.can_approve(user, institution))
    comment = _required(comment, _("Escriba qué debe corregirse antes de devolver el reporte."))
    report = _locked(institution=institution, year=year, cuatrimestre=cuatrimestre)
    return _move(report, ReportAction.RETURN, ReportStatus.IN_REVIEW, ReportStatus.DRAFT, user, comment)


def _approved_cuatrimestres(report: CuatrimestreReport) -> set[int]:
    return set(
        CuatrimestreReport.objects.filter(
            institution=report.institution_id, year=report.year, status=ReportStatus.APPROVED
        ).values_list("cuatrimestre", flat=True)
    )


def ensure_earlier_approved(report: CuatrimestreReport) -> None:
    """Refuse approving a cuatrimestre before the earlier ones of its year, naming the first one missing."""
    approved = _approved_cuatrimestres(report)
    missing = next(
        (earlier for earlier in CUATRIMESTRES if earlier < report.cuatrimestre and earlier not in approved), None
    )
    if missing is not None:
        earlier = CuatrimestreReport(institution_id=report.institution_id, year=report.year, cuatrimestre=missing)
        raise ValidationError(
            _(
                "El %(report)s no puede aprobarse antes que el %(earlier)s, que aún no está aprobado: "
                "los cuatrimestres se aprueban en orden."
            )
            % {"report": report.title, "earlier": earlier.title}
        )


def ensure_no_later_approved(report: CuatrimestreReport) -> None:
    """Refuse reopening a report while a later one of its year is approved, naming the latest."""
    later = sorted(
        cuatrimestre for cuatrimestre in _approved_cuatrimestres(report) if cuatrimestre > report.cuatrimestre
    )
    if later:
        latest = CuatrimestreReport(institution_id=report.institution_id, year=report.year, cuatrimestre=later[-1])
        raise ValidationError(
            _("El %(report)s no puede reabrirse mientras el %(later)s esté aprobado: reabra primero ese reporte.")
            % {"report": report.title, "later": latest.title}
        )


def next_oficio_number(*, institution: Institution, year: int) -> tuple[int, str]:
    """The institution's next correlative of the year: OFICIO-IGM-DG-001-2025. Call with the institution locked."""
    last = ReportSnapshot.objects.filter(report__institution=institution, oficio_year=year).aggregate(
        last=Max("oficio_sequence")
    )["last"]
    sequence = (last or 0) + 1
    return sequence, f"OFICIO-{institution.acronym}-{institution.issuing_office}-{sequence:03d}-{year}"


@transaction.atomic
def approve(
    *, user: User, institution: Institution, year: int, cuatrimestre: int, comment: str = "", typist_initials: str = ""
) -> ReportSnapshot:
    """Freeze the report: its JSON and SHA-256, the approver, the time and the oficio's correlative number, its
    justifications and the list of its months' medios de verificación with each file's SHA-256; the oficio's typist
    (blank: the submitter's) and circular; its documents are made by a job once this commits."""
    require(roles.can_approve(user, institution))
    report = _locked(institution=institution, year=year, cuatrimestre=cuatrimestre)
    _expect(report, ReportStatus.IN_REVIEW, ReportAction.APPROVE)
    ensure_earlier_approved(report)
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    approved_at = timezone.now()
    oficio_year = timezone.localdate(approved_at).year
    sequence, oficio_number = next_oficio_number(institution=institution, year=oficio_year)
    figures = build_report(institution=institution, year=year, cuatrimestre=cuatrimestre)
    answered = justifications.deviations(institution=institution, report=figures)
    content = canonical_json(
        {
            "approval": {
                "oficio_number": oficio_number,
                "approved_at": approved_at.isoformat(),
                "approved_by": user.get_full_name() or user.get_username(),
            },
            "report": report_to_dict(figures),
            JUSTIFICATIONS_KEY: justifications.justifications_to_list(answered),
            EVIDENCE_KEY: evidence_to_list(
                evidence_of_months(institution=institution, year=year, months=figures.months)
            ),
        }
    )
    snapshot = ReportSnapshot.objects.create(
        report=report,
        content=content,
        sha256=ReportSnapshot.digest(content),
        oficio_year=oficio_year,
        oficio_sequence=sequence,
        oficio_number=oficio_number,
        approved_by=user,
        approved_at=approved_at,
    )
    _move(report, ReportAction.APPROVE, ReportStatus.IN_REVIEW, ReportStatus.APPROVED, user, comment.strip())
    fix_variable_parts(snapshot, typist_initials)
    transaction.on_commit(lambda: make_documents.enqueue(snapshot_id=snapshot.pk))
    return snapshot


@transaction.atomic
def reopen(*, user: User, institution: Institution, year: int, cuatrimestre: int, reason: str) -> CuatrimestreReport:
    """Unlock the report's data; its snapshot stays, marked superseded, in the report's history."""
    require(roles.can_approve(user, institution))
    reason = _required(reason, _("Escriba el motivo de la reapertura."))
    report = _locked(institution=institution, year=year, cuatrimestre=cuatrimestre)
    _expect(report, ReportStatus.APPROVED, ReportAction.REOPEN)
    ensure_no_later_approved(report)
    _move(report, ReportAction.REOPEN, ReportStatus.APPROVED, ReportStatus.DRAFT, user, reason)
    report.snapshots.filter(superseded_at__isnull=True).update(
        superseded_at=timezone.now(), superseded_by=user, superseded_reason=reason
    )
    versions.bump(institution_ids=[report.institution_id])  # a queryset's update sends no signal
    return report


def _locked_reprogramming(reprogramming: Reprogramming) -> Reprogramming:
    Institution.objects.select_for_update().get(pk=reprogramming.institution_id)
    return Reprogramming.objects.select_for_update().get(pk=reprogramming.pk)


@transaction.atomic
def approve_reprogramming(*, user: User, reprogramming: Reprogramming) -> Reprogramming:
    """The director approves a pending document; from then on it counts in reports and cannot change."""
    require(roles.can_approve_reprogrammings(user, reprogramming.institution))
    reprogramming = _locked_reprogramming(reprogramming)
    if reprogramming.status != ReprogrammingStatus.PENDING:
        raise ValidationError(_("La reprogramación %(number)s ya está aprobada.") % {"number": reprogramming.number})
    if not reprogramming.resolution_pdf:
        raise ValidationError(_("Adjunte el PDF de la resolución antes de aprobar la reprogramación."))
    if not reprogramming.lines.exists():
        raise ValidationError(_("La reprogramación no cambia ninguna meta."))
    validate_reprogramming_order(reprogramming.institution, reprogramming.date, pk=reprogramming.pk)
    reprogramming.status = ReprogrammingStatus.APPROVED
    reprogramming.approved_by = user
    reprogramming.approved_at = timezone.now()
    reprogramming.save(update_fields=["status", "approved_by", "approved_at"])
    return reprogramming


@transaction.atomic
def reopen_reprogramming(*, user: User, reprogramming: Reprogramming) -> Reprogramming:
    """Only the latest approved document may be reopened, and only while none is pending."""
    require(roles.can_approve_reprogrammings(user, reprogramming.institution))
    reprogramming = _locked_reprogramming(reprogramming)
    latest = latest_approved_reprogramming(reprogramming.institution)
    if reprogramming.status != ReprogrammingStatus.APPROVED or latest is None or latest.pk != reprogramming.pk:
        raise ValidationError(
            _("Solo puede reabrirse la última reprogramación aprobada (%(number)s).")
            % {"number": latest.number if latest else "-"}
        )
    validate_reprogramming_order(reprogramming.institution, reprogramming.date, pk=reprogramming.pk)
    reprogramming.status = ReprogrammingStatus.PENDING
    reprogramming.approved_by = None
    reprogramming.approved_at = None
    reprogramming.save(update_fields=["status", "approved_by", "approved_at"])
    return reprogramming
