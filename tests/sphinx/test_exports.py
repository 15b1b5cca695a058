"""publications.bib, publications.json (CSL-JSON) and COinS: what a visitor takes away from the page.

The CSL-JSON is validated against the CSL data schema (tests/data/csl-data.json, MIT, from
citation-style-language/schema) and rendered by citeproc-py; the BibTeX is read back by our own
reader, entry by entry, and built again as a CV: the same list, the same markers.
"""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path
from urllib.parse import parse_qs

import jsonschema
import pytest
from bs4 import BeautifulSoup
from conftest import HERE
from cvsphinx.core.bibfile import read_bib
from cvsphinx.core.people import DEFAULT_ROLES, build_roles, parse_annotation
from cvsphinx.output.formats import coins
from helpers.fresh_docutils import fresh_docutils  # noqa: F401  (autouse)
from hypothesis import given
from hypothesis import strategies as st
from sphinx.testing.util import SphinxTestApp

SCHEMA = json.loads((HERE / "data" / "csl-data.json").read_text(encoding="utf-8"))
HUB = HERE / "roots" / "test-cv-hub"


def _soup(app) -> BeautifulSoup:
    return BeautifulSoup((Path(app.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser")


def _shown_keys(soup: BeautifulSoup) -> list[str]:
    """The keys of the listed publications, in page order, from the COinS spans' neighbours."""
    return [li["id"].removeprefix("pub-") for li in soup.select("ol.cv-publication-list > li")]


@pytest.fixture
def hub(make_app, tmp_path):
    """The hub root built to HTML in a fresh copy; yields the app."""
    src = tmp_path / "src"
    shutil.copytree(HUB, src)
    app = make_app("html", srcdir=src, freshenv=True)
    app.build()
    yield app


def _csl(app) -> list[dict]:
    return json.loads((Path(app.outdir) / "publications.json").read_text(encoding="utf-8"))


def test_exports_written_and_linked(hub) -> None:
    assert hub.warning.getvalue() == ""
    out = Path(hub.outdir)
    soup = _soup(hub)
    links = soup.select("p.cv-exports a")
    assert [a["href"] for a in links] == ["publications.bib", "publications.json"]
    for a in links:
        assert (out / a["href"]).is_file()
        assert a.has_attr("download")
    alternates = {link["type"]: link["href"] for link in soup.select('head link[rel="alternate"]')}
    assert alternates == {"application/x-bibtex": "publications.bib",
                          "application/vnd.citationstyles.csl+json": "publications.json"}
    # under the last list, not between two of them
    last = soup.select("div.cv-publications")[-1]
    assert last.find_next_sibling("p")["class"] == ["cv-exports"]


def test_csl_json_is_valid_and_complete(hub) -> None:
    items = _csl(hub)
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    errors = sorted(jsonschema.Draft7Validator(SCHEMA).iter_errors(items), key=str)
    assert not errors, "\n".join(e.message for e in errors[:10])
    # every shown entry, in the page's order and numbering
    assert [i["id"] for i in items] == _shown_keys(_soup(hub))
    assert [i["custom"]["cv-number"] for i in items] == list(range(1, len(items) + 1))
    by_id = {i["id"]: i for i in items}
    polonium = by_id["curie2019polonium"]
    assert polonium["type"] == "article-journal"
    assert polonium["container-title"] == "Physical Review"  # @string expanded
    assert polonium["issued"] == {"date-parts": [[2019, 7]]}
    assert polonium["DOI"] == "10.1103/PhysRev.12.101"
    assert polonium["page"] == "101-110"
    assert polonium["author"][1] == {"family": "Joliot", "given": "Irène"}
    assert polonium["custom"]["cv-roles"] == [
        {"position": 1, "name": "Curie, Marie", "role": "owner", "label": "CV owner"},
        {"position": 2, "name": "Joliot, Irène", "role": "student", "label": "graduate student"},
        {"position": 3, "name": "Debierne, André", "role": "postdoc", "label": "postdoc"},
    ]
    assert by_id["joliot2018artificial"]["DOI"] == "10.1038/133201a0"  # a DOI written as a URL
    assert by_id["joliot2018artificial"]["issued"] == {"date-parts": [[2018, 5, 17]]}
    actinium = by_id["debierne2016actinium"]
    assert actinium["title"] == "Sur un nouvel élément radioactif: l'actinium"  # LaTeX decoded
    assert actinium["author"][1] == {"family": "Aubel", "given": "E.", "non-dropping-particle": "van"}
    assert len(actinium["author"]) == 3  # "and others" is no author
    assert by_id["curie2017radium"]["custom"]["arxiv"] == "1701.01234"
    assert by_id["curie2017radium"]["URL"] == "https://arxiv.org/abs/1701.01234"
    assert by_id["curie2017radium"]["custom"]["cv-roles"][0]["role"] == "owner"  # the alias Skłodowska
    assert by_id["perey2019francium"]["status"] == "submitted"
    assert by_id["curie2015solvay"]["type"] == "paper-conference"
    assert by_id["curie2015solvay"]["container-title"] == "La théorie du rayonnement et les quanta"  # crossref
    assert by_id["curie1903thesis"]["genre"] == "PhD thesis"
    assert by_id["curie1903thesis"]["publisher"] == "Faculté des sciences de Paris"
    # a group without markers exports the owner only: the page marks no supervisee there
    assert [r["role"] for r in by_id["curie2018halflives"]["custom"]["cv-roles"]] == ["owner"]
    assert by_id["curie2018halflives"]["custom"]["cv-group"] == "data"


def test_citeproc_renders_every_item(hub) -> None:
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    items = _csl(hub)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # citeproc-py does not use citation-key or custom
        source = CiteProcJSON(items)
        bibliography = CitationStylesBibliography(CitationStylesStyle("harvard-cite-them-right", validate=False),
                                                  source, formatter.plain)
        for item in items:
            bibliography.register(Citation([CitationItem(item["id"])]))
        rendered = [str(entry) for entry in bibliography.bibliography()]
    assert len(rendered) == len(items)
    text = "\n".join(rendered)
    for item in items:
        assert item["title"].split(":")[0][:30] in text, item["id"]
    assert "https://doi.org/10.1103/PhysRev.12.101" in text


def test_bibtex_reads_back_with_every_entry(hub) -> None:
    path = Path(hub.outdir) / "publications.bib"
    entries, problems = read_bib(str(path))
    assert problems == []
    keys = _shown_keys(_soup(hub))
    assert [e.key for e in entries] == keys
    by_key = {e.key: e for e in entries}
    roles = build_roles(DEFAULT_ROLES)  # student, postdoc, visitor
    assert parse_annotation(by_key["curie2019polonium"].get("author+an"), roles) == {2: "student", 3: "postdoc"}
    assert by_key["curie2019polonium"].get("author+an") == "1=owner; 2=student; 3=postdoc"
    assert by_key["solvay1911"].get("editor+an") == "3=owner"
    solvay = by_key["curie2015solvay"]  # written out whole: no crossref to an entry the file may not hold
    assert "crossref" not in solvay.fields
    assert solvay.get("booktitle") and solvay.get("address") == "Paris"
    assert "@" not in path.read_text(encoding="utf-8").split("\n\n")[0]  # the header is no entry


def test_bibtex_export_builds_the_same_cv(hub, make_app, tmp_path) -> None:
    """The exported file, used as refs.bib with the same configuration, gives the same list and markers."""
    def entries(app: SphinxTestApp) -> list[str]:
        return [" ".join(li.p.get_text().split()) for li in _soup(app).select("ol.cv-publication-list > li")]

    first = entries(hub)
    src = tmp_path / "again"
    shutil.copytree(HUB, src)
    shutil.copy(Path(hub.outdir) / "publications.bib", src / "refs.bib")
    hub.cleanup()  # a second application in one test must not find the first one's nodes registered
    again = make_app("html", srcdir=src, freshenv=True)
    again.build()
    assert again.warning.getvalue() == ""
    assert entries(again) == first
    assert len(first) == 9
    assert sum("×" in e for e in first) == 2 and sum("*" in e for e in first) == 3  # markers survive


def test_coins_spans_for_zotero(hub) -> None:
    soup = _soup(hub)
    spans = soup.select("span.Z3988")
    assert len(spans) == len(_shown_keys(soup)) == 9
    assert all(not span.get_text() for span in spans)  # invisible
    first = parse_qs(spans[0]["title"])
    assert first["ctx_ver"] == ["Z39.88-2004"]
    assert first["rft_val_fmt"] == ["info:ofi/fmt:kev:mtx:journal"]
    assert first["rft.atitle"] == ["On a new radioactive substance contained in pitchblende"]
    assert first["rft.jtitle"] == ["Physical Review"]
    assert first["rft.au"] == ["Curie, Marie", "Joliot, Irène", "Debierne, André"]
    assert first["rft.date"] == ["2019-07"]
    assert first["rft_id"] == ["info:doi/10.1103/PhysRev.12.101"]
    kinds = [parse_qs(s["title"])["rft_val_fmt"][0].rsplit(":", 1)[1] for s in spans]
    assert {"journal", "book", "dissertation", "dc"} <= set(kinds)


def test_coins_escaping() -> None:
    item = {"type": "article-journal", "title": 'A & B "quoted" <x>', "container-title": "J. of a=b",
            "author": [{"family": "O'Neil", "given": "J."}], "issued": {"date-parts": [[2020, 1, 2]]}}
    parsed = parse_qs(coins(item))
    assert parsed["rft.atitle"] == ['A & B "quoted" <x>']
    assert parsed["rft.jtitle"] == ["J. of a=b"]
    assert parsed["rft.date"] == ["2020-01-02"]


def test_unchanged_exports_are_not_rewritten(hub, make_app) -> None:
    out = Path(hub.outdir)
    before = {name: (out / name).stat().st_mtime_ns for name in ("publications.bib", "publications.json")}
    hub.cleanup()
    again = make_app("html", srcdir=Path(hub.srcdir))
    again.build()
    assert {name: (out / name).stat().st_mtime_ns for name in before} == before


def test_exports_off(make_app, tmp_path) -> None:
    src = tmp_path / "src"
    shutil.copytree(HUB, src)
    app = make_app("html", srcdir=src, freshenv=True, confoverrides={"cv_exports": False})
    app.build()
    assert app.warning.getvalue() == ""
    out = Path(app.outdir)
    assert not (out / "publications.bib").exists() and not (out / "publications.json").exists()
    soup = _soup(app)
    assert not soup.select("p.cv-exports") and not soup.select("span.Z3988")
    assert not soup.select('link[rel="alternate"]')


@pytest.mark.slow
def test_real_cv_exports(cv_build) -> None:
    html = Path(cv_build["html"])
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    shown = soup.select("ol.cv-publication-list > li")
    items = json.loads((html.parent / "publications.json").read_text(encoding="utf-8"))
    assert not list(jsonschema.Draft7Validator(SCHEMA).iter_errors(items))
    assert len(items) == len(shown) == len(soup.select("span.Z3988"))
    entries, problems = read_bib(str(html.parent / "publications.bib"))
    assert problems == [] and len(entries) == len(shown)
    assert [f"pub-{e.key}" for e in entries] == [li["id"] for li in shown]


def test_a_wrapped_url_reaches_every_export(tmp_path) -> None:
    """``url = {\\url{…}}`` (as JabRef and many hand-kept files write it): the title links there on the page, and
    CSL-JSON, COinS and the JSON-LD carry the same address (identifiers.py, read by all of them)."""
    from cvsphinx.core.people import build_owner, build_roster
    from cvsphinx.core.records import build_records
    from cvsphinx.output.jsonld import work
    from cvsphinx.sphinxext.render import render
    from cvsphinx.styles.base import StyleContext
    from cvsphinx.styles.cslitem import csl_item
    from cvsphinx.styles.house import format_entry

    bib = tmp_path / "refs.bib"
    bib.write_text("@article{wrapped, author = {Liu, Lin}, title = {A wrapped address}, journal = {J}, year = {2020},"
                   "\n  url = {\\url{https://example.org/a\\_b}}}\n", encoding="utf-8")
    entries, _ = read_bib(bib)
    (record,) = build_records(entries)[0]
    html = render(format_entry(record, StyleContext(build_owner("Liu, Lin"), build_roster([], build_roles(DEFAULT_ROLES))),
                               link_title=True)).html
    assert 'href="https://example.org/a_b"' in html
    item = csl_item(record, (), {}, "all", "All", 1)
    assert item["URL"] == "https://example.org/a_b"
    assert parse_qs(coins(item))["rft_id"] == ["https://example.org/a_b"]

    assert work(item, (), "https://cv.example.org/#pub-wrapped", "#me")["sameAs"] == "https://example.org/a_b"


@given(st.text())
def test_coins_quoting_is_urllibs(value: str) -> None:
    """COinS values are quoted by a translation table when they are ASCII: exactly as urllib quotes them."""
    from urllib.parse import quote

    from cvsphinx.output.formats import _quote

    assert _quote(value) == quote(value, safe="")
