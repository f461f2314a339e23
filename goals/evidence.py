"""Medios de verificación: the files (PDF, PNG, JPEG, xlsx, docx) that back a product's or subproduct's figures of a
month, attached by the institution's planners while the month is not frozen, and listed, with each file's SHA-256,
in the snapshot of the report that approves the month.

A file's type is read from its bytes, never from its name or the browser's word; its size is bounded while it is
read (EvidenceUploadLimit stops reading past the limit) and its name is kept only sanitised, for the download.
The files live in Django's storage under evidencia/ and are served only by a view that checks the reader.
"""

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from goals import filetypes, roles
from goals.freeze import ensure_writable, lock_institutions
from goals.validators import BIDI, check_text

from .models import Evidence, EvidenceType, Institution, Product, Subproduct

# The extensions a file of each type may carry: a PDF named .png is refused, as is an .exe named .pdf.
EXTENSIONS = {
    EvidenceType.PDF: (".pdf",),
    EvidenceType.PNG: (".png",),
    EvidenceType.JPEG: (".jpg", ".jpeg"),
    EvidenceType.XLSX: (".xlsx",),
    EvidenceType.DOCX: (".docx",),
}
# Room for the form's other fields and the multipart boundaries around the file in a request's body.
FORM_ALLOWANCE = 64 * 1024
UNSAFE_IN_NAMES = re.compile(f'[\\\\/:*?"<>|;\x00-\x1f\x7f-\x9f{BIDI}]')
ROW_KINDS: dict[str, type[Product] | type[Subproduct]] = {"producto": Product, "subproducto": Subproduct}


def max_bytes() -> int:
    return settings.SIPLAN_EVIDENCE_MAX_BYTES


def max_files() -> int:
    return settings.SIPLAN_EVIDENCE_MAX_FILES


class EvidenceUploadLimit(FileUploadHandler):
    """The first upload handler of the evidence page: a body larger than the limit allows is refused before its file
    is read (its bytes are discarded, never stored), and a file that grows past the limit stops being read.
    `exceeded` tells the view why the file is missing."""

    def __init__(self, request=None, limit: int | None = None):
        super().__init__(request)
        self.limit = max_bytes() if limit is None else limit
        self.exceeded = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.exceeded = content_length > self.limit + FORM_ALLOWANCE

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        if self.exceeded:
            raise StopUpload(connection_reset=False)

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


def too_large() -> ValidationError:
    return ValidationError(
        {"file": _("El archivo pesa más de %(max)s; no se adjuntó.") % {"max": filesizeformat(max_bytes())}}
    )


def clean_filename(name: str) -> str:
    """The uploader's file name as downloads offer it: its last component only, without control, direction or path
    characters, at most as long as the field keeps (the extension kept)."""
    limit = Evidence._meta.get_field("original_name").max_length or 120
    name = unicodedata.normalize("NFC", PurePosixPath(name.replace("\\", "/")).name)
    name = UNSAFE_IN_NAMES.sub("_", name).strip(" .")
    path = PurePosixPath(name or "archivo")
    suffix = path.suffix[:10]
    return (path.stem[: limit - len(suffix)] or "archivo") + suffix


def checked_type(upload: UploadedFile) -> EvidenceType:
    """The file's type, when its content is one siplan keeps and its name's extension agrees; else ValidationError."""
    sniffed = filetypes.content_type_of(upload)
    name = clean_filename(upload.name or "")
    if sniffed is None or sniffed not in EvidenceType.values:
        raise ValidationError(
            {
                "file": _(
                    "El contenido de «%(name)s» no es un PDF, una imagen PNG o JPEG, un libro de Excel (.xlsx) ni un "
                    "documento de Word (.docx); no se adjuntó."
                )
                % {"name": name}
            }
        )
    content_type = EvidenceType(sniffed)
    if PurePosixPath(name.lower()).suffix not in EXTENSIONS[content_type]:
        raise ValidationError(
            {
                "file": _("«%(name)s» es un %(kind)s por su contenido: su nombre debe terminar en %(extension)s.")
                % {"name": name, "kind": content_type.label, "extension": EXTENSIONS[content_type][0]}
            }
        )
    return content_type


