"""A reading that reuses the last one reads each unchanged entry from its text's digest, and gives exactly what a
reading from scratch gives: the same records, problems, lines and digests (core/bibfile.py's ``chunk``,
core/records.py's ``RecordCache``)."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from cvsphinx.core import bibfile
from cvsphinx.core.catalog import read_files
from cvsphinx.core.records import RecordCache

DATA = Path(__file__).parent.parent / "data"
TEXLIVE = Path("/usr/share/texlive/texmf-dist/bibtex/bib")
REAL = [
    DATA / "marshall-bibdesk-excerpt.bib",
    DATA / "lopezurrutia-wos-excerpt.bib",
    DATA / "calerovaldez-scopus-excerpt.bib",
    DATA / "liang-paperpile-conflict-excerpt.bib",
    DATA / "martinezbatlle-orcid-excerpt.bib",
    DATA / "glottolog-zurich-slice.bib",
    Path(__file__).parent.parent.parent / "refs.bib",
    TEXLIVE / "biblatex" / "biblatex" / "biblatex-examples.bib",
    TEXLIVE / "beebe" / "typeset.bib",
]


def _dump(records, problems) -> list[str]:
    """Everything a record holds (its related entries by key), and every problem, as text."""
    out = []
    for record in records:
        parts = {f.name: getattr(record, f.name) for f in dataclasses.fields(record) if f.name != "related"}
        parts["related"] = [r.key for r in record.related]
        parts["persons"] = {k: [str(p) for p in v] for k, v in record.persons.items()}
        parts["rich"] = {k: repr(v) for k, v in record.rich.items()}
        out.append(repr(sorted(parts.items())))
    return out + [repr(p) for p in problems]


def _read(path: Path, cache: RecordCache | None = None):
    records, problems = read_files([str(path)], cache=cache)
    return _dump(records, problems)


def _counting(monkeypatch) -> list[str]:
    parsed: list[str] = []
    real = bibfile._read_entry

    def counted(scanner, kind, pos, close, at, index):
        entry, end = real(scanner, kind, pos, close, at, index)
        parsed.append(entry.key)
        return entry, end

    monkeypatch.setattr(bibfile, "_read_entry", counted)
    return parsed


def _again(cache: RecordCache) -> RecordCache:
    return RecordCache(cache.saved())


@pytest.mark.parametrize("source", [p for p in REAL if p.is_file()], ids=lambda p: p.name)
def test_a_reading_that_reuses_the_last_gives_what_a_fresh_one_gives(tmp_path: Path, source: Path,
                                                                     monkeypatch) -> None:
    path = tmp_path / "refs.bib"
    shutil.copyfile(source, path)
    first = RecordCache()
    assert _read(path, first) == _read(path)
    assert first.chunks_new, "no entry of a real file was read without a problem"
    # nothing changed: nothing is parsed again that was read without a problem
    fresh = _read(path)
    parsed = _counting(monkeypatch)
    second = _again(first)
    assert _read(path, second) == fresh
    parsed_again = len(parsed)
    parsed.clear()
    _read(path)
    assert parsed_again == len(parsed) - len(first.chunks_new)
    # lines added at the top and one entry edited: the lines move, the edit is seen, the rest is reused
    text = path.read_text(encoding="utf-8", errors="surrogateescape")
    at = text.find("title")
    edited = "% two lines\n% added\n" + text[:at] + "title = {Edited title}, " + text[at:] if at >= 0 else text
    path.write_text(edited, encoding="utf-8", errors="surrogateescape")
    third = _again(second)
    assert _read(path, third) == _read(path)


def test_an_entry_is_read_again_when_a_macro_it_may_use_changes(tmp_path: Path) -> None:
    path = tmp_path / "refs.bib"
    path.write_text("@string{jgr = {J. Geophys. Res.}}\n@article{a, title = {A}, journal = jgr, year = 2001}\n"
                    "@article{b, title = {B}, journal = {Nature}, year = 2002}\n", encoding="utf-8")
    cache = RecordCache()
    records, _ = read_files([str(path)], cache=cache)
    assert records[0].get("journal") == "J. Geophys. Res."
    path.write_text(path.read_text().replace("J. Geophys. Res.", "JGR"), encoding="utf-8")
    records, _ = read_files([str(path)], cache=_again(cache))
    assert records[0].get("journal") == "JGR"


def test_an_entry_with_a_problem_is_read_and_reported_every_time(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "refs.bib"
    path.write_text("@article{a, title = {A}, journal = undefinedmacro, year = 2001}\n"
                    "@article{b, title = {B}, journal = {Nature}, year = 2002}\n", encoding="utf-8")
    cache = RecordCache()
    _, problems = read_files([str(path)], cache=cache)
    parsed = _counting(monkeypatch)
    _, again = read_files([str(path)], cache=_again(cache))
    assert parsed == ["a"]  # b is reused; a is read, and its problem said, again
    assert [p.message for p in again] == [p.message for p in problems] != []


def test_a_parent_edit_reaches_its_child(tmp_path: Path) -> None:
    path = tmp_path / "refs.bib"
    path.write_text("@inproceedings{c, title = {C}, crossref = {p}}\n"
                    "@proceedings{p, title = {Proceedings One}, year = 2001}\n", encoding="utf-8")
    cache = RecordCache()
    read_files([str(path)], cache=cache)
    path.write_text(path.read_text().replace("Proceedings One", "Proceedings Two"), encoding="utf-8")
    records, _ = read_files([str(path)], cache=_again(cache))
    assert {r.key: r.get("booktitle") for r in records}["c"] == "Proceedings Two"


@pytest.mark.parametrize("source", [p for p in REAL if p.is_file()], ids=lambda p: p.name)
def test_checks_that_reuse_the_last_reading_say_what_fresh_ones_say(tmp_path: Path, source: Path) -> None:
    """Each entry's own findings are kept by its digest and the configuration's; what involves several entries (a
    DOI twice, a roster person nobody matches, one habit in many entries) is worked out every time."""
    from cvsphinx.core.checks import check_records
    from cvsphinx.core.people import DEFAULT_ROLES, build_owner, build_roles, build_roster
    from cvsphinx.core.settings import CVConfig

    roster = build_roster([{"name": "Smith, John", "roles": {"student": "2000–present"}},
                           {"name": "Nobody, Never", "roles": {"student": "2000–present"}}], build_roles(DEFAULT_ROLES))
    cfg = CVConfig(build_owner("Liu, Lin"), roster, [], [], "", "conf.py", digest="one")
    path = tmp_path / "refs.bib"
    shutil.copyfile(source, path)

    def checked(cache: RecordCache | None, cfg: CVConfig = cfg) -> list[str]:
        records, _ = read_files([str(path)], cache=cache)
        return [repr(p) for p in check_records(records, cfg, cache.checks if cache is not None else None)]

    first = RecordCache()
    assert checked(first) == checked(None)
    assert first.checks.new
    text = path.read_text(encoding="utf-8", errors="surrogateescape")
    at = text.find("title")  # an entry edited, lines added above all: every line number moves
    edited = "% one line\n" + text[:at] + "doi = {10.1000/xyz}, title = {Edited}, " + text[at:] if at >= 0 else text
    path.write_text(edited + "\n@article{again, title = {T}, journal = {J}, year = 2001, doi = {10.1000/XYZ}}\n",
                    encoding="utf-8", errors="surrogateescape")
    second = _again(first)
    assert checked(second) == checked(None)
    other = CVConfig(build_owner("Knuth, Donald E."), roster, [], [], "", "conf.py", digest="two")  # checked again
    assert checked(_again(second), other) == checked(None, other)
