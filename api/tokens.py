"""The page where a signed-in user creates, regenerates or revokes their own API token."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from rest_framework.authtoken.models import Token


@login_required
@require_http_methods(["GET", "POST"])
def token_page(request):
    if request.method == "POST":
        action = request.POST.get("action")
        Token.objects.filter(user=request.user).delete()
        if action == "revocar":
            messages.success(request, _("Su token fue revocado: ya no da acceso a la API."))
        else:
            Token.objects.create(user=request.user)
            messages.success(request, _("Su token nuevo está listo. El anterior, si tenía uno, dejó de funcionar."))
        return redirect("api:token")
    token = Token.objects.filter(user=request.user).first()
    return render(request, "api/token.html", {"token": token})
