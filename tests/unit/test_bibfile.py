"""bibfile.py without Sphinx: one bad entry never takes another down, and problems say where."""

from __future__ import annotations

from pathlib import Path

import pytest
from cvsphinx.core.bibfile import read_bib


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
    assert four.get("author") == "Liu, L. and Chen, X."  # names are read by records.py


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


@pytest.mark.parametrize("text", ["", "  \n\r\n", "\ufeff"])
def test_empty_file_is_warned(tmp_path: Path, text: str) -> None:
    """An empty .bib file is a CV without publications: said once, never a silent green."""
    records, problems = read_bib(write(tmp_path, text))
    assert records == []
    assert [(p.subtype, p.line) for p in problems] == [("bib_syntax", 1)]
    assert "is empty" in problems[0].message


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


# -- Layouts BibTeX and biber accept -------------------------------------------


def keys(records) -> list[str]:
    return [r.key for r in records]


def test_at_at_line_start_inside_a_braced_value_is_text(tmp_path: Path) -> None:
    text = (
        "@misc{handle2020,\n  author = {Liu, L.},\n  title = {Handles},\n  note = {Write to\n"
        "@liulin on the forum, or\n@article{not, an entry}},\n  year = {2020}\n}\n"
        "@misc{after2019, author = {Liu, L.}, title = {After}, year = {2019}}\n"
    )
    records, problems = read_bib(write(tmp_path, text))
    assert problems == []
    assert keys(records) == ["handle2020", "after2019"]
    assert records[0].get("note") == "Write to @liulin on the forum, or @article{not, an entry}"


def test_two_entries_on_one_line_and_parentheses(tmp_path: Path) -> None:
    text = ('@misc{a, title = {A}, year = 2001}@misc(b, title = "B (b)", year = {2002})  '
            '@misc{c, title = "C {"}" # " and more", year = 2003}\n')
    records, problems = read_bib(write(tmp_path, text))
    assert problems == []
    assert keys(records) == ["a", "b", "c"]
    assert records[1].get("title") == "B (b)"
    assert records[2].get("title") == 'C {"} and more'


def test_malformed_entry_next_to_a_good_one_on_the_same_line(tmp_path: Path) -> None:
    text = "@misc{bad, title = {A} year = 2001} @misc{good, title = {G}, year = 2002}\n"
    records, problems = read_bib(write(tmp_path, text))
    assert keys(records) == ["good"]
    assert len(problems) == 1
    assert problems[0].key == "bad" and problems[0].line == 1
    assert "'bad'" in problems[0].message and "',' or '}' expected after the value of field 'title'" in problems[0].message


def test_strings_are_shared_across_files_in_order(tmp_path: Path) -> None:
    first = write(tmp_path, "@string{jgr = {J. Geophys. Res.}}\n@string(grl = \"Geophys. Res. Lett.\")\n", "a.bib")
    second = write(tmp_path, "@article{x, title = {X}, journal = jgr # { (Solid Earth)}, year = 2001, month = mar}\n",
                   "b.bib")
    macros: dict[str, str] = {}
    assert read_bib(first, macros=macros) == ([], [])
    records, problems = read_bib(second, macros=macros)
    assert problems == []
    assert records[0].get("journal") == "J. Geophys. Res. (Solid Earth)"
    assert records[0].get("month") == "March"
    # read alone, the second file has an undefined @string: the entry is kept, one warning names it
    records, problems = read_bib(second)
    assert keys(records) == ["x"] and len(problems) == 1
    assert problems[0].key == "x" and "'jgr' is not defined" in problems[0].message


def test_comment_and_preamble_blocks_are_not_entries(tmp_path: Path) -> None:
    from cvsphinx.core.bibfile import BibText

    text = ("@comment{jabref-meta: @article{ghost, title={G}}}\n@preamble{ \"\\newcommand{\\noopsort}[1]{}\" }\n"
            "Some prose with an e-mail, liu@cuhk.edu.hk, between entries.\n@misc{real, title = {R}, year = 2001}\n")
    extra = BibText()
    records, problems = read_bib(write(tmp_path, text), extra=extra)
    assert problems == []
    assert keys(records) == ["real"]
    assert extra.preamble == ["\\newcommand{\\noopsort}[1]{}"]


def test_missing_brace_names_the_field_and_its_line_and_keeps_the_next_entry(tmp_path: Path) -> None:
    records, problems = read_bib(write(tmp_path, FOUR))
    assert keys(records) == ["one2019", "three2017", "four2016"]
    [problem] = problems
    assert problem.key == "two2018"
    assert problem.line == line_of(FOUR, "Second {broken")
    assert "field 'title'" in problem.message


def test_entry_without_a_key_is_named_by_its_text(tmp_path: Path) -> None:
    text = "@article{title = {No key here}, year = 2001}\n@misc{ok, title = {OK}, year = 2002}\n"
    records, problems = read_bib(write(tmp_path, text))
    assert keys(records) == ["ok"]
    [problem] = problems
    assert problem.key is None and problem.line == 1
    assert "('@article{title = {No key here}, year = 2')" in problem.message


def test_an_extra_closing_brace_is_reported(tmp_path: Path) -> None:
    text = "@misc{early,\n  title = {T}},\n  year = {2001}\n}\n"
    records, problems = read_bib(write(tmp_path, text))
    assert keys(records) == ["early"]
    [problem] = problems
    assert problem.key == "early" and problem.line == 2 and "ends early" in problem.message


def test_control_characters_are_removed_and_recorded(tmp_path: Path) -> None:
    text = "@misc{ctl, title = {Bell\x07 and escape\x1b[0m text\x7f}, note = {form\x0cfeed\x00}, year = 2001}\n"
    records, problems = read_bib(write(tmp_path, text))
    assert problems == []
    [record] = records
    assert record.get("title") == "Bell and escape [0m text"
    assert record.get("note") == "form feed"
    assert sorted({f for f, _ in record.bad_chars}) == ["note", "title"]


def test_huge_field(tmp_path: Path) -> None:
    big = "word " * 100_000
    records, problems = read_bib(write(tmp_path, "@misc{big, title = {T}, note = {" + big + "}, year = 2001}"))
    assert problems == [] and len(records[0].get("note")) == len(big) - 1


def test_a_macro_from_an_earlier_file_is_cleaned_where_it_is_used(tmp_path) -> None:
    """A file without control or invisible characters still gets them removed when a field uses an @string macro
    of an earlier file that holds them (the reader skips looking for them in a file that has none)."""
    from cvsphinx.core.catalog import read_files

    first = tmp_path / "a.bib"
    second = tmp_path / "b.bib"
    first.write_text("@string{jn = {Jour\x07nal of Gla\u200bciology}}\n", encoding="utf-8")
    second.write_text("@article{k, author = {Liu, Lin}, title = {T}, journal = jn, year = 2001}\n", encoding="utf-8")
    (record,), _ = read_files([str(first), str(second)])
    assert record.get("journal") == "Jour nal of Glaciology"
    assert record.bad_chars == [("journal", "\x07")]
