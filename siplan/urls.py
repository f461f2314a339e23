from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import views

admin.site.site_header = _("SIPLAN — Sistema de Planes Institucionales")
admin.site.site_title = _("SIPLAN")
admin.site.index_title = _("Administración")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("cuenta/ingresar/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("cuenta/salir/", auth_views.LogoutView.as_view(), name="logout"),
    # Password reset by e-mail, Django's own views (templates/registration/password_reset_*).
    path("cuenta/contrasena/olvido/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("cuenta/contrasena/enviado/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "cuenta/contrasena/nueva/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("cuenta/contrasena/lista/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("", include("goals.urls")),
    path("", include("approvals.report_urls")),
    path("", include("approvals.urls")),
    path("", include("jobs.urls")),
    path("", include("notifications.urls")),
    path("", include("oversight.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("api.urls")),
]
