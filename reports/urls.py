from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("reportes/", views.choose, name="choose"),
    path("reportes/<str:code>/<int:year>/<int:cuatrimestre>/", views.report_page, name="report"),
    path("reportes/<str:code>/<int:year>/<int:cuatrimestre>.json", views.report_json, name="json"),
    path(
        "reportes/<str:code>/<int:year>/<int:cuatrimestre>.xlsx",
        views.report_download,
        {"extension": "xlsx"},
        name="xlsx",
    ),
]