def sha256_of(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


def row_or_404(*, institution: Institution, kind: str, pk: int, year: int) -> Product | Subproduct:
    """The product or subproduct (`kind`: "producto" or "subproducto") of the institution's plan of `year`."""
    model: type[Product] | type[Subproduct] | None = ROW_KINDS.get(kind)
    path = "result" if model is Product else "product__result"
    row = (
        model.objects.select_related(path).filter(pk=pk, **{f"{path}__institution": institution, f"{path}__year": year})
        if model is not None
        else None
    )
    found = row.first() if row is not None else None
    if found is None:
        raise Http404(_("No existe ese producto o subproducto."))
    return found


def row_filter(row: Product | Subproduct) -> dict:
    return {"product": row} if isinstance(row, Product) else {"subproduct": row}


def row_kind(row: Product | Subproduct) -> str:
    return "producto" if isinstance(row, Product) else "subproducto"


def row_evidence(*, row: Product | Subproduct, year: int, month: int) -> QuerySet[Evidence]:
    return Evidence.objects.filter(year=year, month=month, **row_filter(row)).select_related("uploaded_by")


def refuse_frozen(*, institution: Institution, year: int, month: int, user: Any, what: str) -> None:
    """Refuse changing the month's files while a report in review or approved holds the month, or its entry window
    has closed for the user, with the reason prefixed by `what` ("No se adjuntó el archivo")."""
    try:
        ensure_writable(institution=institution, year=year, months=[month], user=user)
    except ValidationError as error:
        raise ValidationError(f"{what}: {' '.join(error.messages)}") from None


@transaction.atomic
def attach_evidence(
    *, user: Any, institution: Institution, row: Product | Subproduct, year: int, month: int,
    upload: UploadedFile | None, description: str,
) -> Evidence:  # fmt: skip
    """Keep `upload` as a medio de verificación of the row's month, or refuse (ValidationError, by field when it is
    the file's or the description's fault) and keep nothing."""
    if not roles.can_enter_data(user, institution):
        raise PermissionDenied(_("Su rol no le permite adjuntar medios de verificación."))
    lock_institutions(institution)
    refuse_frozen(institution=institution, year=year, month=month, user=user, what=_("No se adjuntó el archivo"))
    if row_evidence(row=row, year=year, month=month).count() >= max_files():
        raise ValidationError(
            _(
                "Esta fila ya tiene %(count)s medios de verificación en el mes, el máximo; "
                "elimine uno antes de adjuntar otro."
            )
            % {"count": max_files()}
        )
    evidence = Evidence(
        institution=institution, year=year, month=month, description=(description or "").strip(),
        uploaded_by=user, **row_filter(row),
    )  # fmt: skip
    if not evidence.description:
        raise ValidationError({"description": _("Describa el archivo en pocas palabras.")})
    try:
        check_text(evidence.description, Evidence._meta.get_field("description"))
    except ValidationError as error:
        raise ValidationError({"description": error}) from None
    if upload is None:
        raise ValidationError({"file": _("Elija el archivo que quiere adjuntar.")})
    if upload.size is None or upload.size > max_bytes():
        raise too_large()
    evidence.content_type = checked_type(upload)
    evidence.original_name = clean_filename(upload.name or "")
    evidence.size = upload.size
    evidence.sha256 = sha256_of(upload)
    evidence.full_clean(exclude=["file"])
    extension = PurePosixPath(evidence.original_name.lower()).suffix
    evidence.file.save(f"evidencia{extension}", upload, save=False)
    stored = str(evidence.file.name)
    try:
        evidence.save()
    except BaseException:
        evidence.file.storage.delete(stored)
        raise
    return evidence


@transaction.atomic
def remove_evidence(*, user: Any, evidence: Evidence) -> None:
    """Delete a file of a month that is not frozen; once its report is approved, never (approvals' model guard
    refuses it whatever the path). The file leaves storage once the deletion commits (goals.signals)."""
    if not roles.can_enter_data(user, evidence.institution):
        raise PermissionDenied(_("Su rol no le permite eliminar medios de verificación."))
    lock_institutions(evidence.institution_id)
    refuse_frozen(
        institution=evidence.institution, year=evidence.year, month=evidence.month, user=user,
        what=_("No se eliminó el archivo"),
    )  # fmt: skip
    evidence.delete()


def month_counts(*, institution: Institution, year: int, month: int) -> Counter:
    """{("producto" or "subproducto", row id): number of files} of the month, in one query."""
    rows = (
        Evidence.objects.filter(institution=institution, year=year, month=month)
        .values("product_id", "subproduct_id")
        .annotate(count=Count("id"))
        .order_by()
    )
    return Counter(
        {
            ("producto", row["product_id"]) if row["product_id"] else ("subproducto", row["subproduct_id"]): row[
                "count"
            ]
            for row in rows
        }
    )


def evidence_of_months(*, institution: Institution, year: int, months: Iterable[int]) -> list[Evidence]:
    """The files of the institution's months, by month and in the order attached, with their rows, in one query."""
    return list(
        Evidence.objects.filter(institution=institution, year=year, month__in=list(months))
        .select_related("product", "subproduct__product", "uploaded_by")
        .order_by("month", "id")
    )


def row_names(evidence: Evidence) -> tuple[str, str]:
    """(product name, subproduct name or "") of the row the file backs, as the report names its rows."""
    if evidence.product_id:
        return evidence.product.name, ""  # type: ignore[union-attr]
    return evidence.subproduct.product.name, evidence.subproduct.name  # type: ignore[union-attr]


def evidence_to_list(items: Iterable[Evidence]) -> list[dict]:
    """The files as an approval freezes them (the snapshot's `evidence`): row, month, description, name, size and
    SHA-256."""
    return [
        {
            "product": product,
            "subproduct": subproduct,
            "month": evidence.month,
            "description": evidence.description,
            "filename": evidence.original_name,
            "size": evidence.size,
            "sha256": evidence.sha256,
        }
        for evidence in items
        for product, subproduct in [row_names(evidence)]
    ]
