"""Each role may do its part, only for its own institution; oversight staff read several institutions."""

import pytest
from django.contrib.auth.models import Group

from goals import roles
from goals.access import institutions_for
from tests.factories import InstitutionFactory, RoleUserFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_four_roles_exist_after_migrating():
    assert set(Group.objects.filter(name__in=roles.ROLES).values_list("name", flat=True)) == set(roles.ROLES)


def test_a_planner_enters_and_submits_but_does_not_approve():
    planner = RoleUserFactory(role=roles.PLANNER)
    institution = planner.institution
    assert roles.can_enter_data(planner, institution)
    assert roles.can_submit(planner, institution)
    assert roles.can_read_drafts(planner, institution)
    assert not roles.can_approve(planner, institution)
    assert not roles.can_approve_reprogrammings(planner, institution)


def test_a_director_approves_but_does_not_enter_figures():
    director = RoleUserFactory(role=roles.DIRECTOR)
    institution = director.institution
    assert roles.can_approve(director, institution)
    assert roles.can_approve_reprogrammings(director, institution)
    assert roles.can_audit(director, institution)
    assert not roles.can_submit(director, institution)
    assert not roles.can_enter_data(director, institution)


def test_a_reader_only_reads_approved_reports():
    reader = RoleUserFactory(role=roles.READER)
    institution = reader.institution
    assert roles.can_read(reader, institution)
    assert not roles.can_read_drafts(reader, institution)
    assert not roles.can_submit(reader, institution)
    assert not roles.can_approve(reader, institution)


def test_a_director_of_another_institution_may_do_nothing_here():
    director = RoleUserFactory(role=roles.DIRECTOR)
    other = InstitutionFactory()
    assert not roles.can_read(director, other)
    assert not roles.can_approve(director, other)


def test_oversight_staff_read_several_institutions_and_change_none():
    first, second, third = InstitutionFactory(), InstitutionFactory(), InstitutionFactory()
    auditor = RoleUserFactory(role=roles.READER, institution=first)
    auditor.readable_institutions.add(second)
    assert set(institutions_for(auditor)) == {first, second}
    assert roles.can_read(auditor, second)
    assert not roles.can_read(auditor, third)
    assert not roles.can_read_drafts(auditor, second)
    assert not roles.can_enter_data(auditor, second)


def test_a_user_without_a_role_may_do_nothing():
    user = UserFactory()
    assert not roles.can_enter_data(user, user.institution)
    assert not roles.can_submit(user, user.institution)
