"""Work done in a forked process (``core/forks.py``): what it yields comes back in order, and so do its errors."""

from __future__ import annotations

import os
import signal

import pytest
from cvsphinx.core import forks

pytestmark = pytest.mark.skipif(not forks.can_fork(), reason="processes cannot be forked here")


def test_what_the_child_yields_comes_back_in_order() -> None:
    parent = os.getpid()

    def produce():
        yield os.getpid() != parent  # made in another process
        yield from ({"n": i, "text": "Ü" * i} for i in range(5))

    got = list(forks.in_child(produce))
    assert got[0] is True
    assert got[1:] == [{"n": i, "text": "Ü" * i} for i in range(5)]


def test_an_error_in_the_child_is_raised_here_with_its_traceback() -> None:
    def produce():
        yield 1
        raise ValueError("entry 'k' cannot be read")

    stream = forks.in_child(produce)
    assert next(stream) == 1
    with pytest.raises(ValueError, match="entry 'k' cannot be read") as caught:
        next(stream)
    assert any("in the process that read the bibliography" in note and "produce" in note
               for note in caught.value.__notes__)


def test_a_child_that_dies_without_a_word_is_an_error() -> None:
    def produce():
        yield "started"
        os.kill(os.getpid(), signal.SIGKILL)
        yield "never"

    stream = forks.in_child(produce)
    assert next(stream) == "started"
    with pytest.raises(RuntimeError, match=r"ended early \(signal 9\)"):
        next(stream)


def test_parts_come_pickled_for_a_process_that_passes_them_on(monkeypatch) -> None:
    import pickle

    monkeypatch.setattr(forks.os, "cpu_count", lambda: 2)
    for least in (1, 10**9):  # by forked workers, and by this process alone
        parts = list(forks.parts_in_forks(lambda x: x * x, range(1000), minimum=least, pickled=True))
        assert all(isinstance(part, bytes) for part in parts)
        assert [n for part in parts for n in pickle.loads(part)] == [x * x for x in range(1000)]


@pytest.mark.parametrize("least", [1, 10**9])  # by forked workers, and by this process alone
def test_forked_is_called_once_either_way(monkeypatch, least: int) -> None:
    monkeypatch.setattr(forks.os, "cpu_count", lambda: 2)
    calls = []
    assert forks.map_in_forks(str, range(500), minimum=least, forked=lambda: calls.append(1)) == [
        str(x) for x in range(500)]
    assert calls == [1]


@pytest.mark.parametrize("with_forked", [False, True])
def test_no_processes_to_be_had_means_one_process_does_it_all(monkeypatch, with_forked: bool) -> None:
    import multiprocessing

    class NoPool:
        def Pool(self, workers):  # noqa: N802 - multiprocessing's name
            raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr(forks.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(multiprocessing, "get_context", lambda method: NoPool())
    calls = []
    done = forks.map_in_forks(str, range(500), minimum=1, forked=(lambda: calls.append(1)) if with_forked else None)
    assert done == [str(x) for x in range(500)]
    assert calls == ([1] if with_forked else [])
