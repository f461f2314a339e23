"""The PDF of a large draft, prepared by the queue's worker while the browser shows its progress.

approvals knows no queue: the jobs app registers a runner here from its AppConfig.ready() (jobs.drafts). The report
page offers the background PDF for a draft of BACKGROUND_ROWS rows or more; `GET …/2024/3.pdf` still renders any
draft at once (the command line and scripts rely on it).
"""

from collections.abc import Callable

from goals.models import Institution
from reports.computation import Report

# Products and subproducts from which a draft's PDF is prepared in the background: thirty times the seed's 17. On the
# 2-core development machine, loaded, Typst took 0.4 s of CPU (1.4 s wall) for 170 rows and 1.9 s (5 s) for 1,020.
BACKGROUND_ROWS = 500

_runners: list[Callable[..., str]] = []


def register(runner: Callable[..., str]) -> None:
    """`runner(*, user, institution, year, cuatrimestre)` queues the draft's PDF and returns the URL that follows
    it; registering the same runner twice is a no-op."""
    if runner not in _runners:
        _runners.append(runner)


def in_background(report: Report) -> bool:
    """Whether this draft's PDF is prepared by the worker (a queue is registered and the report is large)."""
    return bool(_runners) and report.item_count >= BACKGROUND_ROWS


def start(*, user, institution: Institution, year: int, cuatrimestre: int) -> str:
    return _runners[0](user=user, institution=institution, year=year, cuatrimestre=cuatrimestre)
