"""What the page and the PDF say about themselves: description, OpenGraph, canonical URL, JSON-LD,
favicon, no empty indexable pages, no unused assets; the PDF's metadata, read with pdfinfo."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zlib
from io import StringIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import HERE, PROJECT, requires_seed_cv
from helpers.fresh_docutils import fresh_docutils  # noqa: F401  (autouse)
from sphinx.util.docutils import docutils_namespace

HUB = HERE / "roots" / "test-cv-hub"


def _copy(tmp_path: Path, name: str = "src") -> Path:
    src = tmp_path / name
    shutil.copytree(HUB, src)
    return src


def _build(make_app, src: Path, **kwargs):
    app = make_app("html", srcdir=src, freshenv=True, **kwargs)
    app.build()
    assert app.warning.getvalue() == ""
    return app, BeautifulSoup((Path(app.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser")


def _meta(soup: BeautifulSoup, **attrs: str) -> list[str]:
    return [tag["content"] for tag in soup.find_all("meta", attrs=attrs)]


def _json_ld(soup: BeautifulSoup) -> dict:
    (script,) = soup.select('script[type="application/ld+json"]')
    return json.loads(script.string)


def test_head_of_the_page(make_app, tmp_path) -> None:
    app, soup = _build(make_app, _copy(tmp_path))
    (description,) = _meta(soup, name="description")
    assert description == "Curriculum vitae of Marie Curie, Professor of Physics, University of Paris: " \
                          "publications, publications in numbers."
    assert _meta(soup, property="og:description") == [description]
    assert _meta(soup, property="og:title") == ["Marie Curie"]
    assert _meta(soup, property="og:type") == ["profile"]
    assert not soup.find("meta", attrs={"name": "robots"})
    icon = soup.find("link", rel="shortcut icon") or soup.find("link", rel="icon")
    assert icon is not None and (Path(app.outdir) / icon["href"]).is_file()
    assert not soup.find("link", rel="canonical")  # no address known: no canonical URL


def test_description_from_conf(make_app, tmp_path) -> None:
    text = 'Marie Curie: physicist & chemist, "two Nobel prizes"'
    _app, soup = _build(make_app, _copy(tmp_path), confoverrides={"cv_description": text})
    assert _meta(soup, name="description") == [text]
    assert _meta(soup, property="og:description") == [text]


def test_json_ld_profile_page(make_app, tmp_path) -> None:
    _app, soup = _build(make_app, _copy(tmp_path))
    graph = _json_ld(soup)["@graph"]
    assert _json_ld(soup)["@context"] == "https://schema.org"
    page, person, *works = graph
    assert page["@type"] == "ProfilePage" and page["mainEntity"] == {"@id": person["@id"]}
    assert page["inLanguage"] == "en"
    assert person["@type"] == "Person" and person["name"] == "Marie Curie"
    assert person["jobTitle"] == "Professor of Physics"
    assert person["affiliation"] == [{"@type": "Organization", "name": "University of Paris"},
                                     {"@type": "Organization", "name": "Radium Institute"}]
    assert person["email"] == "mailto:marie.curie@example.org"
    assert person["url"] == "https://example.org/curie-lab"
    assert person["sameAs"] == ["https://orcid.org/0000-0002-1825-0097",
                                "https://scholar.google.com/citations?user=qc6CJjYAAAAJ",
                                "https://en.wikipedia.org/wiki/Marie_Curie"]
    assert person["identifier"] == {"@type": "PropertyValue", "propertyID": "ORCID", "value": "0000-0002-1825-0097"}
    assert person["knowsAbout"] == ["radioactivity", "polonium", "radium"]
    shown = [li["id"] for li in soup.select("ol.cv-publication-list > li")]
    assert [w["@id"] for w in works] == [f"#{anchor}" for anchor in shown]
    by_id = {w["@id"]: w for w in works}
    polonium = by_id["#pub-curie2019polonium"]
    assert polonium["@type"] == "ScholarlyArticle"
    assert polonium["name"] == "On a new radioactive substance contained in pitchblende"
    assert polonium["identifier"] == {"@type": "PropertyValue", "propertyID": "DOI", "value": "10.1103/PhysRev.12.101"}
    assert polonium["sameAs"] == "https://doi.org/10.1103/PhysRev.12.101"
    assert polonium["author"][0] == {"@id": person["@id"]}  # the owner is the page's Person
    assert polonium["author"][1] == {"@type": "Person", "name": "Irène Joliot"}
    assert polonium["isPartOf"] == {"@type": "Periodical", "name": "Physical Review"}
    assert polonium["datePublished"] == "2019-07"
    assert by_id["#pub-curie2018halflives"]["@type"] == "Dataset"
    assert by_id["#pub-curie1903thesis"]["@type"] == "Thesis"
    assert by_id["#pub-perey2019francium"]["creativeWorkStatus"] == "submitted"


def test_canonical_url_from_html_baseurl(make_app, tmp_path) -> None:
    _app, soup = _build(make_app, _copy(tmp_path), confoverrides={"html_baseurl": "https://example.org/curie/"})
    assert soup.find("link", rel="canonical")["href"] == "https://example.org/curie/"
    assert _meta(soup, property="og:url") == ["https://example.org/curie/"]
    graph = _json_ld(soup)["@graph"]
    assert graph[0]["url"] == "https://example.org/curie/"
    assert graph[1]["@id"] == "https://example.org/curie/#person"
    assert graph[2]["url"].startswith("https://example.org/curie/#pub-")


@pytest.mark.parametrize("builder", ["dirhtml", "singlehtml"])
def test_canonical_url_other_html_builders(make_app, tmp_path, builder) -> None:
    app = make_app(builder, srcdir=_copy(tmp_path), freshenv=True, confoverrides={"html_baseurl": "https://example.org/c/"})
    app.build()
    assert app.warning.getvalue() == ""
    soup = BeautifulSoup((Path(app.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.find("link", rel="canonical")["href"] == "https://example.org/c/"
    assert (Path(app.outdir) / "publications.json").is_file()
    assert [a["href"] for a in soup.select("p.cv-exports a")] == ["publications.bib", "publications.json"]


def test_canonical_url_on_read_the_docs(make_app, tmp_path, monkeypatch) -> None:
    """Read the Docs no longer sets html_baseurl; its canonical URL comes in the environment."""
    monkeypatch.setenv("READTHEDOCS", "True")
    monkeypatch.setenv("READTHEDOCS_CANONICAL_URL", "https://curie.readthedocs.io/en/stable/")
    _app, soup = _build(make_app, _copy(tmp_path))
    assert soup.find("link", rel="canonical")["href"] == "https://curie.readthedocs.io/en/stable/"
    assert _meta(soup, property="og:url") == ["https://curie.readthedocs.io/en/stable/"]


def test_pull_request_previews_are_not_indexed(make_app, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("READTHEDOCS", "True")
    monkeypatch.setenv("READTHEDOCS_VERSION_TYPE", "external")
    monkeypatch.setenv("READTHEDOCS_CANONICAL_URL", "https://curie--12.org.readthedocs.build/en/12/")
    _app, soup = _build(make_app, _copy(tmp_path))
    assert _meta(soup, name="robots") == ["noindex"]


def test_no_empty_pages_and_no_unused_assets(make_app, tmp_path) -> None:
    app, soup = _build(make_app, _copy(tmp_path))
    out = Path(app.outdir)
    for name in ("genindex.html", "search.html", "searchindex.js", "_static/sphinx_highlight.js",
                 "_static/pygments.css", "_static/searchtools.js", "_static/language_data.js"):
        assert not (out / name).exists(), name
    assert not list((out / "_static").glob("*-stemmer.js"))
    assert not soup.find("link", rel="index") and not soup.find("link", rel="search")
    linked = [tag.get("href") or tag.get("src") for tag in soup.select('link[rel="stylesheet"], script[src]')]
    for url in linked:  # every asset the page loads is shipped
        assert (out / url.split("?")[0]).is_file(), url
    assert not [u for u in linked if "pygments" in u or "sphinx_highlight" in u]


def test_code_keeps_pygments_and_search_gets_noindex(make_app, tmp_path) -> None:
    src = _copy(tmp_path)
    with open(src / "index.md", "a", encoding="utf-8") as handle:
        handle.write("\n## Software\n\n```python\nprint('radium')\n```\n")
    sidebars = {"**": ["sidebar/brand.html", "sidebar/search.html", "sidebar/cv-sections.html"]}
    app, soup = _build(make_app, src, confoverrides={"html_sidebars": sidebars})
    out = Path(app.outdir)
    assert (out / "_static" / "pygments.css").is_file()
    assert any("pygments.css" in link["href"] for link in soup.select('link[rel="stylesheet"]'))
    search = BeautifulSoup((out / "search.html").read_text(encoding="utf-8"), "html.parser")
    assert search.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert (out / "searchindex.js").is_file()


def test_bad_person_values_stop_the_build(make_app, tmp_path) -> None:
    warning = StringIO()
    person = {"name": "Marie Curie", "orcid": "1234", "emial": "x@example.org", "same_as": "https://x.org"}
    with docutils_namespace(), pytest.raises(SystemExit) as stop:
        make_app("html", srcdir=_copy(tmp_path), warning=warning,
                 confoverrides={"cv_person": person, "cv_keywords": ["radium", 7], "cv_exports": None})
    assert stop.value.code == 2
    errors = re.sub(r"\x1b\[[0-9;]*m", "", warning.getvalue())
    assert "cv_person['orcid'] '1234' is not an ORCID iD" in errors
    assert "cv_person has unknown key 'emial'; did you mean 'email'?" in errors
    assert "cv_person['same_as'] must be a list of web addresses" in errors
    assert "cv_keywords must be a list of words or phrases" in errors
    assert "cv_exports must be True or False" in errors


# -- The PDF --------------------------------------------------------------------------------------


def pdf_info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def pdf_language(pdf: Path) -> str | None:
    """The catalog's /Lang, which pdfinfo does not print (xdvipdfmx puts it in a compressed object stream)."""
    data = pdf.read_bytes()
    texts = [data]
    for match in re.finditer(rb"stream\r?\n", data):
        try:
            texts.append(zlib.decompress(data[match.end(): data.find(b"endstream", match.end())]))
        except zlib.error:
            continue
    for text in texts:
        found = re.search(rb"/Lang\s*\(([^)]*)\)", text)
        if found:
            return found.group(1).decode()
    return None


