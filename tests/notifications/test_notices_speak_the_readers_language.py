"""A notice is written in the language of whoever reads it: the page in the page's language, the e-mail in the
recipient's (the one they last read siplan in), whatever language the person who acted used. Notices stored as
Spanish text before keep what they said."""

import datetime
import importlib
from types import SimpleNamespace

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from approvals import services
from notifications.models import Notification, NotificationKind
from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


def in_english(client, user):
    """The user reads siplan in English: the footer's choice, remembered on the user from their next page."""
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.get(reverse("notifications:list"))
    user.refresh_from_db()
    return user


def test_a_director_who_reads_english_is_emailed_the_submission_in_english(
    client, first, people, django_capture_on_commit_callbacks
):
    mine, _theirs = people
    assert in_english(client, mine["Director"]).language == "en"

    with django_capture_on_commit_callbacks(execute=True), translation.override("es-gt"):
        services.submit(user=mine["Planificador"], institution=first, year=2024, cuatrimestre=1)

    [message] = mail.outbox
    assert message.subject == "PRI: First Cuatrimestre 2024 report sent for review"
    assert "sent the First Cuatrimestre 2024 report for review. Review it to approve or return it." in message.body
    assert "See it in siplan: " in message.body and "Véalo" not in message.body


def test_the_returned_reason_reaches_spanish_and_english_planners_each_in_their_language(
    client, first, people, django_capture_on_commit_callbacks
):
    mine, _theirs = people
    english = in_english(client, mine["Planificador"])
    services.submit(user=english, institution=first, year=2024, cuatrimestre=1)
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        services.return_report(
            user=mine["Director"], institution=first, year=2024, cuatrimestre=1, comment="Falta septiembre."
        )
    [message] = [message for message in mail.outbox if message.to == [english.email]]
    assert message.subject == "PRI: First Cuatrimestre 2024 report returned"
    assert "report for correction. Reason: Falta septiembre." in message.body

    notice = Notification.objects.get(user=english, kind=NotificationKind.RETURNED)
    with translation.override("es-gt"):
        assert notice.subject == "PRI: reporte del Primer Cuatrimestre 2024 devuelto"
    assert "First Cuatrimestre 2024 report returned" in client.get(reverse("notifications:list")).content.decode()


def test_a_reminder_reads_in_each_language_on_the_page(client, first, people):
    mine, _theirs = people
    notice = Notification.objects.create(
        user=mine["Lector"], kind=NotificationKind.LOAD_5, institution=first, year=2025, cuatrimestre=1,
        deadline=datetime.date(2025, 5, 10), params={"institution": "PRI", "days": 5}, url="/",
    )  # fmt: skip
    client.force_login(mine["Lector"])
    spanish = client.get(reverse("notifications:list")).content.decode()
    assert "PRI: el plazo para cargar las cifras del Primer Cuatrimestre 2025 vence el 10/05/2025" in spanish
    assert "Faltan 5 días: el plazo vence el 10/05/2025." in spanish
    english = client.get(reverse("notifications:list"), headers={"accept-language": "en"}).content.decode()
    assert "PRI: the deadline to enter the figures of the First Cuatrimestre 2025 is 10/05/2025" in english
    assert "5 days left: the deadline is 10/05/2025." in english
    with translation.override("es-gt"):
        texts = (notice.subject, notice.body)
    assert texts == (
        "PRI: el plazo para cargar las cifras del Primer Cuatrimestre 2025 vence el 10/05/2025",
        "Faltan 5 días: el plazo vence el 10/05/2025.",
    )


def test_a_notice_stored_as_spanish_text_keeps_what_it_said(first, people):
    migration = importlib.import_module("notifications.migrations.0002_notification_params")
    mine, _theirs = people
    recorded = timezone.make_aware(datetime.datetime(2025, 5, 5, 9))
    missed = SimpleNamespace(
        institution=InstitutionFactory(code="VIEJA", acronym=""), kind="vencido", transition=None, deadline=None,
        created_at=recorded,
        body="El plazo para enviar el oficio del Primer Cuatrimestre 2025 venció el 15/05/2025 y el reporte está en "
        "estado «En revisión».",
    )  # fmt: skip
    reminder = SimpleNamespace(
        institution=first, kind="carga_1", transition=None, deadline=datetime.date(2025, 5, 6), created_at=recorded
    )
    step = SimpleNamespace(
        institution=first, kind="devuelto", deadline=None, created_at=recorded,
        transition=SimpleNamespace(user=mine["Director"], comment="Falta septiembre."),
    )  # fmt: skip
    assert migration.params_of(missed) == {"institution": "VIEJA", "status": "en_revision"}
    assert migration.params_of(reminder) == {"institution": "PRI", "days": 1}
    assert migration.params_of(step) == {
        "institution": "PRI",
        "user": mine["Director"].get_full_name() or mine["Director"].username,
        "comment": "Falta septiembre.",
    }


@pytest.mark.parametrize("cookie", ["x" * 300, "en'; DROP TABLE accounts_user;--", "fr", "en\x00", ""])
def test_a_hostile_language_cookie_is_not_remembered(client, people, settings, cookie):
    """Only a language siplan speaks is kept on the user (LocaleMiddleware falls back to the site's for the rest)."""
    mine, _theirs = people
    director = mine["Director"]
    client.force_login(director)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie
    assert client.get(reverse("notifications:list")).status_code == 200
    director.refresh_from_db()
    assert director.language == ""
