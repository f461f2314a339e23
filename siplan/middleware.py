"""Signed-in pages are the user's own: no browser or proxy keeps a copy of them."""

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
