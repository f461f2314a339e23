from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.forms import ExportForm

from goals.freeze import ensure_instance_writable, is_frozen
from goals.queries import validate_reprogramming_order
from siplan.admin_inlines import LabelledTabularInline
from siplan.admin_scope import InstitutionScopedMixin

from .forms import LimitedAdminImportForm
from .imports.reader import Rejected
from .models import (
    Evidence,
    GoalKind,
    Institution,
    Product,
    ProductExecution,
    ProductProgramme,
    Reprogramming,
    ReprogrammingLine,
    ReprogrammingStatus,
    Result,
    Subproduct,
    SubproductExecution,
    SubproductProgramme,
)
from .programme import MONTHS, item_goal, kind_field, over_goal
from .resources import (
    TEMPLATE_FORMATS,
    ExecutionResource,
    PlanResource,
    ReprogrammingResource,
)


class WritableCheckedForm(forms.ModelForm):
    """Refuse, at the form, a change that an approved report (or a closed entry window) freezes, naming it."""

    user = None

    def _post_clean(self):
        super()._post_clean()
        if self.has_changed() and not self.errors:
            try:
                ensure_instance_writable(self.instance, user=self.user)
            except ValidationError as error:
                self.add_error(None, error)


class WritableCheckedFormSet(forms.BaseInlineFormSet):
    """Deleting a frozen row is refused like changing it."""

    user = None

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.user = self.user
        return form

    def clean(self):
        super().clean()
        for form in self.deleted_forms:
            if form.instance.pk is not None:
                ensure_instance_writable(form.instance, user=self.user)


class TemplateImportExportMixin(ImportExportMixin):
    """The admin's import and export screens for goals.resources: a template's columns are fixed (an export
    must import back), so export offers no field picker; imports have the import page's size limit and read
    CSV and XLSX only, within the import page's limits (goals.imports.reader), refusing with its reasons."""

    import_form_class = LimitedAdminImportForm
    export_form_class = ExportForm
    import_formats = TEMPLATE_FORMATS

    def add_data_read_fail_error_to_form(self, form, e):
        if not isinstance(e, Rejected):
            return super().add_data_read_fail_error_to_form(form, e)
        for error in e.errors:
            form.add_error("import_file", str(error))


class ScopedAdmin(InstitutionScopedMixin, admin.ModelAdmin):
    """Each user sees and picks only his own institution's records (siplan.admin_scope)."""


class FrozenAwareAdmin(ScopedAdmin):
    """What an approved report freezes is shown read-only and cannot be deleted; saves are checked at the form."""

    form = WritableCheckedForm

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and is_frozen(obj):
            return [field.name for field in obj._meta.fields if field.editable and not field.primary_key]
        return super().get_readonly_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj is not None and is_frozen(obj))

    def save_model(self, request, obj, form, change):
        """An unchanged record is not written again: saving a frozen one as it is (its inlines, say) is no error."""
        if change and not form.has_changed():
            return
        super().save_model(request, obj, form, change)


class CheckedInline(InstitutionScopedMixin, LabelledTabularInline):
    form = WritableCheckedForm
    formset = WritableCheckedFormSet

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.user = request.user
        return formset


@admin.register(Institution)
class InstitutionAdmin(ScopedAdmin):
    """An institution's administrator edits his own; only a superuser adds or deletes institutions."""

    list_display = ("code", "acronym", "name", "authority_name")
    search_fields = ("code", "acronym", "name")

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class ProductInline(CheckedInline):
    model = Product
    fields = ("order", "name", "unit", "physical_initial")
    extra = 0
    show_change_link = True


@admin.register(Result)
class ResultAdmin(FrozenAwareAdmin):
    list_display = ("description", "institution", "year", "link", "order")
    list_filter = ("institution", "year", "link")
    search_fields = ("description", "strategic_axis", "strategic_action")
    inlines = [ProductInline]


class SubproductInline(CheckedInline):
    model = Subproduct
    fields = ("order", "name", "unit", "physical_initial", "financial_initial")
    extra = 0
    show_change_link = True


class TwelveMonthsInline(CheckedInline):
    """A row's twelve months in one screen."""

    extra = 0
    max_num = 12
    readonly_fields = ("updated_at", "updated_by")


class ProductExecutionInline(TwelveMonthsInline):
    model = ProductExecution
    fields = ("month", "physical", "updated_at", "updated_by")


class SubproductExecutionInline(TwelveMonthsInline):
    model = SubproductExecution
    fields = ("month", "physical", "financial", "updated_at", "updated_by")


