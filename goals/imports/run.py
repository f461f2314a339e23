"""Loading the plan, reprogrammings and execution from spreadsheets: every row checked first, then all or nothing.

A file is read into rows (CSV UTF-8 or the first sheet of an XLSX), each row is parsed and checked
against the database in memory, and only a file without a single error is written, in one
transaction and in bulk. Errors name the row as the user sees it (the header is row 1), the column
and the reason. Rows are matched by institution, year, product, subproduct (and month or document),
so importing the same file twice changes nothing.
"""

from django.db import transaction

from goals.imports.execution import ExecutionImporter
from goals.imports.plan import PlanImporter
from goals.imports.reader import Rejected
from goals.imports.reprogramming import ReprogrammingImporter
from goals.imports.rows import ImportResult, read_rows

IMPORTERS = {"plan": PlanImporter, "reprogramacion": ReprogrammingImporter, "ejecucion": ExecutionImporter}


def import_file(kind, file, name, *, user=None, dry_run=False, approve=None):
    """Validate the whole file, then write it all (or, with `dry_run`, count what would change and write nothing).

    `user` limits the rows to their institution and signs the changes; None is the command line, where
    reprogrammings are recorded as approved. Returns an ImportResult; its `errors` list is empty when it worked.
    """
    try:
        rows, errors = read_rows(kind, file, name)
    except Rejected as rejected:
        return ImportResult(errors=rejected.errors)
    importer = IMPORTERS[kind](rows, errors, user, user is None if approve is None else approve)
    with transaction.atomic():
        importer.check()
        if not (errors or dry_run):
            importer.hold()
        if errors:
            return ImportResult(errors=sorted(errors, key=lambda error: (error.row, error.column)))
        if dry_run:
            importer.result.preview = importer.preview()
        importer.write()
        if dry_run:
            transaction.set_rollback(True)
    return importer.result
