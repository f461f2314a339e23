"""A planner uploads a file of 2,000 rows or more: the worker checks it while the job's page shows the progress,
then the page shows the same preview (or the same refusals) as the import page shows a small file, with the same
confirmation, which queues the write. Only the planner who uploaded it sees the job and confirms it."""

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from lxml.html import fromstring as parse_html
from lxml.html import tostring

from goals import uploads
from goals.imports import EXECUTION_COLUMNS, background
from goals.models import SubproductExecution
from jobs.imports import KIND, PREVIEW_KIND
from jobs.models import Job, JobStatus
from jobs.outputs import expire_outputs
from tests.factories import InstitutionFactory, RoleUserFactory, build_plan
from tests.goals.imports_helpers import csv_file, xlsx_file
from tests.jobs.imports_helpers import confirm_on_the_job_page, preview_in_the_background

pytestmark = pytest.mark.django_db

PREVIEW, REFUSALS = "//section[@class='preview']", "//section[@class='import-errors']"
SUBPRODUCTS = [(f"P0-{p}", f"S{s}") for p in range(10) for s in range(20)]  # build_plan(…, 1, 10, 20)


def planner_of(institution, username):
    client = Client()
    client.force_login(RoleUserFactory(institution=institution, role="Planificador", username=username))
    return client


def planners_of_plans(products, subproducts):
    """The planners of UPL and of OTRA, whose plans share every name: `products` of `subproducts` each, every month
    executed but October."""
    clients = []
    for code in ("UPL", "OTRA"):
        institution = InstitutionFactory(code=code, acronym=code)
        build_plan(institution, 1, products, subproducts)
        SubproductExecution.objects.filter(subproduct__product__result__institution=institution, month=10).delete()
        clients.append(planner_of(institution, f"plan-{code}"))
    return clients


@pytest.fixture
def planners(db):
    return planners_of_plans(1, 1)


@pytest.fixture
def planners_of_a_year(db):
    """Plans of 200 subproducts: a year of their execution is 2,400 rows."""
    return planners_of_plans(10, 20)


def year_of_execution():
    """2,000 rows: each subproduct's January as stored (1 and Q10.25), February to September with a new physical
    figure (the month's number) and October, not executed yet."""
    rows = [
        ["UPL", 2024, month, product, sub, month, "10.25"] for product, sub in SUBPRODUCTS for month in range(1, 11)
    ]
    return csv_file(EXECUTION_COLUMNS, *rows).getvalue()


def shown(page, selector):
    """The page's preview or refusals, as HTML, without the form that confirms it (whose address differs)."""
    [section] = parse_html(page.content.decode()).xpath(selector)
    for form in section.xpath(".//form"):
        form.getparent().remove(form)
    section.tail = None
    return tostring(section, encoding="unicode")


def preview_in_the_request(client, name, content, monkeypatch):
    threshold = background.BACKGROUND_ROWS
    monkeypatch.setattr(background, "BACKGROUND_ROWS", 1_000_000)
    upload = SimpleUploadedFile(name, content)
    page = client.post(reverse("goals:import"), {"template": "ejecucion", "file": upload})
    monkeypatch.setattr(background, "BACKGROUND_ROWS", threshold)
    client.post(reverse("goals:cancel_import"))
    return page


def waiting_files(media_root):
    folder = Path(media_root) / "imports"
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def executions(code, **filters):
    return SubproductExecution.objects.filter(subproduct__product__result__institution__code=code, **filters)


