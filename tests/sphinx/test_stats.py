"""{publication-stats}: the numbers, the chart in HTML and LaTeX, the tables, and drawing only on change."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from conftest import HERE
from cvsphinx.sphinxext import stats
from helpers.fresh_docutils import fresh_docutils  # noqa: F401  (autouse)

HUB = HERE / "roots" / "test-cv-hub"


def _pub(year, first=False, roles=()):
    return SimpleNamespace(year=year, first_author=first, roles=tuple((i + 2, r, "X") for i, r in enumerate(roles)))


def test_count() -> None:
    pubs = {
        "papers": [_pub(2019, True, ["student"]), _pub(2019), _pub(2016, False, ["student", "postdoc"])],
        "empty": [],
        "other": [_pub(2017, True), _pub(None)],
    }
    numbers = stats.count(pubs, {"papers": "Papers", "empty": "Empty", "other": "Other"},
                          {"student": "graduate student", "postdoc": "postdoc"})
    assert numbers.groups == (("papers", "Papers"), ("other", "Other"))  # an empty group is left out
    assert numbers.years == (2016, 2017, 2018, 2019)  # no gap in the axis
    assert numbers.per_year == ((1, 0), (0, 1), (0, 0), (2, 0))
    assert numbers.undated == (0, 1)
    assert numbers.totals == (3, 2)
    assert numbers.first_author == (1, 1)
    assert numbers.with_role == ((2, 1), (0, 0))


def test_ticks() -> None:
    assert stats._ticks(2) == (1, 2)
    assert stats._ticks(7) == (2, 8)
    assert stats._ticks(23) == (5, 25)
    assert stats._ticks(0) == (1, 1)
    step, top = stats._ticks(12345)
    assert top >= 12345 and top / step <= 6


def test_svg_and_latex_draw_the_same_bars() -> None:
    numbers = stats.count({"a": [_pub(2018), _pub(2018), _pub(2019)], "b": [_pub(2019)]}, {"a": "A & co", "b": "B"}, {})
    svg = stats.render_svg(numbers, "x", "Title <1>")
    assert svg.count("<rect") - 2 == 3  # two legend swatches, then one bar segment per (year, group) with papers
    assert "A &amp; co" in svg and "<title id=\"x-title\">Title &lt;1&gt;</title>" in svg
    latex = stats.render_latex(numbers)
    assert latex.count("\\rule{22\\unitlength}") == 3
    assert "A \\& co" in latex and "\\begin{picture}" in latex


def _copy(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(HUB, src)
    return src


def _rows(table) -> list[list[str]]:
    return [[" ".join(c.get_text().split()) for c in row.find_all(["th", "td"])] for row in table.select("tr")]


def test_stats_in_html(make_app, tmp_path) -> None:
    app = make_app("html", srcdir=_copy(tmp_path), freshenv=True)
    app.build()
    assert app.warning.getvalue() == ""
    soup = BeautifulSoup((Path(app.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser")
    figure = soup.select_one("figure.cv-stats-chart")
    svg = figure.find("svg")
    assert svg["role"] == "img"
    title = svg.find("title")
    assert svg["aria-labelledby"] == title["id"] and title.get_text() == "Publications per year, by group"
    assert figure.find("figcaption")
    bars = svg.select("rect[class^=cv-series-]")
    assert len(bars) == 5 + 9  # 5 legend swatches, 9 (year, group) segments
    years, summary = soup.select("table.cv-stats-table")
    assert _rows(years)[0] == ["Year", "Journal Articles", "Papers in Review", "Proceedings", "Data",
                               "Other Publications", "All"]
    assert _rows(years)[1:] == [
        ["2014", "0", "0", "0", "0", "1", "1"], ["2015", "0", "0", "1", "0", "1", "2"],
        ["2016", "1", "0", "0", "0", "0", "1"], ["2017", "1", "0", "0", "0", "0", "1"],
        ["2018", "1", "0", "0", "1", "0", "2"], ["2019", "1", "1", "0", "0", "0", "2"],
        ["All years", "4", "1", "1", "1", "2", "9"],
    ]
    assert _rows(summary) == [
        ["Group", "Publications", "First-author", "With a graduate student", "With a postdoc"],
        ["Journal Articles", "4", "2", "2", "2"],
        ["Papers in Review", "1", "0", "1", "0"],
        ["Proceedings", "1", "1", "0", "0"],
        ["Data", "1", "1", "0", "0"],  # markers off: the student co-author is not counted
        ["Other Publications", "2", "1", "0", "0"],
        ["All", "9", "5", "3", "2"],
    ]
    for table in (years, summary):  # header cells in the first row and column; a caption
        assert table.find("caption")
        assert all(row.find().name == "th" for row in table.select("tr"))
        box = table.parent
        assert box["tabindex"] == "0" and box["role"] == "region" and box["aria-label"]
        assert not box.get("id")
    ids = [tag["id"] for tag in soup.find_all(id=True)]
    assert len(ids) == len(set(ids))


def test_groups_and_caption_options(make_app, tmp_path) -> None:
    src = _copy(tmp_path)
    text = (src / "index.md").read_text(encoding="utf-8")
    text = text.replace("```{publication-stats}\n```",
                        "```{publication-stats} articles in-review\n:caption: Papers by year\n```")
    (src / "index.md").write_text(text, encoding="utf-8")
    app = make_app("html", srcdir=src, freshenv=True)
    app.build()
    assert app.warning.getvalue() == ""
    soup = BeautifulSoup((Path(app.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one("figure.cv-stats-chart svg title").get_text() == "Papers by year"
    years = soup.select_one("table.cv-stats-years")
    assert _rows(years)[0] == ["Year", "Journal Articles", "Papers in Review", "All"]
    assert _rows(years)[-1] == ["All years", "4", "1", "5"]


def test_unknown_group_warns(make_app, tmp_path) -> None:
    src = _copy(tmp_path)
    text = (src / "index.md").read_text(encoding="utf-8").replace("{publication-stats}", "{publication-stats} articels")
    (src / "index.md").write_text(text, encoding="utf-8")
    app = make_app("html", srcdir=src, freshenv=True)
    app.build()
    assert "publication-stats: unknown group 'articels'" in app.warning.getvalue()
    assert "[cv.directive]" in app.warning.getvalue()


def test_drawn_once_per_change(make_app, tmp_path) -> None:
    """A rebuild that reads nothing runs nothing; one that reads the page again reuses the drawing
    unless a number changed."""
    src = _copy(tmp_path)
    stats.RENDERS["count"] = 0
    app = make_app("html", srcdir=src, freshenv=True)
    app.build()
    assert stats.RENDERS["count"] == 1
    app.cleanup()

    app = make_app("html", srcdir=src)  # nothing changed
    app.build()
    assert stats.RENDERS["count"] == 1
    app.cleanup()

    index = src / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("Radium Institute, Paris", "Radium Institute"),
                     encoding="utf-8")
    app = make_app("html", srcdir=src)  # the page is read again, the numbers are the same
    app.build()
    assert "Radium Institute" in (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert stats.RENDERS["count"] == 1
    app.cleanup()

    with open(src / "refs.bib", "a", encoding="utf-8") as bib:
        bib.write("\n@article{curie2020new,\n  author = {Curie, Marie},\n  title = {A new paper},\n"
                  "  journal = {Nature},\n  year = {2020}\n}\n")
    app = make_app("html", srcdir=src)  # a number changed
    app.build()
    assert stats.RENDERS["count"] == 2
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert ">2020<" in html


@pytest.mark.sphinx("latex", testroot="cv-hub", freshenv=True)
def test_stats_in_latex(app) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    tex = (Path(app.outdir) / "marie-curie-cv.tex").read_text(encoding="utf-8")
    picture = tex[tex.index("\\begin{picture}"): tex.index("\\end{picture}")]
    assert len(re.findall(r"\\textcolor\[HTML\]\{[0-9A-F]{6}\}\{\\rule\{22\\unitlength\}", picture)) == 9
    assert "Journal Articles" in picture and "2019" in picture
    assert "Publications per year, by group" in tex
