"""The Congress report in the admin: read-only, and only for who may act on it (goals.roles.can_prepare_congress_report:
superusers and oversight staff who read every institution), since it covers them all. Nobody changes, adds or
deletes a version or a stored file here: it is built, approved and reopened (audited, with a reason) on its page."""

from django.contrib import admin

from goals.roles import can_prepare_congress_report
from siplan.admin_read_only import ReadOnlyAdminMixin

from .models import CongressDocument, CongressReport


class CongressAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Seen whole by who may prepare the Congress report, by nobody else; changed by nobody."""

    def has_module_permission(self, request):
        return can_prepare_congress_report(request.user)

    def has_view_permission(self, request, obj=None):
        return can_prepare_congress_report(request.user)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if can_prepare_congress_report(request.user) else queryset.none()


@admin.register(CongressReport)
class CongressReportAdmin(CongressAdmin):
    list_display = ("__str__", "status", "created_by", "approved_by", "approved_at", "signed_at", "superseded_at")
    list_filter = ("year", "cuatrimestre", "status")
    list_select_related = ("created_by", "approved_by")
    search_fields = ("sha256",)
    exclude = ("content",)


@admin.register(CongressDocument)
class CongressDocumentAdmin(CongressAdmin):
    list_display = ("report", "kind", "signed", "size", "sha256", "created_at")
    list_filter = ("kind", "signed")
    list_select_related = ("report",)
    search_fields = ("sha256",)
