"""Which months and goals of an institution's year a user may read, asked here and answered with the workflow above.

Whoever reads drafts (goals.roles.can_read_drafts: the institution's planners and director) reads every month
and today's goals. Everyone else who may read the institution (its readers, oversight staff) reads the months of
the cuatrimestres whose report is approved, and the goals as those reports print them: as of the last day of the
latest approved cuatrimestre. goals does not know which reports are approved: the workflow app registers the
answer in its AppConfig.ready() (approvals.reading.approved_cuatrimestres). With none registered, no
cuatrimestre is approved and only who reads drafts reads anything.
"""

import datetime
from typing import Protocol

from goals.access import AnyUser
from goals.models import Institution
from goals.periods import cuatrimestre_last_day, cuatrimestre_months
from goals.roles import can_read, can_read_drafts

ALL_MONTHS = frozenset(range(1, 13))


class ApprovedCuatrimestres(Protocol):
    def __call__(self, *, institution: Institution, year: int) -> set[int]: ...


_answers: list[ApprovedCuatrimestres] = []


def register(answer: ApprovedCuatrimestres) -> None:
    """Called once from an AppConfig.ready(): `answer(institution=, year=)` is the set of approved cuatrimestres."""
    if answer not in _answers:
        _answers.append(answer)


def approved_cuatrimestres(*, institution: Institution, year: int) -> set[int]:
    return {cuatrimestre for answer in _answers for cuatrimestre in answer(institution=institution, year=year)}


def readable_months(*, user: AnyUser, institution: Institution, year: int) -> frozenset[int]:
    """The months of the year whose figures (execution, programme) the user may read."""
    if can_read_drafts(user, institution):
        return ALL_MONTHS
    if not can_read(user, institution):
        return frozenset()
    return frozenset(
        month
        for cuatrimestre in approved_cuatrimestres(institution=institution, year=year)
        for month in cuatrimestre_months(cuatrimestre)
    )


def readable_goals_as_of(
    *, user: AnyUser, institution: Institution, year: int, as_of: datetime.date
) -> datetime.date | None:
    """The day whose goals the user may read when asking for `as_of`: `as_of` itself for who reads drafts; for
    the others no later than the last day of the latest approved cuatrimestre; None before any approval."""
    if can_read_drafts(user, institution):
        return as_of
    approved = approved_cuatrimestres(institution=institution, year=year) if can_read(user, institution) else set()
    if not approved:
        return None
    return min(as_of, cuatrimestre_last_day(year, max(approved)))
