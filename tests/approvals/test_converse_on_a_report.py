"""Planners and the director talk on the report's status page; return reasons join the thread; readers and other
institutions do not see it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from approvals import services
from approvals.conversation import post_comment
from approvals.models import ReportComment
from tests.factories import InstitutionFactory, ResultFactory, RoleUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def uno():
    institution = InstitutionFactory(code="UNO")
    ResultFactory(institution=institution, description="Dirección y Coordinación")
    return institution


def status_url(code="UNO"):
    return reverse("approvals:report_status", args=[code, 2024, 3])


def comment_url(code="UNO"):
    return reverse("approvals:report_action", args=[code, 2024, 3, "comentar"])


def test_planner_and_director_write_and_read_the_thread_with_the_return_reason(client, uno):
    planner = RoleUserFactory(institution=uno, role="Planificador", first_name="Elena")
    director = RoleUserFactory(institution=uno, role="Director", first_name="Alfredo")
    client.force_login(planner)
    client.post(comment_url(), {"comment": "¿Reviso el gasto de septiembre antes de enviar?"})
    services.submit(user=planner, institution=uno, year=2024, cuatrimestre=3)
    services.return_report(
        user=director, institution=uno, year=2024, cuatrimestre=3, comment="Falta el gasto de septiembre."
    )
    client.force_login(director)
    client.post(comment_url(), {"comment": "Sí: cargue la planilla de septiembre."})
    page = client.get(status_url()).content.decode()
    thread = page[page.index("Conversación sobre el reporte") :]
    first = thread.index("¿Reviso el gasto de septiembre antes de enviar?")
    assert first < thread.index("Falta el gasto de septiembre.") < thread.index("Sí: cargue la planilla de septiembre.")
    assert "Elena" in thread[:first] and "Devuelto" in thread
    [comment] = ReportComment.objects.filter(author=director)
    assert comment.history.count() == 1 and comment.report.cuatrimestre == 3


def test_an_empty_comment_is_refused_and_a_reader_may_not_write(uno):
    planner = RoleUserFactory(institution=uno, role="Planificador")
    with pytest.raises(ValidationError):
        post_comment(planner, institution=uno, year=2024, cuatrimestre=3, text="   ")
    with pytest.raises(PermissionDenied):
        post_comment(
            RoleUserFactory(institution=uno, role="Lector"), institution=uno, year=2024, cuatrimestre=3, text="Hola"
        )
    assert ReportComment.objects.count() == 0


def test_readers_and_another_institution_sharing_every_name_do_not_see_it(client, uno):
    dos = InstitutionFactory(code="DOS")
    ResultFactory(institution=dos, description="Dirección y Coordinación")
    post_comment(RoleUserFactory(institution=uno, role="Planificador"), institution=uno, year=2024, cuatrimestre=3,
                 text="Mensaje interno de UNO")  # fmt: skip
    client.force_login(RoleUserFactory(institution=uno, role="Lector"))
    page = client.get(status_url()).content.decode()
    assert "Mensaje interno de UNO" not in page and "Conversación sobre el reporte" not in page
    client.force_login(RoleUserFactory(institution=dos, role="Director"))
    assert client.get(status_url()).status_code == 404
    assert client.post(comment_url(), {"comment": "Intruso"}).status_code == 404
    assert "Mensaje interno de UNO" not in client.get(status_url("DOS")).content.decode()
    assert not ReportComment.objects.filter(text="Intruso").exists()
