"""The import page: upload, see what would change (or every error), confirm. Rules live in goals.imports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from goals.roles import can_enter_data

from . import uploads
from .forms import ImportForm
from .imports import COLUMNS, background, import_file, template_workbook
from .models import Result

PENDING_KEY = "pending_import"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def require_importer(user):
    if not (user.is_superuser or (user.institution is not None and can_enter_data(user, user.institution))):
        raise PermissionDenied(_("Su rol no le permite importar datos."))


@login_required
def import_page(request):
    require_importer(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "templates": list(COLUMNS)}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        kind = form.cleaned_data["template"]
        discard_pending(request)
        # A large file is previewed by the worker; the job's page shows the progress, then the preview to confirm.
        job_url = background.preview_in_background(content=content, kind=kind, name=upload.name, user=request.user)
        if job_url is not None:
            return redirect(job_url)
        result = import_file(kind, ContentFile(content), upload.name, user=request.user, dry_run=True)
        context.update(result=result, kind=kind, name=upload.name)
        if result.ok:
            request.session[PENDING_KEY] = {
                "path": uploads.store(content, upload.name),
                "kind": kind,
                "name": upload.name,
            }
    return render(request, "goals/import.html", context)


def discard_pending(request):
    """Forget the preview waiting for confirmation and delete its file; returns the pending import or None."""
    pending = request.session.pop(PENDING_KEY, None)
    if pending is not None:
        uploads.delete(pending["path"])
    return pending


@login_required
@require_POST
def confirm_import(request):
    require_importer(request.user)
    pending = request.session.get(PENDING_KEY)
    content = uploads.read(pending["path"]) if pending else None
    discard_pending(request)
    if content is None:
        messages.error(request, _("No hay una importación por confirmar; suba el archivo de nuevo."))
        return redirect("goals:import")
    result = import_file(pending["kind"], ContentFile(content), pending["name"], user=request.user)
    if result.ok:
        messages.success(request, background.imported_message(pending["name"], result))
        return redirect("goals:import")
    return render(request, "goals/import.html", {"form": ImportForm(), "templates": list(COLUMNS), "result": result})


@login_required
@require_POST
def cancel_import(request):
    require_importer(request.user)
    if discard_pending(request) is not None:
        messages.info(request, _("Importación cancelada: no se escribió nada."))
    return redirect("goals:import")


def example_year(user):
    """The year of the templates' example row: the latest plan of the user's institution, else this year."""
    latest = Result.objects.filter(institution=user.institution_id).aggregate(year=Max("year"))["year"]
    return latest or timezone.localdate().year


@login_required
def download_template(request, kind):
    if kind not in COLUMNS:
        raise Http404
    response = HttpResponse(
        template_workbook(kind=kind, year=example_year(request.user), institution=request.user.institution),
        content_type=XLSX,
    )
    response["Content-Disposition"] = f'attachment; filename="plantilla-{kind}.xlsx"'
    return response
