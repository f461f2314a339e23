"""Each institution's version of its figures, and the cache of what is computed from them.

A page of figures (the draft report, the dashboard's progress, the consolidated view of one institution) computes
them from rows that change rarely. `cached_figures` computes them once per version of the institution's data: every
write of a row such a page reads bumps the institution's `FiguresVersion` in the transaction that writes, through
one of two paths that cannot both be forgotten:

- the model signals: every model a page of figures reads is `register`ed here with the path from it to its
  institution (goals' own below, approvals' from its AppConfig.ready()), and its post_save and post_delete bump;
- the bulk writers that send no signals (goals.writes: BulkUpserter, the monthly figures' bulk and COPY paths)
  call `bump_records` or `bump` themselves.

A test walks every concrete model of goals and approvals and requires each to be registered here or declared
`not_read` (tests/goals/test_figures_version.py).
"""

import time
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, Model, QuerySet
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

from .models import FiguresVersion, Institution
from .signals import removes_institution

# The path of a model registered as read by every institution's pages (a setting of the whole year, say).
EVERY_INSTITUTION = "*"

# A reader who finds another computing the entry it misses looks for it every COMPUTING_POLL_SECONDS, for at most
# COMPUTING_WAIT_SECONDS (a draft at ten times the seed is computed in a tenth of a second on an idle core).
COMPUTING_WAIT_SECONDS = 2
COMPUTING_POLL_SECONDS = 0.02

_paths: dict[type[Model], str] = {}
_not_read: set[type[Model]] = set()


def register(model: type[Model], path: str) -> None:
    """Bump the version of the institution of every `model` record saved or deleted: `path` leads from the model to
    its institution ("institution", "product__result__institution"), EVERY_INSTITUTION bumps them all."""
    _paths[model] = path
    uid = f"figures-version-{model._meta.label}"
    post_save.connect(bump_saved, sender=model, dispatch_uid=uid)
    post_delete.connect(bump_deleted, sender=model, dispatch_uid=uid)


def not_read(*models: type[Model]) -> None:
    """Declare models that no page of figures reads, so that a change of theirs bumps nothing."""
    _not_read.update(models)


def registered() -> dict[type[Model], str]:
    return dict(_paths)


def declared_not_read() -> set[type[Model]]:
    return set(_not_read)


def figures_version(*, institution: Institution | int) -> int:
    """The institution's version of its figures: 0 before its first bump."""
    number = FiguresVersion.objects.filter(institution=institution).values_list("number", flat=True).first()
    return number or 0


def _upsert(source: str, params: Iterable[Any]) -> None:
    """Add one to the version of each institution id in `source` (VALUES, or a SELECT), creating the rows that are
    missing at 1, in one statement: INSERT … ON CONFLICT DO UPDATE is atomic on PostgreSQL (a concurrent writer of
    the same institution waits for the row, then adds its own one) and SQLite writes one transaction at a time."""
    table = connection.ops.quote_name(FiguresVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (institution_id, number) {source} "
            f"ON CONFLICT (institution_id) DO UPDATE SET number = {table}.number + 1",
            list(params),
        )


def bump(*, institution_ids: Iterable[int]) -> None:
    """Add one to the version of each institution, in the transaction of the write it follows."""
    ids = sorted(set(institution_ids) - {None})
    if ids:
        _upsert("VALUES " + ", ".join(["(%s, 1)"] * len(ids)), ids)


def _institutions_of(model: type[Model], records: Iterable[Model]) -> QuerySet[Any] | set[int]:
    """The institution ids of `records`: their first foreign key is read in memory (it survives their deletion),
    the rest of the path in the database, as a subquery of one column, `chosen`."""
    path = _paths[model]
    if path == EVERY_INSTITUTION:
        return Institution.objects.values(chosen=F("pk"))
    first, _, rest = path.partition("__")
    field: Any = model._meta.get_field(first)
    keys = {getattr(record, field.attname) for record in records}
    if not rest:
        return keys
    return field.related_model._base_manager.filter(pk__in=keys).values(chosen=F(rest))


