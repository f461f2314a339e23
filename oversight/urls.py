from django.urls import path

from . import views

app_name = "oversight"

urlpatterns = [
    path("seguimiento/", views.follow_up, name="follow_up"),
    path("seguimiento/paquetes/", views.bulk_start, name="bulk_start"),
    path(
        "seguimiento/paquetes/<int:pk>/siplan-<int:year>-C<int:cuatrimestre>-aprobados.zip",
        views.bulk_download,
        name="bulk_download",
    ),
    path("seguimiento/congreso/<int:year>/<int:cuatrimestre>/", views.congress_page, name="congress"),
    path("seguimiento/congreso/<int:year>/<int:cuatrimestre>/armar/", views.congress_build, name="congress_build"),
    path(
        "seguimiento/congreso/<int:year>/<int:cuatrimestre>/aprobar/", views.congress_approve, name="congress_approve"
    ),
    path("seguimiento/congreso/<int:year>/<int:cuatrimestre>/reabrir/", views.congress_reopen, name="congress_reopen"),
    path("seguimiento/congreso/<int:year>/<int:cuatrimestre>/firmar/", views.congress_sign, name="congress_sign"),
    path(
        "seguimiento/congreso/<int:year>/<int:cuatrimestre>/congreso.<slug:extension>",
        views.congress_download,
        name="congress_download",
    ),
]
