"""Planning staff and the director read the draft's figures from the cache (goals.versions), and every write, by any
path, shows on the next page read: the entry page, the imports, a reprogramming and its approval, a justification,
the admin's edit and delete, each step of the report. A second institution sharing every name is never touched."""

import json
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from approvals import services
from approvals.models import ReportSnapshot
from goals.imports import EXECUTION_COLUMNS, PLAN_COLUMNS, REPROGRAMMING_COLUMNS, import_file
from goals.models import Reprogramming, Subproduct
from goals.versions import cached_figures, figures_version
from reports.computation import build_report, draft_report, report_to_dict
from tests.factories import SHARED_NAME, JustificationFactory, institution_with_plan, role_users
from tests.goals.imports_helpers import csv_file

pytestmark = pytest.mark.django_db

YEAR = 2024
REPORT_JSON = f"/reportes/IGM/{YEAR}/1.json"
PAGES = (f"/?anio={YEAR}", f"/reportes/IGM/{YEAR}/1/", f"/reportes/IGM/{YEAR}/1/estado/", REPORT_JSON)
PAGES += (f"/consolidado/?anio={YEAR}&cuatrimestre=1",)


@pytest.fixture
def institutions():
    return institution_with_plan("IGM"), institution_with_plan("OTRA")


@pytest.fixture
def users(institutions):
    return role_users(institutions[0], ["Planificador", "Director"])


@pytest.fixture
def read(client, users, django_capture_on_commit_callbacks):
    """read(path) as the planner (the director for the status page), the cache filled as a request outside the
    test's transaction fills it (on commit); read() reads every page and returns the report's JSON."""

    def read(path=None):
        if path is None:
            for page in PAGES:
                read(page)
            return json.loads(read(REPORT_JSON))
        client.force_login(users["Director" if "estado" in path else "Planificador"])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.get(path)
        assert response.status_code == 200, path
        return response.content.decode()

    return read


def product_physical(data):
    return data["sections"][0]["products"][0]["physical"]


def cumulative(data):
    return product_physical(data)["cumulative"]


@pytest.fixture
def twin(institutions):
    """The second institution's version before the write; call it after to check the write left it alone."""
    other = institutions[1]
    before = figures_version(institution=other)

    def unchanged():
        return figures_version(institution=other) == before

    return unchanged


def test_a_warm_page_reads_its_figures_from_the_cache(read, institutions, django_assert_max_num_queries):
    with CaptureQueriesContext(connection) as cold:
        read(REPORT_JSON)
    with django_assert_max_num_queries(16):  # the request's own (session, user, report's state), the version, no figure
        data = json.loads(read(REPORT_JSON))
    assert len(cold) > 16 + 10  # the report computed: its plan, goals and execution
    assert cumulative(data) == "4.00"


def save_februarys_physical(client, planner, product, figure):
    """The planner saves February's entry page with `figure` as the product's physical execution."""
    url = reverse("goals:enter_month", args=[YEAR, 2])
    client.force_login(planner)
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if name in form.fields and value is not None}
    data.update({f"p{product.pk}_physical": figure, "version": form.initial["version"]})
    data["opened_at"] = form.initial["opened_at"].isoformat()
    assert client.post(url, data).status_code == 302


def test_saving_the_entry_page_shows_on_the_next_read(read, client, users, institutions, twin):
    assert cumulative(read()) == "4.00"
    save_februarys_physical(client, users["Planificador"], institutions[0].results.get().products.get(), "5")
    assert cumulative(read()) == "8.00"
    assert twin()


def test_the_dashboard_after_a_save_is_the_one_computed_afresh(read, client, users, institutions):
    def progress_table():
        html = read(f"/?anio={YEAR}")
        return re.search(r'<table class="data dashboard-progress.*?</table>', html, re.S).group()

    before = progress_table()
    assert progress_table() == before  # read back from the cache
    save_februarys_physical(client, users["Planificador"], institutions[0].results.get().products.get(), "5")
    after = progress_table()
    cache.clear()
    assert after != before and after == progress_table()


def test_importing_execution_shows_on_the_next_read(read, twin):
    assert cumulative(read()) == "4.00"
    pages = (f"/reportes/IGM/{YEAR}/1/", f"/reportes/IGM/{YEAR}/1/estado/")
    assert not any("10.00" in read(page) for page in pages)
    rows = [["IGM", YEAR, 3, SHARED_NAME, "", "7", ""]]
    assert import_file("ejecucion", csv_file(EXECUTION_COLUMNS, *rows), "e.csv").ok
    assert cumulative(read()) == "10.00"
    assert all("10.00" in read(page) for page in pages)  # the rendered draft too (reports.services.draft_html)
    assert twin()


