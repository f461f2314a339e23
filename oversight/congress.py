"""The consolidated report for the Congress (Art. 17 Bis): build a draft in the background from the approved
snapshots of every institution, approve it with the approver's password, store its PDF and Excel once, reopen it
only with a reason; sign it later when it was approved before SEGEPLAN's certificate was configured.

Only who reads every institution acts on it (goals.roles.can_prepare_congress_report). A draft freezes the rows of
the snapshots in force when it was built; approval adds who approved it when, hashes that content for good and
makes the documents once (a job; or whoever asks first), dated by the approval time, so every download is the
same bytes. Approved without a certificate, its PDF stays unsigned until who may approve it signs it (sign): a
signed copy is stored beside the original, as an institution's report is signed later
(approvals.documents.sign_later), and served from then on. A reopening keeps the approved version, superseded, with
who reopened it, when and why; its files stay verifiable at /verificar/ (approvals.documents.recognise_also).
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from approvals.documents import (
    Recognised,
    atomic_with_files,
    awaits_signature,
    made_once,
    sign_later,
    signed_content,
    store_file,
)
from approvals.models import DocumentKind, ReportSnapshot, ReportStatus
from goals.models import Institution
from goals.roles import can_prepare_congress_report
from goals.validators import multi_line
from jobs.models import Job
from jobs.services import enqueue, job_task, requester
from reports.computation import CUATRIMESTRE_NAMES
from reports.congress import (
    InstitutionBlock,
    block_from_dict,
    block_to_dict,
    institution_block,
    overall_totals,
    render_congress_xlsx,
)
from reports.congress_pdf import congress_pdf_document
from reports.pdf import Pdf
from reports.signing import certificate_for

from .bulk import approved_snapshots
from .models import CongressDocument, CongressReport, CongressStatus

SIGNATURE_REASON = "Aprobación del reporte consolidado para el Congreso"
BUILD_KIND = "congreso"
DOCUMENTS_KIND = "congreso-documentos"


def title(*, year: int, cuatrimestre: int) -> str:
    """ "Segundo Cuatrimestre 2024"."""
    return f"{CUATRIMESTRE_NAMES[cuatrimestre]} {year}"


def page_url(*, year: int, cuatrimestre: int) -> str:
    return reverse("oversight:congress", kwargs={"year": year, "cuatrimestre": cuatrimestre})


def require(user: User) -> None:
    if not can_prepare_congress_report(user):
        raise PermissionDenied(_("Su rol no le permite hacer esto."))


def in_force(*, year: int, cuatrimestre: int) -> CongressReport | None:
    """The draft or approved version not superseded; None before the first build or after a reopening."""
    reports = CongressReport.objects.select_related("created_by", "approved_by")
    return reports.filter(year=year, cuatrimestre=cuatrimestre, superseded_at__isnull=True).first()


def _locked(*, year: int, cuatrimestre: int) -> CongressReport | None:
    return (
        CongressReport.objects.select_for_update()
        .filter(year=year, cuatrimestre=cuatrimestre, superseded_at__isnull=True)
        .first()
    )


def draft_data(
    *, year: int, cuatrimestre: int, snapshots: list[ReportSnapshot], blocks: list[InstitutionBlock]
) -> dict:
    """What a draft freezes: each institution's rows and totals with the snapshot they come from, the overall
    totals, and the institutions without an approved report."""
    by_code = {snapshot.report.institution.code: snapshot for snapshot in snapshots}
    included = set(by_code)
    current, cumulative, pct = overall_totals(blocks=blocks)
    missing = Institution.objects.exclude(code__in=included).order_by("code").values_list("code", "name")
    return {
        "year": year,
        "cuatrimestre": cuatrimestre,
        "institutions": [
            {
                **block_to_dict(block),
                "snapshot": by_code[block.code].sha256,
                "oficio_number": by_code[block.code].oficio_number,
            }
            for block in blocks
        ],
        "missing": [{"code": code, "name": name} for code, name in missing],
        "financial_current": str(current),
        "financial_cumulative": str(cumulative),
        "financial_pct": str(pct),
    }


def save_draft(
    *, user: User, year: int, cuatrimestre: int, snapshots: list[ReportSnapshot], blocks: list[InstitutionBlock]
) -> None:
    """Keep the blocks of the snapshots as the cuatrimestre's draft (replacing an earlier draft); refused while one
    is approved."""
    data = draft_data(year=year, cuatrimestre=cuatrimestre, snapshots=snapshots, blocks=blocks)
    with transaction.atomic():
        draft = _locked(year=year, cuatrimestre=cuatrimestre)
        if draft is not None and draft.is_approved:
            raise ValidationError(
                _("El reporte para el Congreso del %(title)s ya está aprobado: reábralo para armar otro.")
                % {"title": title(year=year, cuatrimestre=cuatrimestre)}
            )
        draft = draft or CongressReport(year=year, cuatrimestre=cuatrimestre)
        draft.created_by, draft.created_at = user, timezone.now()
        draft.freeze(data)
        draft.save()
        draft.snapshots.set(snapshots)


@job_task
def build_draft(job: Job, *, year: int, cuatrimestre: int) -> None:
    """The job: read every institution's approved snapshot of the cuatrimestre and keep the draft (a refusal, a
    ValidationError, fails the job with its message: jobs.services.job_task)."""
    user = requester(job)
    if user is None:
        return
    if not can_prepare_congress_report(user):
        job.fail(_("Su rol no le permite hacer esto."))
        return
    snapshots = approved_snapshots(institutions=Institution.objects.all(), year=year, cuatrimestre=cuatrimestre)
    job.start(total=len(snapshots) + 1)
    blocks = []
    for snapshot in snapshots:
        blocks.append(institution_block(report=snapshot.data["report"]))
        job.advance()
    try:
        save_draft(user=user, year=year, cuatrimestre=cuatrimestre, snapshots=snapshots, blocks=blocks)
    except IntegrityError:
        job.fail(_("Otra persona armó el borrador al mismo tiempo: vuelva a intentarlo."))
        return
    job.advance()
    message = ngettext(
        "Borrador armado con %(count)d reporte aprobado.",
        "Borrador armado con %(count)d reportes aprobados.",
        len(blocks),
    ) % {"count": len(blocks)}
    job.finish(message=message, result_url=page_url(year=year, cuatrimestre=cuatrimestre))


def start_build(*, user: User, year: int, cuatrimestre: int) -> Job:
    require(user)
    return enqueue(build_draft, BUILD_KIND, user=user, year=year, cuatrimestre=cuatrimestre)


def reopened_since(report: CongressReport) -> list[str]:
    """The codes of the institutions whose snapshot in the report was superseded by a reopening since."""
    superseded = report.snapshots.filter(superseded_at__isnull=False)
    return sorted(superseded.values_list("report__institution__code", flat=True))


def newly_approved(report: CongressReport) -> int:
    """How many institutions' reports were approved after the report was built (not in it)."""
    approved = ReportSnapshot.objects.filter(
        report__year=report.year,
        report__cuatrimestre=report.cuatrimestre,
        report__status=ReportStatus.APPROVED,
        superseded_at__isnull=True,
    )
    return approved.exclude(pk__in=report.snapshots.values("pk")).count()


