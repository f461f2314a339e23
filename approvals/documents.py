"""The files an approval consists of: the report as PDF and Excel, the oficio and the package sent to SEGEPLAN.

They are made once, right after the director approves (a job, approvals.tasks), kept through Django's storage with
the SHA-256 of each, and every later download returns those bytes. With the institution's certificate
configured, the PDFs are signed then; without one they stay unsigned until the director signs them
explicitly (sign_documents), which stores signed copies beside the originals (sign_later, which the Congress
report's later signing shares).
"""

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from goals import roles
from reports.computation import report_from_dict
from reports.pdf import approved_pdfs
from reports.signing import SignatureCheck, certificate_for, check_signatures, sign_pdf
from reports.xlsx import render_xlsx

from .models import (
    Circular,
    CuatrimestreReport,
    DocumentKind,
    ReportAction,
    ReportSnapshot,
    ReportStatus,
    ReportTransition,
    StoredDocument,
)

CONTENT_TYPES = {
    DocumentKind.REPORT_PDF: "application/pdf",
    DocumentKind.OFICIO: "application/pdf",
    DocumentKind.PACKAGE: "application/pdf",
    DocumentKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
SUFFIXES = {
    DocumentKind.REPORT_PDF: ".pdf",
    DocumentKind.OFICIO: "-oficio.pdf",
    DocumentKind.PACKAGE: "-paquete.pdf",
    DocumentKind.XLSX: ".xlsx",
}
MAX_UPLOAD_SIZE = 20 * 1024 * 1024

# The files stored inside the current atomic_with_files block, as (storage, name): deleted if it rolls back.
_WRITTEN: ContextVar[list | None] = ContextVar("stored_files_written", default=None)


@contextmanager
def atomic_with_files() -> Iterator[None]:
    """A transaction whose stored documents go with it: if it rolls back, the files written to storage inside it
    are deleted too (an approval that fails after making its documents leaves none behind). Nested, the
    outermost block decides."""
    if _WRITTEN.get() is not None:
        with transaction.atomic():
            yield
        return
    written: list = []
    token = _WRITTEN.set(written)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        for storage, name in written:
            storage.delete(name)
        raise
    finally:
        _WRITTEN.reset(token)


def digest(content):
    return hashlib.sha256(content).hexdigest()


def circular_for(*, year, cuatrimestre):
    """The SEGEPLAN circular the cuatrimestre's oficio answers; "" when none is set."""
    return Circular.objects.filter(year=year, cuatrimestre=cuatrimestre).values_list("number", flat=True).first() or ""


def submitter(report):
    """Who sent the report to review most recently (the oficio's typist), or None."""
    step = report.transitions.filter(action=ReportAction.SUBMIT).select_related("user").order_by("-at", "-id").first()
    return step.user if step else None


def frozen(snapshot):
    """(institution, the Report the snapshot holds)."""
    return snapshot.report.institution, report_from_dict(snapshot.data["report"])


def rendered_pdfs(snapshot):
    institution, report = frozen(snapshot)
    return report, approved_pdfs(institution, report, snapshot)


def download_name(snapshot, kind):
    """IGM-2024-C3-oficio.pdf"""
    report = snapshot.report
    return f"{report.institution.acronym}-{report.year}-C{report.cuatrimestre}{SUFFIXES[kind]}"


def store_file(document, filename, content):
    """Store `content` as the unsaved `document`'s file (a StoredFile) through Django's storage, with its SHA-256
    and size, and save the row; inside atomic_with_files, the file goes if the transaction rolls back."""
    document.sha256 = digest(content)
    document.size = len(content)
    document.file.save(filename, ContentFile(content), save=False)
    written = _WRITTEN.get()
    if written is not None:
        written.append((document.file.storage, document.file.name))
    document.save()
    return document


def made_once(owner, make):
    """The stored documents of `owner` (a row whose related name for them is `documents`), made by `make(owner)`
    when it has none yet, under the owner's row lock: whoever asks first makes them, everybody else gets those."""
    documents = list(owner.documents.select_related("created_by"))
    if not documents:
        with atomic_with_files():
            locked = type(owner).objects.select_for_update().get(pk=owner.pk)
            if not locked.documents.exists():
                make(locked)
        documents = list(owner.documents.select_related("created_by"))
    return documents


def store(snapshot, kind, content, signed, user, at):
    document = StoredDocument(snapshot=snapshot, kind=kind, signed=signed, created_at=at, created_by=user)
    return store_file(document, download_name(snapshot, kind), content)


def fix_variable_parts(snapshot: ReportSnapshot, typist_initials: str = "") -> None:
    """Fix the oficio's variable parts in the snapshot at approval: the typist (blank meaning the submitter's
    initials) and the cuatrimestre's SEGEPLAN circular; the documents made from it later are then always the same."""
    report = snapshot.report
    typist = submitter(report) or snapshot.approved_by
    snapshot.typist_initials = typist_initials.strip() or typist.typist_initials
    snapshot.circular = circular_for(year=report.year, cuatrimestre=report.cuatrimestre)
    snapshot.save(update_fields=["typist_initials", "circular"])


def signed_content(pdf, certificate, **options):
    """The rendered Pdf's bytes signed (PAdES, its visible box at its anchor) with `certificate` (certificate_for's
    answer; `options` go to sign_pdf), or as rendered when there is none. Every approved document is signed here."""
    return pdf.content if certificate is None else sign_pdf(pdf.content, certificate, pdf.anchor, **options)


def store_documents(snapshot):
    """Make and store the snapshot's four documents, signed when a certificate is configured."""
    frozen_report, pdfs = rendered_pdfs(snapshot)
    certificate = certificate_for(snapshot.report.institution.code)
    for kind, pdf in pdfs.items():
        content = signed_content(pdf, certificate)
        store(snapshot, kind, content, certificate is not None, snapshot.approved_by, snapshot.approved_at)
    store(
        snapshot,
        DocumentKind.XLSX,
        render_xlsx(frozen_report, snapshot),
        False,
        snapshot.approved_by,
        snapshot.approved_at,
    )


def documents_of(snapshot):
    """The snapshot's stored documents, originals then signed copies. They are made once, by the job that
    approval enqueues (approvals.tasks.make_documents) or by whichever asks for them first, under the snapshot's
    lock: rendering a snapshot is deterministic, so every copy is the same bytes whoever made it."""
    return made_once(snapshot, store_documents)


def served_of(documents, kind):
    """Of an approval's stored documents, the one everybody downloads for `kind`: the signed copy when there is one,
    else the original; None when there is none of that kind."""
    return max((document for document in documents if document.kind == kind), key=lambda d: d.signed, default=None)


def served(snapshot, kind):
    """The file everybody downloads for `kind` of the snapshot (served_of)."""
    return served_of(documents_of(snapshot), kind)


def awaits_signature(owner, code):
    """Whether an approval (a row whose stored documents are its `documents`) may be signed later: a certificate is
    configured under `code` and none of its documents is signed yet."""
    return certificate_for(code) is not None and not owner.documents.filter(signed=True).exists()


def sign_later(owner, documents, *, user, certificate, pdfs, **options):
    """Sign afterwards an approval stored unsigned (approved before its certificate was configured): beside each of
    its stored `documents` (made_once's) whose kind `pdfs()` renders again (for where its signature box goes), a copy
    signed with `certificate` is stored as `user`'s, now; the originals stay, their hashes valid. Refused when one
    is signed already. `options` go to sign_pdf. Returns the time of the signing, for the caller's record of it."""
    if any(document.signed for document in documents):
        raise ValidationError(_("Los documentos de esta aprobación ya están firmados."))
    anchors = {kind: pdf.anchor for kind, pdf in pdfs().items()}
    now = timezone.now()
    for original in documents:
        if original.kind in anchors:
            copy = owner.documents.model(kind=original.kind, signed=True, created_at=now, created_by=user)
            setattr(copy, owner.documents.field.name, owner)
            store_file(
                copy, original.filename, sign_pdf(original.read(), certificate, anchors[original.kind], **options)
            )
    return now


@atomic_with_files()
def sign_documents(*, user, institution, year, cuatrimestre):
    """The director signs an approved report's PDFs afterwards (approved before a certificate was configured):
    signed copies are stored beside the originals, whose hashes stay valid, and the act is recorded."""
    if not roles.can_approve(user, institution):
        raise PermissionDenied(_("Su rol no le permite hacer esto."))
    report = (
        CuatrimestreReport.objects.select_for_update()
        .filter(institution=institution, year=year, cuatrimestre=cuatrimestre, status=ReportStatus.APPROVED)
        .first()
    )
    if report is None:
        raise ValidationError(_("Solo se firman los documentos de un reporte aprobado."))
    certificate = certificate_for(institution.code)
    if certificate is None:
        raise ValidationError(_("La institución no tiene un certificado de firma configurado."))
    snapshot = report.current_snapshot
    sign_later(
        snapshot,
        documents_of(snapshot),
        user=user,
        certificate=certificate,
        pdfs=lambda: rendered_pdfs(snapshot)[1],
    )
    ReportTransition.objects.create(
        report=report,
        action=ReportAction.SIGN,
        from_status=ReportStatus.APPROVED,
        to_status=ReportStatus.APPROVED,
        user=user,
        comment=snapshot.oficio_number,
    )


def can_sign(user, institution, report):
    """The director may sign later: the report is approved, its PDFs unsigned, and a certificate configured."""
    snapshot = report.current_snapshot if report.pk else None
    return (
        snapshot is not None and roles.can_approve(user, institution) and awaits_signature(snapshot, institution.code)
    )


@dataclass(frozen=True)
class Recognised:
    """A stored file, or a frozen content, of an app above approvals that /verificar/ recognises by its SHA-256:
    what it is (one sentence) and whether it is in force."""

    description: str
    in_force: bool


# sha256 -> Recognised | None, registered by the apps above approvals (oversight's Congress report) in their
# AppConfig.ready: /verificar/ knows their files without approvals importing them.
RECOGNISERS: list[Callable[[str], Recognised | None]] = []


def recognise_also(recogniser: Callable[[str], Recognised | None]) -> None:
    if recogniser not in RECOGNISERS:
        RECOGNISERS.append(recogniser)


def recognised(sha256: str) -> Recognised | None:
    """What a registered app knows of the hash; None when none does."""
    return next((found for found in (recogniser(sha256) for recogniser in RECOGNISERS) if found is not None), None)


@dataclass(frozen=True)
class Verdict:
    """What /verificar/ says of an uploaded file: its SHA-256, the stored document it is byte for byte (or
    None), another app's file it is (or None), and the checks of its embedded signatures (None when it is not a
    readable PDF)."""

    sha256: str
    size: int
    document: StoredDocument | None
    signatures: list[SignatureCheck] | None
    other: Recognised | None = None

    @property
    def in_force(self):
        return self.document is not None and not self.document.snapshot.is_superseded


def verify_upload(upload):
    """The Verdict on an uploaded file; ValidationError when it is larger than MAX_UPLOAD_SIZE."""
    if upload.size > MAX_UPLOAD_SIZE:
        raise ValidationError(
            _("El archivo pesa %(size)s; el máximo es %(max)s.")
            % {"size": filesizeformat(upload.size), "max": filesizeformat(MAX_UPLOAD_SIZE)}
        )
    content = b"".join(upload.chunks())
    sha256 = digest(content)
    document = (
        StoredDocument.objects.select_related("snapshot__report__institution", "snapshot__approved_by")
        .filter(sha256=sha256)
        .first()
    )
    try:
        signatures = check_signatures(content) if content.startswith(b"%PDF") else None
    except ValueError:
        signatures = None
    other = recognised(sha256) if document is None else None
    return Verdict(sha256=sha256, size=len(content), document=document, signatures=signatures, other=other)


def approval_of_hash(sha256):
    """The snapshot whose own hash, or one of whose stored documents' hash, is `sha256`; None otherwise."""
    related = ("report__institution", "approved_by")
    snapshot = ReportSnapshot.objects.select_related(*related).filter(sha256=sha256).first()
    if snapshot is None:
        snapshot = ReportSnapshot.objects.select_related(*related).filter(documents__sha256=sha256).first()
    return snapshot
