from django.urls import path

from . import views

app_name = "approvals"

urlpatterns = [
    path("reportes/<str:code>/<int:year>/<int:cuatrimestre>/estado/", views.report_status, name="report_status"),
    path(
        "reportes/<str:code>/<int:year>/<int:cuatrimestre>/estado/firmar-documentos/",
        views.sign_documents,
        name="sign_documents",
    ),
    path(
        "reportes/<str:code>/<int:year>/<int:cuatrimestre>/justificaciones/",
        views.justifications_page,
        name="justifications",
    ),
    path(
        "reportes/<str:code>/<int:year>/<int:cuatrimestre>/estado/aprobar/", views.approve_report, name="approve_report"
    ),
    path(
        "reportes/<str:code>/<int:year>/<int:cuatrimestre>/estado/<slug:action>/",
        views.report_action,
        name="report_action",
    ),
    path("reportes/<str:code>/aprobados/<str:sha256>.json", views.snapshot_json, name="snapshot_json"),
    path("reprogramaciones/<str:code>/", views.reprogrammings, name="reprogrammings"),
    path("reprogramaciones/<str:code>/<int:pk>/resolucion.pdf", views.resolution_pdf, name="resolution_pdf"),
    path(
        "reprogramaciones/<str:code>/<int:pk>/<slug:action>/", views.reprogramming_action, name="reprogramming_action"
    ),
    path("evidencia/<str:code>/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("bitacora/<str:code>/", views.audit_log, name="audit_log"),
    path("historial/<str:code>/<str:kind>/<int:pk>/", views.item_history, name="item_history"),
    path("verificar/", views.verify, name="verify_search"),
    path("v/<str:short>/", views.verify_short, name="verify_short"),
    path("verificar/<str:sha256>/", views.verify, name="verify"),
]
