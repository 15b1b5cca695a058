"""Sphinx builds of tiny test roots: HTML and LaTeX output, errors, parallel and incremental builds.

Each test names its own ``srcdir`` so no test reuses another's saved environment.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import cvsphinx.core.bibfile
import cvsphinx.core.catalog
import cvsphinx.sphinxext.directives
import cvsphinx.sphinxext.store
import cvsphinx.styles.house
import cvsphinx.styles.registry
import pytest
from bs4 import BeautifulSoup
from sphinx.util.docutils import docutils_namespace


def page(app, name: str = "index") -> BeautifulSoup:
    return BeautifulSoup((Path(app.outdir) / f"{name}.html").read_text(encoding="utf-8"), "html.parser")


def article(app, name: str = "index") -> str:
    """The page's main content, without theme chrome."""
    body = page(app, name).select_one("div.body")
    assert body is not None
    return str(body)


def warning_lines(app) -> list[str]:
    """The build's warnings, one per line, without terminal colours."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())
    return [line for line in text.splitlines() if line.strip()]


def squash(text: str) -> str:
    return " ".join(text.split())


def publication_list(app, name: str):
    lists = page(app, name).select("ol.cv-publication-list")
    assert len(lists) == 1, f"{name}.html has {len(lists)} publication lists"
    return lists[0]


# -- cv-basic: HTML ----------------------------------------------------------


@pytest.mark.sphinx("html", testroot="cv-basic", srcdir="cv-basic-html")
def test_basic_html_numbering_runs_on_across_documents(app) -> None:
    app.build()
    assert app.warning.getvalue() == ""

    journal = publication_list(app, "journal")
    assert journal.get("start", "1") == "1"
    assert [li["id"] for li in journal.find_all("li")] == ["pub-chen2019detecting", "pub-zhang2018geodetic"]

    other = publication_list(app, "other")
    assert other["start"] == "3"
    # Newest first: the 2015 misc entry before the 2011 thesis, although the .bib has them the other way round.
    assert [li["id"] for li in other.find_all("li")] == ["pub-liu2015melting", "pub-liu2011studying"]

    assert page(app, "journal").select_one("h3.cv-group-title").get_text() == "Journal Articles"
    assert page(app, "other").select_one("h3.cv-group-title").get_text() == "Other Publications"


@pytest.mark.sphinx("html", testroot="cv-basic", srcdir="cv-basic-markers")
def test_basic_html_markers_and_owner(app) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    html = article(app, "journal")

    assert (
        '<sup class="cv-marker cv-marker-student" title="graduate student"><span aria-hidden="true">*</span>'
        '<span class="cv-sr-only"> (graduate student)</span></sup>'
    ) in html
    assert '<sup class="cv-marker cv-marker-postdoc" title="postdoc"><span aria-hidden="true">×</span>' in html

    chen, zhang = [li.p for li in publication_list(app, "journal").find_all("li")]  # the entries' text
    assert squash(chen.get_text()) == (
        "Chen, X.* (graduate student), L. Liu, and A. Bartsch (2019), Detecting soil freeze/thaw onsets in Alaska "
        "using SMAP and ASCAT data, Remote Sensing of Environment, 220, 59–70, doi:10.1016/j.rse.2018.10.010."
    )
    assert [s.get_text() for s in chen.find_all("strong")] == ["L. Liu"]
    assert [s["title"] for s in chen.select("sup.cv-marker")] == ["graduate student"]
    assert [s["title"] for s in zhang.select("sup.cv-marker")] == ["postdoc", "graduate student"]
    assert [s.get_text() for s in zhang.find_all("strong")] == ["L. Liu"]

    link = chen.find("a")
    assert link["href"] == "https://doi.org/10.1016/j.rse.2018.10.010"
    assert chen.find("em").get_text() == "Remote Sensing of Environment"

    other = publication_list(app, "other")
    assert [s.get_text() for s in other.find_all("strong")] == ["Liu, L.", "Liu, L."]
    assert other.select("sup.cv-marker") == []


@pytest.mark.sphinx("html", testroot="cv-basic", srcdir="cv-basic-index")
def test_basic_html_legend_people_and_entries(app) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    soup = page(app)

    legend = soup.select_one("p.cv-legend")
    assert legend is not None
    assert [(s["title"], s.select_one('[aria-hidden="true"]').get_text()) for s in legend.select("sup.cv-marker")] == [
        ("graduate student", "*"),
        ("postdoc", "×"),
    ]
    assert squash(legend.get_text()) == "(Supervised graduate student* (graduate student) and postdoc× (postdoc))"

    supervised = [squash(p.get_text()) for p in soup.select("p.cv-supervised")]
    assert supervised == ["Graduate Students: Xiyu Chen, Enze Zhang", "Postdocs: Bao Zhang (2017–18)"]

    entries = soup.select("ul.cv-entries > li > div.cv-entry")
    assert len(entries) == 4
    rows = [
        (squash(e.select_one("span.cv-what").get_text()), [d.get_text() for d in e.select("span.cv-date")], e["class"])
        for e in entries
    ]
    assert rows == [
        ("Ph.D. in Geophysics, University of Colorado", ["2011"], ["cv-entry"]),
        ("Thesis on radar interferometry", ["2010"], ["cv-entry", "cv-sub"]),
        ("B.Sc. in Geophysics, Wuhan University", ["2005"], ["cv-entry"]),
        ("Member, American Geophysical Union", [], ["cv-entry"]),
    ]
    # An undated line still closes its text span inside its own entry.
    assert [c.name for c in entries[3].find_all(recursive=False)] == ["span"]
    # The date is the entry's last child, outside the text, so CSS can push it to the right.
    for entry in entries[:3]:
        assert entry.find_all(recursive=False)[-1].name == "span"
        assert entry.find_all(recursive=False)[-1]["class"] == ["cv-date"]
        assert entry.select_one("span.cv-what span.cv-date") is None

    css = (Path(app.outdir) / "_static" / "cvsphinx.css").read_text(encoding="utf-8")
    assert ".cv-entry .cv-date" in css
    assert "cvsphinx.css" in str(soup.head)


# -- cv-basic: LaTeX ---------------------------------------------------------


@pytest.mark.sphinx("latex", testroot="cv-basic", srcdir="cv-basic-latex")
def test_basic_latex(app) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    (tex_path,) = Path(app.outdir).glob("*.tex")
    tex = tex_path.read_text(encoding="utf-8")

    assert r"Chen, X.\textsuperscript{*}, \sphinxstylestrong{L. Liu}, and A. Bartsch (2019)" in tex
    assert r"Zhang, B.\textsuperscript{×}, \sphinxstylestrong{L. Liu}, and E. Zhang\textsuperscript{*} (2018)" in tex
    assert r"\sphinxstylestrong{Liu, L.} (2015)" in tex
    assert "Bartsch}" not in tex  # only the owner is bold

    assert re.search(r"\\cventry\{[^\n]*Ph\.D\. in Geophysics, University of Colorado\}*\{2011\}", tex)
    assert re.search(r"\\cvsubentry\{[^\n]*Thesis on radar interferometry\}*\{2010\}", tex)
    assert re.search(r"\\cventry\{[^\n]*B\.Sc\. in Geophysics, Wuhan University\}*\{2005\}", tex)
    assert re.search(r"\\cventry\{[^\n]*Member, American Geophysical Union\}*\{\}", tex)
    assert r"\textsuperscript{*} and postdoc\textsuperscript{×}" in tex

    # The second list continues the numbering: enumerate's counter starts after 2.
    counters = re.findall(r"\\setcounter\{enumi\}\{(\d+)\}", tex)
    assert counters == ["0", "2"]

    assert r"\usepackage{cvsphinx}" in tex
    sty = (Path(app.outdir) / "cvsphinx.sty").read_text(encoding="utf-8")
    assert r"\newcommand{\cventry}[2]" in sty
    assert r"\newcommand{\cvsubentry}[2]" in sty


# -- A different CV: nothing is hard-coded -----------------------------------


@pytest.mark.sphinx("html", testroot="cv-other-owner", srcdir="cv-other-owner-html")
def test_other_owner_html(app) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    soup = page(app)
    body = squash(soup.select_one("div.body").get_text())

    assert "liu" not in html.lower()
    assert "graduate student" not in html
    assert "Supervised" not in body
    assert "cv-marker-student" not in html and "cv-marker-postdoc" not in html

    legend = soup.select_one("p.cv-legend")
    assert squash(legend.get_text()) == "(Mentored mentee† (mentee) and summer intern‡ (summer intern))"

    titles = [p.get_text() for p in soup.select("h3.cv-group-title")]
    assert titles == ["Refereed Papers", "Invited Lectures"]

    papers, talks = soup.select("ol.cv-publication-list")
    assert talks["start"] == "3"
    first, second = papers.find_all("li")
    assert first.select_one("sup.cv-marker-mentee")["title"] == "mentee"
    assert first.select_one("sup.cv-marker-mentee").select_one('[aria-hidden="true"]').get_text() == "†"
    assert second.select_one("sup.cv-marker-intern").select_one('[aria-hidden="true"]').get_text() == "‡"
    assert squash(first.get_text()).startswith("Joliot, I.† (mentee) and M. Curie (1921), ")
    assert [s.get_text() for s in papers.find_all("strong")] == ["M. Curie", "Curie, M."]
    # The alias in cv_owner_aliases is bold too.
    assert [s.get_text() for s in talks.find_all("strong")] == ["Skłodowska-Curie, M."]

    supervised = [squash(p.get_text()) for p in soup.select("p.cv-supervised")]
    assert supervised == ["Mentees: Irène Joliot", "Interns: Pierre Dupont (1911)"]


@pytest.mark.sphinx("latex", testroot="cv-other-owner", srcdir="cv-other-owner-latex")
def test_other_owner_latex(app) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    (tex_path,) = Path(app.outdir).glob("*.tex")
    tex = tex_path.read_text(encoding="utf-8")
    assert "Liu" not in tex
    assert r"Joliot, I.\textsuperscript{†} and \sphinxstylestrong{M. Curie} (1921)" in tex
    assert r"P. Dupont\textsuperscript{‡} (1911)" in tex
    assert r"mentee\textsuperscript{†} and summer intern\textsuperscript{‡}" in tex
    assert r"\textsuperscript{*}" not in tex


# -- Configuration errors stop the build -------------------------------------


def _bad(srcdir: str, overrides: dict, fragments: list[str]):
    return pytest.param(
        fragments,
        marks=pytest.mark.sphinx("html", testroot="cv-basic", srcdir=srcdir, freshenv=True, confoverrides=overrides),
        id=srcdir,
    )


@pytest.mark.parametrize(
    "fragments",
    [
        _bad("cv-bad-role", {"cv_roster": [{"name": "Xiyu Chen", "roles": {"mentor": "2019–present"}}]},
             ["cv_roster[0] (Xiyu Chen)", "unknown role 'mentor'"]),
        _bad("cv-bad-period", {"cv_roster": [{"name": "Xiyu Chen", "roles": {"student": "2019–2017"}}]},
             ["cv_roster[0] (Xiyu Chen)", "'2019–2017'"]),
        _bad("cv-bad-period-text", {"cv_roster": [{"name": "Xiyu Chen", "roles": {"student": "since 2019"}}]},
             ["'since 2019'"]),
        _bad("cv-bad-selector", {"cv_publication_groups": [{"name": "journal", "select": "type = 'article'"}]},
             ["cv_publication_groups[0] (journal)", "type = 'article'"]),
        _bad("cv-bad-selector-call", {"cv_publication_groups": [{"name": "journal", "select": "__import__('os')"}]},
             ["cv_publication_groups[0] (journal)", "__import__('os')"]),
        _bad("cv-no-owner", {"cv_owner": ""}, ["cv_owner is not set"]),
        _bad("cv-bad-role-key", {"cv_roles": {"student": {"label": "graduate student", "symbol": "*", "colour": "red"}}},
             ["cv_roles['student']", "'colour'"]),
    ],
)
def test_bad_config_stops_build(fragments: list[str], app_params, make_app: Callable) -> None:
    """The mistake is logged as an error naming the value, then the build exits with status 2 (no crash report)."""
    args, kwargs = app_params
    warning = StringIO()
    # The app never finishes __init__, so nothing unregisters its directives: docutils_namespace does.
    with docutils_namespace(), pytest.raises(SystemExit) as exit_:
        make_app(*args, **{**kwargs, "warning": warning})
    assert exit_.value.code == 2
    message = re.sub(r"\x1b\[[0-9;]*m", "", warning.getvalue())
    assert "ERROR:" in message
    for fragment in fragments:
        assert fragment in message


@pytest.mark.sphinx("html", testroot="cv-unknown-group", srcdir="cv-unknown-group-html")
def test_unknown_group_warns(app) -> None:
    app.build()
    warnings = warning_lines(app)
    assert len(warnings) == 1, warnings
    (warning,) = warnings
    assert "index.md" in warning
    assert "'nosuchgroup'" in warning
    assert "journal" in warning  # names the groups that do exist
    # The good directive on the same page still renders.
    items = page(app).select("ol.cv-publication-list > li")
    assert [li["id"] for li in items] == ["pub-chen2019detecting", "pub-liu2018decadal"]


_THREE_GROUPS = {"cv_publication_groups": [
    {"name": "journal", "title": "Journal Articles", "select": "type == 'article'"},
    {"name": "other", "title": "Other Publications", "select": "type in ('misc', 'phdthesis')"},
    {"name": "talks", "title": "Talks", "select": "type == 'unpublished'"},
]}


def serial_and_parallel(srcdir: str, overrides: dict) -> list:
    """The same cv-basic build twice: serial, and with two parallel readers."""
    return [
        pytest.param(0, marks=pytest.mark.sphinx("html", testroot="cv-basic", srcdir=srcdir,
                                                 freshenv=True, confoverrides=overrides), id="serial"),
        pytest.param(2, marks=pytest.mark.sphinx("html", testroot="cv-basic", srcdir=f"{srcdir}-parallel",
                                                 freshenv=True, parallel=2, confoverrides=overrides), id="parallel"),
    ]


# Placements are recorded while reading, so parallel readers must hand them back to the main process.
@pytest.mark.parametrize("parallel", serial_and_parallel("cv-basic-unplaced", _THREE_GROUPS))
def test_group_never_placed_warns(app, parallel: int) -> None:
    assert app.parallel == parallel
    app.build()
    warnings = warning_lines(app)
    assert len(warnings) == 1, warnings
    assert "publication group 'talks' is never placed" in warnings[0]


_NO_THESIS_GROUP = {"cv_publication_groups": [
    {"name": "journal", "title": "Journal Articles", "select": "type == 'article'"},
    {"name": "other", "title": "Other Publications", "select": "type == 'misc'"},
]}


# The bibliography is read once, before the readers fork: each problem is reported once, not per worker.
@pytest.mark.parametrize("parallel", serial_and_parallel("cv-basic-no-group", _NO_THESIS_GROUP))
def test_entry_in_no_group_warns_once_with_bib_line(app, parallel: int) -> None:
    assert app.parallel == parallel
    app.build()
    warnings = warning_lines(app)
    assert len(warnings) == 1, warnings
    assert re.search(r"refs\.bib:13: WARNING: entry 'liu2011studying' \(@phdthesis\) matches no publication group",
                     warnings[0]), warnings
    assert warnings[0].endswith("[cv.no_group]")
    assert "pub-liu2011studying" not in article(app, "other")
    assert publication_list(app, "other")["start"] == "3"


@pytest.mark.sphinx("html", testroot="cv-basic", srcdir="cv-basic-no-group-suppressed", freshenv=True,
                    confoverrides={**_NO_THESIS_GROUP, "suppress_warnings": ["cv.no_group"]})
def test_cv_warning_can_be_suppressed(app) -> None:
    app.build()
    assert app.warning.getvalue() == ""


@pytest.mark.sphinx("html", testroot="cv-unknown-group", srcdir="cv-unknown-group-suppressed", freshenv=True,
                    confoverrides={"suppress_warnings": ["cv.directive"]})
def test_unknown_group_warning_is_cv_directive(app) -> None:
    """warnings_.py: every warning the extension gives has type cv and a subtype that suppress_warnings silences."""
    app.build()
    assert app.warning.getvalue() == ""


# -- Parallel and incremental builds -----------------------------------------


def _content(app) -> dict[str, str]:
    return {name: article(app, name) for name in ("index", "journal", "other")}


@pytest.mark.sphinx("html", testroot="cv-basic", srcdir="cv-basic-parallel", parallel=2, freshenv=True)
def test_parallel_build_matches_serial(app, make_app: Callable, sphinx_test_tempdir: Path, rootdir: Path) -> None:
    assert app.parallel == 2
    assert app.is_parallel_allowed("read")
    assert app.is_parallel_allowed("write")
    app.build()
    assert app.warning.getvalue() == ""
    parallel_pages = _content(app)
    app.cleanup()  # a second application in one test must not find the first one's nodes registered

    serial_src = _fresh_copy(sphinx_test_tempdir, rootdir, "cv-basic-serial")
    serial = make_app("html", srcdir=serial_src, builddir=serial_src / "_build", freshenv=True)
    serial.build()
    assert serial.warning.getvalue() == ""

    serial_pages = _content(serial)
    assert "cv-publication-list" in parallel_pages["journal"]
    assert 'start="3"' in parallel_pages["other"]
    assert parallel_pages == serial_pages


def _count_calls(monkeypatch: pytest.MonkeyPatch, name: str, original: Callable, modules: list) -> dict[str, int]:
    """Count calls of ``name`` in every cvsphinx module that imported it (wherever the code calls it from)."""
    counter = {"calls": 0}

    @functools.wraps(original)  # the style's own code is still the original's (style.style_digest)
    def counting(*args, **kwargs):
        counter["calls"] += 1
        return original(*args, **kwargs)

    patched = [m for m in modules if getattr(m, name, None) is original]
    assert patched, f"no module calls {name}"
    for module in patched:
        monkeypatch.setattr(module, name, counting)
    for style, formatter in list(cvsphinx.styles.registry.STYLES.items()):  # the registered styles are called by name
        if formatter is original:
            monkeypatch.setitem(cvsphinx.styles.registry.STYLES, style, counting)
    return counter


@pytest.mark.sphinx("html", testroot="cv-basic", srcdir="cv-basic-rebuild", freshenv=True)
def test_no_change_rebuild_formats_nothing(app, monkeypatch: pytest.MonkeyPatch) -> None:
    modules = [cvsphinx.styles.house, cvsphinx.core.bibfile, cvsphinx.sphinxext.store, cvsphinx.core.catalog,
               cvsphinx.sphinxext.directives]
    formats = _count_calls(monkeypatch, "format_entry", cvsphinx.styles.house.format_entry, modules)
    reads = _count_calls(monkeypatch, "read_bib", cvsphinx.core.bibfile.read_bib, modules)
    read_docs: list[list[str]] = []
    app.connect("env-before-read-docs", lambda _app, _env, docnames: read_docs.append(sorted(docnames)))

    app.build()
    assert app.warning.getvalue() == ""
    assert read_docs == [["index", "journal", "other"]]
    assert formats["calls"] >= 4  # every entry formatted at least once
    assert reads["calls"] >= 1
    found = set(app.env.found_docs)
    assert found == {"index", "journal", "other"}
    journal_html = (Path(app.outdir) / "journal.html").read_text(encoding="utf-8")

    formats["calls"] = reads["calls"] = 0
    app.build()
    assert app.warning.getvalue() == ""
    assert read_docs[1:] == [[]]
    assert formats["calls"] == 0
    assert reads["calls"] == 0
    assert set(app.env.found_docs) == found
    assert (Path(app.outdir) / "journal.html").read_text(encoding="utf-8") == journal_html


@pytest.mark.sphinx("html", testroot="cv-basic", srcdir="cv-basic-bib-edit", freshenv=True)
def test_bib_edit_rebuilds_pages_with_publications(app) -> None:
    read_docs: list[list[str]] = []
    app.connect("env-before-read-docs", lambda _app, _env, docnames: read_docs.append(sorted(docnames)))
    app.build()
    assert app.warning.getvalue() == ""
    assert "Detecting soil freeze/thaw onsets" in article(app, "journal")

    bib = Path(app.srcdir) / "refs.bib"
    text = bib.read_text(encoding="utf-8")
    bib.write_text(text.replace("Detecting soil freeze/thaw onsets", "Mapping soil freeze/thaw onsets"), encoding="utf-8")
    stat = bib.stat()
    os.utime(bib, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000_000))

    app.build()
    assert app.warning.getvalue() == ""
    assert read_docs[1:] == [["journal", "other"]]
    journal = article(app, "journal")
    assert "Mapping soil freeze/thaw onsets in Alaska" in journal
    assert "Detecting soil" not in journal
    chen = publication_list(app, "journal").find_all("li")[0]
    assert [s["title"] for s in chen.select("sup.cv-marker")] == ["graduate student"]
    assert publication_list(app, "other")["start"] == "3"


def _fresh_copy(sphinx_test_tempdir: Path, rootdir: Path, name: str) -> Path:
    src = sphinx_test_tempdir / name
    if src.exists():
        shutil.rmtree(src)
    shutil.copytree(rootdir / "test-cv-basic", src)
    return src


def test_rebuild_from_saved_environment(make_app: Callable, sphinx_test_tempdir: Path, rootdir: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A second sphinx-build run on the same output (a new application, the pickled environment) reads nothing."""
    src = _fresh_copy(sphinx_test_tempdir, rootdir, "cv-basic-saved-env")
    first = make_app("html", srcdir=src, builddir=src / "_build")
    first.build()
    assert first.warning.getvalue() == ""
    journal_html = (Path(first.outdir) / "journal.html").read_text(encoding="utf-8")
    first.cleanup()

    modules = [cvsphinx.styles.house, cvsphinx.core.bibfile, cvsphinx.sphinxext.store, cvsphinx.sphinxext.directives]
    formats = _count_calls(monkeypatch, "format_entry", cvsphinx.styles.house.format_entry, modules)
    second = make_app("html", srcdir=src, builddir=src / "_build")
    read_docs: list[list[str]] = []
    second.connect("env-before-read-docs", lambda _app, _env, docnames: read_docs.append(sorted(docnames)))
    second.build()
    assert second.warning.getvalue() == ""
    assert read_docs == [[]]
    assert formats["calls"] == 0
    assert (Path(second.outdir) / "journal.html").read_text(encoding="utf-8") == journal_html
    second.cleanup()

    # An edited entry in a third run: the pages are re-read and show the change.
    bib = src / "refs.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace("{Greenland}", "{East Greenland}"), encoding="utf-8")
    stat = bib.stat()
    os.utime(bib, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000_000))
    third = make_app("html", srcdir=src, builddir=src / "_build")
    third.build()
    assert third.warning.getvalue() == ""
    journal = publication_list(third, "journal")
    assert "Geodetic data reveal mass changes over East Greenland" in squash(journal.get_text())
    assert "Detecting soil freeze/thaw onsets" in squash(journal.get_text())


