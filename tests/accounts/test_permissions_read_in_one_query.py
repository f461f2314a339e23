"""A signed-in user's permissions are read in one query (accounts.backends), with Django's ModelBackend's answers."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from accounts.backends import ModelBackend
from tests.factories import RoleUserFactory, UserFactory

pytestmark = pytest.mark.django_db


def permission(label):
    app_label, codename = label.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@pytest.fixture
def users():
    """Every kind of user the backends tell apart: by group, by own permission, both, none, inactive, superuser."""
    planner = RoleUserFactory(role="Planificador")
    director_with_own = RoleUserFactory(role="Director")
    director_with_own.user_permissions.add(permission("approvals.change_calendar"), permission("goals.view_product"))
    own_only = UserFactory()
    own_only.user_permissions.add(permission("approvals.view_audit"))
    inactive = RoleUserFactory(role="Director", is_active=False)
    inactive.user_permissions.add(permission("approvals.change_calendar"))
    superuser = UserFactory(is_superuser=True, institution=None)
    in_two_groups = RoleUserFactory(role="Lector")
    in_two_groups.groups.add(Group.objects.get(name="Planificador"))
    return [planner, director_with_own, own_only, inactive, superuser, in_two_groups, UserFactory()]


def fresh(user):
    """The user as a new request loads him: no permission read yet."""
    return get_user_model().objects.get(pk=user.pk)


def test_every_kind_of_user_gets_djangos_answers(users):
    every_permission = {f"{p.content_type.app_label}.{p.codename}" for p in Permission.objects.all()}
    for user in users:
        ours, djangos = ModelBackend(), DjangoModelBackend()
        mine, theirs = fresh(user), fresh(user)
        assert ours.get_all_permissions(mine) == djangos.get_all_permissions(theirs), user
        for method in ("get_user_permissions", "get_group_permissions"):  # as the one query left them
            assert getattr(ours, method)(mine) == getattr(djangos, method)(theirs), (user, method)
        for label in sorted(every_permission):
            assert ours.has_perm(mine, label) == djangos.has_perm(theirs, label), (user, label)
        for app in ("goals", "approvals", "auth"):
            assert ours.has_module_perms(mine, app) == djangos.has_module_perms(theirs, app), (user, app)
    planner, director_with_own, own_only, inactive, superuser, in_two_groups, nobody = users
    director = fresh(director_with_own)
    assert "approvals.approve_report" in ModelBackend().get_all_permissions(director)
    assert ModelBackend().get_user_permissions(director) == {"approvals.change_calendar", "goals.view_product"}
    assert "approvals.change_calendar" not in ModelBackend().get_group_permissions(director)
    assert ModelBackend().get_all_permissions(fresh(own_only)) == {"approvals.view_audit"}
    assert ModelBackend().get_all_permissions(fresh(inactive)) == set()
    assert ModelBackend().get_all_permissions(fresh(superuser)) == every_permission
    assert ModelBackend().get_all_permissions(fresh(nobody)) == set()
    assert "goals.change_subproductexecution" in ModelBackend().get_all_permissions(fresh(in_two_groups))


def test_permissions_are_one_query_then_none_for_the_rest_of_the_request(users, django_assert_num_queries):
    planner, director_with_own = fresh(users[0]), fresh(users[1])
    with django_assert_num_queries(1):
        assert planner.has_perm("goals.change_subproductexecution")
        assert not planner.has_perm("approvals.approve_report")
        assert planner.get_all_permissions() == planner.get_user_permissions() | planner.get_group_permissions()
    with django_assert_num_queries(1):
        assert director_with_own.has_perm("approvals.change_calendar")  # his own
        assert director_with_own.has_perm("approvals.approve_report")  # his group's
    assert not fresh(users[1]).has_perm("approvals.change_calendar", obj=planner)  # per-object: none, as Django


def test_a_permission_given_to_a_group_counts_from_the_next_request(client):
    """Nothing is kept between requests: a role's new permission shows in the menu of the very next page."""
    reader = RoleUserFactory(role="Lector")
    client.force_login(reader)
    entry = reverse("goals:enter_chosen_month")
    assert entry not in client.get(reverse("reports:choose")).content.decode()
    Group.objects.get(name="Lector").permissions.add(permission("goals.change_subproductexecution"))
    assert entry in client.get(reverse("reports:choose")).content.decode()
    reader.groups.clear()
    assert entry not in client.get(reverse("reports:choose")).content.decode()


def test_a_signed_in_page_costs_a_few_queries_besides_its_own(client, django_assert_max_num_queries):
    """The notices' list: session, user, its permissions, institution and readable institutions (the menu), and
    the page's own two (the count and the page of notices)."""
    director = RoleUserFactory(role="Director")
    client.force_login(director)
    client.get(reverse("notifications:list"))
    with django_assert_max_num_queries(7):
        response = client.get(reverse("notifications:list"))
    assert reverse("approvals:audit_log", args=[director.institution.code]) in response.content.decode()
