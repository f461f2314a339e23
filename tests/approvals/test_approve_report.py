"""The director approves seeing what he signs: the whole report, its alerts and what changed since it was sent,
then his password again; a wrong or missing one approves nothing and counts as a failed login."""

import json
from decimal import Decimal

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

from approvals import services
from approvals.models import CuatrimestreReport, ReportSnapshot, ReportStatus, RequiredJustification, canonical_json
from goals.models import SubproductExecution
from reports.computation import build_report, report_to_dict
from tests.factories import InstitutionFactory, RoleUserFactory, build_plan, igm_for

pytestmark = pytest.mark.django_db

PASSWORD = "a-strong-password-1"  # tests.factories.UserFactory's
REGISTRY = "Registro de Extranjería"
# The report in a fixed number (build_report), alerts, states, history and the menu; then the deviations: each
# product's traffic light (from the report's figures and the programme, 2), the justifications and the required
# kinds, and the conversation.
STATUS_PAGE_QUERIES = 37  # one lists the months' medios de verificación; 10 render the draft (see test_report_page)
# Each computes the report once (build_report) and its deviations from it; the approval also numbers the oficio, lists
# the medios de verificación and queues its documents.
SUBMIT_QUERIES = 32
APPROVAL_QUERIES = 38


@pytest.fixture
def igm(request):
    """The demo for a test marked `seed`, else IGM with a small plan."""
    return igm_for(request)


@pytest.fixture
def planner(igm):
    return RoleUserFactory(
        institution=igm, role="Planificador", username="plan-igm", first_name="Eva", last_name="López Barrios"
    )


@pytest.fixture
def director(igm):
    return RoleUserFactory(institution=igm, role="Director", username="dir-igm", first_name="Alfredo")


@pytest.fixture
def in_review(igm, planner):
    return services.submit(user=planner, institution=igm, year=2024, cuatrimestre=3)


def status_url(code="IGM", cuatrimestre=3):
    return reverse("approvals:report_status", args=[code, 2024, cuatrimestre])


def approve_url(code="IGM", cuatrimestre=3):
    return reverse("approvals:approve_report", args=[code, 2024, cuatrimestre])


def approve(client, password=None, address="10.0.0.7", **fields):
    data = {**fields, **({"password": password} if password is not None else {})}
    return client.post(approve_url(), data, REMOTE_ADDR=address)


def report_status(igm):
    return CuatrimestreReport.objects.get(institution=igm, year=2024, cuatrimestre=3).status


def failed_logins(user):
    return sum(AccessAttempt.objects.filter(username=user.username).values_list("failures_since_start", flat=True))


@pytest.mark.seed
def test_the_director_sees_the_whole_report_its_alerts_and_a_form_asking_for_his_password(
    client, igm, director, in_review, django_assert_max_num_queries
):
    client.force_login(director)
    with django_assert_max_num_queries(STATUS_PAGE_QUERIES):
        response = client.get(status_url())
    page = response.content.decode()
    # The report as its page renders it: the seed's "Control Registro…", Física, September and % of the cuatrimestre.
    assert 'class="siplan-report"' in page
    assert "844,965.00" in page and "31.14" in page
    assert "alertas antes de aprobar" in page
    form = response.context["approval_form"]
    assert list(form.fields) == ["password", "typist_initials", "comment"]
    assert form["typist_initials"].value() == "elb"  # Eva López Barrios submitted it
    assert 'type="password" name="password"' in page
    assert f'action="{approve_url()}"' in page
    assert "Cambios desde el envío a revisión" in page and "Ninguna cifra cambió." in page


@pytest.mark.seed
def test_submit_and_approval_compute_the_report_once_in_bounded_queries(
    igm, planner, director, django_assert_max_num_queries
):
    computed = canonical_json(report_to_dict(build_report(institution=igm, year=2024, cuatrimestre=3)))
    with django_assert_max_num_queries(SUBMIT_QUERIES):
        services.submit(user=planner, institution=igm, year=2024, cuatrimestre=3)
    with django_assert_max_num_queries(APPROVAL_QUERIES):
        snapshot = services.approve(user=director, institution=igm, year=2024, cuatrimestre=3)
    submitted = CuatrimestreReport.objects.get(institution=igm, year=2024, cuatrimestre=3).transitions.get(
        action="enviar"
    )
    assert submitted.submitted_report == computed
    assert canonical_json(json.loads(snapshot.content)["report"]) == computed


