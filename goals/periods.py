"""The calendar of the plan: months, their names and the three cuatrimestres (four months each)."""

import calendar
import datetime

from django.utils.dates import MONTHS


def month_name(month: int) -> str:
    """The month's name in the language of the page, lazily: "septiembre" (Django's own Spanish), "September"."""
    return MONTHS[month]


CUATRIMESTRES: tuple[int, ...] = (1, 2, 3)
MONTHS_PER_CUATRIMESTRE = 4


def cuatrimestre_months(cuatrimestre: int) -> list[int]:
    """1 → [1, 2, 3, 4], 2 → [5, 6, 7, 8], 3 → [9, 10, 11, 12]."""
    if cuatrimestre not in CUATRIMESTRES:
        raise ValueError(f"cuatrimestre must be 1, 2 or 3, not {cuatrimestre!r}")
    first = (cuatrimestre - 1) * MONTHS_PER_CUATRIMESTRE + 1
    return list(range(first, first + MONTHS_PER_CUATRIMESTRE))


def cuatrimestre_of_month(month: int) -> int:
    return (month - 1) // MONTHS_PER_CUATRIMESTRE + 1


def month_last_day(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def cuatrimestre_last_day(year: int, cuatrimestre: int) -> datetime.date:
    return month_last_day(year, cuatrimestre_months(cuatrimestre)[-1])
