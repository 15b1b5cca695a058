"""One forked process per core for an institute's list: the same results, in order, as one process gives.

The workers are forked, so they share the parent's records instead of receiving copies; only their results
travel back.  Below ``PARALLEL_MIN`` items, or where processes cannot be forked, one process does it all.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from .lifetime import frozen_for_fork

T = TypeVar("T")
R = TypeVar("R")

# Below this many items, one process is quicker than starting others.
PARALLEL_MIN = 1500
_JOB: tuple[Callable[[Any], Any], Sequence[Any]] | None = None  # what the forked workers work on


def _slice(bounds: tuple[int, int]) -> list[Any]:
    assert _JOB is not None
    func, items = _JOB
    return [func(items[i]) for i in range(*bounds)]


def map_in_forks(func: Callable[[T], R], items: Sequence[T], minimum: int | None = None) -> list[R]:
    """``[func(item) for item in items]``, by forked workers when there are many items."""
    import multiprocessing

    workers = min(os.cpu_count() or 1, 4)
    least = PARALLEL_MIN if minimum is None else minimum
    if len(items) < least or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [func(item) for item in items]
    global _JOB
    _JOB = (func, items)
    size = max(200, len(items) // (workers * 8))
    slices = [(start, min(start + size, len(items))) for start in range(0, len(items), size)]
    try:
        with frozen_for_fork(), multiprocessing.get_context("fork").Pool(workers) as pool:
            return [result for part in pool.imap(_slice, slices) for result in part]
    except OSError:  # no processes to be had: one is enough
        return [func(item) for item in items]
    finally:
        _JOB = None
