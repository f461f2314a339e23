from django.urls import path

from . import report_views as views

app_name = "reports"

urlpatterns = [
    path("reportes/", views.choose, name="choose"),
    path("consolidado/", views.consolidated, name="consolidated"),
    path("reportes/<str:code>/<int:year>/<int:cuatrimestre>/", views.report_page, name="report"),
    path("reportes/<str:code>/<int:year>/<int:cuatrimestre>.json", views.report_json, name="json"),
    *[
        path(
            f"reportes/<str:code>/<int:year>/<int:cuatrimestre>.{extension}",
            views.report_download,
            {"extension": extension},
            name=extension,
        )
        for extension in ("xlsx", "pdf")
    ],
    path(
        "reportes/<str:code>/<int:year>/<int:cuatrimestre>/oficio.pdf",
        views.oficio_download,
        {"package": False},
        name="oficio",
    ),
    path(
        "reportes/<str:code>/<int:year>/<int:cuatrimestre>/paquete.pdf",
        views.oficio_download,
        {"package": True},
        name="package",
    ),
]
