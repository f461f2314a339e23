from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import render

from .models import Job


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