@transaction.atomic
def approve(*, user: User, year: int, cuatrimestre: int) -> Job:
    """Approve the draft as it was built: its content gets who approved it and when, and its SHA-256 for good;
    refused when an institution's report in it was reopened since. The documents are made by the Job returned."""
    require(user)
    report = _locked(year=year, cuatrimestre=cuatrimestre)
    if report is None or report.is_approved:
        raise ValidationError(_("No hay un borrador del reporte para el Congreso que aprobar: ármelo primero."))
    reopened = reopened_since(report)
    if reopened:
        raise ValidationError(
            _("Estos reportes se reabrieron después de armar el borrador: %(codes)s. Vuelva a armarlo.")
            % {"codes": ", ".join(reopened)}
        )
    report.status, report.approved_by, report.approved_at = CongressStatus.APPROVED, user, timezone.now()
    approval = {"approved_at": report.approved_at.isoformat(), "approved_by": user.get_full_name() or user.username}
    report.freeze({**report.data, "approval": approval})
    report.save()
    return enqueue(make_documents, DOCUMENTS_KIND, user=user, report_id=report.pk)


@transaction.atomic
def reopen(*, user: User, year: int, cuatrimestre: int, reason: str) -> CongressReport:
    """The audited way back: the approved version is kept, superseded, with who reopened it, when and why."""
    require(user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Escriba el motivo de la reapertura."))
    multi_line(reason)
    report = _locked(year=year, cuatrimestre=cuatrimestre)
    if report is None or not report.is_approved:
        raise ValidationError(_("Solo se reabre un reporte para el Congreso aprobado."))
    report.superseded_at, report.superseded_by, report.superseded_reason = timezone.now(), user, reason
    report.save(update_fields=["superseded_at", "superseded_by", "superseded_reason"])
    return report


def filename(report: CongressReport, kind: str) -> str:
    """congreso-2024-C2.pdf"""
    extension = "pdf" if kind == DocumentKind.REPORT_PDF else "xlsx"
    return f"congreso-{report.year}-C{report.cuatrimestre}.{extension}"


def frozen_blocks(report: CongressReport) -> tuple[list[InstitutionBlock], list[tuple[str, str]]]:
    """(its institutions' blocks, the (code, name) of those missing) of an approved report, from its frozen content."""
    if report.approved_at is None:
        raise ValueError("Only an approved Congress report has documents.")
    data = report.data
    blocks = [block_from_dict(institution) for institution in data["institutions"]]
    return blocks, [(institution["code"], institution["name"]) for institution in data["missing"]]


def rendered_pdf(report: CongressReport) -> Pdf:
    """The approved report's PDF, unsigned, and where its signature goes, from its frozen content alone."""
    blocks, missing = frozen_blocks(report)
    return congress_pdf_document(
        blocks=blocks,
        year=report.year,
        cuatrimestre=report.cuatrimestre,
        missing=missing,
        approved_at=report.approved_at,
        approved_by=report.data["approval"]["approved_by"],
        sha256=report.sha256,
    )


def rendered(report: CongressReport, *, certificate=None) -> dict[str, bytes]:
    """{kind: bytes} of an approved report, from its frozen content alone (in the site's language: the renderers');
    the PDF signed with `certificate` (reports.signing.certificate_for's answer) when one is given."""
    blocks, missing = frozen_blocks(report)
    xlsx = render_congress_xlsx(
        blocks=blocks,
        year=report.year,
        cuatrimestre=report.cuatrimestre,
        missing=missing,
        approved_at=report.approved_at,
    )
    pdf = signed_content(rendered_pdf(report), certificate, reason=SIGNATURE_REASON)
    return {DocumentKind.REPORT_PDF: pdf, DocumentKind.XLSX: xlsx}


def signer_certificate():
    """SEGEPLAN's certificate (settings.SIPLAN_CONGRESS_SIGNER), or None while none is configured."""
    return certificate_for(settings.SIPLAN_CONGRESS_SIGNER)


def store_documents(report: CongressReport) -> None:
    """Store the PDF and the Excel, the PDF signed as an institution's report is when SEGEPLAN's certificate is
    configured (settings.SIPLAN_CONGRESS_SIGNER); the stored bytes are then what every download gets."""
    certificate = signer_certificate()
    for kind, content in rendered(report, certificate=certificate).items():
        document = CongressDocument(
            report=report,
            kind=kind,
            signed=certificate is not None and kind == DocumentKind.REPORT_PDF,
            created_at=report.approved_at,
            created_by=report.approved_by,
        )
        store_file(document, filename(report, kind), content)


def documents_of(report: CongressReport) -> list[CongressDocument]:
    """The approved report's PDF and Excel, made once (by the job approval enqueues, or whoever asks first)."""
    if not report.is_approved:
        return []
    return made_once(report, store_documents)


@job_task
def make_documents(job: Job, *, report_id: int) -> None:
    """The job: make and store the approved report's documents; they belong to the approval, not to who asked."""
    report = CongressReport.objects.get(pk=report_id)
    job.start(total=1)
    documents_of(report)
    job.advance()
    job.finish(
        message=_("El reporte para el Congreso fue aprobado y sus documentos guardados."),
        result_url=page_url(year=report.year, cuatrimestre=report.cuatrimestre),
    )


@atomic_with_files()
def sign(*, user: User, year: int, cuatrimestre: int) -> CongressReport:
    """Sign afterwards the report in force approved before SEGEPLAN's certificate was configured: a signed copy of
    its PDF is stored beside the original (whose hash stays valid) and served from then on, and who signed it when
    is recorded on the report. Refused to who may not approve it, for a draft, without a certificate, and once
    signed."""
    require(user)
    report = _locked(year=year, cuatrimestre=cuatrimestre)
    if report is None or not report.is_approved:
        raise ValidationError(_("Solo se firma un reporte para el Congreso aprobado."))
    certificate = signer_certificate()
    if certificate is None:
        raise ValidationError(_("SEGEPLAN no tiene un certificado de firma configurado."))
    report.signed_at = sign_later(
        report,
        documents_of(report),
        user=user,
        certificate=certificate,
        pdfs=lambda: {DocumentKind.REPORT_PDF: rendered_pdf(report)},
        reason=SIGNATURE_REASON,
    )
    report.signed_by = user
    report.save(update_fields=["signed_by", "signed_at"])
    return report


def can_sign(user: User, report: CongressReport | None) -> bool:
    """Who may approve the report may sign it later: approved, its PDF unsigned, and SEGEPLAN's certificate
    configured."""
    return (
        report is not None
        and report.is_approved
        and can_prepare_congress_report(user)
        and awaits_signature(report, settings.SIPLAN_CONGRESS_SIGNER)
    )


def recognise(sha256: str) -> Recognised | None:
    """/verificar/: an approved Congress report's stored PDF or Excel, or its content's SHA-256."""
    document = CongressDocument.objects.select_related("report").filter(sha256=sha256).first()
    report = (
        document.report
        if document
        else CongressReport.objects.filter(sha256=sha256, status=CongressStatus.APPROVED).first()
    )
    if report is None:
        return None
    what = document.get_kind_display() if document else _("cifras (JSON)")
    description = _(
        "Corresponde, byte por byte, al documento «%(what)s» del reporte consolidado para el Congreso del "
        "%(title)s, aprobado el %(when)s."
    ) % {
        "what": what,
        "title": title(year=report.year, cuatrimestre=report.cuatrimestre),
        "when": formats.date_format(timezone.localtime(report.approved_at), "SHORT_DATETIME_FORMAT"),
    }
    if document is not None:
        description += " " + (_("Es la copia firmada.") if document.signed else _("Es el original sin firma digital."))
    return Recognised(description=description, in_force=not report.is_superseded)
