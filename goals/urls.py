from django.urls import path

from . import import_views

app_name = "goals"

urlpatterns = [
    path("importar/", import_views.import_page, name="import"),
    path("importar/confirmar/", import_views.confirm_import, name="confirm_import"),
    path("importar/plantillas/<slug:kind>.xlsx", import_views.download_template, name="import_template"),
]
