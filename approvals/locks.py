"""What a report in review or approved freezes, and the entry windows: every write path asks `ensure_writable`.

The one rule: while the report of cuatrimestre C of a year is in review (submitted) or approved, nothing it
prints may change: the year's plan (initial goals), the execution and the programme of January to C's last
month, and the reprogrammings dated up to C's last day. *Devolver* lifts a review's freeze; only an audited
*reabrir* lifts an approval's. A refusal names the earliest report that holds the data, who sent it and when
(in review) or its oficio (approved), and who must act.

Every write path takes the institution's lock (`lock_institutions`) in the transaction that writes and asks
`ensure_writable` after it; submission and approval take the same lock first (approvals.services), so a write
checked before they started either commits before them or is refused. The model layer asks too
(approvals.signals), so the admin and the shell cannot go around; bulk writes call it explicitly.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from goals.access import AnyUser
from goals.freeze import lock_institutions
from goals.models import (
    Evidence,
    Institution,
    MonthlyProgramme,
    Product,
    ProductExecution,
    ProductProgramme,
    Reprogramming,
    ReprogrammingLine,
    Result,
    Subproduct,
    SubproductExecution,
    SubproductProgramme,
)
from goals.periods import (
    cuatrimestre_last_day,
    cuatrimestre_of_month,
    month_name,
)
from goals.roles import is_window_bound

from .models import (
    CuatrimestreReport,
    Period,
    PeriodExtension,
    ReportAction,
    ReportStatus,
    legal_deadline,
)

FREEZING = (ReportStatus.IN_REVIEW, ReportStatus.APPROVED)


def freezing_reports(*, institution: Institution | int, year: int) -> QuerySet[CuatrimestreReport]:
    """The reports of an institution's year that freeze what they print (in review or approved), earliest first."""
    return CuatrimestreReport.objects.filter(institution=institution, year=year, status__in=FREEZING).order_by(
        "cuatrimestre"
    )


def _held(what: str, report: CuatrimestreReport) -> str:
    """The refusal: `what` belongs to `report`, who froze it, and who must act to lift the freeze."""
    if report.status == ReportStatus.APPROVED:
        snapshot = report.snapshots.filter(superseded_at__isnull=True).first()
        message = _(
            "%(what)s pertenece al reporte aprobado del %(report)s (%(oficio)s); "
            "para cambiar estos datos, el director debe reabrir ese reporte."
        )
        return message % {"what": what, "report": report.title, "oficio": snapshot.oficio_number if snapshot else "-"}
    submitted = (
        report.transitions.filter(action=ReportAction.SUBMIT).select_related("user").order_by("-at", "-id").first()
    )
    message = _(
        "%(what)s pertenece al reporte del %(report)s, enviado a revisión por %(user)s el %(at)s; "
        "para cambiar estos datos, el director debe devolverlo."
    )
    return message % {
        "what": what,
        "report": report.title,
        "user": (submitted.user.get_full_name() or submitted.user.get_username()) if submitted else "-",
        "at": formats.date_format(timezone.localtime(submitted.at), "d/m/Y H:i") if submitted else "-",
    }


def ensure_writable(
    *,
    institution: Institution | int,
    year: int,
    months: Iterable[int] = (),
    plan: bool = False,
    dates: Iterable[datetime.date] = (),
    user: AnyUser | None = None,
    programme: bool = False,
) -> None:
    """Refuse, with a ValidationError naming the report, a write that a report in review or approved freezes.

    `institution` is an Institution or its id; `months` are execution months of `year` (programme months
    with `programme`, which changes only the wording); `plan` is the year's plan (results, products,
    subproducts, initial goals); `dates` are reprogramming dates.
    With a `user` bound by entry windows (a planner), months outside their window are refused too.
    Writers call it after `lock_institutions`, in the transaction that writes.
    """
    month_list = sorted(set(months))
    date_list = sorted(set(dates))
    reports = list(freezing_reports(institution=institution, year=year)) if (month_list or plan or date_list) else []
    if reports:
        if plan:
            raise ValidationError(_held(_("El plan %(year)s (sus metas iniciales)") % {"year": year}, reports[0]))
        for month in month_list:
            for report in reports:
                if report.cuatrimestre >= cuatrimestre_of_month(month):
                    what = (
                        _("La programación de %(month)s %(year)s")
                        if programme
                        else _("La ejecución de %(month)s %(year)s")
                    )
                    what %= {"month": month_name(month), "year": year}
                    raise ValidationError(_held(what, report))
        for date in date_list:
            for report in reports:
                if date <= cuatrimestre_last_day(year, report.cuatrimestre):
                    what = _("La reprogramación del %(date)s") % {"date": formats.date_format(date, "d/m/Y")}
                    raise ValidationError(_held(what, report))
    if user is not None and month_list and is_window_bound(user):
        ensure_months_in_window(institution=institution, year=year, months=month_list)


@dataclass(frozen=True)
class Window:
    """An institution's entry window for a cuatrimestre: the period's deadlines, or its extension's if later."""

    load_deadline: datetime.date
    oficio_deadline: datetime.date


def entry_windows(*, institution: Institution | int, year: int) -> dict[int, Window]:
    """{cuatrimestre: Window} of the cuatrimestres of `year` that have a period set; one query when none has."""
    periods = list(Period.objects.filter(year=year))
    extensions = {
        extension.period_id: extension
        for extension in (
            PeriodExtension.objects.filter(period__in=periods, institution=institution) if periods else []
        )
    }
    return {period.cuatrimestre: period_window(period, extensions.get(period.pk)) for period in periods}


