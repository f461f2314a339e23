"""Who has reported: for a year and cuatrimestre, each institution's report against its oficio deadline.

An institution is *on time* when its report was approved on or before the oficio deadline (the period's, moved
by the institution's extension; the legal one, 15 days after the cuatrimestre, where no period is set), *late*
when approved after it, and *missing* while not approved.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import OuterRef, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from approvals.locks import windows_of_institutions
from approvals.models import (
    CuatrimestreReport,
    ReportAction,
    ReportStatus,
    ReportTransition,
)
from goals.figures import percentage
from goals.models import InstitutionType, Sector

ON_TIME, LATE, MISSING = "a_tiempo", "tarde", "pendiente"
OUTCOMES = {ON_TIME: _("Aprobado a tiempo"), LATE: _("Aprobado tarde"), MISSING: _("Sin aprobar")}


@dataclass(slots=True)
class FollowUpRow:
    code: str
    name: str
    institution_type: str
    type_label: str
    sector: str
    sector_label: str
    status: str
    submitted_on: date | None
    approved_on: date | None
    deadline: date
    days: int | None  # days of margin: positive early, negative late; None while not due and not approved
    outcome: str
    outcome_label: str


def latest_day(action):
    """The local day of the report's latest transition of that kind, computed by the database."""
    return Subquery(
        ReportTransition.objects.filter(report=OuterRef("pk"), action=action)
        .order_by("-at", "-id")
        .values(day=TruncDate("at"))[:1]
    )


def labels(choices):
    """{value: label} of choices, each lazy label translated once (get_FOO_display() would per row)."""
    return {value: str(label) for value, label in choices}


def follow_up_rows(institutions, year, cuatrimestre, today=None):
    """One FollowUpRow per institution, in code order; four queries whatever their number, read as tuples (the
    institutions' ids go to the database as a subquery, not as hundreds of parameters)."""
    today = today or timezone.localdate()
    rows = list(institutions.order_by("code").values_list("pk", "code", "name", "institution_type", "sector"))
    windows = windows_of_institutions(institutions=[pk for pk, *_rest in rows], year=year, cuatrimestre=cuatrimestre)
    reports = {
        institution_id: (status, submitted_on, approved_on)
        for institution_id, status, submitted_on, approved_on in CuatrimestreReport.objects.filter(
            institution__in=institutions.values("pk"), year=year, cuatrimestre=cuatrimestre
        )
        .annotate(submitted_on=latest_day(ReportAction.SUBMIT), approved_on=latest_day(ReportAction.APPROVE))
        .order_by()
        .values_list("institution_id", "status", "submitted_on", "approved_on")
    }
    types, sectors = labels(InstitutionType.choices), labels(Sector.choices)
    statuses, outcomes = labels(ReportStatus.choices), labels(OUTCOMES.items())
    follow_up = []
    for pk, code, name, institution_type, sector in rows:
        status, submitted_on, approved_on = reports.get(pk, (ReportStatus.DRAFT, None, None))
        deadline = windows[pk].oficio_deadline
        approved_on = approved_on if status == ReportStatus.APPROVED else None
        if approved_on is not None:
            days = (deadline - approved_on).days
            outcome = ON_TIME if days >= 0 else LATE
        else:
            days = (deadline - today).days if today > deadline else None
            outcome = MISSING
        follow_up.append(
            FollowUpRow(
                code=code,
                name=name,
                institution_type=institution_type,
                type_label=types.get(institution_type, institution_type),
                sector=sector,
                sector_label=sectors.get(sector, sector),
                status=statuses[status],
                submitted_on=submitted_on if status != ReportStatus.DRAFT else None,
                approved_on=approved_on,
                deadline=deadline,
                days=days,
                outcome=outcome,
                outcome_label=outcomes[outcome],
            )
        )
    return follow_up


@dataclass
class Rates:
    label: str
    institutions: int
    on_time: int
    late: int
    missing: int

    @property
    def on_time_pct(self):
        return percentage(self.on_time, self.institutions)

    @property
    def late_pct(self):
        return percentage(self.late, self.institutions)

    @property
    def missing_pct(self):
        return percentage(self.missing, self.institutions)


def rates_of(label, rows):
    counts = Counter(row.outcome for row in rows)
    return Rates(str(label), len(rows), counts[ON_TIME], counts[LATE], counts[MISSING])


def rates_by(rows, attribute):
    """[Rates of each value of the rows' `attribute` present, in label order]."""
    groups = {}
    for row in rows:
        groups.setdefault(getattr(row, attribute), []).append(row)
    return [rates_of(label, group) for label, group in sorted(groups.items())]


@dataclass
class AllRates:
    overall: Rates
    by_type: list[Rates]
    by_sector: list[Rates]

    def sheet(self):
        """The rates as the rows of a spreadsheet: (grouping, group, institutions, each outcome's count and %)."""
        groups = [(_("Todas"), [self.overall]), (_("Tipo"), self.by_type), (_("Sector"), self.by_sector)]
        return [
            [str(grouping), r.label, r.institutions, r.on_time, r.on_time_pct, r.late, r.late_pct, r.missing,
             r.missing_pct]
            for grouping, group in groups
            for r in group
        ]  # fmt: skip


SHEET_HEADERS = (
    _("Agrupación"), _("Grupo"), _("Instituciones"), _("Aprobado a tiempo"), "%", _("Aprobado tarde"), "%",
    _("Sin aprobar"), "%",
)  # fmt: skip


def rates(rows):
    """The share of institutions approved on time, late and not approved: overall, by type and by sector."""
    return AllRates(rates_of(_("Todas"), rows), rates_by(rows, "type_label"), rates_by(rows, "sector_label"))
