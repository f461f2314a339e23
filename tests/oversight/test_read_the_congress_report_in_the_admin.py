"""The Congress report's versions and stored files in the admin: read whole by superusers and oversight staff who
read every institution, refused to an institution's staff and to a reader of only some institutions, and changed,
added or deleted by nobody (reopening, with its reason, is on the report's page)."""

import pytest
from django.urls import reverse

from goals.models import Institution
from oversight.models import CongressDocument, CongressReport
from tests.factories import RoleUserFactory, UserFactory
from tests.oversight.test_verify_a_congress_report_file import approve_congress_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(segeplan_reader, django_capture_on_commit_callbacks):
    return approve_congress_report(segeplan_reader, django_capture_on_commit_callbacks)


def admin_urls(report):
    document = report.documents.get(kind="pdf")
    return [
        reverse("admin:oversight_congressreport_changelist"),
        reverse("admin:oversight_congressreport_change", args=[report.pk]),
        reverse("admin:oversight_congressdocument_changelist"),
        reverse("admin:oversight_congressdocument_change", args=[document.pk]),
    ]


def staff_reader_of(institutions, username):
    user = UserFactory(username=username, institution=None, is_staff=True)
    user.readable_institutions.set(institutions)
    return user


@pytest.mark.parametrize("who", ["superuser", "oversight"])
def test_who_prepares_the_congress_report_reads_it_but_changes_nothing(client, approved, who):
    if who == "superuser":
        user = UserFactory(username="root", institution=None, is_staff=True, is_superuser=True)
    else:
        user = staff_reader_of(Institution.objects.all(), "segeplan-staff")
    client.force_login(user)
    pdf, sha256 = approved.documents.get(kind="pdf"), approved.sha256
    report_list, report_page, document_list, document_page = (client.get(url) for url in admin_urls(approved))
    assert [row.pk for row in report_list.context["cl"].result_list] == [approved.pk]
    assert approved.sha256 in report_page.content.decode() and 'name="_save"' not in report_page.content.decode()
    assert {row.pk for row in document_list.context["cl"].result_list} == set(
        approved.documents.values_list("pk", flat=True)
    )
    assert pdf.sha256 in document_page.content.decode() and 'name="_save"' not in document_page.content.decode()
    assert "oversight" in client.get(reverse("admin:index")).content.decode()

    change = reverse("admin:oversight_congressreport_change", args=[approved.pk])
    assert client.post(change, {"status": "borrador", "sha256": "0" * 64}).status_code == 403
    assert client.post(reverse("admin:oversight_congressreport_delete", args=[approved.pk])).status_code == 403
    assert client.get(reverse("admin:oversight_congressreport_add")).status_code == 403
    assert client.post(reverse("admin:oversight_congressdocument_delete", args=[pdf.pk])).status_code == 403
    deleted = client.post(
        reverse("admin:oversight_congressreport_changelist"),
        {"action": "delete_selected", "_selected_action": [approved.pk], "post": "yes"},
    )
    assert deleted.status_code in (200, 302, 403)
    approved.refresh_from_db()
    assert (approved.status, approved.sha256, approved.superseded_at) == ("aprobado", sha256, None)
    assert CongressReport.objects.count() == 1 and CongressDocument.objects.count() == 2


@pytest.mark.parametrize("who", ["Administrador", "Director", "partial-oversight"])
def test_an_institutions_staff_and_a_reader_of_some_institutions_are_refused(client, approved, two_approved, who):
    igm, twin = two_approved
    if who == "partial-oversight":
        user = staff_reader_of([igm, twin], "lector-parcial")  # not the third institution
    else:
        user = RoleUserFactory(institution=igm, role=who, is_staff=True)
    client.force_login(user)
    for url in admin_urls(approved):
        assert client.get(url).status_code == 403, url
    assert "oversight" not in client.get(reverse("admin:index")).content.decode()
    assert client.post(reverse("admin:oversight_congressreport_delete", args=[approved.pk])).status_code == 403
    assert CongressReport.objects.filter(pk=approved.pk, status="aprobado").exists()
