from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from goals.access import institution_for_user_or_404, institutions_for

from .computation import report_to_dict
from .forms import ReportChoiceForm
from .services import ReportNotFound, report_for, years_with_plan


def report_or_404(request, code, year, cuatrimestre):
    """The report the URL names, if the user may read that institution; anything else is a 404."""
    institution = institution_for_user_or_404(request.user, code)
    try:
        return report_for(institution, year, cuatrimestre)
    except ReportNotFound as error:
        raise Http404(str(error)) from None


@login_required
def choose(request):
    institutions = institutions_for(request.user)
    years = sorted({year for years in years_with_plan(institutions).values() for year in years}, reverse=True)
    form = ReportChoiceForm(request.GET or None, institutions=institutions, years=years)
    if form.is_valid():
        return redirect(
            "reports:report",
            code=form.cleaned_data["institution"].code,
            year=form.cleaned_data["year"],
            cuatrimestre=form.cleaned_data["cuatrimestre"],
        )
    return render(request, "reports/choose.html", {"form": form, "has_plans": bool(years)})


@login_required
def report_page(request, code, year, cuatrimestre):
    report = report_or_404(request, code, year, cuatrimestre)
    return render(request, "reports/report.html", {"report": report, "generated_at": timezone.now()})


@login_required
def report_json(request, code, year, cuatrimestre):
    report = report_or_404(request, code, year, cuatrimestre)
    return JsonResponse(report_to_dict(report), json_dumps_params={"ensure_ascii": False})