def test_a_large_file_previewed_by_the_worker_shows_the_requests_preview_and_is_written_once_confirmed(
    planners_of_a_year, media_root, django_capture_on_commit_callbacks, monkeypatch, django_assert_max_num_queries
):
    planner, _other = planners_of_a_year
    in_the_request = preview_in_the_request(planner, "anio.csv", year_of_execution(), monkeypatch)

    previewed = preview_in_the_background(
        planner, "ejecucion", "anio.csv", year_of_execution(), django_capture_on_commit_callbacks
    )

    assert (previewed.status, previewed.done, previewed.total, previewed.user.username) == (
        JobStatus.DONE, 3, 3, "plan-UPL",
    )  # fmt: skip
    assert previewed.message == "Revise lo que cambiaría y confirme la importación: nada se ha escrito todavía."
    result = previewed.data["result"]
    assert (result["created"], result["updated"], result["error_count"]) == (200, 1600, 0)
    preview = result["preview"]
    assert (preview["new"], preview["changed"], preview["unchanged"]) == (200, 1600, 200)
    assert (len(preview["shown_changes"]), preview["hidden_changes"]) == (500, 1100)
    assert len(json.dumps(previewed.data)) < 100_000
    with django_assert_max_num_queries(7):  # the session, the user, the job, the base page's
        page = planner.get(reverse("jobs:job", args=[previewed.pk]))
    assert shown(page, PREVIEW) == shown(in_the_request, PREVIEW)
    assert "200 registros nuevos · 1,600 que cambian · 200 sin cambios" in shown(page, PREVIEW)
    [form] = parse_html(page.content.decode()).xpath(PREVIEW + "//form")
    assert form.get("action") == reverse("jobs:confirm_import", args=[previewed.pk])
    assert "data-job-reload" not in page.content.decode()
    assert executions("UPL", month=10).count() == 0 and executions("UPL", physical=2).count() == 0
    assert waiting_files(media_root) == [Path(previewed.output).name]

    written = confirm_on_the_job_page(planner, previewed, django_capture_on_commit_callbacks)

    assert (written.status, written.done, written.total) == (JobStatus.DONE, 3, 3), written.message
    assert written.message == "Importado anio.csv: 200 registros creados, 1600 actualizados."
    assert sorted(executions("UPL").values_list("month").distinct()) == [(month,) for month in range(1, 13)]
    assert {(e.month, e.physical, e.financial) for e in executions("UPL", month__lte=10)} == {
        (month, Decimal(month), Decimal("10.25")) for month in range(1, 11)
    }
    assert executions("OTRA", month=10).count() == 0 and executions("OTRA", month=2, physical=1).count() == 200
    assert waiting_files(media_root) == []
    page = planner.get(reverse("jobs:job", args=[previewed.pk])).content.decode()
    assert "Ver la importación confirmada" in page and reverse("jobs:job", args=[written.pk]) in page
    assert 'action="/trabajos/' not in page

    again = planner.post(reverse("jobs:confirm_import", args=[previewed.pk]), follow=True)

    assert "Esta importación ya se confirmó o se canceló." in again.content.decode()
    assert Job.objects.filter(kind=KIND).count() == 1


@pytest.fixture
def large(monkeypatch):
    """Files of 4 rows or more count as large here (the real threshold is background.BACKGROUND_ROWS)."""
    monkeypatch.setattr(background, "BACKGROUND_ROWS", 4)


def file_with_three_errors():
    rows = [["UPL", 2024, month, "P0-0", "S0", month, "10.25"] for month in range(1, 7)]
    rows[1][4] = "No existe"
    rows[3][5] = "muchos"
    rows[5][0] = "OTRA"
    return csv_file(EXECUTION_COLUMNS, *rows).getvalue()


def six_months():
    rows = [["UPL", 2024, month, "P0-0", "S0", month, "1"] for month in range(1, 7)]
    return csv_file(EXECUTION_COLUMNS, *rows).getvalue()


def test_a_refused_large_file_lists_every_reason_as_the_import_page_does_and_writes_nothing(
    large, planners, media_root, django_capture_on_commit_callbacks, monkeypatch
):
    planner, _other = planners
    in_the_request = preview_in_the_request(planner, "ejecucion.csv", file_with_three_errors(), monkeypatch)
    stored = executions("UPL").count()

    previewed = preview_in_the_background(
        planner, "ejecucion", "ejecucion.csv", file_with_three_errors(), django_capture_on_commit_callbacks
    )

    assert (previewed.status, previewed.done, previewed.total) == (JobStatus.FAILED, 1, 3)
    assert previewed.message == "El archivo tiene 3 errores; no se importó nada."
    assert [(e["row"], e["column"]) for e in previewed.data["result"]["errors"]] == [
        (3, "subproducto"), (5, "ejecucion_fisica"), (7, "institucion"),
    ]  # fmt: skip
    page = planner.get(reverse("jobs:job", args=[previewed.pk]))
    assert shown(page, REFUSALS) == shown(in_the_request, REFUSALS)
    assert "no puede importar datos de la institución OTRA." in page.content.decode()
    assert not parse_html(page.content.decode()).xpath("//form[contains(@action, 'confirmar')]")
    assert waiting_files(media_root) == []

    refused = planner.post(reverse("jobs:confirm_import", args=[previewed.pk]), follow=True)

    assert "Esta vista previa no tiene nada que confirmar." in refused.content.decode()
    assert not Job.objects.filter(kind=KIND).exists()
    assert executions("UPL").count() == stored