def test_config_change_reformats_entries(make_app: Callable, sphinx_test_tempdir: Path, rootdir: Path) -> None:
    """Changing the roster in conf.py between runs changes the markers, even though no .bib file changed."""
    src = _fresh_copy(sphinx_test_tempdir, rootdir, "cv-basic-config-change")
    first = make_app("html", srcdir=src, builddir=src / "_build")
    first.build()
    assert first.warning.getvalue() == ""
    chen = publication_list(first, "journal").find_all("li")[0]
    assert [s["title"] for s in chen.select("sup.cv-marker")] == ["graduate student"]
    first.cleanup()

    roster = [
        {"name": "Xiyu Chen", "roles": {"postdoc": "2019–present"}},
        {"name": "Enze Zhang", "roles": {"student": "2017–present"}},
        {"name": "Bao Zhang", "roles": {"postdoc": "2017–2018"}},
    ]
    second = make_app("html", srcdir=src, builddir=src / "_build", confoverrides={"cv_roster": roster})
    second.build()
    assert second.warning.getvalue() == ""
    chen = publication_list(second, "journal").find_all("li")[0]
    assert [s["title"] for s in chen.select("sup.cv-marker")] == ["postdoc"]
    supervised = [squash(p.get_text()) for p in page(second).select("p.cv-supervised")]
    assert supervised == ["Graduate Students: Enze Zhang", "Postdocs: Xiyu Chen (2019–present), Bao Zhang (2017–18)"]
