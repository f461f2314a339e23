"""Signed-in pages are the user's own: no browser or proxy keeps a copy of them; and a signed-in user's language is
remembered, so that what is written to them later (an e-mailed notice) is in it."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.cache import patch_cache_control


class NoStoreWhenSignedInMiddleware:
    """Cache-Control: no-store on every response to a signed-in user (a session or an API token), unless the view
    set its own: an approved report's public documents stay cacheable (api.views.conditional)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, no_store=True, private=True)
        return response


class RememberLanguageMiddleware:
    """The language a signed-in user reads siplan in (the footer's choice, else the browser's, as LocaleMiddleware
    decided) is kept on the user when it changes (one UPDATE then, none otherwise); notifications e-mail them in it.
    The site's language is kept as blank, "the site's", until the user reads another."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = getattr(request, "LANGUAGE_CODE", "")
        if user is not None and user.is_authenticated:
            remembered = user.language or settings.LANGUAGE_CODE
            if language != remembered and language in dict(settings.LANGUAGES):
                get_user_model().objects.filter(pk=user.pk).update(language=language)
                user.language = language
        return self.get_response(request)