def period_window(period: Period, extension: PeriodExtension | None = None) -> Window:
    """The period's deadlines, moved later by the institution's extension, if any."""
    load, oficio = period.load_deadline, period.oficio_deadline
    if extension is not None:
        load = max(load, extension.load_deadline)
        oficio = max(oficio, extension.oficio_deadline or oficio)
    return Window(load, oficio)


def windows_of_institutions(
    *, institutions: Iterable[Institution | int], year: int, cuatrimestre: int
) -> dict[int, Window]:
    """{institution id: Window} for many institutions (or their ids) in two queries; the legal deadline where no
    period is set. The period's extensions are read whole (a few), not filtered by hundreds of ids."""
    ids = [institution if isinstance(institution, int) else institution.pk for institution in institutions]
    period = Period.objects.filter(year=year, cuatrimestre=cuatrimestre).first()
    if period is None:
        legal = legal_deadline(year=year, cuatrimestre=cuatrimestre)
        return dict.fromkeys(ids, Window(legal, legal))
    extensions = {extension.institution_id: extension for extension in PeriodExtension.objects.filter(period=period)}
    return {pk: period_window(period, extensions.get(pk)) for pk in ids}


def load_deadline(*, institution: Institution | int, year: int, cuatrimestre: int) -> datetime.date | None:
    """The last day the institution's planners may load the cuatrimestre's figures; None when no window is set."""
    window = entry_windows(institution=institution, year=year).get(cuatrimestre)
    return window.load_deadline if window else None


def ensure_months_in_window(
    *, institution: Institution | int, year: int, months: list[int], today: datetime.date | None = None
) -> None:
    today = today or timezone.localdate()
    for cuatrimestre in sorted({cuatrimestre_of_month(month) for month in months}):
        deadline = load_deadline(institution=institution, year=year, cuatrimestre=cuatrimestre)
        if deadline is not None and today > deadline:
            first = next(month for month in months if cuatrimestre_of_month(month) == cuatrimestre)
            raise ValidationError(
                _(
                    "El plazo para cargar las cifras de %(month)s %(year)s venció el %(deadline)s; "
                    "pida una prórroga al administrador."
                )
                % {"month": month_name(first), "year": year, "deadline": formats.date_format(deadline, "d/m/Y")}
            )


def is_window_open(
    *, institution: Institution | int, year: int, cuatrimestre: int, today: datetime.date | None = None
) -> bool:
    deadline = load_deadline(institution=institution, year=year, cuatrimestre=cuatrimestre)
    return deadline is None or (today or timezone.localdate()) <= deadline


# For each guarded model: the path from it to the Result (plan and execution) or Reprogramming (dates). A medio de
# verificación holds its institution, year and month itself, as a Result does its institution and year.
RESULT_PATHS: dict[type[Model], str] = {
    Result: "",
    Evidence: "",
    Product: "result",
    Subproduct: "product__result",
    ProductExecution: "product__result",
    SubproductExecution: "subproduct__product__result",
    ProductProgramme: "product__result",
    SubproductProgramme: "subproduct__product__result",
}
REPROGRAMMING_PATHS: dict[type[Model], str] = {Reprogramming: "", ReprogrammingLine: "reprogramming"}


def follow(instance: Any, path: str) -> Any:
    for attribute in filter(None, path.split("__")):
        instance = getattr(instance, attribute)
    return instance


def prefixed(path: str, field: str) -> str:
    return f"{path}__{field}" if path else field


def stored_state(instance: Model, path: str, fields: list[str]) -> tuple[Any, ...] | None:
    """The values as stored before this save, or None for a new record."""
    if instance._state.adding or instance.pk is None:
        return None
    lookups = [prefixed(path, field) for field in fields] + (["month"] if hasattr(instance, "month") else [])
    return type(instance)._default_manager.filter(pk=instance.pk).values_list(*lookups).first()


def check_plan_or_execution(
    instance: Model, result: Result, stored: tuple[Any, ...] | None, user: AnyUser | None
) -> None:
    month = getattr(instance, "month", None)
    states: list[tuple[Any, ...]] = [(result.institution_id, result.year, month)]
    if stored is not None:
        states.append(stored if month is not None else (*stored, None))
    for institution_id, year, month in set(states):
        if month is None:
            ensure_writable(institution=institution_id, year=year, plan=True)
        else:
            ensure_writable(
                institution=institution_id,
                year=year,
                months=[month],
                user=user,
                programme=isinstance(instance, MonthlyProgramme),
            )


def check_reprogramming(reprogramming: Reprogramming, stored: tuple[Any, ...] | None) -> None:
    states: set[tuple[Any, ...]] = {(reprogramming.institution_id, reprogramming.date)}
    if stored is not None:
        states.add(stored)
    for institution_id, date in states:
        ensure_writable(institution=institution_id, year=date.year, dates=[date])


def ensure_instance_writable(instance: Model, user: AnyUser | None = None, lock: bool = False) -> None:
    """Refuse saving or deleting a plan, reprogramming or execution record that a report in review or approved
    freezes, before or after the change (moving September's figures to October touches both). With `lock`,
    the institution's lock is taken first and the record's stored state read under it."""
    model = type(instance)
    is_plan = model in RESULT_PATHS
    path = RESULT_PATHS[model] if is_plan else REPROGRAMMING_PATHS[model]
    owner = follow(instance, path)
    if lock:
        lock_institutions(owner.institution_id)
    stored = stored_state(instance, path, ["institution_id", "year" if is_plan else "date"])
    if lock and stored is not None and stored[0] != owner.institution_id:
        lock_institutions(stored[0])
    if is_plan:
        check_plan_or_execution(instance, owner, stored, user)
    else:
        check_reprogramming(owner, stored)


def is_frozen(instance: Model) -> bool:
    try:
        ensure_instance_writable(instance)
    except ValidationError:
        return True
    return False
