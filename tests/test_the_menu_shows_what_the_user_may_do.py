"""The main menu of every signed-in page (siplan.menu): each user sees the links of what he may do, in his language,
though the menu is written once per kind of user."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import autoreload

from siplan.menu import menu
from tests.factories import InstitutionFactory, RoleUserFactory, UserFactory

pytestmark = pytest.mark.django_db

MENU = re.compile(r'<nav aria-label="[^"]*">(.*?)</nav>', re.S)


def menu_links(client, user, language="es-gt"):
    client.force_login(user)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    html = MENU.search(client.get(reverse("reports:choose")).content.decode()).group(1)
    return dict(re.findall(r'<a href="([^"]*)"[^>]*>([^<]*)', html))


def test_each_role_sees_the_links_of_what_it_may_do(client):
    institution = InstitutionFactory(code="IGM")
    other = InstitutionFactory(code="OTRA")
    reprogrammings = reverse("approvals:reprogrammings", args=["IGM"])
    audit_log = reverse("approvals:audit_log", args=["IGM"])
    entry, consolidated, admin = (
        reverse("goals:enter_chosen_month"), reverse("reports:consolidated"), reverse("admin:index")
    )  # fmt: skip
    planner = menu_links(client, RoleUserFactory(role="Planificador", institution=institution))
    assert entry in planner and reprogrammings in planner
    assert audit_log not in planner and consolidated not in planner and admin not in planner
    director = menu_links(client, RoleUserFactory(role="Director", institution=institution))
    assert audit_log in director and reprogrammings in director and entry not in director
    reader = menu_links(client, RoleUserFactory(role="Lector", institution=institution))
    assert reverse("reports:choose") in reader and reverse("goals:programme_chosen_year") in reader
    assert not {entry, reprogrammings, audit_log, consolidated} & set(reader)
    oversight = UserFactory(institution=None)
    oversight.readable_institutions.add(other)
    oversight_links = menu_links(client, oversight)
    assert consolidated in oversight_links and reverse("oversight:follow_up") in oversight_links
    assert reverse("goals:programme_chosen_year") not in oversight_links
    superuser = menu_links(client, UserFactory(institution=None, is_superuser=True, is_staff=True))
    assert consolidated in superuser and entry in superuser and admin in superuser and reprogrammings not in superuser
    other_director = menu_links(client, RoleUserFactory(role="Director", institution=other))
    assert reverse("approvals:audit_log", args=["OTRA"]) in other_director and audit_log not in other_director


def test_the_menu_speaks_the_readers_language(client):
    planner = RoleUserFactory(role="Planificador")
    assert menu_links(client, planner)[reverse("reports:choose")] == "Reportes"
    assert menu_links(client, planner, "en")[reverse("reports:choose")] == "Reports"
    assert menu_links(client, planner)[reverse("reports:choose")] == "Reportes"


def test_runserver_forgets_the_menus_when_a_template_changes(client):
    menu_links(client, RoleUserFactory(role="Planificador"))
    assert menu.cache_info().currsize
    autoreload.file_changed.send(sender=None, file_path=settings.BASE_DIR / "templates" / "nav.html")
    assert menu.cache_info().currsize == 0