@pytest.fixture(scope="module")
def hub_pdf(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("hub-pdf") / "src"
    shutil.copytree(HUB, src)
    out = src.parent / "out"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(PROJECT / "ext"), os.environ.get("PYTHONPATH", "")]),
           "CV_PROJECT_CONF": str(PROJECT / "conf.py")}
    run = subprocess.run([sys.executable, "-m", "sphinx", "-M", "latexpdf", str(src), str(out), "-W", "--keep-going"],
                         capture_output=True, text=True, env=env, cwd=src.parent, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return out / "latex" / "marie-curie-cv.pdf"


@pytest.mark.slow
def test_pdf_metadata(hub_pdf) -> None:
    info = pdf_info(hub_pdf)
    assert info["Title"] == "Marie Curie — Curriculum Vitae"
    assert info["Author"] == "Marie Curie"
    assert info["Subject"] == "Curriculum vitae of Marie Curie, Professor of Physics, University of Paris."
    assert info["Keywords"] == "radioactivity, polonium, radium"
    assert pdf_language(hub_pdf) == "en"


@pytest.mark.slow
@requires_seed_cv  # it checks the shipped CV's own name and keywords
def test_real_cv_pdf_metadata(cv_build) -> None:
    pdf = Path(cv_build["pdf"])
    info = pdf_info(pdf)
    assert info["Title"] == "Lin Liu — Curriculum Vitae"
    assert info["Author"] == "Lin Liu"
    assert info["Subject"].startswith("Curriculum vitae of Lin Liu")
    assert info["Keywords"]
    assert pdf_language(pdf) == "en"
