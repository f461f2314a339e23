"""Admin screens that only show: what is changed through its services (approval, reopening), never by hand."""


class ReadOnlyAdminMixin:
    """Nobody adds, changes or deletes through this ModelAdmin, superusers included; viewing is left to the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