def bump_records(model: type[Model], records: Iterable[Model]) -> None:
    """Bump the institutions of `records` of a registered model (saved, deleted or written in bulk): one statement."""
    chosen = _institutions_of(model, list(records))
    if isinstance(chosen, set):
        bump(institution_ids=chosen)
    else:
        sql, params = chosen.order_by().query.sql_with_params()
        _upsert(f"SELECT DISTINCT chosen, 1 FROM ({sql}) AS chosen_rows WHERE chosen IS NOT NULL", params)


def bump_saved(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    bump_records(sender, [instance])


def bump_deleted(sender: type[Model], instance: Model, origin: Any = None, **kwargs: Any) -> None:
    """A record deleted with its whole institution bumps nothing: the version goes with the institution."""
    if not removes_institution(origin):
        bump_records(sender, [instance])


# Part of every key: raised whenever what a page caches changes shape, so that a release never reads an entry an
# earlier one left in a shared cache (2: report items carry their product's id, the draft page's body is cached).
CACHED_FORMAT = 2


def cached_figures(*, institution: Institution, parts: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
    """compute(), or what it returned for the same institution, version of its figures, language and `parts`.

    The version is read FIRST, then the cache, then (on a miss) the data compute() reads: the entry stored under
    version v was computed from data read after v was current, so it is at least as new as v, and a reader who sees
    v gets it; a write committed meanwhile moved the version on, and later readers look under the new one. The entry
    is stored once the reading transaction commits (at once outside a transaction): figures computed inside a
    transaction that wrote, and then rolled back, are never stored. Keep out of the computation whatever depends on
    today, or pass it in `parts`. Never for a document (an approval's snapshot, its files): those compute afresh.

    Outside a transaction, one reader of a missing entry computes it while the others wait for it (up to
    COMPUTING_WAIT_SECONDS, then compute it themselves): ten people opening a draft just written would otherwise
    compute it ten times at once, each slowed by the nine others.
    """
    version = figures_version(institution=institution)
    key = ":".join(str(part) for part in ("figures", CACHED_FORMAT, institution.pk, version, get_language(), *parts))
    found = cache.get(key)
    if (
        found is None
        and not connection.in_atomic_block
        and not cache.add(f"{key}:computing", True, COMPUTING_WAIT_SECONDS)
    ):
        found = awaited(key)
    if found is not None:
        return found
    value = compute()
    transaction.on_commit(partial(cache.set, key, value, settings.SIPLAN_FIGURES_CACHE_SECONDS))
    return value


def awaited(key: str) -> Any:
    """The entry another reader is computing, once stored; None if it is not within COMPUTING_WAIT_SECONDS."""
    deadline = time.monotonic() + COMPUTING_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(COMPUTING_POLL_SECONDS)
        found = cache.get(key)
        if found is not None:
            return found
    return None


def connect() -> None:
    """goals' own models: the plan, its reprogrammings, execution and programme, the medios de verificación."""
    from .models import (
        Evidence,
        Product,
        ProductExecution,
        ProductProgramme,
        Reprogramming,
        ReprogrammingLine,
        Result,
        Subproduct,
        SubproductExecution,
        SubproductProgramme,
    )

    paths = {
        Institution: "id",
        Result: "institution",
        Product: "result__institution",
        Subproduct: "product__result__institution",
        Reprogramming: "institution",
        ReprogrammingLine: "reprogramming__institution",
        ProductExecution: "product__result__institution",
        SubproductExecution: "subproduct__product__result__institution",
        ProductProgramme: "product__result__institution",
        SubproductProgramme: "subproduct__product__result__institution",
        Evidence: "institution",
    }
    for model, path in paths.items():
        register(model, path)
    # The version itself, and the history rows, which the Bitácora reads and no page of figures does.
    not_read(FiguresVersion, *(model.history.model for model in paths if hasattr(model, "history")))
