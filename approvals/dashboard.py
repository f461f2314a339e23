"""The home page of an institution's year: each product's progress, the three reports' path and deadlines, the
months nobody has entered, and the alerts of the cuatrimestre at hand.

Computed here and only rendered by templates/home.html. Progress is reports.progress's, never recomputed;
the number of queries does not grow with the plan.
"""

import datetime
from dataclasses import dataclass, field, replace
from functools import partial

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from goals.figures import printed_amount, separators
from goals.models import LinkType
from goals.periods import cuatrimestre_months, cuatrimestre_of_month, month_name
from goals.versions import cached_figures
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
    light_label: str
    html: str  # the row of home.html's progress table (ProductRows)


# A row of home.html's progress table, whitespace and all, as its {% for %} loop wrote it before ProductRows did.
ROW = """
      <tr>
        <th scope="row" class="name">{name}</th>
        <td>{unit}</td>
        <td class="num">{physical_pct}</td>
        <td class="num">{physical_expected}</td>
        <td>{physical_chart}</td>
        <td class="num">{financial_pct}</td>
        <td class="num">{financial_expected}</td>
        <td>{financial_chart}</td>
        <td><span class="light light-{light}">{light_label}</span></td>
      </tr>
      """


class ProductRows:
    """Writes the dashboard's product rows in Python, with the active language's chart labels, light labels and
    number separators looked up once per page: the template's lookups, filters and translations per product were
    most of the dashboard's rendering. Percentages print as floatformat:"2g" prints them."""

    def __init__(self, month):
        self.month = month
        self.language = get_language()
        self.physical_label = _("Ejecución física mensual de %(name)s")
        self.financial_label = _("Ejecución financiera mensual de %(name)s")
        self.light_labels = {light: str(label) for light, label in LIGHT_LABELS.items()}
        self.separators = separators(escape)

    def chart(self, progress, label):
        return month_bars(tuple(progress.months), self.month, label, self.language)

    def row(self, progress):
        name, physical, financial, light = progress.name, progress.physical, progress.financial, progress.light
        light_label = self.light_labels[light]
        html = ROW.format(
            name=escape(name),
            unit=escape(progress.unit),
            physical_pct=printed_amount(physical.pct, self.separators),
            physical_expected=printed_amount(physical.expected_pct, self.separators),
            physical_chart=self.chart(physical, self.physical_label % {"name": name}),
            financial_pct=printed_amount(financial.pct, self.separators),
            financial_expected=printed_amount(financial.expected_pct, self.separators),
            financial_chart=self.chart(financial, self.financial_label % {"name": name}),
            light=escape(light),
            light_label=escape(light_label),
        )
        return ProductRow(progress=progress, light_label=light_label, html=mark_safe(html))  # noqa: S308 (escaped)


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


def sections(rows, month):
    """RI/PGG products, then RE products, in plan order (product_progress's)."""
    writer = ProductRows(month)
    found = []
    for link, label in LinkType.choices:
        products = [writer.row(row) for row in rows if row.link == link]
        if products:
            found.append((label, products))
    return found


def build_dashboard(*, institution, year, internal, today):
    """The dashboard of `institution`'s `year` as of `today`; draft figures only when `internal`.

    Computed once per version of the institution's figures (goals.versions: its plan, execution, reports, their
    steps and the entry windows all bump it) and per day (deadlines count days from today): everything it shows is
    read inside computed_dashboard, after the version. The institution is the caller's, not the cached copy's.
    """
    dashboard = cached_figures(
        institution=institution,
        parts=("dashboard", year, internal, today),
        compute=partial(computed_dashboard, institution=institution, year=year, internal=internal, today=today),
    )
    return replace(dashboard, institution=institution)


def computed_dashboard(*, institution, year, internal, today):
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
    last_month = cuatrimestre_months(current.cuatrimestre)[-1]
    empty = empty_months(institution=institution, year=year, last_month=last_month, today=today, windows=windows)
    dashboard.empty_months = [empty_month for empty_month in empty if empty_month.month <= month]
    if dashboard.sections and not current.is_approved:
        dashboard.alerts_report = current
        report = draft_report(institution=institution, year=year, cuatrimestre=current.cuatrimestre)
        dashboard.alerts = alerts_before_approval(institution, report, today, empty=empty)
    return dashboard
