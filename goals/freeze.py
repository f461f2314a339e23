"""The freeze that every writer of goals data respects, asked here and answered by the workflow above.

goals does not know why data is frozen (a report in review or approved, an entry window closed): the
workflow app registers a guard in its AppConfig.ready() (approvals.locks) and every writer in goals
(imports, entry and programme pages, the admin) asks through these functions. With no guard registered,
nothing is frozen. Writers take `lock_institutions` first, in the transaction that writes.
"""

from collections.abc import Iterable
from datetime import date
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.db.models import Model

from goals.models import Institution


class WriteGuard(Protocol):
    def ensure_writable(
        self,
        *,
        institution: Institution | int,
        year: int,
        months: Iterable[int] = (),
        plan: bool = False,
        dates: Iterable[date] = (),
        user: Any = None,
        programme: bool = False,
    ) -> None: ...

    def ensure_instance_writable(self, instance: Model, user: Any = None, lock: bool = False) -> None: ...


_guards: list[WriteGuard] = []


def register(guard: WriteGuard) -> None:
    """Called once per guard from an AppConfig.ready(); registering the same guard twice is a no-op."""
    if guard not in _guards:
        _guards.append(guard)


def lock_institutions(*institutions: Institution | int) -> None:
    """Hold the institutions' write lock until the transaction ends: their rows, locked in id order so that two
    writers cannot deadlock. Every write of plan, programme, reprogramming or execution data and every step of a
    report's path takes it before checking the freeze; a no-op on SQLite, which writes one transaction at a time."""
    ids = sorted(
        {institution.pk if isinstance(institution, Institution) else institution for institution in institutions}
    )
    list(Institution.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))


def ensure_writable(
    *,
    institution: Institution | int,
    year: int,
    months: Iterable[int] = (),
    plan: bool = False,
    dates: Iterable[date] = (),
    user: Any = None,
    programme: bool = False,
) -> None:
    """Refuse, with a ValidationError naming why, a write of `year`'s plan, `months` (execution, or programme
    with `programme`) or reprogramming `dates` that a registered guard freezes."""
    for guard in _guards:
        guard.ensure_writable(
            institution=institution, year=year, months=months, plan=plan, dates=dates, user=user, programme=programme
        )


def ensure_instance_writable(instance: Model, user: Any = None, lock: bool = False) -> None:
    """Refuse saving or deleting a record that a registered guard freezes (with `lock`, take the lock first)."""
    for guard in _guards:
        guard.ensure_instance_writable(instance, user=user, lock=lock)


def is_frozen(instance: Model) -> bool:
    try:
        ensure_instance_writable(instance)
    except ValidationError:
        return True
    return False
