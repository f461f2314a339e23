"""Finding the report a user or a command asks for; what is wrong with the request is said once, here."""

import json

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from goals.evidence import evidence_of_months
from goals.models import FIRST_YEAR, LAST_YEAR, Result
from goals.periods import CUATRIMESTRES
from goals.versions import cached_figures

from .computation import draft_report, evidence_counts, report_to_dict


class ReportNotFound(Exception):
    """The institution, year or cuatrimestre asked for has no report; the message says why, in Spanish."""


def years_with_plan(institutions):
    """{institution id: [years with a plan, latest first]} in one query."""
    years = {}
    rows = (
        Result.objects.filter(institution__in=institutions).order_by().values_list("institution_id", "year").distinct()
    )
    for institution_id, year in sorted(rows, key=lambda row: -row[1]):
        years.setdefault(institution_id, []).append(year)
    return years


def plan_years(institutions):
    """Every year in which any of the institutions has a plan, latest first."""
    return sorted({year for years in years_with_plan(institutions).values() for year in years}, reverse=True)


def ensure_report_exists(*, institution, year, cuatrimestre):
    """ReportNotFound when the cuatrimestre is not 1–3 or the year has no plan (a year out of range never has one)."""
    if cuatrimestre not in CUATRIMESTRES:
        raise ReportNotFound(_("El cuatrimestre debe ser 1, 2 o 3, no %(value)s.") % {"value": cuatrimestre})
    if not (FIRST_YEAR <= year <= LAST_YEAR and Result.objects.filter(institution=institution, year=year).exists()):
        raise ReportNotFound(
            _("%(institution)s no tiene plan para el año %(year)s.") % {"institution": institution.code, "year": year}
        )


def rendered(snapshot, name, render):
    """render(), or for an approved report what it returned the first time: its HTML and JSON never change.

    Kept in Django's cache under the snapshot's SHA-256 and the language, so re-reading an approved
    report costs neither its decoding nor its rendering.
    """
    if snapshot is None:
        return render()
    return cache.get_or_set(f"reports:{name}:{snapshot.sha256}:{get_language()}", render, timeout=None)


def report_html(report, snapshot, evidence_counts):
    """The report as its page shows it (reports/_report.html), with a paperclip on the rows that have medios de
    verificación (reports.computation.evidence_counts); an approved one's rendered once and kept: its months' files
    can no longer change (goals.freeze), so neither can their counts."""
    context = {"report": report, "evidence_counts": evidence_counts}
    return rendered(snapshot, "html", lambda: render_to_string("reports/_report.html", context))


def draft_html(*, institution, year, cuatrimestre):
    """A draft as report_html renders it, once per version of the institution's figures (goals.versions): the report
    and its medios de verificación are read inside, after the version, never passed in from an earlier read."""

    def render():
        report = draft_report(institution=institution, year=year, cuatrimestre=cuatrimestre)
        evidence = evidence_of_months(institution=institution, year=year, months=report.months)
        return render_to_string(
            "reports/_report.html", {"report": report, "evidence_counts": evidence_counts(evidence)}
        )

    return cached_figures(institution=institution, parts=("html", year, cuatrimestre), compute=render)


def json_text(report):
    """The report's JSON (reports.computation.report_to_dict) as its page's link downloads it."""
    return json.dumps(report_to_dict(report), ensure_ascii=False)


def draft_json(*, institution, year, cuatrimestre):
    """A draft's JSON, once per version of the institution's figures (goals.versions): the report is read inside,
    after the version, never passed in from an earlier read."""
    return cached_figures(
        institution=institution,
        parts=("json", year, cuatrimestre),
        compute=lambda: json_text(draft_report(institution=institution, year=year, cuatrimestre=cuatrimestre)),
    )
