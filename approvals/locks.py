"""What an approved report freezes, and the entry windows: every write path asks `ensure_writable` first.

An approved report of cuatrimestre C of a year holds the execution and the programme of months 1 to
C's last month, the year's plan (initial goals) and the reprogrammings dated up to C's last day. The
model layer asks too (approvals.signals), so the admin and the shell cannot go around; bulk writes call it explicitly.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from goals.models import (
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
from goals.services import cuatrimestre_last_day, cuatrimestre_of_month

from .models import Period, PeriodExtension, ReportSnapshot, legal_deadline
from .roles import is_window_bound

MONTH_NAMES = [
    "enero", "febrero", "marzo", "abril", "mayo", "junio",
    "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
]  # fmt: skip


def month_name(month):
    return MONTH_NAMES[month - 1]


def snapshots_in_force(institution, year):
    """The approved reports of an institution's year, earliest cuatrimestre first."""
    return (
        ReportSnapshot.objects.filter(
            report__institution=institution, report__year=year, superseded_at__isnull=True
        )
        .select_related("report__institution")
        .order_by("report__cuatrimestre")
    )


def _held(what, snapshot):
    message = _(
        "%(what)s pertenece al reporte aprobado del %(report)s (%(oficio)s); "
        "para cambiar estos datos, el director debe reabrir ese reporte."
    )
    return message % {
        "what": what,
        "report": snapshot.report.title,
        "oficio": snapshot.oficio_number,
    }


def ensure_writable(institution, year, *, months=(), plan=False, dates=(), user=None, programme=False):
    """Refuse, with a ValidationError naming the approved report, a write the approved reports freeze.

    `institution` is an Institution or its id; `months` are execution months of `year` (programme months
    with `programme`, which changes only the wording); `plan` is the year's plan (results, products,
    subproducts, initial goals); `dates` are reprogramming dates.
    With a `user` bound by entry windows (a planner), months outside their window are refused too.
    """
    months = sorted(set(months))
    dates = sorted(set(dates))
    snapshots = list(snapshots_in_force(institution, year)) if (months or plan or dates) else []
    if snapshots:
        if plan:
            raise ValidationError(_held(_("El plan %(year)s (sus metas iniciales)") % {"year": year}, snapshots[0]))
        for month in months:
            for snapshot in snapshots:
                if snapshot.report.cuatrimestre >= cuatrimestre_of_month(month):
                    what = _("La programación de %(month)s %(year)s") if programme else _("La ejecución de %(month)s %(year)s")
                    what %= {"month": month_name(month), "year": year}
                    raise ValidationError(_held(what, snapshot))
        for date in dates:
            for snapshot in snapshots:
                if date <= cuatrimestre_last_day(year, snapshot.report.cuatrimestre):
                    what = _("La reprogramación del %(date)s") % {"date": formats.date_format(date, "d/m/Y")}
                    raise ValidationError(_held(what, snapshot))
    if user is not None and months and is_window_bound(user):
        ensure_months_in_window(institution, year, months)


@dataclass(frozen=True)
class Window:
    """An institution's entry window for a cuatrimestre: the period's deadlines, or its extension's if later."""

    load_deadline: datetime.date
    oficio_deadline: datetime.date


def entry_windows(institution, year):
    """{cuatrimestre: Window} of the cuatrimestres of `year` that have a period set; one query when none has."""
    periods = list(Period.objects.filter(year=year))
    extensions = {
        extension.period_id: extension
        for extension in (PeriodExtension.objects.filter(period__in=periods, institution=institution) if periods else [])
    }
    return {period.cuatrimestre: period_window(period, extensions.get(period.pk)) for period in periods}


def period_window(period, extension=None):
    """The period's deadlines, moved later by the institution's extension, if any."""
    load, oficio = period.load_deadline, period.oficio_deadline
    if extension is not None:
        load = max(load, extension.load_deadline)
        oficio = max(oficio, extension.oficio_deadline or oficio)
    return Window(load, oficio)


