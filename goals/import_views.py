"""The import page: upload, see what would change (or every error), confirm. Rules live in goals.imports."""

import uuid
from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from approvals.roles import can_enter_data

from .forms import ImportForm
from .imports import COLUMNS, import_file, template_workbook

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
        result = import_file(kind, ContentFile(content), upload.name, user=request.user, dry_run=True)
        context.update(result=result, kind=kind, name=upload.name)
        if result.ok:
            stored = default_storage.save(f"imports/{uuid.uuid4().hex}{PurePath(upload.name).suffix}", ContentFile(content))
            request.session[PENDING_KEY] = {"path": stored, "kind": kind, "name": upload.name}
    return render(request, "goals/import.html", context)


@login_required
@require_POST
def confirm_import(request):
    require_importer(request.user)
    pending = request.session.pop(PENDING_KEY, None)
    if pending is None:
        messages.error(request, _("No hay una importación por confirmar; suba el archivo de nuevo."))
        return redirect("goals:import")
    with default_storage.open(pending["path"], "rb") as file:
        result = import_file(pending["kind"], file, pending["name"], user=request.user)
    default_storage.delete(pending["path"])
    if result.ok:
        messages.success(
            request,
            _("Importado %(name)s: %(created)s, %(updated)s.")
            % {
                "name": pending["name"],
                "created": ngettext("%(n)s registro creado", "%(n)s registros creados", result.created)
                % {"n": result.created},
                "updated": ngettext("%(n)s actualizado", "%(n)s actualizados", result.updated) % {"n": result.updated},
            },
        )
        return redirect("goals:import")
    return render(request, "goals/import.html", {"form": ImportForm(), "templates": list(COLUMNS), "result": result})


@login_required
def download_template(request, kind):
    if kind not in COLUMNS:
        raise Http404
    response = HttpResponse(template_workbook(kind), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="plantilla-{kind}.xlsx"'
    return response
