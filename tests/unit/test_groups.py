"""groups.py without Sphinx: the selector grammar, group configuration, ordering and numbering."""

from __future__ import annotations

import pytest
from cvsphinx.core.configerrors import ConfigError
from cvsphinx.core.groups import assign, build_groups, compile_selector, sort_year
from cvsphinx.core.records import Record

_counter = iter(range(10_000))


def rec(key: str, type_: str = "article", year: str = "2019", **fields: str) -> Record:
    return Record(key, type_, {"year": year, **fields}, {}, "refs.bib", 1, index=next(_counter))


# -- Selectors ---------------------------------------------------------------


def test_selector_type_and_not_pubstate() -> None:
    select = compile_selector("type == 'article' and not pubstate")
    assert select(rec("a"))
    assert not select(rec("b", pubstate="submitted"))
    assert not select(rec("c", "misc"))


def test_selector_is_case_insensitive_on_values() -> None:
    select = compile_selector("type == 'Article'")
    assert select(rec("a", "article"))


def test_selector_keywords() -> None:
    select = compile_selector("'nonrefereed' in keywords")
    assert select(rec("a", keywords="gps, NonRefereed"))
    assert select(rec("b", keywords="gps; nonrefereed"))
    assert not select(rec("c", keywords="gps, refereed"))
    assert not select(rec("d"))
    assert compile_selector("'nonrefereed' not in keywords")(rec("e", keywords="gps"))


def test_selector_keywords_are_whole_words() -> None:
    # "refereed" is a substring of "nonrefereed" but not one of its keywords.
    assert not compile_selector("'refereed' in keywords")(rec("a", keywords="nonrefereed"))


def test_selector_type_in_tuple() -> None:
    select = compile_selector("type in ('misc', 'phdthesis')")
    assert select(rec("a", "misc"))
    assert select(rec("b", "phdthesis"))
    assert not select(rec("c", "article"))
    assert not select(rec("d", "mastersthesis"))
    assert compile_selector("type not in ('misc', 'phdthesis')")(rec("e", "article"))


def test_selector_fields_or_and_not_equal() -> None:
    select = compile_selector("journal == 'The Cryosphere' or pubstate != ''")
    assert select(rec("a", journal="The Cryosphere"))
    assert select(rec("b", journal="Nature", pubstate="inreview"))
    assert not select(rec("c", journal="Nature"))


@pytest.mark.parametrize(
    "text",
    [
        "import os",
        "__import__('os')",
        "type ==",
        "x.y",
        "f(1)",
        "type == 1",
        "type < 'b'",
        "lambda: 1",
        "type == 'a' if journal else 'b'",
        "(type, 'x') == ('a', 'x')",
        "",
        "   ",
    ],
)
def test_selector_rejects(text: str) -> None:
    with pytest.raises(ConfigError):
        compile_selector(text)


def test_selector_error_names_the_bad_part() -> None:
    with pytest.raises(ConfigError) as err:
        compile_selector("type == 'article' and __import__('os')")
    assert "__import__('os')" in str(err.value)
    with pytest.raises(ConfigError, match="does not parse"):
        compile_selector("type ==")


# -- Group configuration -----------------------------------------------------


def test_build_groups() -> None:
    groups = build_groups([
        {"name": "peer-reviewed", "title": None, "select": "type == 'article'"},
        {"name": "data", "title": "Data", "select": "type == 'dataset'", "markers": False, "show_year": False},
    ])
    assert [(g.name, g.title, g.markers, g.show_year) for g in groups] == [
        ("peer-reviewed", None, True, True),
        ("data", "Data", False, False),
    ]
    assert groups[1].source == "type == 'dataset'"


