"""Work that follows an approval, run by the queue (django-tasks) once the approval has committed."""

from django_tasks import task

from .documents import documents_of
from .models import ReportSnapshot


@task()
def make_documents(snapshot_id):
    """Make and store an approval's documents (the report PDF and Excel, the oficio, the package), once."""
    documents_of(ReportSnapshot.objects.select_related("report__institution").get(pk=snapshot_id))