class ProgrammeFormSet(WritableCheckedFormSet):
    """A row's months may not add up to more than its current goal (goals.programme), as on the programme page."""

    def clean(self):
        super().clean()
        item = self.instance
        kinds = [GoalKind.PHYSICAL] if item._meta.model_name == "product" else [GoalKind.PHYSICAL, GoalKind.FINANCIAL]
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.errors and form not in self.deleted_forms
        ]
        for kind in kinds:
            by_month = {data["month"]: data[kind_field(kind)] for data in kept}
            goal = item_goal(item, kind) if item.pk else getattr(item, f"{kind_field(kind)}_initial")
            refused = over_goal(item.name, kind, [by_month.get(month) for month in MONTHS], goal)
            if refused is not None:
                raise ValidationError(refused[1])


class ProductProgrammeInline(TwelveMonthsInline):
    model = ProductProgramme
    formset = ProgrammeFormSet
    fields = ("month", "physical", "updated_at", "updated_by")


class SubproductProgrammeInline(TwelveMonthsInline):
    model = SubproductProgramme
    formset = ProgrammeFormSet
    fields = ("month", "physical", "financial", "updated_at", "updated_by")


class PlanItemAdmin(FrozenAwareAdmin):
    list_display = ("name", "unit", "physical_initial", "institution", "year")
    search_fields = ("name",)

    def save_formset(self, request, form, formset, change):
        """Record who typed each month's figures."""
        for execution in formset.save(commit=False):
            if hasattr(execution, "updated_by_id"):
                execution.updated_by = request.user
            execution.save()
        for deleted in formset.deleted_objects:
            deleted.delete()
        formset.save_m2m()


@admin.register(Product)
class ProductAdmin(TemplateImportExportMixin, PlanItemAdmin):
    resource_classes = [PlanResource, ExecutionResource]
    list_filter = ("result__institution", "result__year", "result")
    list_select_related = ("result__institution",)
    inlines = [SubproductInline, ProductExecutionInline, ProductProgrammeInline]

    @admin.display(description=_("institución"), ordering="result__institution__code")
    def institution(self, obj):
        return obj.result.institution.code

    @admin.display(description=_("año"), ordering="result__year")
    def year(self, obj):
        return str(obj.result.year)


@admin.register(Subproduct)
class SubproductAdmin(PlanItemAdmin):
    list_display = PlanItemAdmin.list_display + ("financial_initial", "product")
    list_filter = ("product__result__institution", "product__result__year", "product__result")
    list_select_related = ("product__result__institution",)
    inlines = [SubproductExecutionInline, SubproductProgrammeInline]

    @admin.display(description=_("institución"), ordering="product__result__institution__code")
    def institution(self, obj):
        return obj.product.result.institution.code

    @admin.display(description=_("año"), ordering="product__result__year")
    def year(self, obj):
        return str(obj.product.result.year)


def reprogramming_is_locked(reprogramming):
    """Approved documents are immutable (the director reopens the latest); frozen dates too."""
    return reprogramming.status == ReprogrammingStatus.APPROVED or is_frozen(reprogramming)


class ReprogrammingLineInline(CheckedInline):
    model = ReprogrammingLine
    fields = ("product", "subproduct", "kind", "new_goal")
    raw_id_fields = ("product", "subproduct")
    extra = 1

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not (obj is not None and reprogramming_is_locked(obj))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj is not None and reprogramming_is_locked(obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj is not None and reprogramming_is_locked(obj))


class ReprogrammingForm(WritableCheckedForm):
    def clean(self):
        cleaned = super().clean()
        if cleaned.get("institution") and cleaned.get("date"):
            validate_reprogramming_order(cleaned["institution"], cleaned["date"], pk=self.instance.pk)
        return cleaned


@admin.register(Reprogramming)
class ReprogrammingAdmin(TemplateImportExportMixin, ScopedAdmin):
    resource_classes = [ReprogrammingResource]
    form = ReprogrammingForm
    list_display = ("number", "date", "status", "institution")
    list_filter = ("institution", "status", "date")
    search_fields = ("number", "justification")
    date_hierarchy = "date"
    readonly_fields = ("status", "approved_by", "approved_at")
    inlines = [ReprogrammingLineInline]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj is not None and reprogramming_is_locked(obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj is not None and reprogramming_is_locked(obj))


@admin.register(Evidence)
class EvidenceAdmin(FrozenAwareAdmin):
    """Medios de verificación are attached on the entry page, where their content is checked; here they are read,
    downloaded through the view that checks the reader, and deleted while their month is not frozen."""

    list_display = ("row", "month", "year", "description", "original_name", "size", "uploaded_by", "uploaded_at")
    list_filter = ("institution", "year", "month")
    list_select_related = ("product", "subproduct", "uploaded_by")
    search_fields = ("description", "original_name", "sha256")
    fields = (
        "institution", "year", "month", "product", "subproduct", "description", "download", "size", "sha256",
        "content_type", "uploaded_by", "uploaded_at",
    )  # fmt: skip
    readonly_fields = fields

    @admin.display(description=_("archivo"))
    def download(self, obj):
        url = reverse("approvals:evidence_download", args=[obj.institution.code, obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.original_name)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
