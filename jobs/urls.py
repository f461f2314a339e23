from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("trabajos/<int:pk>/", views.job_page, name="job"),
    path("trabajos/<int:pk>.json", views.job_status, name="status"),
    path("trabajos/<int:pk>/confirmar/", views.confirm_import, name="confirm_import"),
    path("trabajos/<int:pk>/cancelar/", views.cancel_import, name="cancel_import"),
    path("trabajos/<int:pk>/borrador.pdf", views.draft_pdf, name="draft_pdf"),
]
