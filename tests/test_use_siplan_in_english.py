"""Each role chooses English in the footer and works in English: every page it opens reads in English, with none of
siplan's Spanish messages left over (locale/en translates them all; tests/test_translations.py keeps it so)."""

import re
from html import unescape

import polib
import pytest
from django.conf import settings
from django.urls import reverse

from approvals import services
from tests.factories import InstitutionFactory, RoleUserFactory, build_plan

pytestmark = pytest.mark.django_db

CATALOGUE = settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
TAG = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]+>", re.DOTALL)


def spanish_messages():
    """siplan's Spanish messages that read differently in English and that a page could show word for word: no
    placeholder, and long enough not to be part of an English word or a name."""
    return [
        entry.msgid
        for entry in polib.pofile(str(CATALOGUE))
        if not entry.msgid_plural and "%" not in entry.msgid and len(entry.msgid) >= 8 and entry.msgid != entry.msgstr
    ]


SPANISH = spanish_messages()


def visible_text(response):
    assert response.status_code == 200, response.status_code
    return " ".join(unescape(TAG.sub(" ", response.content.decode())).split())


def in_english(client, user):
    """The client logged in as `user`, who has chosen English in the footer."""
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def assert_english(client, url, *phrases):
    text = visible_text(client.get(url))
    for phrase in phrases:
        assert phrase in text, (url, phrase)
    left_in_spanish = [message for message in SPANISH if re.search(rf"(?<!\w){re.escape(message)}(?!\w)", text)]
    assert not left_in_spanish, (url, left_in_spanish)
    return text


@pytest.fixture
def institution():
    institution = InstitutionFactory(code="ENG", name="Instituto de Prueba")
    build_plan(institution, results=1, products_per_result=2, subproducts_per_product=2)
    return institution


def report_url(name, institution, cuatrimestre=3):
    return reverse(name, args=[institution.code, 2024, cuatrimestre])


def test_a_planner_enters_imports_and_submits_in_english(client, institution):
    planner = RoleUserFactory(institution=institution, role="Planificador")
    in_english(client, planner)
    assert_english(client, reverse("home") + "?anio=2024", "Dashboard 2024", "Progress of the products", "Log out")
    assert_english(
        client, reverse("goals:enter_month", args=[2024, 9]), "Execution of September 2024", "Save the month"
    )
    assert_english(client, reverse("goals:programme", args=["ENG", 2024]), "Monthly programme 2024")
    assert_english(client, reverse("goals:import"), "Import data", "Template")
    assert_english(client, report_url("approvals:report_status", institution), "Send for review", "Draft")
    submit = reverse("approvals:report_action", args=["ENG", 2024, 3, "enviar"])
    submitted = client.post(submit, {"comment": ""}, follow=True)
    assert "The report was sent for review." in visible_text(submitted)
    assert_english(client, report_url("approvals:report_status", institution), "State:", "In review")


def test_the_director_reviews_and_reads_the_audit_log_in_english(client, institution):
    planner = RoleUserFactory(institution=institution, role="Planificador")
    director = RoleUserFactory(institution=institution, role="Director")
    services.submit(user=planner, institution=institution, year=2024, cuatrimestre=3)
    in_english(client, director)
    assert_english(client, reverse("home") + "?anio=2024", "Cuatrimestre reports", "In review")
    assert_english(
        client,
        report_url("approvals:report_status", institution),
        "State of the Third Cuatrimestre 2024 report",
        "Approve and sign",
        "Return",
        "its physical execution for September (9.00) is not the sum of its subproducts in Persona (2.00).",
    )
    assert_english(
        client,
        report_url("reports:report", institution),
        "Progress Report on Physical and Financial Goals",
        "Monthly execution - Third Cuatrimestre 2024",
        "Physical/financial execution",
        "Download PDF",
    )
    assert_english(client, reverse("approvals:audit_log", args=["ENG"]), "Audit log", "Search")


def test_a_reader_and_oversight_staff_read_in_english(client, institution):
    reader = RoleUserFactory(institution=institution, role="Lector")
    in_english(client, reader)
    assert_english(client, reverse("home") + "?anio=2024", "Cuatrimestre reports", "Draft")
    assert_english(client, reverse("reports:choose"), "There are no approved reports you may consult yet.")
    overseer = RoleUserFactory(institution=InstitutionFactory(code="SEG", name="SEGEPLAN"), role="Lector")
    overseer.readable_institutions.add(institution)
    in_english(client, overseer)
    assert_english(client, reverse("oversight:follow_up") + "?anio=2024&cuatrimestre=3", "Who has reported?")
    assert_english(client, reverse("reports:consolidated"), "Consolidated progress by product")
