"""Every page carries a Content-Security-Policy that forbids inline code, and satisfies it: no inline script,
event handler, style attribute or <style> block that the browser would refuse."""

import pytest
from django.contrib import admin
from django.urls import reverse

from approvals.demo import load_demo
from goals.models import Institution
from tests.factories import RoleUserFactory, UserFactory
from tests.html_checks import inline_code

pytestmark = pytest.mark.django_db


def assert_policy_kept(response, url):
    assert response.status_code == 200, url
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy, url
    assert "unsafe-inline" not in policy, url
    assert inline_code(response) == [], url


def site_urls():
    """Each page with the role that may open it."""
    report = ["IGM", 2024, 3]
    planner_pages = [
        reverse("home"),
        reverse("goals:institutions"),
        reverse("goals:products", args=["IGM", 2024]),
        reverse("goals:execution", args=["IGM", 2024]),
        reverse("goals:enter_month", args=[2024, 9]),
        reverse("goals:import"),
        reverse("reports:choose"),
        reverse("reports:consolidated"),
        reverse("reports:report", args=report),
        reverse("approvals:report_status", args=report),
        reverse("approvals:reprogrammings", args=["IGM"]),
        reverse("approvals:verify_search"),
        reverse("api:token"),
        reverse("api:docs"),
    ]
    return [("Planificador", url) for url in planner_pages] + [
        ("Director", reverse("approvals:audit_log", args=["IGM"]))
    ]


def admin_urls():
    urls = [reverse("admin:index"), reverse("admin:goals_product_import"), reverse("admin:goals_product_export")]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:%s_%s_changelist" % info))
        urls.append(reverse("admin:%s_%s_add" % info))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(reverse("admin:%s_%s_change" % info, args=[first.pk]))
    return urls


def test_the_login_page_keeps_the_policy(client):
    assert_policy_kept(client.get(reverse("login")), "login")


def test_every_page_keeps_the_policy(client):
    load_demo()
    igm = Institution.objects.get(code="IGM")
    users = {role: RoleUserFactory(institution=igm, role=role) for role in ("Planificador", "Director")}
    for role, url in site_urls():
        client.force_login(users[role])
        assert_policy_kept(client.get(url), url)


def test_every_admin_page_keeps_the_policy(client):
    load_demo()
    client.force_login(UserFactory(is_staff=True, is_superuser=True, institution=Institution.objects.get(code="IGM")))
    for url in admin_urls():
        response = client.get(url)
        if response.status_code == 403:  # read-only models have no add form
            continue
        assert_policy_kept(response, url)


def test_error_pages_keep_the_policy(client):
    client.force_login(UserFactory())
    response = client.get("/no-existe/")
    assert response.status_code == 404
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert inline_code(response) == []
