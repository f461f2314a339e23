from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_tables2.export import TableExport

from goals.access import institutions_for
from goals.views import paginated
from reports.tables import XlsxExport

from .follow_up import follow_up_rows, rates
from .forms import FollowUpForm
from .tables import FollowUpTable


@login_required
def follow_up(request):
    """Who has reported, for oversight staff and superusers; ?formato=xlsx downloads it whole."""
    if not request.user.reads_several_institutions:
        raise Http404("Página no encontrada")
    form = FollowUpForm(request.GET, institutions=institutions_for(request.user))
    rows, overall, by_type = [], None, []
    if form.is_valid():
        rows = follow_up_rows(form.chosen_institutions(), form.cleaned_data["anio"], form.cleaned_data["cuatrimestre"])
        overall, by_type = rates(rows)
        if form.cleaned_data["resultado"]:
            rows = [row for row in rows if row.outcome == form.cleaned_data["resultado"]]
    table = FollowUpTable(rows)
    if form.is_valid() and request.GET.get("formato") == TableExport.XLSX:
        name = _("Seguimiento %(year)s C%(cuatrimestre)s") % {
            "year": form.cleaned_data["anio"],
            "cuatrimestre": form.cleaned_data["cuatrimestre"],
        }
        return XlsxExport(table, title=name).response(filename=name.lower().replace(" ", "-") + ".xlsx")
    context = {"form": form, "table": paginated(request, table), "overall": overall, "by_type": by_type}
    return render(request, "oversight/follow_up.html", context)
