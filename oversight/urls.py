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
]
