"""The planner's answers to a report's deviations: each alert, and each product whose traffic light is «Atención» or
«Rezagado» at the cuatrimestre's end, may carry a justification (what happened, what will be done).

The institution chooses the kinds that must be answered before the report is sent to review (RequiredJustification).
A justification is written while the report is a draft, and frozen into the snapshot when it is approved.
"""

import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from goals import roles
from goals.freeze import lock_institutions
from goals.validators import check_text
from reports.alert_kinds import DeviationKind
from reports.progress import LIGHT_GREEN, LIGHT_LABELS, report_progress

from .alerts import alerts_before_approval
from .models import CuatrimestreReport, Justification, ReportStatus, RequiredJustification


@dataclass
class Deviation:
    """One row and kind of deviation: the messages it raised and its justification (None while unanswered)."""

    product: str
    subproduct: str
    kind: str
    item: str
    messages: list = field(default_factory=list)
    justification: Justification | None = None
    required: bool = False

    @property
    def key(self) -> tuple[str, str, str]:
        return self.product, self.subproduct, self.kind

    @property
    def kind_label(self) -> str:
        return str(DeviationKind(self.kind).label)

    @property
    def written_by(self) -> str:
        """Who wrote the justification last; "" while unanswered."""
        author = self.justification.updated_by if self.justification else None
        return (author.get_full_name() or author.get_username()) if author else ""

    @property
    def text(self) -> str:
        return self.justification.text if self.justification else ""

    @property
    def field_id(self) -> str:
        """A stable name for the page's field: a digest of the key, so the rows may move between load and save."""
        return hashlib.sha256("\x1f".join(self.key).encode()).hexdigest()[:16]

    @property
    def version(self) -> str:
        """The stored text's version as the page saw it: blank while unanswered."""
        return self.justification.updated_at.isoformat() if self.justification else ""

    @property
    def unanswered(self) -> bool:
        return not self.text.strip()


def late_products(report) -> list:
    """The products of a computed report whose traffic light is «Atención» or «Rezagado» at the cuatrimestre's end:
    their progress from the report's own figures (reports.progress.report_progress), not read again."""
    return [progress for progress in report_progress(report) if progress.light != LIGHT_GREEN]


def late_product_message(progress) -> str:
    return _("semáforo «%(light)s»: avance físico %(physical)s %% y financiero %(financial)s %% a la fecha.") % {
        "light": LIGHT_LABELS[progress.light], "physical": progress.physical.pct, "financial": progress.financial.pct,
    }  # fmt: skip


def stored_justifications(*, institution, year: int, cuatrimestre: int) -> dict:
    rows = Justification.objects.filter(institution=institution, year=year, cuatrimestre=cuatrimestre)
    return {justification.key: justification for justification in rows.select_related("updated_by")}


def deviations(*, institution, report, alerts: list | None = None) -> list[Deviation]:
    """The report's deviations in report order (alerts, then late products), each with its justification;
    `alerts` when the caller already has the report's alerts_before_approval."""
    found = {}
    for alert in alerts_before_approval(institution, report) if alerts is None else alerts:
        deviation = found.setdefault(alert.key, Deviation(alert.product, alert.subproduct, alert.kind, alert.item))
        deviation.messages.append(alert.message)
    for progress in late_products(report):
        key = (progress.name, "", DeviationKind.LATE_PRODUCT)
        found.setdefault(key, Deviation(*key, progress.name)).messages.append(late_product_message(progress))
    stored = stored_justifications(institution=institution, year=report.year, cuatrimestre=report.cuatrimestre)
    required = set(RequiredJustification.objects.filter(institution=institution).values_list("kind", flat=True))
    for deviation in found.values():
        deviation.justification = stored.get(deviation.key)
        deviation.required = deviation.kind in required
    return list(found.values())


def named(deviation: Deviation) -> str:
    return f"{deviation.item} ({deviation.kind_label.lower()})"


def ensure_required_answered(*, institution, report) -> None:
    """Refuse sending the report while a deviation of a kind the institution requires is unanswered, naming it."""
    missing = [named(d) for d in deviations(institution=institution, report=report) if d.required and d.unanswered]
    if missing:
        raise ValidationError(
            _("Justifique antes de enviar a revisión: %(missing)s.") % {"missing": "; ".join(missing)}
        )


class StaleJustification(ValidationError):
    """Someone saved a justification after the page was opened; nothing was written."""


def ensure_draft(*, institution, year: int, cuatrimestre: int) -> None:
    report = CuatrimestreReport.objects.filter(institution=institution, year=year, cuatrimestre=cuatrimestre).first()
    if report is not None and report.status != ReportStatus.DRAFT:
        raise ValidationError(
            _("El reporte del %(report)s está en estado «%(status)s»: sus justificaciones no pueden cambiar.")
            % {"report": report.title, "status": report.get_status_display()}
        )


def save_justifications(*, user, institution, report, answers: dict, versions: dict) -> int:
    """Write the answers ({deviation's field_id: text}; blank deletes) of the report's deviations, all or none.

    `versions` ({field_id: version}) is what the page saw: a justification someone else saved since is never
    overwritten (StaleJustification names it and who saved it). Call inside a transaction. Returns how many changed.
    """
    if not roles.can_submit(user, institution):
        raise PermissionDenied(_("Su rol no le permite hacer esto."))
    lock_institutions(institution)
    ensure_draft(institution=institution, year=report.year, cuatrimestre=report.cuatrimestre)
    current = {deviation.field_id: deviation for deviation in deviations(institution=institution, report=report)}
    answers = {field_id: text.strip() for field_id, text in answers.items() if field_id in current}
    stale = [
        current[field_id]
        for field_id, text in answers.items()
        if current[field_id].version != versions.get(field_id, "") and current[field_id].text != text
    ]
    if stale:
        raise StaleJustification(
            _("Otra persona guardó estas justificaciones después de que usted abrió la página: %(rows)s. "
              "Nada se guardó; revise su texto y vuelva a guardar.")
            % {"rows": "; ".join(
                f"{named(d)}: {d.written_by}"
                for d in stale
            )}
        )  # fmt: skip
    changed = [(current[field_id], text) for field_id, text in answers.items() if text != current[field_id].text]
    for _deviation, text in changed:
        check_text(text, Justification._meta.get_field("text"))
    for deviation, text in changed:
        if not text:
            if deviation.justification is not None:
                deviation.justification.delete()
            continue
        justification = deviation.justification or Justification(
            institution=institution, year=report.year, cuatrimestre=report.cuatrimestre,
            product=deviation.product, subproduct=deviation.subproduct, kind=deviation.kind,
        )  # fmt: skip
        justification.text = text
        justification.updated_by = user
        justification.full_clean()
        justification.save()
    return len(changed)


def justifications_to_list(items: list[Deviation]) -> list[dict]:
    """The answered deviations as the snapshot keeps them (the report JSON's `justifications` key)."""
    return [
        {
            "product": deviation.product,
            "subproduct": deviation.subproduct,
            "kind": deviation.kind,
            "kind_label": str(deviation.kind_label),
            "messages": deviation.messages,
            "text": deviation.text,
            "written_by": deviation.written_by,
            "written_at": deviation.justification.updated_at.isoformat() if deviation.justification else "",
        }
        for deviation in items
        if not deviation.unanswered
    ]
