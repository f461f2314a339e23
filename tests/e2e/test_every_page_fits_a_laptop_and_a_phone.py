"""Every page, as each demo role and an oversight user, on a laptop (1366×768) and a phone (390×844): siplan's
pages, the API's Swagger UI and, as the administrator, the Django admin's index, a change list and a change form.

The page body never scrolls sideways (a wide table scrolls inside its own box, its names column in view, or reads
as cards on a phone) and axe-core finds no serious or critical violation. Screenshots of a few pages at both sizes
go to tests/screenshots/ (the README shows copies from docs/screenshots/).
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model

from approvals import services
from approvals.demo import DEMO_USERS, load_demo
from approvals.models import ReportSnapshot
from goals.models import Institution, Product, Subproduct
from tests.factories import RoleUserFactory

from .conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
SIZES = {"laptop": LAPTOP, "phone": PHONE}
PASSWORDS = {user.username: user.password for user in DEMO_USERS}
OVERSEER, OVERSEER_PASSWORD = "segeplan", "a-strong-password-1"
BLOCKING = ("serious", "critical")
# The report of the third cuatrimestre is in review: the director's approval page shows its form.
SCREENSHOTS = {
    "planificador": {"/": "dashboard", "/ejecucion/2024/9/": "entry", "/programacion/IGM/2024/": "programme"},
    "director": {"/reportes/IGM/2024/3/estado/": "approval", "/reportes/IGM/2024/1/": "report"},
    "admin": {"/admin/goals/product/": "admin-changelist", "/api/docs/": "api-docs"},
}


@pytest.fixture
def demo_in_review():
    """The demo (first two cuatrimestres approved), the third submitted by the planner, an oversight user."""
    load_demo()
    igm = Institution.objects.get(code="IGM")
    planner = get_user_model().objects.get(username="planificador")
    services.submit(user=planner, institution=igm, year=2024, cuatrimestre=3)
    overseer = RoleUserFactory(username=OVERSEER, institution=None, role="Lector")
    overseer.readable_institutions.set([igm])
    return igm


def pages_of(username, igm):
    """The pages the user reaches from the menu and the links on them, each expected to answer 200."""
    sha256 = ReportSnapshot.objects.filter(report__institution=igm).values_list("sha256", flat=True).first()
    product = Product.objects.filter(result__institution=igm).first()
    pages = [
        "/", "/instituciones/", "/instituciones/IGM/2024/productos/", "/reportes/", "/reportes/IGM/2024/1/",
        "/reportes/IGM/2024/1/estado/", "/verificar/", f"/verificar/{sha256}/", "/avisos/", "/avisos/preferencias/",
        "/api/token/", "/api/docs/",
    ]  # fmt: skip
    if username != OVERSEER:
        pages.append("/programacion/IGM/2024/")
    if username in ("planificador", "director", "admin"):
        subproduct = Subproduct.objects.filter(product=product).first()
        pages += [
            "/reportes/IGM/2024/3/", "/reportes/IGM/2024/3/estado/", "/reprogramaciones/IGM/",
            "/instituciones/IGM/2024/ejecucion/",
            f"/historial/IGM/producto/{product.pk}/", f"/historial/IGM/subproducto/{subproduct.pk}/",
        ]  # fmt: skip
    if username in ("director", "admin"):
        pages.append("/bitacora/IGM/")
    if username in ("planificador", "admin"):
        pages += ["/ejecucion/2024/9/", "/importar/"]
    if username in ("admin", OVERSEER):
        pages += ["/consolidado/", "/seguimiento/"]
    if username == "admin":
        pages += ["/admin/", "/admin/goals/product/", f"/admin/goals/product/{product.pk}/change/"]
    return pages


def overflow(page):
    """How many pixels the page body is wider than the window: 0 when only the tables' own boxes scroll."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def blocking_violations(axe, page, sessions):
    """axe-core's own script adds a <style> on some pages (the admin's change form), which the Content-Security-Policy
    refuses: what the policy reports while axe runs is axe's doing, not the page's."""
    noted = len(sessions.policy_violations)
    violations = axe.run(page).response["violations"]
    del sessions.policy_violations[noted:]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[node['target'] for node in v['nodes']][:3]}"
        for v in violations
        if v["impact"] in BLOCKING
    ]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("username", ["planificador", "director", "lector", "admin", OVERSEER])
def test_every_page_fits_the_screen_and_passes_axe(sessions, demo_in_review, username, size):
    password = OVERSEER_PASSWORD if username == OVERSEER else PASSWORDS[username]
    page = sessions.login(username, password, viewport=SIZES[size])
    axe = Axe()
    problems = []
    for url in pages_of(username, demo_in_review):
        response = page.goto(url)
        page.wait_for_load_state("networkidle")
        if response.status != 200:
            problems.append(f"{url}: answered {response.status}")
            continue
        if (wider := overflow(page)) > 0:
            problems.append(f"{url}: the page scrolls {wider} px sideways")
        problems += [f"{url}: {violation}" for violation in blocking_violations(axe, page, sessions)]
        if name := SCREENSHOTS.get(username, {}).get(url):
            screenshot(page, f"{name}-{size}")
    assert not problems, "\n".join(problems)
    assert sessions.policy_violations == []


@pytest.mark.parametrize("size", SIZES)
def test_the_phone_menu_opens_behind_a_button_and_logout_stays_on_screen(sessions, demo_in_review, size):
    page = sessions.login("admin", PASSWORDS["admin"], viewport=SIZES[size])
    page.goto("/")
    logout = page.get_by_role("button", name="Salir")
    box = logout.bounding_box()
    assert box["x"] + box["width"] <= SIZES[size]["width"]
    reports = page.get_by_role("navigation", name="Menú principal").get_by_role("link", name="Reportes")
    menu_button = page.locator(".menu > summary")
    if size == "phone":
        assert not reports.is_visible() and menu_button.is_visible()
        menu_button.click()
    else:
        assert not menu_button.is_visible()
        header = page.locator("header.topbar").bounding_box()
        assert header["height"] < 60, "the desktop menu wraps onto a second line"
    assert reports.is_visible()
    reports.click()
    page.wait_for_url("**/reportes/")
