"""An institute's list: past ``cv_page_limit`` entries the lists move to pages of their own.

The same root is built with the lists on the page (``cv_page_limit = 0``) and cut into pages of at most 10
entries: every entry is on exactly one page, with the same HTML, number and order; the CV's page links to
each page; the pages link to each other; COinS and JSON-LD follow the entries; the PDF keeps the whole list.
"""

from __future__ import annotations

import json
import re
import shutil
from io import StringIO
from itertools import pairwise
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from cvsphinx.core.groups import split_pages
from hypothesis import given
from hypothesis import strategies as st
from sphinx.testing.util import SphinxTestApp

ROOT = Path(__file__).parents[1] / "roots" / "test-cv-types"

LIMIT = 10


@given(st.lists(st.one_of(st.none(), st.integers(1990, 2030)), max_size=200), st.integers(1, 25))
def test_pages_cover_the_list_in_order_and_end_where_a_year_ends(years, limit) -> None:
    years = sorted(years, key=lambda y: (y is None, -(y or 0)))  # newest first, undated last, as the lists are
    pages = split_pages(years, limit)
    assert [i for p in pages for i in range(p.lo, p.hi)] == list(range(len(years)))  # each entry once, in order
    for page, after in pairwise(pages):
        assert 0 < page.hi - page.lo <= limit
        run = [i for i, y in enumerate(years) if y == years[page.hi - 1]]
        assert after.lo == page.hi
        if page.hi != run[-1] + 1:  # a page ends where its last year ends, unless that year is more than a page
            assert len(run) > limit
        # and it is cut only when the next year would not fit on it
        nxt = [i for i, y in enumerate(years) if y == years[after.lo]]
        assert page.hi - page.lo + min(len(nxt), after.hi - after.lo) > limit or page.hi != run[-1] + 1
    if pages:
        assert pages[-1].hi - pages[-1].lo <= limit


def _items(soup: BeautifulSoup) -> list[tuple[str, str, int]]:
    """(id, the entry's paragraph, its number) of every listed entry."""
    out = []
    for ol in soup.select("ol.cv-publication-list"):
        for n, li in enumerate(ol.find_all("li", recursive=False), int(ol.get("start", 1))):
            out.append((li["id"], str(li.p), n))
    return out


def _build(builder: str, src: Path, limit: int) -> SphinxTestApp:
    shutil.copytree(ROOT, src)
    app = SphinxTestApp(
        builder,
        srcdir=src,
        builddir=src / "_build",
        freshenv=True,
        confoverrides={"cv_page_limit": limit},
        status=StringIO(),
        warning=StringIO(),
    )
    try:
        app.build()
    finally:
        app.cleanup()
    return app


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict:
    out = {}
    for name, limit in (("one", 0), ("split", LIMIT)):
        app = _build("html", tmp_path_factory.mktemp(f"pages-{name}") / "src", limit)
        out[name] = Path(app.outdir)
        out[f"{name}-warnings"] = app.warning.getvalue()
    return out


def test_every_entry_is_on_one_page_of_its_own_with_its_number(builds) -> None:
    reference = _items(BeautifulSoup((builds["one"] / "index.html").read_text(encoding="utf-8"), "html.parser"))
    assert len(reference) > 3 * LIMIT
    index = BeautifulSoup((builds["split"] / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert _items(index) == []  # the CV's page holds the links, not the entries
    links = [a["href"] for a in index.select("ul.cv-pages a")]
    assert len(links) >= len(reference) // LIMIT
    found = []
    for href in links:
        page = builds["split"] / href
        assert page.is_file(), href
        items = _items(BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser"))
        assert 0 < len(items) <= LIMIT
        found.extend(items)
    assert found == reference  # the same entries, the same HTML, the same numbers, in the same order
    assert "WARNING" not in builds["split-warnings"], builds["split-warnings"]


def test_the_links_name_numbers_and_years(builds) -> None:
    index = BeautifulSoup((builds["split"] / "index.html").read_text(encoding="utf-8"), "html.parser")
    note = index.select_one("p.cv-pages-note").get_text()
    total = len(_items(BeautifulSoup((builds["one"] / "index.html").read_text(encoding="utf-8"), "html.parser")))
    assert note.startswith(f"{total} entries, on ")
    for a in index.select("ul.cv-pages a"):
        first, last = map(int, re.match(r"Nos\. (\d+)–(\d+)", a.get_text()).groups())
        numbers = [
            n for _i, _p, n in _items(BeautifulSoup((builds["split"] / a["href"]).read_text(encoding="utf-8"), "html.parser"))
        ]
        assert (numbers[0], numbers[-1]) == (first, last)


def test_pages_link_back_and_to_each_other(builds) -> None:
    index = BeautifulSoup((builds["split"] / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = [a["href"] for a in index.select("ul.cv-pages a")]
    for n, href in enumerate(links):
        page = builds["split"] / href
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        nav = soup.select_one("p.cv-pages-nav")
        targets = {a.get_text(): (page.parent / a["href"]).resolve() for a in nav.find_all("a")}
        assert targets["Back to the CV"] == (builds["split"] / "index.html").resolve()
        assert ("Previous page" in targets) == (n > 0)
        assert ("Next page" in targets) == (n < len(links) - 1)
        if n < len(links) - 1:
            assert targets["Next page"] == (builds["split"] / links[n + 1]).resolve()
        assert soup.title and "page" in soup.title.get_text()
        assert soup.select_one("link[rel=stylesheet]")  # in the theme's template, with its styles


def test_coins_and_json_ld_follow_the_entries(builds) -> None:
    html = builds["split"]
    index = (html / "index.html").read_text(encoding="utf-8")
    assert "Z3988" not in index
    links = [a["href"] for a in BeautifulSoup(index, "html.parser").select("ul.cv-pages a")]
    where = {}
    for href in links:
        soup = BeautifulSoup((html / href).read_text(encoding="utf-8"), "html.parser")
        ids = [i for i, _p, _n in _items(soup)]
        assert len(soup.select("span.Z3988")) == len(ids)
        where.update(dict.fromkeys(ids, href))
    data = json.loads(BeautifulSoup(index, "html.parser").select_one('script[type="application/ld+json"]').string)
    works = [w for w in data["@graph"] if "@id" in w and "#pub-" in w["@id"]]
    assert works
    for work in works:
        page, anchor = work["@id"].rsplit("#", 1)
        assert page == where[anchor], work["@id"]
    assert len(json.loads((html / "publications.json").read_text(encoding="utf-8"))) == len(where)


def test_the_pdf_keeps_the_whole_list(tmp_path) -> None:
    app = _build("latex", tmp_path / "src", LIMIT)
    tex = (Path(app.outdir) / "types.tex").read_text(encoding="utf-8")
    keys = re.findall(r"\\cvsphinxentry\{([^}]*)\}", tex)
    assert len(keys) == len(set(keys)) > 3 * LIMIT
    assert "cv-pages" not in tex and "of their own" not in tex
