from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from import_export.forms import ExportForm

from goals.resources import TemplateResource
from goals.roles import can_change_calendar
from siplan.admin_inlines import LabelledTabularInline
from siplan.admin_read_only import ReadOnlyAdminMixin
from siplan.admin_scope import InstitutionScopedMixin

from .models import (
    Circular,
    CuatrimestreReport,
    Justification,
    Period,
    PeriodExtension,
    ReportSnapshot,
    ReportTransition,
    RequiredJustification,
    StoredDocument,
)


class PeriodExtensionInline(InstitutionScopedMixin, LabelledTabularInline):
    """An institution's administrator sees and grants his own institution's extensions only."""

    model = PeriodExtension
    extra = 0
    autocomplete_fields = ("institution",)


class CalendarAdmin(InstitutionScopedMixin, admin.ModelAdmin):
    """Global rows (every institution's deadlines): added, changed and deleted only by who may change the calendar."""

    def has_add_permission(self, request):
        return can_change_calendar(request.user) and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return can_change_calendar(request.user) and super().has_delete_permission(request, obj)


@admin.register(Period)
class PeriodAdmin(CalendarAdmin):
    """Entry windows: who may change the calendar sets each cuatrimestre's deadlines; an institution's
    administrator sees them read-only and grants extensions to his own institution (the scoped inline)."""

    list_display = ("__str__", "load_deadline", "oficio_deadline")
    list_filter = ("year",)
    inlines = [PeriodExtensionInline]

    def get_readonly_fields(self, request, obj=None):
        if can_change_calendar(request.user):
            return super().get_readonly_fields(request, obj)
        return ("year", "cuatrimestre", "load_deadline", "oficio_deadline")


@admin.register(Circular)
class CircularAdmin(CalendarAdmin):
    """The SEGEPLAN circular each cuatrimestre's oficio answers; fixed in a report's snapshot when approved."""

    list_display = ("__str__", "number")
    list_filter = ("year",)

    def has_change_permission(self, request, obj=None):
        return can_change_calendar(request.user) and super().has_change_permission(request, obj)


@admin.register(RequiredJustification)
class RequiredJustificationAdmin(InstitutionScopedMixin, admin.ModelAdmin):
    """The kinds of deviation the institution requires justified before a report is sent to review."""

    list_display = ("institution", "kind")


class ReadOnlyAdmin(ReadOnlyAdminMixin, InstitutionScopedMixin, admin.ModelAdmin):
    """Approved reports and their path are changed only through the approval services, never by hand."""


class ReportTransitionInline(InstitutionScopedMixin, LabelledTabularInline):
    model = ReportTransition
    extra = 0
    readonly_fields = ("action", "from_status", "to_status", "user", "at", "comment")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CuatrimestreReport)
class CuatrimestreReportAdmin(ReadOnlyAdmin):
    list_display = ("institution", "year", "cuatrimestre", "status")
    list_filter = ("status", "year", "cuatrimestre", "institution")
    inlines = [ReportTransitionInline]


@admin.register(ReportSnapshot)
class ReportSnapshotAdmin(ReadOnlyAdmin):
    list_display = ("oficio_number", "report", "approved_by", "approved_at", "superseded_at")
    list_filter = ("report__institution", "oficio_year")
    search_fields = ("oficio_number", "sha256")
    exclude = ("content",)


@admin.register(StoredDocument)
class StoredDocumentAdmin(ReadOnlyAdmin):
    """The files of each approval, as made at approval or signed later: never changed by hand."""

    list_display = ("snapshot", "kind", "signed", "size", "sha256", "created_at")
    list_filter = ("kind", "signed", "snapshot__report__institution")
    search_fields = ("sha256", "snapshot__oficio_number")


class JustificationResource(TemplateResource):
    """The `justificacion` template's rows of every institution-year the selected justifications belong to."""

    kind = "justificacion"
    display_name = _("Plantilla justificacion")

    def institution_years(self, queryset):
        selected = queryset.select_related("institution").order_by("institution__code", "year")
        return list(dict.fromkeys((justification.institution, justification.year) for justification in selected))


@admin.register(Justification)
class JustificationAdmin(ExportMixin, ReadOnlyAdmin):
    """Justifications are written on the report's page (concurrency-checked) or imported, never here; they export
    as the import template."""

    resource_classes = [JustificationResource]
    export_form_class = ExportForm

    list_display = ("__str__", "updated_by", "updated_at")
    list_filter = ("year", "cuatrimestre", "kind")
