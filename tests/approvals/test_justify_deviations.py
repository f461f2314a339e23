"""The planner justifies the report's deviations; the required ones block submission; the director reads them beside
their alerts; the approval freezes them into the snapshot, the package's last page and a sheet of the xlsx."""

import json
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader
from rest_framework.test import APIClient

from approvals import services
from approvals.demo import load_demo
from approvals.documents import served
from approvals.justifications import deviations
from approvals.models import JUSTIFICATION_MAX_CHARS, DocumentKind, Justification, RequiredJustification
from goals.models import Evidence, Institution
from reports.computation import build_report
from tests.factories import JustificationFactory, RoleUserFactory, institution_with_plan, submitted_report

pytestmark = pytest.mark.django_db

ZERO_GOAL = ("Emision de Documentos Migratorios", "Prorroga de Documentos Migratorios", "gasto_sin_meta")
LATE_DIRECCION = ("Dirección y Coordinación", "", "producto")


def demo_user(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def igm():
    load_demo()
    return Institution.objects.get(code="IGM")


def deviation(institution, key):
    found = deviations(institution=institution, report=build_report(institution=institution, year=2024, cuatrimestre=3))
    return next(deviation for deviation in found if deviation.key == key)


def page_url(code="IGM"):
    return reverse("approvals:justifications", args=[code, 2024, 3])


def fields_of(found, text):
    return {f"text-{found.field_id}": text, f"version-{found.field_id}": found.version}


def test_the_demo_answers_each_of_its_nine_alerts_and_requires_three_kinds(igm):
    found = deviations(institution=igm, report=build_report(institution=igm, year=2024, cuatrimestre=3))
    alerts = [d for d in found if d.kind != "producto"]
    assert sum(len(d.messages) for d in alerts) == 9
    assert all(d.text for d in alerts)
    assert {d.kind for d in found if d.required} == {"sobreejecucion", "gasto_sin_meta", "producto_no_suma"}
    assert set(RequiredJustification.objects.filter(institution=igm).values_list("kind", flat=True)) == {
        "sobreejecucion", "gasto_sin_meta", "producto_no_suma",
    }  # fmt: skip


def test_submission_is_refused_while_a_required_justification_is_unanswered_naming_it(igm):
    Justification.objects.get(institution=igm, product=ZERO_GOAL[0], subproduct=ZERO_GOAL[1]).delete()
    with pytest.raises(ValidationError) as refused:
        services.submit(user=demo_user("planificador"), institution=igm, year=2024, cuatrimestre=3)
    assert "Prorroga de Documentos Migratorios (gasto con meta financiera de 0.00)" in refused.value.messages[0]
    RequiredJustification.objects.filter(institution=igm, kind="gasto_sin_meta").delete()
    assert (
        services.submit(user=demo_user("planificador"), institution=igm, year=2024, cuatrimestre=3).status
        == "en_revision"
    )


def test_the_planner_writes_one_and_the_director_reads_it_beside_its_alert(igm, client):
    late = deviation(igm, LATE_DIRECCION)
    assert late.justification is None and "Rezagado" in late.messages[0]
    client.force_login(demo_user("planificador"))
    text = "Compras de mobiliario adjudicadas en diciembre; se pagarán en enero."
    response = client.post(page_url(), fields_of(late, text), follow=True)
    assert "Se guardó 1 justificación." in response.content.decode()
    saved = Justification.objects.get(institution=igm, product="Dirección y Coordinación", kind="producto")
    assert (saved.text, saved.updated_by.username, saved.subproduct) == (text, "planificador", "")
    assert saved.history.count() == 1
    services.submit(user=demo_user("planificador"), institution=igm, year=2024, cuatrimestre=3)
    client.force_login(demo_user("director"))
    page = client.get(reverse("approvals:report_status", args=["IGM", 2024, 3])).content.decode()
    beside = page.index("semáforo «Rezagado»: avance físico 100.00 % y financiero 43.63 % a la fecha.")
    assert beside < page.index(text) < page.index("semáforo «Rezagado»: avance físico 95.81 %")


def test_the_text_box_takes_the_whole_length_a_justification_may_have(igm, client):
    """The browser reads maxlength="4,000" as 4: the limit is printed without a thousands separator."""
    client.force_login(demo_user("planificador"))
    page = client.get(page_url()).content.decode()
    assert f'maxlength="{JUSTIFICATION_MAX_CHARS}"' in page and JUSTIFICATION_MAX_CHARS == 4000


def test_a_save_never_overwrites_what_someone_saved_after_the_page_opened(igm, client):
    opened = deviation(igm, ZERO_GOAL)
    client.force_login(demo_user("planificador"))
    client.post(page_url(), fields_of(opened, "Primera versión, guardada por otra persona."))
    response = client.post(page_url(), fields_of(opened, "Versión que no debe pisar la otra."), follow=True)
    assert "Otra persona guardó estas justificaciones" in response.content.decode()
    assert deviation(igm, ZERO_GOAL).text == "Primera versión, guardada por otra persona."


def test_justifications_cannot_change_once_the_report_is_in_review(igm, client):
    services.submit(user=demo_user("planificador"), institution=igm, year=2024, cuatrimestre=3)
    found = deviation(igm, ZERO_GOAL)
    client.force_login(demo_user("planificador"))
    response = client.post(page_url(), fields_of(found, "Cambio tardío."), follow=True)
    assert "sus justificaciones no pueden cambiar" in response.content.decode()
    assert deviation(igm, ZERO_GOAL).text == found.text


def test_the_approval_freezes_them_in_the_snapshot_the_package_annex_and_the_xlsx(igm, client):
    services.submit(user=demo_user("planificador"), institution=igm, year=2024, cuatrimestre=3)
    snapshot = services.approve(user=demo_user("director"), institution=igm, year=2024, cuatrimestre=3)
    frozen = json.loads(snapshot.content)["justifications"]
    assert len(frozen) == 8
    zero_goal = next(row for row in frozen if (row["product"], row["subproduct"], row["kind"]) == ZERO_GOAL)
    assert zero_goal["messages"] == ["gasto de Q 629,998.90 con meta financiera vigente de 0.00."]
    assert zero_goal["text"].startswith("El gasto de las prórrogas se registró en este subproducto")
    assert zero_goal["written_by"] == "Planificadora de la UPE"
    # The frozen copy no longer depends on the rows (changed here behind the model's guard, as in the database).
    Justification.objects.filter(institution=igm).update(text="Otro texto, escrito después de la aprobación.")
    assert APIClient().get(reverse("api:report", args=[snapshot.sha256])).json()["justifications"] == frozen

    package = PdfReader(BytesIO(served(snapshot, DocumentKind.PACKAGE).read()))
    pages = [" ".join(page.extract_text().split()) for page in package.pages]
    start = next(index for index, text in enumerate(pages) if text.startswith("Justificación de desviaciones"))
    annex = " ".join(pages[start:])
    december = Evidence.objects.get(institution=igm, original_name="informe-compras-diciembre-2024.pdf")
    assert [row["filename"] for row in json.loads(snapshot.content)["evidence"]] == [
        "sicoin-prorrogas-septiembre-2024.pdf", december.original_name,
    ]  # fmt: skip
    assert start > 2 and pages[-1].endswith(december.sha256)  # the demo's medios de verificación close the annex
    assert "Medios de verificación" in annex
    assert "OFICIO-IGM-DG-003-" in pages[start]
    assert annex.count("Planificadora de la UPE") == 8
    assert "Prorroga de Documentos Migratorios Gasto con meta financiera de 0.00" in annex
    assert "El gasto de las prórrogas se registró en este subproducto" in annex

    sheet = load_workbook(BytesIO(served(snapshot, DocumentKind.XLSX).read()))["Justificación de desviaciones"]
    rows = list(sheet.iter_rows(values_only=True))  # seven columns: the medios de verificación's
    assert rows[0] == ("Producto", "Subproducto", "Tipo", "Alerta", "Justificación", "Escrita por", None)
    assert (*ZERO_GOAL[:2], "Gasto con meta financiera de 0.00", zero_goal["messages"][0], zero_goal["text"],
            "Planificadora de la UPE", None) in rows  # fmt: skip
    assert rows[9] == (None,) * 7 and rows[10][0] == "Medios de verificación"
    assert rows[13][4:] == ("informe-compras-diciembre-2024.pdf", december.size, december.sha256)
    assert len(rows) == 14

    client.force_login(demo_user("director"))
    page = client.get(reverse("approvals:report_status", args=["IGM", 2024, 3])).content.decode()
    assert "El gasto de las prórrogas se registró" in page


def test_readers_and_other_institutions_sharing_every_name_do_not_see_them(igm, client):
    other = Institution.objects.create(code="OTRA", name=igm.name, acronym="OTRA")
    planner = RoleUserFactory(institution=other, role="Planificador", username="plan-otra")
    client.force_login(planner)
    assert client.get(page_url()).status_code == 404
    assert client.post(page_url(), fields_of(deviation(igm, ZERO_GOAL), "Intruso")).status_code == 404
    client.force_login(demo_user("lector"))
    assert client.get(page_url()).status_code == 404
    report_page = client.get(reverse("reports:report", args=["IGM", 2024, 3])).content.decode()
    assert "El gasto de las prórrogas" not in report_page
    assert Justification.objects.filter(text="Intruso").count() == 0


@pytest.mark.django_db
def test_a_justification_cannot_change_behind_a_submitted_report_even_from_the_shell():
    institution = institution_with_plan("IGM")
    justification = JustificationFactory(institution=institution, cuatrimestre=1)
    submitted_report(institution=institution, cuatrimestre=1)
    justification.text = "Otra explicación, escrita después del envío."
    with pytest.raises(ValidationError, match="En revisión"), transaction.atomic():
        justification.save()
    with pytest.raises(ValidationError, match="En revisión"), transaction.atomic():
        justification.delete()
    assert Justification.objects.get(pk=justification.pk).text == "Se explica la desviación."
    JustificationFactory(institution=institution, cuatrimestre=2, text="El segundo cuatrimestre sigue abierto.")
