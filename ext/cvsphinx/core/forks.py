"""One forked process per core for an institute's list: the same results, in order, as one process gives.

The workers are forked, so they share the parent's records instead of receiving copies; only their results
travel back.  Below ``PARALLEL_MIN`` items, or where processes cannot be forked, one process does it all.

``in_child`` runs a whole piece of work in a forked process and hands back only what it yields: an institute's
list is read there, so the records' memory, which Python keeps in pieces once they are freed, never enters
the build's own process.
"""

from __future__ import annotations

import os
import pickle
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
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


def _slice_pickled(bounds: tuple[int, int]) -> bytes:
    return pickle.dumps(_slice(bounds), pickle.HIGHEST_PROTOCOL)


def can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def map_in_forks(func: Callable[[T], R], items: Sequence[T], minimum: int | None = None,
                 forked: Callable[[], None] | None = None) -> list[R]:
    """``[func(item) for item in items]``, by forked workers when there are many items.

    ``forked`` is called once this process no longer needs what only ``func`` reads: as soon as the workers
    have their copy, or when one process has done it all."""
    return [result for part in parts_in_forks(func, items, minimum, forked) for result in part]


def parts_in_forks(func: Callable[[T], R], items: Sequence[T], minimum: int | None = None,
                   forked: Callable[[], None] | None = None, pickled: bool = False) -> Iterator[Any]:
    """``map_in_forks``'s results, a part at a time as the workers send them; ``pickled``: each part as the
    worker pickled it, for a process that only passes them on (``in_child``) and need not unpickle them."""
    import multiprocessing

    workers = min(os.cpu_count() or 1, 4)
    least = PARALLEL_MIN if minimum is None else minimum
    if len(items) < least or workers < 2 or not can_fork():
        yield from _serial(func, items, forked, pickled)
        return
    global _JOB
    _JOB = (func, items)
    size = max(200, len(items) // (workers * 8))
    slices = [(start, min(start + size, len(items))) for start in range(0, len(items), size)]
    released = False  # ``forked`` was called: the items may be gone from this process
    try:
        with frozen_for_fork(), multiprocessing.get_context("fork").Pool(workers) as pool:
            _JOB = None
            if forked is not None:
                forked()
                released = True
            yield from pool.imap(_slice_pickled if pickled else _slice, slices)
    except OSError:  # no processes to be had: one is enough, while the items are still here
        if released:
            raise
        yield from _serial(func, items, forked, pickled)
    finally:
        _JOB = None


def _serial(func: Callable[[T], R], items: Sequence[T], forked: Callable[[], None] | None,
            pickled: bool) -> Iterator[Any]:
    done = [func(item) for item in items]
    if forked is not None:
        forked()
    yield pickle.dumps(done, pickle.HIGHEST_PROTOCOL) if pickled else done


def in_child(produce: Callable[[], Iterable[Any]]) -> Iterator[Any]:
    """What ``produce()`` yields, made in a forked process and sent back through a pipe, in order.

    An error there is raised here, with the child's traceback as a note; a child that ends without a word (killed)
    is an error too.  Only where processes can be forked (``can_fork``)."""
    for stream in (sys.stdout, sys.stderr):
        stream.flush()  # what this process has not written yet is not written twice
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child; its work is tested through what it sends
        os.close(read_end)
        _child(produce, write_end)
    os.close(write_end)
    finished = False
    try:
        with os.fdopen(read_end, "rb") as source:
            while True:
                try:
                    kind, value = pickle.load(source)
                except EOFError:
                    break
                if kind == "error":
                    err, where = value
                    err.add_note(where)
                    raise err
                if kind == "done":
                    finished = True
                    break
                yield value
    finally:
        _, status = os.waitpid(pid, 0)
    if not finished:
        raise RuntimeError(f"the process reading the bibliography ended early ({_status(status)})")


def _child(produce: Callable[[], Iterable[Any]], write_end: int) -> None:  # pragma: no cover - runs in the child
    code = 0
    try:
        with os.fdopen(write_end, "wb") as out:
            try:
                for value in produce():
                    pickle.dump(("value", value), out, pickle.HIGHEST_PROTOCOL)
                    out.flush()  # the parent works on each as it comes
                pickle.dump(("done", None), out, pickle.HIGHEST_PROTOCOL)
            except BaseException as err:  # said in the parent, which raises it
                code = 1
                where = "in the process that read the bibliography:\n" + traceback.format_exc()
                try:
                    pickle.dump(("error", (err, where)), out, pickle.HIGHEST_PROTOCOL)
                except Exception:  # an error that cannot be pickled: its text
                    pickle.dump(("error", (RuntimeError(f"{type(err).__name__}: {err}"), where)), out,
                                pickle.HIGHEST_PROTOCOL)
    except BaseException:
        code = 1
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                code = code or 1
        os._exit(code)  # no clean-up walk over the records: the system takes the memory back whole


def _status(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"
