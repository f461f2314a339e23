"""The annex «Justificación de desviaciones» of an approved report: the justifications its snapshot froze
(approvals.justifications writes them under JUSTIFICATIONS_KEY), printed after the package and as an xlsx sheet."""

from django.utils.translation import gettext_lazy as _

JUSTIFICATIONS_KEY = "justifications"
ANNEX_TITLE = _("Justificación de desviaciones")
ANNEX_HEADINGS = (_("Producto"), _("Subproducto"), _("Tipo"), _("Alerta"), _("Justificación"), _("Escrita por"))


def frozen_justifications(snapshot) -> list[dict]:
    """The justifications an approved snapshot holds; none for a draft or a snapshot approved before they existed."""
    return snapshot.data.get(JUSTIFICATIONS_KEY, []) if snapshot is not None else []


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
