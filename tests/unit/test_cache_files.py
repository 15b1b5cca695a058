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


def test_an_edit_adds_its_records_beside_the_full_file_until_they_pass_a_tenth(tmp_path: Path, monkeypatch) -> None:
    """A one-entry edit writes one record, not all of them; the full file is written again once the additions and
    the records no longer used pass a tenth of the whole (or ADDED_MIN)."""
    monkeypatch.setattr(store, "ADDED_MIN", 4)
    path = tmp_path / store.RECORDS_NAME
    added = tmp_path / store.ADDED_NAME
    reading = {f"r{i}": f"record {i}" for i in range(30)}
    store._save_records(path, reading, None)  # the first reading: the full file
    assert store._read_store(path, dict) == reading and not added.exists()
    full = path.read_bytes()
    for edit in range(2):  # an entry edited: its new record in, its old one no longer used
        base = store._read_store(path, dict)
        before = store._with_added(path, base)
        reading = {**{k: v for k, v in reading.items() if k != f"r{edit}"}, f"e{edit}": f"edited {edit}"}
        assert {k: before[k] for k in reading if k in before} == {k: v for k, v in reading.items() if k in before}
        store._save_records(path, reading, base)
        assert path.read_bytes() == full  # the full file untouched
        assert store._read_store(added, dict) == {f"e{i}": f"edited {i}" for i in range(edit + 1)}
        assert {k: v for k, v in store._with_added(path, base).items() if k in reading} == reading
    # a third edit: 3 added + 3 unused > max(4, 30 // 10): the full file again, the additions gone
    base = store._read_store(path, dict)
    reading = {**{k: v for k, v in reading.items() if k != "r2"}, "e2": "edited 2"}
    store._save_records(path, reading, base)
    assert store._read_store(path, dict) == reading and not added.exists()


def _item(i: int, text: str) -> store.Item:
    from cvsphinx.core.links import Extras
    from cvsphinx.sphinxext.render import Rendered

    return store.Item(f"pub-k{i}", f"k{i}", Rendered(f"<em>{text}</em>", text, text), f"refs.bib:{i}",
                      Extras((("DOI", "https://doi.org/10.1/x"),), "", f"@misc{{k{i},}}"), 2000 + i, f"d{i}", f"r{i}")


def test_the_lists_go_through_in_pieces_and_come_back_whole(tmp_path: Path, small_pieces) -> None:
    """The store's items are written a few at a time (the pickler's memory of 51,265 items was 77 MB), each
    group's in order, and a group without items stays."""
    groups = {"articles": [_item(i, f"Über {i} – ok") for i in range(5)], "talks": [_item(9, "plain")],
              "empty": []}
    made = store.Store(("sig",), "cfg", groups, {"articles": 1, "talks": 6, "empty": 0})
    path = tmp_path / "cvsphinx.pickle"
    store._write_store(path, made)
    back = store._read_store(path)
    assert back == made
    assert [[item.key for item in items] for items in back.groups.values()] == [[f"k{i}" for i in range(5)],
                                                                                 ["k9"], []]
    assert back.groups["articles"][1].rendered.html == "<em>Über 1 – ok</em>"
    assert path.read_bytes().count(b"\x80\x05") >= 6  # the head, 3 + 1 pieces of items, the end


def test_the_exports_facts_go_through_in_pieces_and_come_back_whole(tmp_path: Path, monkeypatch) -> None:
    from types import SimpleNamespace

    from cvsphinx.output.formats import Pub
    from cvsphinx.sphinxext import exports

    monkeypatch.setattr(store, "CHUNK", 2)  # dump_groups, which the facts are written with
    pubs = [Pub.made(f"k{i}", "articles", i + 1, f"pub-k{i}", 2000 + i, True, ((1, "owner", "Liu, L."),),
                     {"id": f"k{i}", "type": "article-journal", "title": f"Ökologie {i}"}, f"@article{{k{i},}}")
            for i in range(5)]
    built = exports.Facts(("key",), {"articles": pubs, "talks": []}, {"articles": "Articles", "talks": "Talks"}, {})
    env = SimpleNamespace(doctreedir=str(tmp_path))
    exports.save(env, built)
    back = exports._read(tmp_path / "cvsphinx-exports.pickle")
    assert back == built
    assert back.groups["articles"][2].csl["title"] == "Ökologie 2"