def test_approval_without_a_password_is_refused_and_nothing_is_frozen(client, igm, director, in_review):
    client.force_login(director)
    response = approve(client)
    assert response.status_code == 200
    assert "Escriba su contraseña para aprobar. El reporte no fue aprobado." in response.content.decode()
    assert report_status(igm) == ReportStatus.IN_REVIEW
    assert not ReportSnapshot.objects.filter(report__cuatrimestre=3).exists()
    assert failed_logins(director) == 1


@pytest.mark.seed
def test_approval_with_a_wrong_password_is_refused_and_nothing_is_frozen(client, igm, director, in_review):
    client.force_login(director)
    response = approve(client, "not-my-password", typist_initials="xyz")
    page = response.content.decode()
    assert response.status_code == 200
    assert "La contraseña no es correcta. El reporte no fue aprobado." in page
    assert response.context["approval_form"]["typist_initials"].value() == "xyz"  # what he typed stays
    assert "844,965.00" in page  # the page is shown again, whole
    assert report_status(igm) == ReportStatus.IN_REVIEW
    assert not ReportSnapshot.objects.filter(report__cuatrimestre=3).exists()
    assert failed_logins(director) == 1


@pytest.mark.seed
def test_approval_with_his_password_freezes_the_report_and_passes_the_typist_initials(
    client, igm, director, in_review, monkeypatch
):
    calls = []
    real_approve = services.approve

    def recording_approve(*, user, **kwargs):
        calls.append(kwargs)
        return real_approve(user=user, **kwargs)

    monkeypatch.setattr(services, "approve", recording_approve)
    client.force_login(director)
    response = approve(client, PASSWORD, typist_initials="elb", comment="Conforme")
    assert response.status_code == 302 and response["Location"] == status_url()
    assert report_status(igm) == ReportStatus.APPROVED
    snapshot = ReportSnapshot.objects.get(report__cuatrimestre=3)
    assert snapshot.approved_by == director
    assert calls == [
        {"institution": igm, "year": 2024, "cuatrimestre": 3, "comment": "Conforme", "typist_initials": "elb"}
    ]
    page = client.get(status_url()).content.decode()
    assert "El reporte fue aprobado y sus cifras quedaron congeladas." in page
    assert snapshot.oficio_number in page and "844,965.00" in page
    assert failed_logins(director) == 0


def test_five_wrong_passwords_lock_the_director_out_as_failed_logins_do(client, igm, director, in_review):
    client.force_login(director)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert approve(client, "wrong").status_code == 200
    locked = approve(client, "wrong")
    assert locked.status_code == 429
    assert "Ingreso bloqueado" in locked.content.decode()
    # While locked, even his right password approves nothing, and he cannot log in from that address.
    assert approve(client, PASSWORD).status_code == 429
    assert report_status(igm) == ReportStatus.IN_REVIEW
    assert not ReportSnapshot.objects.filter(report__cuatrimestre=3).exists()
    client.logout()
    login = client.post(reverse("login"), {"username": director.username, "password": PASSWORD}, REMOTE_ADDR="10.0.0.7")
    assert login.status_code == 429


def test_a_planner_cannot_approve_even_with_his_password(client, igm, planner, in_review):
    client.force_login(planner)
    assert approve(client, PASSWORD).status_code == 403
    assert report_status(igm) == ReportStatus.IN_REVIEW
    assert client.get(status_url()).context["approval_form"] is None


@pytest.mark.seed
def test_the_page_lists_what_changed_since_the_report_was_sent(client, igm, planner, director, in_review):
    services.return_report(
        user=director,
        institution=igm,
        year=2024,
        cuatrimestre=3,
        comment="Revise septiembre del Registro de Extranjería",
    )
    execution = SubproductExecution.objects.get(
        subproduct__product__result__institution=igm, subproduct__name=REGISTRY, month=9
    )
    assert execution.physical == Decimal("1290.00")
    execution.physical = Decimal("2290")
    execution.save()
    client.force_login(director)
    review = client.get(status_url()).context["review"]
    changed = [(c.subproduct, str(c.kind), str(c.column), c.old, c.new) for c in review.changes]
    assert changed[0] == (REGISTRY, "Física", "Septiembre", Decimal("1290.00"), Decimal("2290.00"))
    assert [column for _sub, _kind, column, _old, _new in changed] == [
        "Septiembre",
        "Total",
        "% 3er cuatrimestre",
        "Acumulado al 3er cuatrimestre",
        "% de Avance acumulado al 3er cuatrimestre",
        "% de Avance acumulado al 3er cuatrimestre con metas iniciales",
    ]
    RequiredJustification.objects.filter(institution=igm).delete()  # the over-execution needs no answer here
    services.submit(user=planner, institution=igm, year=2024, cuatrimestre=3)
    page = client.get(status_url()).content.decode()
    assert "Ninguna cifra cambió." in page  # counted from the new submission, which holds the correction