@pytest.mark.parametrize(
    ("raw", "fragments"),
    [
        ([], ["non-empty list"]),
        ([{"name": "a", "select": "type == 'x'", "sort": "year"}], ["unknown key 'sort'"]),
        ([{"select": "type == 'x'"}], ["cv_publication_groups[0]", "needs a 'name'"]),
        ([{"name": "a", "select": "type == 'x'"}, {"name": "a", "select": "type == 'y'"}], ["'a' is used twice"]),
        ([{"name": "a", "title": 3, "select": "type == 'x'"}], ["['title'] must be a string"]),
        ([{"name": "papers", "select": "type = 'article'"}], ["(papers)", "\"type = 'article'\"", "does not parse"]),
        ([{"name": "papers", "select": "open('x')"}], ["(papers)", "open('x')"]),
        ([{"name": "papers"}], ["(papers)", "needs a 'select'"]),
        ([{"name": "papers", "select": "  "}], ["(papers)", "is empty"]),
    ],
)
def test_build_groups_errors(raw: object, fragments: list[str]) -> None:
    with pytest.raises(ConfigError) as err:
        build_groups(raw)  # type: ignore[arg-type]
    for fragment in fragments:
        assert fragment in str(err.value)


# -- Assignment --------------------------------------------------------------


GROUPS = build_groups([
    {"name": "peer-reviewed", "title": None, "select": "type == 'article' and not pubstate"},
    {"name": "in-review", "title": "Papers in Review", "select": "type == 'article' and pubstate"},
    {"name": "other", "title": "Other", "select": "type in ('misc', 'phdthesis')"},
])


def keys(records: list[Record]) -> list[str]:
    return [r.key for r in records]


def test_assign_newest_first_ties_in_bib_order() -> None:
    records = [
        rec("old", year="2011"),
        rec("mid-first", year="2015"),
        rec("new", year="2019"),
        rec("mid-second", year="2015"),
        rec("mid-third", year="2015"),
    ]
    result = assign(records, GROUPS)
    assert keys(result.by_group["peer-reviewed"]) == ["new", "mid-first", "mid-second", "mid-third", "old"]


def test_assign_ties_follow_index_not_list_position() -> None:
    first, second = rec("first", year="2015"), rec("second", year="2015")
    result = assign([second, first], GROUPS)
    assert keys(result.by_group["peer-reviewed"]) == ["first", "second"]


def test_assign_numbers_run_on_across_groups() -> None:
    records = [
        rec("misc2014", "misc", "2014"),
        rec("art2018", year="2018"),
        rec("review2019", year="2019", pubstate="submitted"),
        rec("art2019", year="2019"),
        rec("thesis2011", "phdthesis", "2011"),
    ]
    result = assign(records, GROUPS)
    assert keys(result.by_group["peer-reviewed"]) == ["art2019", "art2018"]
    assert keys(result.by_group["in-review"]) == ["review2019"]
    assert keys(result.by_group["other"]) == ["misc2014", "thesis2011"]
    assert result.numbers == {"art2019": 1, "art2018": 2, "review2019": 3, "misc2014": 4, "thesis2011": 5}
    assert result.unplaced == []
    assert result.overlaps == []


def test_assign_empty_group_does_not_use_numbers() -> None:
    result = assign([rec("a", "misc"), rec("b")], GROUPS)
    assert result.by_group["in-review"] == []
    assert result.numbers == {"b": 1, "a": 2}


def test_assign_reports_unplaced() -> None:
    lost = rec("lost", "dataset")
    result = assign([rec("a"), lost], GROUPS)
    assert result.unplaced == [lost]
    assert "lost" not in result.numbers
    assert all(lost not in members for members in result.by_group.values())


def test_assign_reports_overlaps_and_uses_first_group() -> None:
    groups = build_groups([
        {"name": "articles", "title": None, "select": "type == 'article'"},
        {"name": "gps", "title": "GPS", "select": "'gps' in keywords"},
    ])
    both = rec("both", keywords="gps")
    result = assign([both, rec("gps-misc", "misc", keywords="gps")], groups)
    assert result.overlaps == [(both, ["articles", "gps"])]
    assert keys(result.by_group["articles"]) == ["both"]
    assert keys(result.by_group["gps"]) == ["gps-misc"]
    assert result.numbers == {"both": 1, "gps-misc": 2}


@pytest.mark.parametrize(("year", "expected"), [("2019", 2019), ("2019a", 2019), ("in press", -1), ("", -1), ("19", -1)])
def test_sort_year(year: str, expected: int) -> None:
    assert sort_year(rec("x", year=year)) == expected


def test_assign_unreadable_year_sorts_last() -> None:
    result = assign([rec("press", year="in press"), rec("old", year="1999")], GROUPS)
    assert keys(result.by_group["peer-reviewed"]) == ["old", "press"]
