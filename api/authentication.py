"""API tokens work only while their user may sign in."""

from axes.handlers.proxy import AxesProxyHandler
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token, refused for an inactive user (as DRF does) and while django-axes locks the user out of signing
    in from this address after too many failed logins."""

    def authenticate(self, request):
        authenticated = super().authenticate(request)
        if authenticated is not None and AxesProxyHandler.is_locked(
            request._request, {"username": authenticated[0].get_username()}
        ):
            raise exceptions.AuthenticationFailed(
                _(
                    "El usuario está bloqueado por intentos fallidos de ingreso: "
                    "su token no sirve hasta que termine la pausa."
                )
            )
        return authenticated
