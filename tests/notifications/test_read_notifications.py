"""A user reads their notices in the page, sees how many are unread, and turns reminders off."""

import datetime

import pytest
from django.urls import reverse

from notifications.models import Notification, NotificationKind, NotificationPreference
from tests.factories import RoleUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def notices(first, second, people):
    mine, theirs = people

    def notice(user, institution):
        return Notification.objects.create(
            user=user, kind=NotificationKind.LOAD_5, institution=institution, year=2025, cuatrimestre=1,
            deadline=datetime.date(2025, 5, 10), params={"institution": institution.acronym, "days": 5},
            url=reverse("approvals:report_status", args=[institution.code, 2025, 1]),
        )  # fmt: skip

    return notice(mine["Planificador"], first), notice(theirs["Planificador"], second)


def test_the_header_counts_unread_notices_and_the_page_lists_them(client, people, notices):
    mine, _theirs = people
    client.force_login(mine["Planificador"])

    assert client.get(reverse("notifications:unread")).json() == {"unread": 1}
    page = client.get(reverse("home")).content.decode()
    assert 'data-unread-url="/avisos/sin-leer.json"' in page and "js/notifications.js" in page
    listing = client.get(reverse("notifications:list")).content.decode()
    assert "PRI: el plazo para cargar las cifras del Primer Cuatrimestre 2025 vence el 10/05/2025" in listing
    assert "Faltan 5 días: el plazo vence el 10/05/2025." in listing
    assert "SEG:" not in listing


def test_opening_a_notice_marks_it_read_and_goes_to_the_report(client, people, notices):
    mine, _theirs = people
    own, other = notices
    client.force_login(mine["Planificador"])

    response = client.get(reverse("notifications:open", args=[own.pk]))

    assert response["Location"] == "/reportes/PRIMERA/2025/1/estado/"
    assert client.get(reverse("notifications:unread")).json() == {"unread": 0}
    assert client.get(reverse("notifications:open", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_mark_all_read_touches_only_ones_own(client, people, notices):
    mine, _theirs = people
    client.force_login(mine["Planificador"])

    client.post(reverse("notifications:mark_all_read"))

    unread = Notification.objects.filter(read_at__isnull=True)
    assert list(unread.values_list("institution__code", flat=True)) == ["SEGUNDA"]


def test_a_user_turns_reminders_off_and_on(client, first):
    user = RoleUserFactory(institution=first, role="Lector")
    client.force_login(user)
    assert (
        "recibir recordatorios de plazos" in client.get(reverse("notifications:preferences")).content.decode().lower()
    )

    response = client.post(reverse("notifications:preferences"), {})

    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=user).reminders is False
    client.post(reverse("notifications:preferences"), {"reminders": "on"})
    assert NotificationPreference.objects.get(user=user).reminders is True


def test_anonymous_users_are_sent_to_login(client):
    for name in ("list", "unread", "preferences"):
        assert client.get(reverse(f"notifications:{name}"))["Location"].startswith(reverse("login"))