@pytest.mark.seed
def test_the_changes_table_shows_old_and_new_figures(client, igm, planner, director, in_review):
    services.return_report(user=director, institution=igm, year=2024, cuatrimestre=3, comment="Revise")
    SubproductExecution.objects.filter(
        subproduct__product__result__institution=igm, subproduct__name=REGISTRY, month=9
    ).update(physical=Decimal("2290"))
    client.force_login(planner)
    page = client.get(status_url()).content.decode()
    assert "Las cifras cambiaron en 6 celdas." in page
    assert "<td>Septiembre</td>" in page and "1,290.00" in page and "2,290.00" in page


@pytest.mark.seed
def test_after_a_reopening_the_changes_are_counted_from_the_approval(client, igm, director, in_review):
    services.approve(user=director, institution=igm, year=2024, cuatrimestre=3)
    client.force_login(director)
    reopen_url = reverse("approvals:report_action", args=["IGM", 2024, 3, "reabrir"])
    client.post(reopen_url, {"comment": "Corrección de septiembre"})
    assert ReportSnapshot.objects.get(report__cuatrimestre=3).superseded_reason == "Corrección de septiembre"
    SubproductExecution.objects.filter(
        subproduct__product__result__institution=igm, subproduct__name=REGISTRY, month=9
    ).update(physical=Decimal("1291"))
    response = client.get(status_url())
    assert "Cambios desde la aprobación del" in response.content.decode()
    first = response.context["review"].changes[0]
    assert (first.subproduct, str(first.column), first.old, first.new) == (
        REGISTRY,
        "Septiembre",
        Decimal("1290.00"),
        Decimal("1291.00"),
    )


def test_a_returned_report_says_devuelto_here_and_on_inicio_with_the_reason_at_the_top(
    client, igm, planner, director, in_review
):
    services.return_report(user=director, institution=igm, year=2024, cuatrimestre=3, comment="Revisar junio")
    client.force_login(planner)
    page = client.get(status_url()).content.decode()
    assert '<strong class="status status-devuelto">Devuelto</strong>' in page
    reason = page.index("Revisar junio")
    assert reason < page.index('class="siplan-report"') < page.index("Historial del reporte")
    assert "Devuelto para corregir" in page
    home = client.get(reverse("home"), {"anio": 2024}).content.decode()
    assert '<span class="status status-devuelto">Devuelto</span>' in home


@pytest.mark.seed
def test_a_reader_sees_the_state_but_no_draft_figures(client, igm, in_review):
    client.force_login(RoleUserFactory(institution=igm, role="Lector"))
    response = client.get(status_url())
    page = response.content.decode()
    assert "En revisión" in page
    assert "844,965.00" not in page and "siplan-report" not in page and "alerta" not in page
    assert response.context["approval_form"] is None


def test_another_institutions_director_gets_not_found(client, igm, in_review):
    other = InstitutionFactory(code="OTRA")
    build_plan(other, results=1, products_per_result=1, subproducts_per_product=1)
    client.force_login(RoleUserFactory(institution=other, role="Director"))
    assert client.get(status_url()).status_code == 404
    assert approve(client, PASSWORD).status_code == 404
    assert report_status(igm) == ReportStatus.IN_REVIEW


def test_same_named_plans_of_two_institutions_do_not_mix_on_the_page(client, django_assert_max_num_queries):
    """Both plans have the same names (P0-0, S0…); only the institution's own changes are listed. The page's query
    count does not grow with the plan."""
    first, second = InstitutionFactory(code="UNO"), InstitutionFactory(code="DOS")
    build_plan(first, results=10, products_per_result=6, subproducts_per_product=3)
    build_plan(second, results=10, products_per_result=6, subproducts_per_product=3)
    services.submit(user=RoleUserFactory(institution=first), institution=first, year=2024, cuatrimestre=3)
    SubproductExecution.objects.filter(subproduct__product__result__institution=second, month=9).update(physical=7)
    client.force_login(RoleUserFactory(institution=first, role="Director"))
    with django_assert_max_num_queries(STATUS_PAGE_QUERIES):
        response = client.get(status_url("UNO"))
    assert response.context["review"].changes == []
    assert "Ninguna cifra cambió." in response.content.decode()


def test_a_year_without_plan_has_no_status_page(client, igm, director):
    client.force_login(director)
    assert client.get(reverse("approvals:report_status", args=["IGM", 1999, 1])).status_code == 404
