from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2.export import TableExport

from goals.access import institutions_for
from goals.views import paginated
from jobs.models import JobStatus
from jobs.services import enqueue
from jobs.views import job_for_user_or_404
from reports.tables import XlsxExport

from . import bulk
from .follow_up import follow_up_rows, rates
from .forms import CuatrimestreForm, FollowUpForm
from .tables import FollowUpTable


def require_oversight(user):
    """Pages across institutions are for oversight staff and superusers; anyone else gets a 404."""
    if not user.reads_several_institutions:
        raise Http404("Página no encontrada")


@login_required
def follow_up(request):
    """Who has reported, for oversight staff and superusers; ?formato=xlsx downloads it whole."""
    require_oversight(request.user)
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
    context = {
        "form": form,
        "table": paginated(request, table),
        "overall": overall,
        "by_type": by_type,
        "bulk_form": CuatrimestreForm(initial=form.cleaned_data) if form.is_valid() else None,
    }
    return render(request, "oversight/follow_up.html", context)


@login_required
@require_POST
def bulk_start(request):
    """Start building the zip of every approved package of a cuatrimestre; the job's page follows its progress."""
    require_oversight(request.user)
    form = CuatrimestreForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Elija un año y un cuatrimestre válidos."))
        return redirect("oversight:follow_up")
    data = form.cleaned_data
    year, cuatrimestre = data["anio"], data["cuatrimestre"]
    job = enqueue(bulk.build_bulk_zip, bulk.KIND, user=request.user, year=year, cuatrimestre=cuatrimestre)
    return redirect("jobs:job", pk=job.pk)


@login_required
def bulk_download(request, pk, year, cuatrimestre):
    """The finished zip, for the user who asked for it (or a superuser), streamed from storage."""
    require_oversight(request.user)
    job = job_for_user_or_404(request.user, pk)
    name = bulk.stored_name(job_id=job.pk, year=year, cuatrimestre=cuatrimestre)
    if job.kind != bulk.KIND or job.status != JobStatus.DONE or not default_storage.exists(name):
        raise Http404("Descarga no encontrada")
    filename = bulk.zip_filename(year=year, cuatrimestre=cuatrimestre)
    return FileResponse(default_storage.open(name, "rb"), as_attachment=True, filename=filename)