def test_importing_the_plan_shows_its_new_goal_on_the_next_read(read, twin):
    assert product_physical(read())["initial"] == "100.00"
    row = ["IGM", "Institución IGM", YEAR, "RI", "-", "", "Gestión institucional", SHARED_NAME, "", "u", "80", ""]
    result = import_file("plan", csv_file(PLAN_COLUMNS, row), "plan.csv")
    assert result.ok, result.errors
    assert product_physical(read())["initial"] == "80.00"
    assert twin()


def test_a_reprogramming_shows_once_the_director_approves_it(read, users, institutions, twin):
    assert product_physical(read())["current"] == "100.00"
    row = ["IGM", YEAR, "RES-1", f"{YEAR}-03-01", SHARED_NAME, "", "fisica", "50", "Menor demanda"]
    imported = import_file("reprogramacion", csv_file(REPROGRAMMING_COLUMNS, row), "r.csv", user=users["Planificador"])
    assert imported.ok, imported.errors
    Reprogramming.objects.get().resolution_pdf.save("res.pdf", SimpleUploadedFile("res.pdf", b"%PDF-1.4\n%res\n"))
    version = figures_version(institution=institutions[0])
    assert product_physical(read())["current"] == "100.00"  # pending: not counted yet
    services.approve_reprogramming(user=users["Director"], reprogramming=Reprogramming.objects.get())
    assert figures_version(institution=institutions[0]) > version
    assert product_physical(read())["current"] == "50.00"
    assert twin()


def test_a_justification_moves_the_version(read, institutions, twin):
    read()
    version = figures_version(institution=institutions[0])
    JustificationFactory(institution=institutions[0])
    assert figures_version(institution=institutions[0]) > version
    assert twin()


def admin_form_data(context):
    """The admin's change form as opened, its inlines' formsets included, as the browser posts it."""
    forms = [context["adminform"].form]
    for inline in context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    return {
        form.add_prefix(name): form[name].value()
        for form in forms
        for name in form.fields
        if form[name].value() is not None
    }


def test_editing_and_deleting_a_subproduct_in_the_admin_shows_on_the_next_read(
    read, client, institutions, twin, admin_user
):
    data = read()
    assert data["sections"][0]["products"][0]["subproducts"][0]["physical"]["initial"] == "100.00"
    subproduct = Subproduct.objects.get(product__result__institution=institutions[0])
    client.force_login(admin_user)
    url = reverse("admin:goals_subproduct_change", args=[subproduct.pk])
    posted = admin_form_data(client.get(url).context)
    posted["physical_initial"] = "60"
    assert client.post(url, posted).status_code == 302
    assert read()["sections"][0]["products"][0]["subproducts"][0]["physical"]["initial"] == "60.00"
    client.force_login(admin_user)
    assert (
        client.post(reverse("admin:goals_subproduct_delete", args=[subproduct.pk]), {"post": "yes"}).status_code == 302
    )
    assert read()["sections"][0]["products"][0]["subproducts"] == []
    assert twin()


def test_each_step_of_the_report_shows_on_the_next_read(read, client, users, institutions, twin):
    igm = institutions[0]
    planner, director = users["Planificador"], users["Director"]
    report = {"institution": igm, "year": YEAR, "cuatrimestre": 1}
    read()
    steps = (
        ("En revisión", lambda: services.submit(user=planner, institution=igm, year=YEAR, cuatrimestre=1)),
        ("Devuelto", lambda: services.return_report(user=director, comment="Revisar", **report)),
        ("En revisión", lambda: services.submit(user=planner, institution=igm, year=YEAR, cuatrimestre=1)),
        ("Aprobado", lambda: services.approve(user=director, institution=igm, year=YEAR, cuatrimestre=1)),
        ("Borrador", lambda: services.reopen(user=director, reason="Error", **report)),
    )
    for label, step in steps:
        version = figures_version(institution=igm)
        step()
        assert figures_version(institution=igm) > version
        assert label in read(f"/?anio={YEAR}") and label in read(f"/reportes/IGM/{YEAR}/1/estado/")
        assert cumulative(read()) == "4.00"
    assert twin()


def test_approval_computes_its_snapshot_afresh_whatever_the_cache_holds(
    users, institutions, django_capture_on_commit_callbacks
):
    igm = institutions[0]
    services.submit(user=users["Planificador"], institution=igm, year=YEAR, cuatrimestre=1)
    other = institution_with_plan("FALSA", monthly_physical=Decimal("9.00"))
    poisoned = build_report(institution=other, year=YEAR, cuatrimestre=1)
    with django_capture_on_commit_callbacks(execute=True):  # a stale entry, as if invalidation had been forgotten
        cached_figures(institution=igm, parts=("report", YEAR, 1), compute=lambda: poisoned)
    assert cumulative(report_to_dict(draft_report(institution=igm, year=YEAR, cuatrimestre=1))) == "36.00"
    snapshot = services.approve(user=users["Director"], institution=igm, year=YEAR, cuatrimestre=1)
    assert cumulative(json.loads(ReportSnapshot.objects.get(pk=snapshot.pk).content)["report"]) == "4.00"