def test_a_file_refused_on_every_row_keeps_a_bounded_list_of_its_reasons(planners, django_capture_on_commit_callbacks):
    planner, _other = planners
    rows = [["UPL", 2024, 1, f"No existe {number}", "S0", 1, "1"] for number in range(background.BACKGROUND_ROWS)]

    previewed = preview_in_the_background(
        planner, "ejecucion", "ejecucion.csv", csv_file(EXECUTION_COLUMNS, *rows).getvalue(),
        django_capture_on_commit_callbacks,
    )  # fmt: skip

    result = previewed.data["result"]
    assert (result["error_count"], len(result["errors"]), result["hidden_errors"]) == (2000, 1000, 1000)
    assert result["errors"][-1] == {
        "row": 1001, "column": "producto", "message": "no existe el producto «No existe 999» en el plan 2024.",
    }  # fmt: skip
    assert len(json.dumps(previewed.data)) < 150_000
    page = planner.get(reverse("jobs:job", args=[previewed.pk])).content.decode()
    assert "El archivo tiene 2,000 errores; no se importó nada." in page
    assert "y 1,000 errores más." in page
    assert len(parse_html(page).xpath(REFUSALS + "//tbody/tr")) == 1000


def test_only_the_planner_who_uploaded_the_file_sees_its_preview_and_confirms_it(
    large, planners, django_capture_on_commit_callbacks
):
    planner, other = planners
    previewed = preview_in_the_background(
        planner, "ejecucion", "ejecucion.csv", six_months(), django_capture_on_commit_callbacks
    )
    assert previewed.status == JobStatus.DONE, previewed.message
    colleague = planner_of(previewed.user.institution, "plan-UPL-2")

    for client in (other, colleague):
        assert client.get(reverse("jobs:job", args=[previewed.pk])).status_code == 404
        assert client.get(reverse("jobs:status", args=[previewed.pk])).status_code == 404
        assert client.post(reverse("jobs:confirm_import", args=[previewed.pk])).status_code == 404
        assert client.post(reverse("jobs:cancel_import", args=[previewed.pk])).status_code == 404

    assert not Job.objects.filter(kind=KIND).exists()
    assert uploads.exists(previewed.output)


def test_a_planner_moved_to_another_institution_cannot_confirm_what_they_previewed(
    large, planners, django_capture_on_commit_callbacks
):
    planner, _other = planners
    previewed = preview_in_the_background(
        planner, "ejecucion", "ejecucion.csv", six_months(), django_capture_on_commit_callbacks
    )
    user = previewed.user
    user.institution = InstitutionFactory(code="NUEVA")
    user.save()
    moved = Client()
    moved.force_login(user)

    assert moved.post(reverse("jobs:confirm_import", args=[previewed.pk])).status_code == 404


def test_confirming_is_a_post_with_its_csrf_token(large, planners, django_capture_on_commit_callbacks):
    planner, _other = planners
    previewed = preview_in_the_background(
        planner, "ejecucion", "ejecucion.csv", six_months(), django_capture_on_commit_callbacks
    )
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(previewed.user)

    assert planner.get(reverse("jobs:confirm_import", args=[previewed.pk])).status_code == 405
    assert planner.get(reverse("jobs:cancel_import", args=[previewed.pk])).status_code == 405
    assert strict.post(reverse("jobs:confirm_import", args=[previewed.pk])).status_code == 403
    assert strict.post(reverse("jobs:cancel_import", args=[previewed.pk])).status_code == 403
    assert not Job.objects.filter(kind=KIND).exists()
    assert uploads.exists(previewed.output)


