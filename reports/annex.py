"""The annex «Justificación de desviaciones» of an approved report: the justifications its snapshot froze
(approvals.justifications writes them under JUSTIFICATIONS_KEY) and its medios de verificación (goals.evidence,
under EVIDENCE_KEY), printed after the package and as an xlsx sheet."""

from django.utils.translation import gettext_lazy as _

from goals.periods import month_name

JUSTIFICATIONS_KEY = "justifications"
EVIDENCE_KEY = "evidence"
ANNEX_TITLE = _("Justificación de desviaciones")
ANNEX_HEADINGS = (_("Producto"), _("Subproducto"), _("Tipo"), _("Alerta"), _("Justificación"), _("Escrita por"))
EVIDENCE_TITLE = _("Medios de verificación")
EVIDENCE_HEADINGS = (
    _("Producto"), _("Subproducto"), _("Mes"), _("Descripción"), _("Archivo"), _("Tamaño (bytes)"), _("SHA-256"),
)  # fmt: skip


def frozen_justifications(snapshot) -> list[dict]:
    """The justifications an approved snapshot holds; none for a draft or a snapshot approved before they existed."""
    return snapshot.data.get(JUSTIFICATIONS_KEY, []) if snapshot is not None else []


def frozen_evidence(snapshot) -> list[dict]:
    """The medios de verificación an approved snapshot lists; none for a draft or an approval made before them."""
    return snapshot.data.get(EVIDENCE_KEY, []) if snapshot is not None else []


def annex_rows(justifications: list[dict]) -> list[tuple]:
    """One row per justification, in the annex's column order."""
    return [
        (
            row["product"],
            row["subproduct"],
            row["kind_label"],
            " ".join(row["messages"]),
            row["text"],
            row["written_by"],
        )
        for row in justifications
    ]


def evidence_rows(evidence: list[dict]) -> list[tuple]:
    """One row per medio de verificación, in the order of EVIDENCE_HEADINGS; the size in bytes, as a number."""
    return [
        (
            row["product"],
            row["subproduct"],
            str(month_name(row["month"])).capitalize(),
            row["description"],
            row["filename"],
            row["size"],
            row["sha256"],
        )
        for row in evidence
    ]
