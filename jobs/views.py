from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from goals.import_views import require_importer

from . import drafts, imports
from .models import Job, JobStatus


def job_for_user_or_404(user, pk):
    """A user sees the jobs they asked for; superusers see every job."""
    jobs = Job.objects.all() if user.is_superuser else Job.objects.filter(user=user)
    try:
        return jobs.get(pk=pk)
    except Job.DoesNotExist:
        raise Http404("Trabajo no encontrado") from None


@login_required
def job_page(request, pk):
    job = job_for_user_or_404(request.user, pk)
    return render(request, "jobs/job.html", {"job": job, **imports.preview_page(job, request.user)})


@login_required
def job_status(request, pk):
    response = JsonResponse(job_for_user_or_404(request.user, pk).as_dict())
    response["Cache-Control"] = "no-store"
    return response


@login_required
def draft_pdf(request, pk):
    """A large draft's PDF, prepared by the worker, for the user who asked for it (or a superuser)."""
    job = job_for_user_or_404(request.user, pk)
    if job.expired_at is not None:
        return redirect("jobs:job", pk=job.pk)
    if job.kind != drafts.KIND or job.status != JobStatus.DONE:
        raise Http404("Documento no encontrado")
    try:
        [name] = default_storage.listdir(drafts.folder(job.pk))[1]
    except (FileNotFoundError, ValueError):
        raise Http404("Documento no encontrado") from None
    return FileResponse(
        default_storage.open(f"{drafts.folder(job.pk)}/{name}", "rb"), as_attachment=True, filename=name
    )


@login_required
@require_POST
def confirm_import(request, pk):
    """Queue the write of a large file previewed by the worker, for the user who uploaded it."""
    job = imports.previewed_by(request.user, pk)
    require_importer(request.user)
    try:
        return redirect(imports.confirm(job, request.user))
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
        return redirect("jobs:job", pk=job.pk)


@login_required
@require_POST
def cancel_import(request, pk):
    job = imports.previewed_by(request.user, pk)
    try:
        imports.cancel(job)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
        return redirect("jobs:job", pk=job.pk)
    messages.info(request, _("Importación cancelada: no se escribió nada."))
    return redirect("goals:import")
