"""The build's cache files are written and read as streams: never held whole in memory, checked before loaded.

An institute's list (51,265 entries) held its 130 MB of pickles in memory twice over while writing them, and
the pickler's memory of every object of the records another 190 MB; the records are now written in pieces.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import pytest
from cvsphinx.core.files import open_atomic
from cvsphinx.sphinxext import store


@pytest.fixture
def small_pieces(monkeypatch) -> None:
    monkeypatch.setattr(store, "CHUNK", 2)


def test_a_mapping_goes_through_in_pieces_and_comes_back_whole(tmp_path: Path, small_pieces) -> None:
    path = tmp_path / "records.pickle"
    shared = ["a list that two values hold"]
    mapping = {f"k{i}": {"n": i, "shared": shared} for i in range(7)}  # 4 pieces of 2, 2, 2 and 1
    store._write_store(path, mapping)
    back = store._read_store(path, dict)
    assert back == mapping and list(back) == list(mapping)
    data = path.read_bytes()
    _, _, rest = data.partition(b"\n")
    assert hashlib.sha256(rest[64:]).hexdigest().encode() == rest[:64]  # the checksum went into its place
    assert rest[64:].count(b"\x80\x05") >= 5  # each piece a pickle of its own, then the end


def test_a_file_cut_between_pieces_is_called_truncated(tmp_path: Path, small_pieces, caplog) -> None:
    path = tmp_path / "records.pickle"
    store._write_store(path, {f"k{i}": i for i in range(9)})
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with caplog.at_level(logging.WARNING):
        assert store._read_store(path, dict) is None
    assert "truncated or corrupted" in caplog.text


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(tmp_path: Path) -> None:
    path = tmp_path / "cache.pickle"
    path.write_bytes(b"old")
    with pytest.raises(RuntimeError), open_atomic(path) as handle:
        handle.write(b"half of it")
        raise RuntimeError("the pickler failed")
    assert path.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [path]
