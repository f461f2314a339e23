"""A planner opens the draft report again and again: its page and JSON are kept once per version of the institution's
figures (goals.versions), so a warm read reads no figure, and every write, or the day an entry window closes, shows
on the next read exactly as a page computed afresh."""

import datetime
import re
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from approvals.models import Period
from goals.evidence import attach_evidence
from goals.models import ProductExecution, SubproductExecution
from tests.factories import institution_with_plan, role_users

pytestmark = pytest.mark.django_db

PAGE = reverse("reports:report", args=["IGM", 2024, 1])
JSON = reverse("reports:json", args=["IGM", 2024, 1])
# What differs from one response to the next: the minute it was served, the masked CSRF token, the CSP nonce.
PER_RESPONSE = re.compile(
    r'<p class="generated no-print">[^<]*</p>|name="csrfmiddlewaretoken" value="[^"]*"|nonce="[^"]*"'
)
# The tables a draft's figures, alerts and medios de verificación are read from.
FIGURE_TABLES = ("goals_productexecution", "goals_subproductexecution", "goals_evidence", "approvals_period")


@pytest.fixture
def igm():
    return institution_with_plan("IGM")


@pytest.fixture
def planner(igm):
    return role_users(igm, ["Planificador"])["Planificador"]


@pytest.fixture
def read(client, planner, django_capture_on_commit_callbacks):
    """read(path) as the planner, the cache filled as a request outside the test's transaction fills it (on commit);
    the page without what differs from one response to the next."""

    client.force_login(planner)

    def read(path=PAGE, language=settings.LANGUAGE_CODE):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        with django_capture_on_commit_callbacks(execute=True):
            response = client.get(path)
        assert response.status_code == 200
        return PER_RESPONSE.sub("", response.content.decode())

    return read


def fresh(read, path=PAGE, language=settings.LANGUAGE_CODE):
    """The page computed afresh, with nothing kept."""
    cache.clear()
    return read(path, language)


@pytest.fixture
def today(monkeypatch):
    """Fix the day the page is computed for (America/Guatemala's date)."""

    def fix(day):
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)

    return fix


def test_a_warm_draft_page_reads_no_figure(read, django_assert_max_num_queries):
    first = read()
    # The session, the user, the institution, its plan, the report's snapshot (none), the version, the user's
    # permissions (2), and the base page's own (the user's institution, whether he reads several)
    with django_assert_max_num_queries(10) as captured:
        assert read() == first
    read_tables = " ".join(query["sql"] for query in captured.captured_queries)
    assert not [table for table in FIGURE_TABLES if table in read_tables]
    assert "4.00" in first and "BORRADOR" in first


def test_each_write_shows_on_the_next_read_as_computed_afresh(read, igm, planner):
    before = read()
    SubproductExecution.objects.filter(month=2).update(financial=0)  # a queryset's update bumps nothing: not seen
    assert read() == before
    execution = SubproductExecution.objects.get(month=2)
    execution.financial = 99
    execution.save()
    changed = read()
    assert changed != before and "129.75" in changed  # January to April: 3 × 10.25 + 99
    assert changed == read() == fresh(read)
    attach_evidence(
        user=planner, institution=igm, row=igm.results.get().products.get(), year=2024, month=2,
        upload=SimpleUploadedFile("acta.pdf", b"%PDF-1.4\n%acta\n"), description="Acta de entrega firmada",
    )  # fmt: skip
    attached = read()
    assert "Acta de entrega firmada" in attached and "acta.pdf" in attached and "Acta de entrega" not in changed
    assert attached == read() == fresh(read)


def test_an_empty_month_is_an_alert_from_the_day_after_its_deadline_without_any_write(read, today):
    ProductExecution.objects.filter(month=3).delete()
    SubproductExecution.objects.filter(month=3).delete()
    Period.objects.create(year=2024, cuatrimestre=1, load_deadline=datetime.date(2024, 5, 15))
    today(datetime.date(2024, 5, 15))
    assert "ningún dato de ejecución cargado" not in read()
    today(datetime.date(2024, 5, 16))
    late = read()
    assert "Marzo 2024</strong>: ningún dato de ejecución cargado; el plazo de carga venció el 15/05/2024." in late
    assert late == fresh(read)


def test_each_language_reads_its_own_page(read):
    spanish = read()
    english = read(language="en")
    assert "Products linked to RE" in english and "Productos vinculados a RE" in spanish
    assert english == read(language="en") == fresh(read, language="en")
    assert spanish == read() == fresh(read)


def test_a_warm_draft_json_is_neither_computed_nor_encoded(read):
    first = read(JSON)
    refuse = mock.Mock(side_effect=AssertionError("a warm draft's JSON is kept"))
    with mock.patch("reports.services.report_to_dict", refuse), mock.patch("reports.computation.build_report", refuse):
        assert read(JSON) == first
    SubproductExecution.objects.get(month=2).save()  # the same figures, a new version: encoded again
    assert read(JSON) == first == fresh(read, JSON)
