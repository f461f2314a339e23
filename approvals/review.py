"""What the report's status page shows: its state as every page says it, the director's reason for returning it,
and, to those who may read drafts, the figures, their alerts and what changed since the last submission or approval.
"""

from dataclasses import dataclass, field

from django.http import Http404

from goals import roles
from reports.annex import frozen_justifications
from reports.computation import report_to_dict
from reports.diff import report_changes
from reports.services import ReportNotFound

from . import justifications, services
from .alerts import alerts_before_approval
from .models import RETURNED, ReportAction
from .reading import report_for


@dataclass
class Review:
    institution: object
    report: object  # approvals.models.CuatrimestreReport, with last_action
    internal: bool  # may read drafts
    transitions: list = field(default_factory=list)
    snapshots: list = field(default_factory=list)
    figures: object = None  # reports.computation.Report shown on the page, or None
    snapshot: object = None  # the snapshot in force the figures come from, or None for a draft
    alerts: list = field(default_factory=list)
    deviations: list = field(default_factory=list)  # justifications.Deviation of a draft, to those who read drafts
    frozen_justifications: list = field(default_factory=list)  # the approved snapshot's, to those who read drafts
    compared_with: object = None  # the ReportTransition (submission or approval) the changes are counted from
    changes: list = field(default_factory=list)

    @property
    def status(self):
        return self.report.shown_status[0]

    @property
    def status_label(self):
        return self.report.shown_status[1]

    @property
    def return_step(self):
        """The director's return while it is the report's latest step (the planner is correcting it), or None."""
        return self.transitions[-1] if self.status == RETURNED and self.transitions else None

    @property
    def proposed_initials(self):
        """The oficio's typist line the approval form proposes: the initials of the planner who submitted last."""
        submissions = [step for step in self.transitions if step.action == ReportAction.SUBMIT]
        return submissions[-1].user.typist_initials if submissions else ""


def report_review(*, user, institution, year, cuatrimestre):
    """The status page's content for `user`; a 404 for a year without plan or a cuatrimestre that is not 1–3."""
    try:
        figures, snapshot = report_for(institution=institution, year=year, cuatrimestre=cuatrimestre)
    except ReportNotFound as error:
        raise Http404(str(error)) from None
    report = services.report_state(institution=institution, year=year, cuatrimestre=cuatrimestre)
    internal = roles.can_read_drafts(user, institution)
    review = Review(
        institution=institution,
        report=report,
        internal=internal,
        snapshots=list(report.snapshots.select_related("approved_by", "superseded_by").defer("content"))
        if report.pk
        else [],
        snapshot=snapshot,
    )
    if internal and report.pk:
        review.transitions = list(report.transitions.select_related("user").defer("submitted_report"))
    if snapshot is not None or internal:
        review.figures = figures
    if snapshot is not None and internal:
        review.frozen_justifications = frozen_justifications(snapshot)
    if snapshot is None and internal:
        review.alerts = alerts_before_approval(institution, figures)
        review.deviations = justifications.deviations(institution=institution, report=figures, alerts=review.alerts)
        reviewed = services.reviewed_content(report)
        if reviewed is not None:
            review.compared_with, before = reviewed
            review.changes = report_changes(before, report_to_dict(figures))
    return review
