"""Per publication on the page: permalinks, labelled links, award badge, BibTeX disclosure (issue 13.1)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from cvsphinx.core.links import anchor


@pytest.fixture
def soup(make_app, sphinx_test_tempdir: Path, rootdir: Path):
    import shutil

    src = sphinx_test_tempdir / "cv-links-html"
    if src.exists():
        shutil.rmtree(src)
    shutil.copytree(rootdir / "test-cv-links", src)
    app = make_app("html", srcdir=src, freshenv=True)
    app.build()
    assert app.warning.getvalue() == ""
    return BeautifulSoup((Path(app.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser")


def item(soup, key: str):
    found = soup.select(f'li[id="{anchor(key)}"]')
    assert len(found) == 1, key
    return found[0]


def test_anchors_are_unique_and_keep_the_key(soup) -> None:
    ids = [li["id"] for li in soup.select("ol.cv-publication-list > li")]
    assert sorted(ids) == sorted(["pub-2016a:meder_dfd", "pub-2016a-meder-dfd", "pub-preprint2021", "pub-alfolio2020"])
    assert anchor("a b/ü~") == "pub-a~20~b~2f~~fc~~7e~"
    li = item(soup, "2016a:meder_dfd")
    assert li.select_one("a.cv-permalink")["href"] == "#pub-2016a:meder_dfd"


def test_labelled_links(soup) -> None:
    links = {a.get_text(): a["href"] for a in item(soup, "2016a:meder_dfd").select("a.cv-link")}
    assert links == {"PDF": "https://example.org/paper.pdf", "Code": "https://github.com/example/code",
                     "Slides": "slides/talk.pdf"}
    links = {a.get_text(): a["href"] for a in item(soup, "alfolio2020").select("a.cv-link")}
    assert links == {"arXiv": "https://arxiv.org/abs/2001.00001", "Video": "https://youtube.com/watch?v=x",
                     "Website": "https://example.org/project"}  # javascript: is never a link
    assert {a.get_text(): a["href"] for a in item(soup, "preprint2021").select("a.cv-link")} == {
        "arXiv": "https://arxiv.org/abs/2101.01234"}
    assert item(soup, "2016a:meder_dfd").select_one(".cv-award").get_text() == "Best Paper Award"


def test_bibtex_disclosure_is_clean_and_copyable(soup) -> None:
    details = item(soup, "2016a:meder_dfd").select_one("details.cv-bibtex")
    assert details.summary.get_text() == "BibTeX"
    text = details.pre.get_text()
    assert text.startswith("@article{2016a:meder_dfd,")
    assert "doi = {10.1000/abc.1}" in text and "title = {Keys with a colon}" in text
    for private in ("abstract", "Zotero", "selected"):
        assert private not in text
    button = details.select_one("button.cv-copy")
    assert button["type"] == "button" and button["data-copy"] == details.pre["id"]
    assert soup.find("script", src=lambda s: s and "cvsphinx-publications.js" in s) is not None


def test_the_entry_paragraph_holds_the_entry_alone(soup) -> None:
    text = " ".join(item(soup, "2016a-meder-dfd").p.get_text().split())
    assert text == "Liu, L. (2016), Keys with a dash, Journal A, https://example.org/dash."


@pytest.mark.sphinx("latex", testroot="cv-links", srcdir="cv-links-latex")
def test_nothing_of_it_in_the_pdf(app) -> None:
    app.build()
    tex = next(Path(app.outdir).glob("*.tex")).read_text(encoding="utf-8")
    body = tex[tex.index(r"\begin{enumerate}"):]
    for web_only in ("BibTeX", "Copy", "Best Paper Award", "Slides", "github.com/example/code"):
        assert web_only not in body


def test_the_title_links_to_the_paper(soup) -> None:
    doi = item(soup, "2016a:meder_dfd").p.find("a")
    assert doi.get_text() == "Keys with a colon" and doi["href"] == "https://doi.org/10.1000/abc.1"
    url = item(soup, "2016a-meder-dfd").p.find("a")
    assert url.get_text() == "Keys with a dash" and url["href"] == "https://example.org/dash"
    assert item(soup, "preprint2021").p.find("a").get_text() == "arXiv:2101.01234"  # no paper URL: the title is text


@pytest.mark.sphinx("latex", testroot="cv-links", srcdir="cv-links-latex-title")
def test_the_title_link_is_clickable_in_the_pdf(app) -> None:
    app.build()
    tex = next(Path(app.outdir).glob("*.tex")).read_text(encoding="utf-8")
    assert r"\sphinxhref{https://doi.org/10.1000/abc.1}{Keys with a colon}" in tex
