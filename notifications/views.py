from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import PreferenceForm
from .models import Notification, NotificationPreference


@login_required
def notification_list(request):
    page = Paginator(Notification.objects.filter(user=request.user).select_related("institution"), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/list.html", {"page": page})


@login_required
def unread(request):
    """The header's count of unread notices, asked by static/js/notifications.js (pages render without a query)."""
    response = JsonResponse({"unread": services.unread_count(request.user)})
    response["Cache-Control"] = "no-store"
    return response


@login_required
def open_notification(request, pk):
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    services.mark_read(request.user, [notification.pk])
    return redirect(notification.url or "notifications:list")


@login_required
@require_POST
def mark_all_read(request):
    services.mark_read(request.user)
    return redirect("notifications:list")


@login_required
def preferences(request):
    preference, _created = NotificationPreference.objects.get_or_create(user=request.user)
    form = PreferenceForm(request.POST if request.method == "POST" else None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Preferencias guardadas."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
