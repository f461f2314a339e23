from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.cache import never_cache

from approvals.dashboard import build_dashboard
from goals.access import institution_for_user_or_404, institutions_for
from goals.roles import can_read_drafts
from reports.forms import DashboardForm
from reports.services import years_with_plan


@login_required
def home(request):
    """The dashboard of the user's institution (or one they may read, ?institucion=CODE) for a year (?anio=)."""
    code = request.GET.get("institucion")
    institution = institution_for_user_or_404(request.user, code) if code else request.user.institution
    if institution is None:
        return render(request, "home.html", {"institution": None})
    today = timezone.localdate()
    years = years_with_plan([institution]).get(institution.pk, [])
    default_year = years[0] if years else today.year
    form = DashboardForm(
        {"institucion": institution.code, "anio": request.GET.get("anio") or default_year},
        institutions=institutions_for(request.user),
    )
    year = form.year(default=default_year)
    dashboard = build_dashboard(
        institution=institution, year=year, internal=can_read_drafts(request.user, institution), today=today
    )
    context = {"institution": institution, "form": form, "years": years, "dashboard": dashboard, "today": today}
    return render(request, "home.html", context)


@never_cache
def healthz(request):
    """For load balancers and container health checks: is the database reachable?"""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def locked_out(request, response, credentials):
    """django-axes' lockout response: a page in Spanish saying how long to wait (429 Too Many Requests)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)


def favicon(request):
    """/favicon.ico, asked for by browsers on pages without a <link rel="icon"> (PDFs, JSON): siplan's icon."""
    return redirect(static("favicon.svg"))