def windows_of_institutions(institutions, year, cuatrimestre):
    """{institution id: Window} for many institutions in two queries; the legal deadline where no period is set."""
    period = Period.objects.filter(year=year, cuatrimestre=cuatrimestre).first()
    if period is None:
        legal = legal_deadline(year, cuatrimestre)
        return {institution.pk: Window(legal, legal) for institution in institutions}
    extensions = {
        extension.institution_id: extension
        for extension in PeriodExtension.objects.filter(period=period, institution__in=[i.pk for i in institutions])
    }
    return {institution.pk: period_window(period, extensions.get(institution.pk)) for institution in institutions}


def load_deadline(institution, year, cuatrimestre):
    """The last day the institution's planners may load the cuatrimestre's figures; None when no window is set."""
    window = entry_windows(institution, year).get(cuatrimestre)
    return window.load_deadline if window else None


def ensure_months_in_window(institution, year, months, today=None):
    today = today or timezone.localdate()
    for cuatrimestre in sorted({cuatrimestre_of_month(month) for month in months}):
        deadline = load_deadline(institution, year, cuatrimestre)
        if deadline is not None and today > deadline:
            first = next(month for month in months if cuatrimestre_of_month(month) == cuatrimestre)
            raise ValidationError(
                _(
                    "El plazo para cargar las cifras de %(month)s %(year)s venció el %(deadline)s; "
                    "pida una prórroga al administrador."
                )
                % {"month": month_name(first), "year": year, "deadline": formats.date_format(deadline, "d/m/Y")}
            )


def is_window_open(institution, year, cuatrimestre, today=None):
    deadline = load_deadline(institution, year, cuatrimestre)
    return deadline is None or (today or timezone.localdate()) <= deadline


# For each guarded model: the path from it to the Result (plan and execution) or Reprogramming (dates).
RESULT_PATHS = {
    Result: "",
    Product: "result",
    Subproduct: "product__result",
    ProductExecution: "product__result",
    SubproductExecution: "subproduct__product__result",
    ProductProgramme: "product__result",
    SubproductProgramme: "subproduct__product__result",
}
REPROGRAMMING_PATHS = {Reprogramming: "", ReprogrammingLine: "reprogramming"}


def follow(instance, path):
    for attribute in filter(None, path.split("__")):
        instance = getattr(instance, attribute)
    return instance


def prefixed(path, field):
    return f"{path}__{field}" if path else field


def stored_state(instance, path, fields):
    """The values as stored before this save, or None for a new record."""
    if instance._state.adding or instance.pk is None:
        return None
    lookups = [prefixed(path, field) for field in fields] + (["month"] if hasattr(instance, "month") else [])
    return type(instance)._default_manager.filter(pk=instance.pk).values_list(*lookups).first()


def check_plan_or_execution(instance, path, stored, user):
    result = follow(instance, path)
    month = getattr(instance, "month", None)
    states = [(result.institution_id, result.year, month)]
    if stored is not None:
        states.append(stored if month is not None else (*stored, None))
    for institution_id, year, month in set(states):
        if month is None:
            ensure_writable(institution_id, year, plan=True)
        else:
            ensure_writable(
                institution_id, year, months=[month], user=user, programme=isinstance(instance, MonthlyProgramme)
            )


def check_reprogramming(instance, path, stored):
    reprogramming = follow(instance, path)
    states = {(reprogramming.institution_id, reprogramming.date)}
    if stored is not None:
        states.add(stored)
    for institution_id, date in states:
        ensure_writable(institution_id, date.year, dates=[date])


def ensure_instance_writable(instance, user=None):
    """Refuse saving or deleting a plan, reprogramming or execution record that an approved report freezes,
    before or after the change (moving September's figures to October touches both)."""
    model = type(instance)
    if model in RESULT_PATHS:
        path = RESULT_PATHS[model]
        check_plan_or_execution(instance, path, stored_state(instance, path, ["institution_id", "year"]), user)
    else:
        path = REPROGRAMMING_PATHS[model]
        check_reprogramming(instance, path, stored_state(instance, path, ["institution_id", "date"]))


def is_frozen(instance):
    try:
        ensure_instance_writable(instance)
    except ValidationError:
        return True
    return False
