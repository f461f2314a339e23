from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from siplan.admin_scope import InstitutionScopedMixin

from .models import User

# What only a superuser sets: another superuser, permissions beyond the four roles, oversight of other institutions.
SUPERUSER_ONLY_FIELDS = ("is_superuser", "user_permissions", "readable_institutions")


@admin.register(User)
class UserAdmin(InstitutionScopedMixin, BaseUserAdmin):
    """An institution's administrator manages its users (siplan.admin_scope): he gives them one of the four
    roles and staff access, and sets no superuser, permission, oversight or other institution."""

    list_display = ("username", "first_name", "last_name", "institution", "is_staff", "is_active")
    list_filter = ("institution", "groups", "is_staff", "is_active")
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Institución"), {"fields": ("institution", "readable_institutions", "initials")}),
    )
    filter_horizontal = BaseUserAdmin.filter_horizontal + ("readable_institutions",)
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("Institución"), {"fields": ("institution",)}),)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (name, {**options, "fields": [field for field in options["fields"] if field not in SUPERUSER_ONLY_FIELDS]})
            for name, options in fieldsets
        ]


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(InstitutionScopedMixin, BaseGroupAdmin):
    """Who is not a superuser sees the four roles only."""
