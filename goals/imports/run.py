"""Loading the plan, reprogrammings and execution from spreadsheets: every row checked first, then all or nothing.

A file is read into rows (CSV UTF-8 or the first sheet of an XLSX), each row is parsed and checked
against the database in memory, and only a file without a single error is written, in one
transaction and in bulk. Errors name the row as the user sees it (the header is row 1), the column
and the reason. Rows are matched by institution, year, product, subproduct (and month or document),
so importing the same file twice changes nothing.
"""

import gc
from contextlib import contextmanager

from django.db import transaction

from goals.imports.reader import Rejected
from goals.imports.registry import template
from goals.imports.rows import ImportResult, read_rows


def import_file(kind, file, name, *, user=None, dry_run=False, approve=None, progress=None):
    """Validate the whole file, then write it all (or, with `dry_run`, write it in a transaction rolled back, to
    count and show what would change: ImportResult.preview).

    `user` limits the rows to their institution and signs the changes; None is the command line, where
    reprogrammings are recorded as approved. `progress()`, if given, is called once the file is read, once every
    row is checked and once all is written (goals.imports.background.STAGES). Returns an ImportResult; its
    `errors` list is empty when it worked.
    """
    progress = progress or (lambda: None)
    with cycle_collection_paused():
        try:
            rows, errors = read_rows(kind, file, name)
        except Rejected as rejected:
            return ImportResult(errors=rejected.errors)
        progress()
        approve = user is None if approve is None else approve
        importer = template(kind).importer(rows, errors, user, approve, previewing=dry_run)
        if dry_run:
            # Checked before the transaction its writes are rolled back in, which would take the progress with them.
            importer.check()
            if errors:
                return refused(errors)
            progress()
            with transaction.atomic():
                importer.write()
                importer.result.preview = importer.preview
                transaction.set_rollback(True)
        else:
            with transaction.atomic():
                importer.check()
                if not errors:
                    importer.hold()
                if errors:
                    return refused(errors)
                progress()
                importer.write()
        progress()
        return importer.result


def refused(errors):
    return ImportResult(errors=sorted(errors, key=lambda error: (error.row, error.column)))


@contextmanager
def cycle_collection_paused():
    """Pause Python's cyclic garbage collector while a file is read, checked and written. It runs every few hundred
    objects created and, every so often, walks every object alive, the tens of thousands of rows an import keeps:
    a third of the time of reading and checking a large file. Cycles made meanwhile are collected after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