def test_a_preview_whose_file_expired_or_was_purged_is_refused_clearly(
    large, planners, media_root, django_capture_on_commit_callbacks
):
    planner, _other = planners
    expired = preview_in_the_background(planner, "ejecucion", "a.csv", six_months(), django_capture_on_commit_callbacks)
    purged = preview_in_the_background(planner, "ejecucion", "b.csv", six_months(), django_capture_on_commit_callbacks)
    Job.objects.filter(pk=expired.pk).update(finished_at=timezone.now() - datetime.timedelta(days=8))
    assert expire_outputs(older_than_days=7) == [expired.output]
    uploads.delete(purged.output)  # manage.py purge_abandoned_uploads

    for job in (expired, purged):
        page = planner.post(reverse("jobs:confirm_import", args=[job.pk]), follow=True).content.decode()
        assert "La vista previa caducó y su archivo se eliminó: suba el archivo de nuevo." in page

    page = planner.get(reverse("jobs:job", args=[expired.pk])).content.decode()
    assert "El archivo de este trabajo caducó" in page and f'href="{reverse("goals:import")}"' in page
    assert not Job.objects.filter(kind=KIND).exists()
    assert executions("UPL", physical=4).count() == 0
    assert waiting_files(media_root) == []


def test_a_file_changed_since_its_preview_is_not_written(
    large, planners, media_root, django_capture_on_commit_callbacks
):
    planner, _other = planners
    previewed = preview_in_the_background(
        planner, "ejecucion", "ejecucion.csv", six_months(), django_capture_on_commit_callbacks
    )
    (Path(media_root) / previewed.output).write_bytes(six_months().replace(b",1\r\n", b",9\r\n"))

    written = confirm_on_the_job_page(planner, previewed, django_capture_on_commit_callbacks)

    assert written.status == JobStatus.FAILED
    assert written.message == "El archivo cambió después de su vista previa: no se importó nada. Súbalo de nuevo."
    assert executions("UPL", financial=9).count() == 0
    assert waiting_files(media_root) == []


def test_cancelling_a_preview_deletes_its_file_and_nothing_is_confirmed_after(
    large, planners, media_root, django_capture_on_commit_callbacks
):
    planner, _other = planners
    previewed = preview_in_the_background(
        planner, "ejecucion", "ejecucion.csv", six_months(), django_capture_on_commit_callbacks
    )

    response = planner.post(reverse("jobs:cancel_import", args=[previewed.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("goals:import")
    assert "Importación cancelada: no se escribió nada." in response.content.decode()
    assert waiting_files(media_root) == []
    again = planner.post(reverse("jobs:confirm_import", args=[previewed.pk]), follow=True).content.decode()
    assert "Esta importación ya se confirmó o se canceló." in again
    assert not Job.objects.filter(kind=KIND).exists()


def test_the_job_page_waits_for_the_preview_and_reloads_when_it_is_ready_nothing_confirmed_before(large, planners):
    planner, _other = planners

    planner.post(reverse("goals:import"), {"template": "ejecucion", "file": SimpleUploadedFile("e.csv", six_months())})

    job = Job.objects.get(kind=PREVIEW_KIND)
    page = planner.get(reverse("jobs:job", args=[job.pk])).content.decode()
    assert job.status == JobStatus.QUEUED
    assert "data-job-reload" in page
    assert not parse_html(page).xpath(f"{PREVIEW} | {REFUSALS}")
    early = planner.post(reverse("jobs:confirm_import", args=[job.pk]), follow=True).content.decode()
    assert "Esta vista previa no tiene nada que confirmar." in early
    assert not Job.objects.filter(kind=KIND).exists()


def xlsx_of(rows):
    return xlsx_file(EXECUTION_COLUMNS, *[["UPL", 2024, 1, f"No existe {n}", "S0", 1, 1] for n in range(rows)])


@pytest.mark.parametrize(("rows", "in_the_background"), [(1999, False), (2000, True)])
def test_an_xlsx_of_2000_rows_is_previewed_in_the_background(planners, rows, in_the_background):
    planner, _other = planners
    upload = SimpleUploadedFile("ejecucion.xlsx", xlsx_of(rows).getvalue())

    response = planner.post(reverse("goals:import"), {"template": "ejecucion", "file": upload})

    assert Job.objects.filter(kind=PREVIEW_KIND).exists() == in_the_background
    assert response.status_code == (302 if in_the_background else 200)
