"""Finding the report a user or a command asks for; what is wrong with the request is said once, here."""

from django.utils.translation import gettext as _

from goals.models import Result
from goals.services import CUATRIMESTRES

from approvals.services import snapshot_in_force

from .computation import build_report, report_from_dict


class ReportNotFound(Exception):
    """The institution, year or cuatrimestre asked for has no report; the message says why, in Spanish."""


def years_with_plan(institutions):
    """{institution id: [years with a plan, latest first]} in one query."""
    years = {}
    rows = Result.objects.filter(institution__in=institutions).order_by().values_list("institution_id", "year").distinct()
    for institution_id, year in sorted(rows, key=lambda row: -row[1]):
        years.setdefault(institution_id, []).append(year)
    return years


def report_for(institution, year, cuatrimestre):
    """(report, snapshot): the approved snapshot's figures while one is in force, else a fresh computation.

    ReportNotFound when the cuatrimestre is not 1–3 or the year has no plan. Once approved, the page,
    JSON, xlsx and PDF all show the frozen figures, whatever changes afterwards.
    """
    if cuatrimestre not in CUATRIMESTRES:
        raise ReportNotFound(_("El cuatrimestre debe ser 1, 2 o 3, no %(value)s.") % {"value": cuatrimestre})
    if not Result.objects.filter(institution=institution, year=year).exists():
        raise ReportNotFound(
            _("%(institution)s no tiene plan para el año %(year)s.") % {"institution": institution.code, "year": year}
        )
    snapshot = snapshot_in_force(institution, year, cuatrimestre)
    if snapshot is not None:
        return report_from_dict(snapshot.data["report"]), snapshot
    return build_report(institution, year, cuatrimestre), None
