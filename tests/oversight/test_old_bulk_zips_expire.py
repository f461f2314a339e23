"""The bulk zip of approved packages is deleted once older than the limit (jobs.outputs); the approved documents it
copied stay in storage byte for byte, and the job's page offers to build the zip again."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from approvals.documents import served
from approvals.models import DocumentKind, ReportSnapshot
from jobs.models import Job
from jobs.outputs import expire_outputs

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_bulk_zip_expires_and_the_approved_documents_stay(
    client, segeplan_reader, two_approved, django_capture_on_commit_callbacks
):
    snapshots = ReportSnapshot.objects.filter(superseded_at__isnull=True)
    kept = {
        (snapshot.pk, kind): served(snapshot, kind).read() for snapshot in snapshots for kind in DocumentKind.values
    }
    client.force_login(segeplan_reader)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("oversight:bulk_start"), {"anio": 2024, "cuatrimestre": 3})
    job = Job.objects.get(kind="paquetes")
    download = job.result_url
    assert job.output == f"descargas/{job.pk}/siplan-2024-C3-aprobados.zip" and default_storage.exists(job.output)

    assert expire_outputs(older_than_days=0) == [job.output]

    assert not default_storage.exists(job.output)
    page = client.get(reverse("jobs:job", args=[job.pk])).content.decode()
    assert "El archivo de este trabajo caducó" in page
    again = f"{reverse('oversight:follow_up')}?anio=2024&amp;cuatrimestre=3"
    assert f'<a href="{again}">Prepararlo de nuevo</a>' in page
    rebuild = client.get(Job.objects.get(pk=job.pk).again_url).content.decode()
    assert f'action="{reverse("oversight:bulk_start")}"' in rebuild
    assert client.get(download)["Location"] == reverse("jobs:job", args=[job.pk])
    assert len(kept) == 2 * 3 * len(DocumentKind.values)  # two institutions, three approved cuatrimestres
    assert {key: served(ReportSnapshot.objects.get(pk=key[0]), key[1]).read() for key in kept} == kept
