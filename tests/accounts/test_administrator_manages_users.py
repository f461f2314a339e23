"""An institution's Administrador manages its own users in the admin: one of the four roles and staff access;
never a superuser, a permission, oversight of another institution, nor another institution's account."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from approvals.models import Period, PeriodExtension
from tests.factories import InstitutionFactory, RoleUserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-strong-password-1"


@pytest.fixture
def institutions():
    return InstitutionFactory(code="PROPIA"), InstitutionFactory(code="AJENA")


@pytest.fixture
def administrator(client, institutions):
    user = RoleUserFactory(institution=institutions[0], role="Administrador", is_staff=True)
    client.force_login(user)
    return user


def change(client, user, **fields):
    """POST the user's admin change form as the page would send it, with `fields` changed."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "groups": [group.pk for group in user.groups.all()],
        "institution": user.institution_id or "",
        "date_joined_0": "2024-01-02",
        "date_joined_1": "08:00:00",
        "last_login_0": "",
        "last_login_1": "",
        **fields,
    }
    return client.post(reverse("admin:accounts_user_change", args=[user.pk]), data)


def test_the_administrator_lists_only_his_institutions_users(client, administrator, institutions):
    planner = RoleUserFactory(institution=institutions[0], role="Planificador")
    outsider = RoleUserFactory(institution=institutions[1], role="Planificador")
    root = RoleUserFactory(institution=institutions[0], is_superuser=True, is_staff=True)
    listed = set(client.get(reverse("admin:accounts_user_changelist")).context["cl"].result_list)
    assert listed == {administrator, planner}
    for user in (outsider, root):
        assert client.get(reverse("admin:accounts_user_change", args=[user.pk])).status_code == 302


def test_the_administrator_gives_a_role_and_staff_access_to_his_users(client, administrator, institutions):
    planner = RoleUserFactory(institution=institutions[0], role="Planificador")
    response = change(client, planner, groups=[Group.objects.get(name="Director").pk], is_staff="on")
    assert response.status_code == 302
    planner.refresh_from_db()
    assert [group.name for group in planner.groups.all()] == ["Director"]
    assert planner.is_staff and planner.institution == institutions[0]


@pytest.mark.parametrize("target", ["himself", "a planner"])
def test_superuser_permissions_and_oversight_are_not_his_to_give(client, administrator, institutions, target):
    user = administrator if target == "himself" else RoleUserFactory(institution=institutions[0], role="Planificador")
    every_permission = list(Permission.objects.values_list("pk", flat=True))
    response = change(
        client,
        user,
        is_superuser="on",
        is_staff="on",
        user_permissions=every_permission,
        readable_institutions=[institutions[1].pk],
    )
    assert response.status_code == 302  # the rest of the form is saved; these fields are not his
    user.refresh_from_db()
    assert not user.is_superuser
    assert not user.user_permissions.exists() and not user.readable_institutions.exists()
    page = client.get(reverse("admin:accounts_user_change", args=[user.pk])).content.decode()
    assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page


def test_a_group_beyond_the_four_roles_or_another_institution_is_refused(client, administrator, institutions):
    powerful = Group.objects.create(name="Soporte")
    powerful.permissions.set(Permission.objects.all())
    planner = RoleUserFactory(institution=institutions[0], role="Planificador")
    for fields in ({"groups": [powerful.pk]}, {"institution": institutions[1].pk}, {"institution": ""}):
        response = change(client, planner, **fields)
        assert response.status_code == 200, fields
        assert response.context["adminform"].form.errors, fields
    planner.refresh_from_db()
    assert [group.name for group in planner.groups.all()] == ["Planificador"]
    assert planner.institution == institutions[0]
    choices = change(client, planner, groups=[powerful.pk]).context["adminform"].form.fields["groups"].queryset
    assert sorted(choices.values_list("name", flat=True)) == ["Administrador", "Director", "Lector", "Planificador"]


def test_another_institutions_passwords_are_out_of_reach(client, administrator, institutions):
    outsider = RoleUserFactory(institution=institutions[1], role="Administrador", is_staff=True)
    url = reverse("admin:auth_user_password_change", args=[outsider.pk])
    assert client.get(url).status_code in (302, 404)
    response = client.post(
        url, {"password1": "taken-over-123!", "password2": "taken-over-123!", "usable_password": "true"}
    )
    assert response.status_code in (302, 404)
    outsider.refresh_from_db()
    assert outsider.check_password(PASSWORD)


def test_the_administrator_adds_users_to_his_institution_only(client, administrator, institutions):
    new = {
        "username": "nuevo",
        "password1": "una-clave-larga-2024",
        "password2": "una-clave-larga-2024",
        "usable_password": "true",
    }
    refused = client.post(reverse("admin:accounts_user_add"), {**new, "institution": institutions[1].pk})
    assert refused.status_code == 200 and "institution" in refused.context["adminform"].form.errors
    assert not get_user_model().objects.filter(username="nuevo").exists()
    added = client.post(reverse("admin:accounts_user_add"), {**new, "institution": institutions[0].pk})
    assert added.status_code == 302
    assert get_user_model().objects.get(username="nuevo").institution == institutions[0]


def test_extensions_are_granted_to_his_own_institution_only(client, administrator, institutions):
    period = Period.objects.create(year=2025, cuatrimestre=1)
    url = reverse("admin:approvals_period_change", args=[period.pk])
    form = {
        "year": 2025,
        "cuatrimestre": 1,
        "load_deadline": "2025-05-15",
        "oficio_deadline": "2025-05-15",
        "extensions-TOTAL_FORMS": 1,
        "extensions-INITIAL_FORMS": 0,
        "extensions-0-load_deadline": "2025-05-30",
        "extensions-0-reason": "",
    }
    refused = client.post(url, {**form, "extensions-0-institution": institutions[1].pk})
    assert refused.status_code == 200
    assert not PeriodExtension.objects.exists()
    assert client.post(url, {**form, "extensions-0-institution": institutions[0].pk}).status_code == 302
    assert PeriodExtension.objects.get().institution == institutions[0]
    assert PeriodExtension.objects.get().load_deadline == datetime.date(2025, 5, 30)
