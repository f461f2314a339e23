from django.urls import path

from . import import_views, views

app_name = "goals"

urlpatterns = [
    path("instituciones/", views.institution_list, name="institutions"),
    path("instituciones/<str:code>/<int:year>/productos/", views.product_list, name="products"),
    path("instituciones/<str:code>/<int:year>/ejecucion/", views.execution_list, name="execution"),
    path("ejecucion/", views.enter_chosen_month, name="enter_chosen_month"),
    path("ejecucion/<int:year>/<int:month>/", views.enter_month, name="enter_month"),
    path("ejecucion/<int:year>/<int:month>/evidencia/<str:kind>/<int:pk>/", views.evidence_page, name="evidence"),
    path("ejecucion/evidencia/<int:pk>/eliminar/", views.delete_evidence, name="delete_evidence"),
    path("programacion/", views.programme_chosen_year, name="programme_chosen_year"),
    path("programacion/<str:code>/<int:year>/", views.programme, name="programme"),
    path("importar/", import_views.import_page, name="import"),
    path("importar/confirmar/", import_views.confirm_import, name="confirm_import"),
    path("importar/cancelar/", import_views.cancel_import, name="cancel_import"),
    path("importar/plantillas/<slug:kind>.xlsx", import_views.download_template, name="import_template"),
]
