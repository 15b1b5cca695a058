"""bibfile.py without Sphinx: one bad entry never takes another down, and problems say where."""

from __future__ import annotations

from pathlib import Path

import pytest
from cvsphinx.bibfile import read_bib


def write(tmp_path: Path, text: str, name: str = "refs.bib") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str) -> int:
    """1-based line number of the first line containing ``needle``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in text")


FOUR = """\
@article{one2019,
  author = {Liu, L.},
  title = {First},
  journal = {J},
  year = {2019}
}

@article{two2018,
  author = {Liu, L.},
  title = {Second {broken,
  journal = {J},
  year = {2018}
}

@article{three2017,
  author = {Liu, L.},
  title = {Third},
  journal = {J},
  year = {2017}
}

@article{four2016,
  author = {Liu, L. and Chen, X.},
  title = {Fourth},
  journal = {J},
  year = {2016}
}
"""
CLEAN = FOUR.replace("title = {Second {broken,", "title = {Second},")


def test_clean_file(tmp_path: Path) -> None:
    records, problems = read_bib(write(tmp_path, CLEAN))
    assert problems == []
    assert [r.key for r in records] == ["one2019", "two2018", "three2017", "four2016"]
    assert [r.index for r in records] == [0, 1, 2, 3]
    four = records[3]
    assert four.type == "article"
    assert four.get("title") == "Fourth"
    assert four.get("TITLE") == "Fourth"
    assert [str(p) for p in four.persons["author"]] == ["Liu, L.", "Chen, X."]
    assert "author" not in four.fields


def test_start_index_continues_across_files(tmp_path: Path) -> None:
    records, _ = read_bib(write(tmp_path, CLEAN), start_index=10)
    assert [r.index for r in records] == [10, 11, 12, 13]


def test_unbalanced_brace_loses_only_that_entry(tmp_path: Path) -> None:
    path = write(tmp_path, FOUR)
    records, problems = read_bib(path)
    assert [r.key for r in records] == ["one2019", "three2017", "four2016"]
    assert [r.get("title") for r in records] == ["First", "Third", "Fourth"]
    assert len(problems) == 1
    (problem,) = problems
    assert problem.subtype == "bib_syntax"
    assert problem.key == "two2018"
    assert "'two2018'" in problem.message
    assert problem.path == str(path)
    # The problem points into the broken entry (lines 8-13), not at another one.
    assert line_of(FOUR, "@article{two2018") <= problem.line <= line_of(FOUR, "year = {2018}") + 1


def test_unbalanced_brace_after_leading_comments(tmp_path: Path) -> None:
    text = "% My publications\n% (comments before the first entry)\n\n" + FOUR
    records, problems = read_bib(write(tmp_path, text))
    assert [r.key for r in records] == ["one2019", "three2017", "four2016"]
    (problem,) = problems
    assert problem.key == "two2018"
    assert line_of(text, "@article{two2018") <= problem.line <= line_of(text, "year = {2018}") + 1


def test_duplicated_field_keeps_entry_with_problem(tmp_path: Path) -> None:
    text = CLEAN.replace("  title = {Third},\n", "  title = {Third},\n  title = {Third again},\n")
    records, problems = read_bib(write(tmp_path, text))
    assert problems == []
    assert [r.key for r in records] == ["one2019", "two2018", "three2017", "four2016"]
    third = records[2]
    assert third.get("title") == "Third"
    assert len(third.problems) == 1
    assert "'title' appears twice" in third.problems[0]
    assert all(not r.problems for r in records if r is not third)


def test_string_macros(tmp_path: Path) -> None:
    text = """\
@string{rse = {Remote Sensing of Environment}}
@STRING{grl = "Geophysical Research Letters"}

@article{a2019,
  author = {Liu, L.},
  title = {A},
  journal = rse,
  note = grl # { (letter)},
  year = 2019
}
"""
    records, problems = read_bib(write(tmp_path, text))
    assert problems == []
    (record,) = records
    assert record.get("journal") == "Remote Sensing of Environment"
    assert record.get("note") == "Geophysical Research Letters (letter)"
    assert record.get("year") == "2019"


def test_undefined_macro_keeps_entry_with_problem(tmp_path: Path) -> None:
    text = "@article{a2019,\n  author = {Liu, L.},\n  title = {A},\n  journal = nosuchmacro,\n  year = {2019}\n}\n"
    records, problems = read_bib(write(tmp_path, text))
    assert [r.key for r in records] == ["a2019"]
    assert len(problems) == 1
    assert problems[0].subtype == "bib_field"
    assert problems[0].key == "a2019"
    assert "nosuchmacro" in problems[0].message


def test_comment_entries_are_skipped(tmp_path: Path) -> None:
    text = "@comment{ this is not an entry }\n" + CLEAN
    records, problems = read_bib(write(tmp_path, text))
    assert problems == []
    assert len(records) == 4


def test_not_a_bib_file(tmp_path: Path) -> None:
    path = write(tmp_path, "# Publications\n\nJust some notes, no entries here.\n", "notes.bib")
    records, problems = read_bib(path)
    assert records == []
    (problem,) = problems
    assert problem.subtype == "bib_syntax"
    assert "no BibTeX entries" in problem.message
    assert problem.path == str(path)


def test_empty_file_is_fine(tmp_path: Path) -> None:
    assert read_bib(write(tmp_path, "")) == ([], [])


def test_missing_file(tmp_path: Path) -> None:
    records, problems = read_bib(tmp_path / "nope.bib")
    assert records == []
    (problem,) = problems
    assert problem.subtype == "bib_unreadable"
    assert "cannot be read" in problem.message


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.bib"
    path.write_bytes("@article{a, title = {Bj\u00f8rk}, year = {2019}}\n".encode("latin-1"))
    records, problems = read_bib(path)
    # nothing lost: the entry is read as Latin-1, and the warning says so
    assert [r.key for r in records] == ["a"] and records[0].get("title") == "Bjørk"
    assert [p.subtype for p in problems] == ["bib_unreadable"]
    assert "UTF-8" in problems[0].message and "Latin-1" in problems[0].message and problems[0].line == 1


def test_line_numbers_without_leading_text(tmp_path: Path) -> None:
    text = CLEAN
    records, _ = read_bib(write(tmp_path, text))
    assert [r.line for r in records] == [line_of(text, f"@article{{{r.key},") for r in records]
    assert [r.line for r in records] == [1, 8, 15, 22]


@pytest.mark.parametrize("preamble", ["% comment\n", "% Publications of Lin Liu\n% [1-50]\n\n\n", "\n\n\n\n\n"])
def test_line_numbers_after_leading_comments(tmp_path: Path, preamble: str) -> None:
    text = preamble + CLEAN
    records, _ = read_bib(write(tmp_path, text))
    assert [r.key for r in records] == ["one2019", "two2018", "three2017", "four2016"]
    assert [r.line for r in records] == [line_of(text, f"@article{{{r.key},") for r in records]


def test_line_numbers_after_string_and_comment(tmp_path: Path) -> None:
    text = (
        "% Header\n"
        "@string{j = {Journal}}\n"
        "\n"
        "@comment{skip me}\n"
        "\n"
        "@article{a2019,\n  author = {Liu, L.},\n  title = {A},\n  journal = j,\n  year = {2019}\n}\n"
        "\n"
        "@misc{b2018,\n  author = {Liu, L.},\n  title = {B},\n  year = {2018}\n}\n"
    )
    records, problems = read_bib(write(tmp_path, text))
    assert problems == []
    assert [(r.key, r.line) for r in records] == [("a2019", 6), ("b2018", 13)]


# -- Re-reading with ``reuse`` (incremental builds) ----------------------------


def _reuse_map(records: list) -> dict:
    return {r.digest: r for r in records if r.digest is not None}


def test_reuse_skips_unchanged_entries_and_updates_positions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import cvsphinx.bibfile as bibfile

    path = write(tmp_path, CLEAN)
    first, _ = read_bib(path)
    assert all(r.digest is not None for r in first)

    edited = "% added line\n" + CLEAN.replace("title = {Third}", "title = {Third, revised}")
    path.write_text(edited, encoding="utf-8")
    made: list[str] = []
    original = bibfile._make_record
    monkeypatch.setattr(bibfile, "_make_record", lambda *a, **k: made.append(a[1]) or original(*a, **k))
    second, problems = read_bib(path, start_index=5, reuse=_reuse_map(first))

    assert problems == []
    assert made == ["three2017"]  # only the changed entry is parsed again
    assert [r.key for r in second] == ["one2019", "two2018", "three2017", "four2016"]
    assert [r.get("title") for r in second] == ["First", "Second", "Third, revised", "Fourth"]
    assert [r.line for r in second] == [line_of(edited, f"@article{{{r.key},") for r in second]
    assert [r.index for r in second] == [5, 6, 7, 8]
    assert [str(p) for p in second[3].persons["author"]] == ["Liu, L.", "Chen, X."]


def test_reuse_in_another_file_reports_the_new_path(tmp_path: Path) -> None:
    """An entry moved unchanged from one .bib file to another must be reported in its new file."""
    old_path = write(tmp_path, CLEAN, "articles.bib")
    first, _ = read_bib(old_path)
    new_path = write(tmp_path, "% moved\n\n" + CLEAN, "talks.bib")
    second, _ = read_bib(new_path, reuse=_reuse_map(first))
    assert [r.line for r in second] == [3, 10, 17, 24]
    assert {r.path for r in second} == {str(new_path)}


def test_reuse_does_not_keep_stale_string_macros(tmp_path: Path) -> None:
    text = (
        "@string{j = {Old Journal}}\n\n"
        "@article{a2019,\n  author = {Liu, L.},\n  title = {A},\n  journal = j,\n  year = {2019}\n}\n"
    )
    path = write(tmp_path, text)
    first, _ = read_bib(path)
    assert first[0].get("journal") == "Old Journal"
    path.write_text(text.replace("Old Journal", "New Journal"), encoding="utf-8")
    second, _ = read_bib(path, reuse=_reuse_map(first))
    assert second[0].get("journal") == "New Journal"


def test_entries_with_problems_are_never_reused(tmp_path: Path) -> None:
    text = "@article{a2019,\n  author = {Liu, L.},\n  title = {A},\n  journal = nosuchmacro,\n  year = {2019}\n}\n"
    path = write(tmp_path, text)
    first, problems = read_bib(path)
    assert first[0].digest is None
    # Read again: the problem is reported again, not lost with a reused record.
    _, again = read_bib(path, reuse=_reuse_map(first))
    assert [p.key for p in again] == [p.key for p in problems] == ["a2019"]
