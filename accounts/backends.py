"""Django's ModelBackend, reading a user's permissions in one query that the ORM does not build at each request: every
signed-in page asks for them (the menu shows what the user may do)."""

import functools

from django.contrib.auth import backends, get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection

PERMISSION_CACHES = ("_perm_cache", "_user_perm_cache", "_group_perm_cache")


@functools.cache
def permissions_sql():
    """A user's own permissions and his groups' ("app_label", "codename", 'user' or 'group'), in one query whose one
    parameter, twice, is the user's id. Written here once: the ORM's union of the two querysets Django's ModelBackend
    runs costs as much CPU to build, at each request, as those two queries."""
    User = get_user_model()
    own = User._meta.get_field("user_permissions")
    memberships = User._meta.get_field("groups")
    granted = Group._meta.get_field("permissions")
    names = {
        "own": own.m2m_db_table(),
        "own_user": own.m2m_column_name(),
        "own_permission": own.m2m_reverse_name(),
        "memberships": memberships.m2m_db_table(),
        "membership_user": memberships.m2m_column_name(),
        "membership_group": memberships.m2m_reverse_name(),
        "granted": granted.m2m_db_table(),
        "granted_group": granted.m2m_column_name(),
        "granted_permission": granted.m2m_reverse_name(),
        "permission": Permission._meta.db_table,
        "permission_id": Permission._meta.pk.column,
        "permission_type": Permission._meta.get_field("content_type").column,
        "codename": Permission._meta.get_field("codename").column,
        "content_type": ContentType._meta.db_table,
        "content_type_id": ContentType._meta.pk.column,
        "app_label": ContentType._meta.get_field("app_label").column,
    }
    return """
        SELECT t.{app_label}, p.{codename}, ids.source FROM (
            SELECT o.{own_permission} AS permission_id, 'user' AS source FROM {own} o WHERE o.{own_user} = %s
            UNION ALL
            SELECT g.{granted_permission}, 'group' FROM {memberships} m
            INNER JOIN {granted} g ON g.{granted_group} = m.{membership_group}
            WHERE m.{membership_user} = %s
        ) ids
        INNER JOIN {permission} p ON p.{permission_id} = ids.permission_id
        INNER JOIN {content_type} t ON t.{content_type_id} = p.{permission_type}
    """.format(**{name: connection.ops.quote_name(identifier) for name, identifier in names.items()})


class ModelBackend(backends.ModelBackend):
    """The same answers as Django's ModelBackend (active users only, superusers hold every permission, a user's
    own permissions and his groups', kept on the user object for the request): his own and his groups' permissions
    are read together, in one query instead of two, about a tenth of their CPU."""

    def get_all_permissions(self, user_obj, obj=None):
        if (
            user_obj.is_active
            and not user_obj.is_anonymous
            and obj is None
            and not any(hasattr(user_obj, cache) for cache in PERMISSION_CACHES)
        ):
            self._cache_user_and_group_permissions(user_obj)
        return super().get_all_permissions(user_obj, obj)

    def _cache_user_and_group_permissions(self, user_obj):
        """Fill the caches that get_user_permissions and get_group_permissions read, as they would."""
        if user_obj.is_superuser:
            every = Permission.objects.values_list("content_type__app_label", "codename").order_by()
            every = {f"{app}.{codename}" for app, codename in every}
            user_obj._user_perm_cache, user_obj._group_perm_cache = every, set(every)
            return
        permissions = {"user": set(), "group": set()}
        with connection.cursor() as cursor:
            cursor.execute(permissions_sql(), [user_obj.pk, user_obj.pk])
            for app, codename, source in cursor.fetchall():
                permissions[source].add(f"{app}.{codename}")
        user_obj._user_perm_cache, user_obj._group_perm_cache = permissions["user"], permissions["group"]
