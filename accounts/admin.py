from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "institution", "is_staff", "is_active")
    list_filter = ("institution", "groups", "is_staff", "is_active")
    fieldsets = BaseUserAdmin.fieldsets + ((_("Institución"), {"fields": ("institution", "readable_institutions", "initials")}),)
    filter_horizontal = BaseUserAdmin.filter_horizontal + ("readable_institutions",)
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("Institución"), {"fields": ("institution",)}),)
