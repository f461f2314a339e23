"""The home page of an institution's year: each product's progress, the three reports' path and deadlines, the
months nobody has entered, and the alerts of the cuatrimestre at hand.

Computed here and only rendered by templates/home.html. Progress is reports.progress's, never recomputed;
the number of queries does not grow with the plan.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from goals.models import LinkType
from goals.periods import cuatrimestre_months, cuatrimestre_of_month, month_name
from reports.charts import month_bars
from reports.computation import draft_report
from reports.progress import LIGHT_LABELS, institution_progress, month_to_date

from .alerts import alerts_before_approval, empty_months
from .locks import entry_windows
from .models import ReportStatus, legal_deadline
from .services import report_states


@dataclass(frozen=True)
class Deadline:
    date: datetime.date
    days_left: int  # from today; negative when overdue

    @property
    def days_overdue(self):
        return -self.days_left


@dataclass(frozen=True)
class ReportState:
    """Where a cuatrimestre's report stands: Borrador, En revisión, Aprobado, or Devuelto (a draft whose latest
    step was a return), with its deadlines: the load deadline None when no entry window is set for the
    cuatrimestre, the oficio deadline then the legal one (15 days after the cuatrimestre ends)."""

    cuatrimestre: int
    title: str
    status: str
    label: str
    load_deadline: Deadline | None
    oficio_deadline: Deadline | None

    @property
    def is_approved(self):
        return self.status == ReportStatus.APPROVED


@dataclass(frozen=True)
class ProductRow:
    progress: object  # reports.progress.ProductProgress
    physical_chart: str
    financial_chart: str

    @property
    def light_label(self):
        return LIGHT_LABELS[self.progress.light]


@dataclass
class Dashboard:
    institution: object
    year: int
    month: int  # the last closed month progress is measured at
    internal: bool  # may read draft figures (goals.roles.can_read_drafts)
    reports: list
    sections: list = field(default_factory=list)  # [(link label, [ProductRow])]
    empty_months: list = field(default_factory=list)
    alerts: list = field(default_factory=list)
    alerts_report: ReportState | None = None

    @property
    def month_name(self):
        return month_name(self.month) if self.month else ""


def deadline(date, today):
    return Deadline(date, (date - today).days) if date is not None else None


def report_state(report, window, today):
    status, label = report.shown_status
    return ReportState(
        cuatrimestre=report.cuatrimestre,
        title=report.title,
        status=status,
        label=label,
        load_deadline=deadline(window and window.load_deadline, today),
        oficio_deadline=deadline(
            window.oficio_deadline if window else legal_deadline(year=report.year, cuatrimestre=report.cuatrimestre),
            today,
        ),
    )


def product_row(progress, month):
    name = progress.name
    return ProductRow(
        progress=progress,
        physical_chart=month_bars(
            progress.physical.months, month, _("Ejecución física mensual de %(name)s") % {"name": name}
        ),
        financial_chart=month_bars(
            progress.financial.months, month, _("Ejecución financiera mensual de %(name)s") % {"name": name}
        ),
    )


def sections(rows, month):
    """RI/PGG products, then RE products, in plan order (product_progress's)."""
    found = []
    for link, label in LinkType.choices:
        products = [product_row(row, month) for row in rows if row.link == link]
        if products:
            found.append((label, products))
    return found


def build_dashboard(*, institution, year, internal, today):
    """The dashboard of `institution`'s `year` as of `today`; draft figures only when `internal`."""
    month = month_to_date(year=year, today=today)
    windows = entry_windows(institution=institution, year=year)
    reports = [
        report_state(report, windows.get(report.cuatrimestre), today)
        for report in report_states(institution=institution, year=year)
    ]
    dashboard = Dashboard(institution=institution, year=year, month=month, internal=internal, reports=reports)
    if not internal:
        return dashboard
    dashboard.sections = sections(institution_progress(institution=institution, year=year, month=month), month)
    current = reports[cuatrimestre_of_month(max(month, 1)) - 1]
    # The months without figures to the current cuatrimestre's end, read once for the list and the alerts.
    empty = empty_months(
        institution=institution, year=year, last_month=cuatrimestre_months(current.cuatrimestre)[-1], today=today
    )
    dashboard.empty_months = [empty_month for empty_month in empty if empty_month.month <= month]
    if dashboard.sections and not current.is_approved:
        dashboard.alerts_report = current
        report = draft_report(institution=institution, year=year, cuatrimestre=current.cuatrimestre)
        dashboard.alerts = alerts_before_approval(institution, report, today, empty=empty)
    return dashboard
