"""A planner submits, the director returns or approves: the right people of the institution are told, once."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from approvals import services
from jobs.models import Job, JobStatus
from notifications.models import Notification, NotificationKind

pytestmark = pytest.mark.django_db


def act(capture, step, **kwargs):
    with capture(execute=True):
        step(**kwargs)


def told(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


def test_a_submission_tells_the_director_alone(first, people, django_capture_on_commit_callbacks):
    mine, _theirs = people

    act(
        django_capture_on_commit_callbacks,
        services.submit,
        user=mine["Planificador"],
        institution=first,
        year=2024,
        cuatrimestre=1,
    )

    assert told(NotificationKind.SUBMITTED) == ["director-primera"]
    assert [message.to for message in mail.outbox] == [["director@primera.gob.gt"]]
    message = mail.outbox[0]
    assert message.subject == "PRI: reporte del Primer Cuatrimestre 2024 enviado a revisión"
    assert "envió a revisión el reporte del Primer Cuatrimestre 2024" in message.body
    assert "/reportes/PRIMERA/2024/1/estado/" in message.body
    job = Job.objects.get(kind="avisos")
    assert (job.status, job.done, job.total, job.user) == (JobStatus.DONE, 1, 1, mine["Planificador"])


def test_a_return_tells_the_planners_its_reason(first, people, django_capture_on_commit_callbacks):
    mine, _theirs = people
    act(
        django_capture_on_commit_callbacks,
        services.submit,
        user=mine["Planificador"],
        institution=first,
        year=2024,
        cuatrimestre=1,
    )
    mail.outbox.clear()

    act(
        django_capture_on_commit_callbacks,
        services.return_report,
        user=mine["Director"],
        institution=first,
        year=2024,
        cuatrimestre=1,
        comment="Falta septiembre.",
    )

    assert told(NotificationKind.RETURNED) == ["planificador-primera"]
    assert [message.to for message in mail.outbox] == [["planificador@primera.gob.gt"]]
    assert mail.outbox[0].subject == "PRI: reporte del Primer Cuatrimestre 2024 devuelto"
    assert "Motivo: Falta septiembre." in mail.outbox[0].body


def test_an_approval_tells_planners_and_readers(first, second, people, django_capture_on_commit_callbacks):
    mine, theirs = people
    act(
        django_capture_on_commit_callbacks,
        services.submit,
        user=mine["Planificador"],
        institution=first,
        year=2024,
        cuatrimestre=1,
    )
    act(
        django_capture_on_commit_callbacks,
        services.submit,
        user=theirs["Planificador"],
        institution=second,
        year=2024,
        cuatrimestre=2,
    )
    mail.outbox.clear()

    act(
        django_capture_on_commit_callbacks,
        services.approve,
        user=mine["Director"],
        institution=first,
        year=2024,
        cuatrimestre=1,
    )

    assert told(NotificationKind.APPROVED) == ["lector-primera", "planificador-primera"]
    assert sorted(message.to[0] for message in mail.outbox) == ["lector@primera.gob.gt", "planificador@primera.gob.gt"]
    assert {message.subject for message in mail.outbox} == {"PRI: reporte del Primer Cuatrimestre 2024 aprobado"}


def test_the_second_institutions_people_hear_nothing_of_the_first(first, people, django_capture_on_commit_callbacks):
    mine, _theirs = people
    act(
        django_capture_on_commit_callbacks,
        services.submit,
        user=mine["Planificador"],
        institution=first,
        year=2024,
        cuatrimestre=1,
    )
    act(
        django_capture_on_commit_callbacks,
        services.return_report,
        user=mine["Director"],
        institution=first,
        year=2024,
        cuatrimestre=1,
        comment="Corregir.",
    )
    act(
        django_capture_on_commit_callbacks,
        services.submit,
        user=mine["Planificador"],
        institution=first,
        year=2024,
        cuatrimestre=1,
    )
    act(
        django_capture_on_commit_callbacks,
        services.approve,
        user=mine["Director"],
        institution=first,
        year=2024,
        cuatrimestre=1,
    )

    assert not Notification.objects.filter(user__institution__code="SEGUNDA").exists()
    assert all(message.to[0].endswith("@primera.gob.gt") for message in mail.outbox)
    # Each step is told once: two submissions, two notices to the director.
    assert told(NotificationKind.SUBMITTED) == ["director-primera", "director-primera"]
    assert len(mail.outbox) == 5


def test_a_refused_step_tells_nobody(first, people, django_capture_on_commit_callbacks):
    mine, _theirs = people
    with pytest.raises(ValidationError):
        act(
            django_capture_on_commit_callbacks,
            services.approve,
            user=mine["Director"],
            institution=first,
            year=2024,
            cuatrimestre=1,
        )

    assert not Notification.objects.exists()
    assert mail.outbox == []
