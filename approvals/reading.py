"""One reading rule for every channel (pages, downloads, JSON, the API and the admin): which figures of an
institution's year a user may read, and which version of a report everyone reads.

Whoever reads drafts (goals.roles.can_read_drafts: the institution's planners and director) reads every
month and today's goals. Everyone else who may read the institution (its readers, oversight staff) reads the
months of the cuatrimestres whose report is approved and in force, and the goals as those reports print them:
as of the last day of the latest approved cuatrimestre. The rule on months and goals is goals.reading's; the
approved cuatrimestres it rests on are answered here (`approved_cuatrimestres`, registered in
ApprovalsConfig.ready()), and so are the rule's querysets for many institutions at once. Once approved, a
report reads as its snapshot froze it (`report_for`).
"""

import functools
import json

from django.db.models import Case, Exists, OuterRef, Q, When

from goals.access import institutions_for
from goals.models import Institution
from goals.periods import CUATRIMESTRES, cuatrimestre_months
from reports.computation import draft_report, report_from_dict
from reports.services import ensure_report_exists

from .models import CuatrimestreReport, ReportSnapshot, ReportStatus
from .services import snapshot_in_force


def approved_cuatrimestres(*, institution, year: int) -> set[int]:
    """The cuatrimestres of the year whose report is approved (its snapshot in force)."""
    reports = CuatrimestreReport.objects.filter(institution=institution, year=year, status=ReportStatus.APPROVED)
    return set(reports.values_list("cuatrimestre", flat=True))


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


def snapshot_for(*, institution, year: int, cuatrimestre: int):
    """The approved snapshot in force, or None for a draft: which figures of the report everyone reads, answered
    before any is read (a page that keeps a draft's rendering reads none). ReportNotFound when the cuatrimestre is not
    1–3 or the year has no plan."""
    ensure_report_exists(institution=institution, year=year, cuatrimestre=cuatrimestre)
    return snapshot_in_force(institution=institution, year=year, cuatrimestre=cuatrimestre)


def report_of(*, institution, year: int, cuatrimestre: int, snapshot):
    """The report as `snapshot_for` answered: the snapshot's frozen figures, else the draft's (computed once per
    version of the institution's figures: reports.computation.draft_report)."""
    if snapshot is not None:
        return frozen_report(snapshot.sha256)
    return draft_report(institution=institution, year=year, cuatrimestre=cuatrimestre)


def report_for(*, institution, year: int, cuatrimestre: int):
    """(report, snapshot): the approved snapshot's figures while one is in force, else the draft's.

    ReportNotFound when the cuatrimestre is not 1–3 or the year has no plan. Once approved, the page,
    JSON, xlsx and PDF all show the frozen figures, whatever changes afterwards.
    """
    snapshot = snapshot_for(institution=institution, year=year, cuatrimestre=cuatrimestre)
    return report_of(institution=institution, year=year, cuatrimestre=cuatrimestre, snapshot=snapshot), snapshot


@functools.lru_cache(maxsize=16)
def frozen_report(sha256):
    """The Report an approved snapshot holds, decoded once per process: the SHA-256 names content that never changes."""
    content = ReportSnapshot.objects.values_list("content", flat=True).get(sha256=sha256)
    return report_from_dict(json.loads(content)["report"])
