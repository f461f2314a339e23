"""The admin is scoped by institution: for everyone but superusers, an admin's rows, its choices (foreign keys,
many-to-many, list filters) and its inlines are those of the user's own institution. One mechanism, here; every
ModelAdmin and inline of siplan mixes in InstitutionScopedMixin."""

from django.contrib import admin
from django.contrib.auth.models import Group, Permission

from accounts.roles import ROLES

# The path from each model to the institution it belongs to.
INSTITUTION_PATHS = {
    "goals.institution": "pk",
    "goals.result": "institution",
    "goals.product": "result__institution",
    "goals.subproduct": "product__result__institution",
    "goals.productexecution": "product__result__institution",
    "goals.subproductexecution": "subproduct__product__result__institution",
    "goals.productprogramme": "product__result__institution",
    "goals.subproductprogramme": "subproduct__product__result__institution",
    "goals.reprogramming": "institution",
    "goals.reprogrammingline": "reprogramming__institution",
    "goals.evidence": "institution",
    "approvals.cuatrimestrereport": "institution",
    "approvals.reporttransition": "report__institution",
    "approvals.reportsnapshot": "report__institution",
    "approvals.storeddocument": "snapshot__report__institution",
    "approvals.periodextension": "institution",
    "approvals.justification": "institution",
    "approvals.requiredjustification": "institution",
    "approvals.reportcomment": "report__institution",
    "accounts.user": "institution",
}


def scoped(queryset, user):
    """What of `queryset` the user may see and choose in the admin: all for a superuser; else his institution's
    rows (never a superuser's account), of the groups the four roles, of the permissions none."""
    if user.is_superuser:
        return queryset
    model = queryset.model
    if model is Group:
        return queryset.filter(name__in=ROLES)
    if model is Permission:
        return queryset.none()
    path = INSTITUTION_PATHS.get(model._meta.label_lower)
    if path is None:
        return queryset
    if user.institution_id is None:
        return queryset.none()
    if model._meta.label_lower == "accounts.user":
        queryset = queryset.filter(is_superuser=False)
    return queryset.filter(**{path: user.institution_id})


class InstitutionScopedMixin:
    """For a ModelAdmin or an inline: rows, choices and list filters of the user's own institution."""

    def get_queryset(self, request):
        return scoped(super().get_queryset(request), request.user)

    def scoped_choices(self, db_field, request, kwargs):
        if "queryset" not in kwargs:
            queryset = self.get_field_queryset(None, db_field, request)
            kwargs["queryset"] = scoped(
                db_field.remote_field.model._default_manager.all() if queryset is None else queryset, request.user
            )
        if not request.user.is_superuser and db_field.remote_field.model._meta.label_lower == "goals.institution":
            kwargs.setdefault("required", not db_field.many_to_many)
            kwargs.setdefault("initial", request.user.institution_id)
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(db_field, request, **self.scoped_choices(db_field, request, kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(db_field, request, **self.scoped_choices(db_field, request, kwargs))

    def get_list_filter(self, request):
        """A related filter offers only the values of the rows the user sees (not every institution's)."""
        filters = super().get_list_filter(request)
        if request.user.is_superuser:
            return filters
        return [self.related_only(name) for name in filters]

    def related_only(self, name):
        if not isinstance(name, str):
            return name
        field = None
        model = self.model
        for part in name.split("__"):
            field = model._meta.get_field(part)
            model = field.related_model
        return (name, admin.RelatedOnlyFieldListFilter) if field.is_relation else name
