from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render

from . import drafts
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
    return render(request, "jobs/job.html", {"job": job_for_user_or_404(request.user, pk)})


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
