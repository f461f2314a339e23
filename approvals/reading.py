"""One reading rule for every channel (pages, downloads, JSON, the API and the admin): which figures of an
institution's year a user may read.

Whoever reads drafts (goals.roles.can_read_drafts: the institution's planners and director) reads every
month and today's goals. Everyone else who may read the institution (its readers, oversight staff) reads the
months of the cuatrimestres whose report is approved and in force, and the goals as those reports print them:
as of the last day of the latest approved cuatrimestre.
"""

from django.db.models import Case, Exists, OuterRef, Q, When

from goals.access import institutions_for
from goals.models import Institution
from goals.periods import CUATRIMESTRES, cuatrimestre_last_day, cuatrimestre_months
from goals.roles import can_read, can_read_drafts

from .models import CuatrimestreReport, ReportStatus

ALL_MONTHS = frozenset(range(1, 13))


def approved_cuatrimestres(institution, year):
    """The cuatrimestres of the year whose report is approved (its snapshot in force)."""
    reports = CuatrimestreReport.objects.filter(institution=institution, year=year, status=ReportStatus.APPROVED)
    return set(reports.values_list("cuatrimestre", flat=True))


def readable_months(user, institution, year):
    """The months of the year whose figures (execution, programme) the user may read."""
    if can_read_drafts(user, institution):
        return ALL_MONTHS
    if not can_read(user, institution):
        return frozenset()
    return frozenset(
        month
        for cuatrimestre in approved_cuatrimestres(institution, year)
        for month in cuatrimestre_months(cuatrimestre)
    )


def readable_goals_as_of(user, institution, year, as_of):
    """The day whose goals the user may read when asking for `as_of`: `as_of` itself for who reads drafts; for
    the others no later than the last day of the latest approved cuatrimestre; None before any approval."""
    if can_read_drafts(user, institution):
        return as_of
    approved = approved_cuatrimestres(institution, year) if can_read(user, institution) else set()
    if not approved:
        return None
    return min(as_of, cuatrimestre_last_day(year, max(approved)))


def draft_institutions(user):
    """The institutions whose unapproved figures the user reads: can_read_drafts, for a queryset."""
    if not user.has_perm("approvals.view_draft_report"):
        return Institution.objects.none()
    if user.is_superuser:
        return institutions_for(user)
    return Institution.objects.filter(pk=user.institution_id)


def readable_monthly_records(queryset, user, result_path):
    """Monthly records (execution or programme, whose result is at `result_path`) the user may read: every month
    of the institutions whose drafts he reads; of the other institutions he may read, the months of approved reports."""
    institution, year = f"{result_path}__institution", f"{result_path}__year"
    cuatrimestre = Case(
        *(When(month__in=cuatrimestre_months(number), then=number) for number in CUATRIMESTRES[:-1]),
        default=CUATRIMESTRES[-1],
    )
    approved = CuatrimestreReport.objects.filter(
        institution=OuterRef(institution),
        year=OuterRef(year),
        cuatrimestre=OuterRef("record_cuatrimestre"),
        status=ReportStatus.APPROVED,
    )
    return (
        queryset.filter(**{f"{institution}__in": institutions_for(user)})
        .annotate(record_cuatrimestre=cuatrimestre)
        .filter(Q(**{f"{institution}__in": draft_institutions(user)}) | Exists(approved))
    )


def approved_reports_to_read(user, institutions) -> set | None:
    """(institution code, year, cuatrimestre) of the approved reports the user may open among `institutions` whose
    drafts he does not read; None when he reads the drafts of them all (every report of a plan is his to open)."""
    drafts = draft_institutions(user)
    readers_only = institutions.exclude(pk__in=drafts.values("pk"))
    if not readers_only.exists():
        return None
    approved = CuatrimestreReport.objects.filter(institution__in=readers_only, status=ReportStatus.APPROVED)
    return set(approved.values_list("institution__code", "year", "cuatrimestre"))


def institutions_with_readable_cuatrimestre(*, user, institutions, year: int, cuatrimestre: int):
    """Of `institutions` (already scoped to the user), those whose figures of the cuatrimestre the user may read:
    the institutions whose drafts he reads, and the others whose report of that cuatrimestre is approved."""
    approved = CuatrimestreReport.objects.filter(year=year, cuatrimestre=cuatrimestre, status=ReportStatus.APPROVED)
    return institutions.filter(Q(pk__in=draft_institutions(user)) | Q(pk__in=approved.values("institution")))
