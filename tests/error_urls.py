"""The site's URLs plus one page that fails, to see what a user gets from an unexpected error."""

from django.urls import path

from siplan.urls import urlpatterns as site_urlpatterns


def broken_page(request):
    raise RuntimeError("secret detail: SELECT * FROM goals_product")


urlpatterns = [*site_urlpatterns, path("pagina-rota/", broken_page)]
