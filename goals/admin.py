from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    Institution,
    Product,
    ProductExecution,
    Reprogramming,
    ReprogrammingLine,
    Result,
    Subproduct,
    SubproductExecution,
)


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ("code", "acronym", "name", "authority_name")
    search_fields = ("code", "acronym", "name")


class ProductInline(admin.TabularInline):
    model = Product
    fields = ("order", "name", "unit", "physical_initial")
    extra = 0
    show_change_link = True


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin):
    list_display = ("description", "institution", "year", "link", "order")
    list_filter = ("institution", "year", "link")
    search_fields = ("description", "strategic_axis", "strategic_action")
    inlines = [ProductInline]


class SubproductInline(admin.TabularInline):
    model = Subproduct
    fields = ("order", "name", "unit", "physical_initial", "financial_initial")
    extra = 0
    show_change_link = True


class TwelveMonthsInline(admin.TabularInline):
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


class PlanItemAdmin(admin.ModelAdmin):
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
class ProductAdmin(PlanItemAdmin):
    list_filter = ("result__institution", "result__year", "result")
    list_select_related = ("result__institution",)
    inlines = [SubproductInline, ProductExecutionInline]

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
    inlines = [SubproductExecutionInline]

    @admin.display(description=_("institución"), ordering="product__result__institution__code")
    def institution(self, obj):
        return obj.product.result.institution.code

    @admin.display(description=_("año"), ordering="product__result__year")
    def year(self, obj):
        return str(obj.product.result.year)


class ReprogrammingLineInline(admin.TabularInline):
    model = ReprogrammingLine
    fields = ("product", "subproduct", "kind", "new_goal")
    raw_id_fields = ("product", "subproduct")
    extra = 1


@admin.register(Reprogramming)
class ReprogrammingAdmin(admin.ModelAdmin):
    list_display = ("number", "date", "institution")
    list_filter = ("institution", "date")
    search_fields = ("number", "justification")
    date_hierarchy = "date"
    inlines = [ReprogrammingLineInline]
