"""The browser for end-to-end tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Chromium is never downloaded (`playwright install` is not run): scripts/install-system-packages.sh installs
Debian's. Without it the tests skip on a laptop and fail in CI, where they must run.
"""

import os
from pathlib import Path

import pytest
from django.db import transaction
from playwright.sync_api import sync_playwright

from approvals.demo import Loader, demo_data, load_demo
from goals.imports import export_rows
from goals.models import Institution
from tests.factories import restore_roles

CHROMIUM = Path("/usr/bin/chromium")
# The machine has no network: without these flags Chromium keeps trying to reach Google's services.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip
SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"
VIEWPORT = {"width": 1366, "height": 900}


@pytest.fixture(scope="module", autouse=True)
def roles_after_the_flushes(django_db_setup, django_db_blocker):
    """A live server's test ends by emptying the database, role groups included, and pytest-django runs the
    tests without a database mark after these: their module fixtures (tests/reports' seed_report) need the groups."""
    yield
    with django_db_blocker.unblock():
        restore_roles()


@pytest.fixture(autouse=True)
def roles(live_server):
    """The role groups, gone with the previous live-server test's data."""
    restore_roles()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: install Debian's chromium (scripts/install-system-packages.sh)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(reason)
        pytest.skip(reason)
    # Playwright's sync API keeps an asyncio event loop running in this thread, so Django takes the test's
    # own (synchronous, single-threaded) ORM calls for calls from async code and refuses them with
    # SynchronousOnlyOperation. Allowed only while the browser is open, for these tests alone.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()


class Sessions:
    """Browser contexts of users who logged in through the login form, and what the pages refused to run."""

    def __init__(self, browser, base_url):
        self.browser = browser
        self.base_url = base_url
        self.contexts = []
        self.policy_violations = []

    def login(self, username, password, screenshot_as=None, viewport=VIEWPORT):
        """A fresh context logged in as `username`; with `screenshot_as`, the filled-in form is saved first."""
        context = self.browser.new_context(
            base_url=self.base_url, viewport=viewport, locale="es-GT", timezone_id="America/Guatemala",
            accept_downloads=True,
        )  # fmt: skip
        context.set_default_timeout(20_000)
        context.on("console", self.note_policy_violation)
        self.contexts.append(context)
        page = context.new_page()
        page.goto("/cuenta/ingresar/")
        page.get_by_label("Usuario").fill(username)
        page.get_by_label("Contraseña").fill(password)
        if screenshot_as:
            screenshot(page, screenshot_as)
        page.get_by_role("button", name="Ingresar").click()
        page.wait_for_url(lambda url: "/cuenta/ingresar/" not in url)
        return page

    def note_policy_violation(self, message):
        if "Content Security Policy" in message.text:
            self.policy_violations.append(f"{message.page.url if message.page else ''}: {message.text}")

    def close(self):
        for context in self.contexts:
            context.close()


@pytest.fixture
def sessions(browser, live_server):
    sessions = Sessions(browser, live_server.url)
    yield sessions
    sessions.close()


def screenshot(page, name):
    """Saved under tests/screenshots/ (git-ignored); the README shows copies from docs/screenshots/."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png")


@pytest.fixture
def demo_rows():
    """The demo's plan, reprogramming and execution as rows of the import templates, by the export code.

    The demo is loaded and exported inside a transaction that is rolled back: the database stays empty.
    """
    with transaction.atomic():
        load_demo()
        igm = Institution.objects.get(code="IGM")
        rows = {
            kind: export_rows(kind=kind, institution=igm, year=2024) for kind in ("plan", "reprogramacion", "ejecucion")
        }
        transaction.set_rollback(True)
    return rows


@pytest.fixture
def igm_without_plan():
    """The demo institution and its four users (planificador, director, lector, admin), but no plan yet."""
    data = demo_data()["institution"]
    loader = Loader()
    institution = loader.upsert(Institution, {"code": data["code"]}, data)
    loader.load_users(institution)
    return institution
