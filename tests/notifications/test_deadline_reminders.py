"""send_reminders, run daily from cron: deadlines 5 days and 1 day ahead, and missed ones, each told once."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.db.models import F

from approvals import services
from approvals.models import Period, PeriodExtension
from notifications.models import (
    REMINDER_KINDS,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOAD, OFICIO = datetime.date(2025, 5, 10), datetime.date(2025, 5, 15)


@pytest.fixture
def period(db):
    return Period.objects.create(year=2025, cuatrimestre=1, load_deadline=LOAD, oficio_deadline=OFICIO)


def remind(day, capture):
    with capture(execute=True):
        call_command("send_reminders", "--date", day.isoformat())


def told(**filters):
    return sorted(Notification.objects.filter(**filters).values_list("user__username", "kind"))


def test_five_days_ahead_the_institutions_users_are_reminded_once(
    period, first, people, django_capture_on_commit_callbacks, capsys
):
    remind(LOAD - datetime.timedelta(days=5), django_capture_on_commit_callbacks)
    assert "6 avisos nuevos" in capsys.readouterr().out
    remind(LOAD - datetime.timedelta(days=5), django_capture_on_commit_callbacks)
    assert "0 avisos nuevos" in capsys.readouterr().out

    assert told(institution=first) == [
        ("director-primera", NotificationKind.LOAD_5),
        ("lector-primera", NotificationKind.LOAD_5),
        ("planificador-primera", NotificationKind.LOAD_5),
    ]
    assert told(user__institution__code="SEGUNDA") == [
        ("director-segunda", NotificationKind.LOAD_5),
        ("lector-segunda", NotificationKind.LOAD_5),
        ("planificador-segunda", NotificationKind.LOAD_5),
    ]
    # Each user gets their own institution's reminder only, by e-mail once.
    assert not Notification.objects.exclude(user__institution=F("institution")).exists()
    assert len(mail.outbox) == 6
    message = next(message for message in mail.outbox if message.to == ["planificador@primera.gob.gt"])
    assert message.subject == "PRI: el plazo para cargar las cifras del Primer Cuatrimestre 2025 vence el 10/05/2025"
    assert "Faltan 5 días: el plazo vence el 10/05/2025." in message.body


def test_one_day_ahead_of_each_deadline_and_an_extension_moves_it(
    period, first, second, people, django_capture_on_commit_callbacks
):
    PeriodExtension.objects.create(
        period=period,
        institution=second,
        load_deadline=datetime.date(2025, 5, 20),
        oficio_deadline=datetime.date(2025, 5, 25),
    )

    remind(LOAD - datetime.timedelta(days=1), django_capture_on_commit_callbacks)
    remind(OFICIO - datetime.timedelta(days=1), django_capture_on_commit_callbacks)

    assert {kind for _user, kind in told(institution=first)} == {NotificationKind.LOAD_1, NotificationKind.OFICIO_1}
    # The second institution's deadlines are the 20th and the 25th: on the 14th both are more than 5 days away.
    assert told(institution=second) == []
    remind(datetime.date(2025, 5, 19), django_capture_on_commit_callbacks)
    assert {kind for _user, kind in told(institution=second)} == {NotificationKind.LOAD_1}
    remind(datetime.date(2025, 5, 20), django_capture_on_commit_callbacks)
    remind(datetime.date(2025, 5, 24), django_capture_on_commit_callbacks)
    assert {kind for _user, kind in told(institution=second)} == {
        NotificationKind.LOAD_1,
        NotificationKind.OFICIO_5,
        NotificationKind.OFICIO_1,
    }


def test_a_submitted_report_gets_no_reminder(period, first, people, django_capture_on_commit_callbacks):
    mine, _theirs = people
    services.submit(user=mine["Planificador"], institution=first, year=2025, cuatrimestre=1)

    remind(LOAD - datetime.timedelta(days=3), django_capture_on_commit_callbacks)

    assert told(institution=first, kind__in=REMINDER_KINDS) == []
    assert len(told(institution__code="SEGUNDA", kind__in=REMINDER_KINDS)) == 3


def test_a_user_who_turned_reminders_off_gets_none(period, first, people, django_capture_on_commit_callbacks):
    mine, _theirs = people
    NotificationPreference.objects.create(user=mine["Lector"], reminders=False)

    remind(LOAD - datetime.timedelta(days=2), django_capture_on_commit_callbacks)

    assert [user for user, _kind in told(institution=first)] == ["director-primera", "planificador-primera"]
    assert "lector@primera.gob.gt" not in [message.to[0] for message in mail.outbox]


def test_a_missed_deadline_tells_oversight_staff_and_superusers(
    period, first, second, people, django_capture_on_commit_callbacks
):
    mine, theirs = people
    services.submit(user=theirs["Planificador"], institution=second, year=2025, cuatrimestre=1)
    services.approve(user=theirs["Director"], institution=second, year=2025, cuatrimestre=1)
    overseer = UserFactory(username="segeplan", institution=None, email="s@segeplan.gob.gt")
    overseer.readable_institutions.set([first, second])
    elsewhere = UserFactory(username="otro-supervisor", institution=None, email="o@segeplan.gob.gt")
    elsewhere.readable_institutions.set([second])
    UserFactory(username="root", institution=None, is_superuser=True, email="root@segeplan.gob.gt")

    remind(OFICIO + datetime.timedelta(days=1), django_capture_on_commit_callbacks)
    remind(OFICIO + datetime.timedelta(days=2), django_capture_on_commit_callbacks)

    # The first institution's report is a draft past its oficio deadline; the second's was approved.
    assert told(kind=NotificationKind.MISSED) == [("root", "vencido"), ("segeplan", "vencido")]
    assert set(
        Notification.objects.filter(kind=NotificationKind.MISSED).values_list("institution__code", flat=True)
    ) == {"PRIMERA"}
    message = next(message for message in mail.outbox if message.to == ["s@segeplan.gob.gt"])
    assert message.subject == "PRI: venció el plazo del oficio del Primer Cuatrimestre 2025"
    assert "venció el 15/05/2025 y el reporte está en estado «Borrador»" in message.body


def test_a_bad_date_is_refused_in_spanish():
    with pytest.raises(Exception, match="Fecha no válida"):
        call_command("send_reminders", "--date", "mañana")
