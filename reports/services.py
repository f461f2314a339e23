"""Finding the report a user or a command asks for; what is wrong with the request is said once, here."""

from django.utils.translation import gettext as _

from goals.models import Result
from goals.services import CUATRIMESTRES

from .computation import build_report


class ReportNotFound(Exception):
    """The institution, year or cuatrimestre asked for has no report; the message says why, in Spanish."""


def years_with_plan(institutions):
    """{institution id: [years with a plan, latest first]} in one query."""
    years = {}
    rows = Result.objects.filter(institution__in=institutions).values_list("institution_id", "year").distinct()
    for institution_id, year in sorted(rows, key=lambda row: -row[1]):
        years.setdefault(institution_id, []).append(year)
    return years


def report_for(institution, year, cuatrimestre):
    """The computed report, or ReportNotFound when the cuatrimestre is not 1–3 or the year has no plan."""
    if cuatrimestre not in CUATRIMESTRES:
        raise ReportNotFound(_("El cuatrimestre debe ser 1, 2 o 3, no %(value)s.") % {"value": cuatrimestre})
    if not Result.objects.filter(institution=institution, year=year).exists():
        raise ReportNotFound(
            _("%(institution)s no tiene plan para el año %(year)s.") % {"institution": institution.code, "year": year}
        )
    return build_report(institution, year, cuatrimestre)
