"""Variants of the CV (cv_variants): what each keeps, its layout, its page limit, and fast PDFs.

Root ``test-cv-variants``: one small CV with a variant "brief" (sections, tagged lines, selected
papers, a count per group, one page at most) and a variant "grant" (sections by id and file name,
a year window on papers and on one section's lines, its own title, PDF name and layout).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import re
import shutil
import subprocess
import sys
import threading
import time
import zlib
from io import StringIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from cvsphinx.core.configerrors import ConfigError
from cvsphinx.core.groups import Selection, assign, build_groups, compile_selector
from cvsphinx.core.records import Record
from cvsphinx.core.variants import VARIANT_KEYS, build_variants, keeps_entry, picks_lines, reaches, split_tags
from cvsphinx.output.fastpdf import NO_CJK, ONE_PASS, drop_xecjk, fast_tex, replace_fonts
from cvsphinx.output.pdftools import pdf_name_in, pdf_pages
from sphinx.util.docutils import docutils_namespace

HERE = Path(__file__).parents[1]
ROOT = HERE / "roots" / "test-cv-variants"
PROJECT = HERE.parent
GROUPS = build_groups([{"name": "journal", "select": "type == 'article'"}, {"name": "other", "select": "type == 'misc'"}])

# -- The model, without Sphinx ---------------------------------------------------------------------


def test_tags_are_known_words_in_brackets_at_the_end() -> None:
    known = frozenset({"short", "rgc"})
    assert split_tags("Award | 2016 [short]", known) == ("Award | 2016", ("short",))
    assert split_tags("Award | 2016 [short, rgc]", known) == ("Award | 2016", ("short", "rgc"))
    assert split_tags("Award | 2016 [ short rgc ]", known) == ("Award | 2016", ("short", "rgc"))
    # brackets of the text itself stay text
    assert split_tags("Lab course [in Chinese] | 2016", known) == ("Lab course [in Chinese] | 2016", ())
    assert split_tags("Talk [in Chinese]", known) == ("Talk [in Chinese]", ())
    assert split_tags("Talk [short] and more", known) == ("Talk [short] and more", ())
    assert split_tags("[Site](https://x.org) | 2016", known) == ("[Site](https://x.org) | 2016", ())
    assert split_tags("Award | 2016 [short]", frozenset()) == ("Award | 2016 [short]", ())  # no variants: no tags


def test_dates_reach_into_a_window() -> None:
    assert reaches("2014–present", 2017)
    assert reaches("2015–2018", 2017)
    assert reaches("2016–", 2017)
    assert reaches("Fall 2014, 2016, 2018", 2017)
    assert reaches("", 2017)  # nothing says it is old
    assert not reaches("2014–2016", 2017)
    assert not reaches("Spring 2011", 2017)
    assert not reaches("2006–07", 2017)


def test_picked_lines() -> None:
    brief = build_variants({"brief": {}}, GROUPS, None)["brief"]
    assert brief.tags == ("brief",)
    block = [("brief",), (), ("grant",)]
    assert picks_lines(brief, block)
    assert [keeps_entry(brief, t, True) for t in block] == [True, False, False]
    assert not picks_lines(brief, [(), ("grant",)])  # nothing picked for brief: the block stays whole
    assert all(keeps_entry(brief, t, False) for t in block)
    assert all(keeps_entry(None, t, True) for t in block)  # the full CV keeps every line


_counter = iter(range(10_000))


def rec(key: str, type_: str = "article", year: str = "2019", **fields: str) -> Record:
    return Record(key, type_, {"year": year, **fields}, {}, "refs.bib", 1, index=next(_counter))


def test_selected_is_a_flag() -> None:
    select = compile_selector("selected")
    assert select(rec("a", selected="true")) and select(rec("b", selected="Yes")) and select(rec("c", selected="1"))
    assert not select(rec("d", selected="false")) and not select(rec("e", selected="no")) and not select(rec("f"))
    assert compile_selector("not selected")(rec("g", selected="false"))
    assert compile_selector("selected == 'true'")(rec("h", selected="TRUE"))


def test_selection_filters_counts_and_numbers_afresh() -> None:
    records = [rec("a2019", year="2019", selected="true"), rec("b2018", year="2018"),
               rec("c2016", year="2016", selected="true"), rec("d2014", year="2014", selected="true"),
               rec("m2017", "misc", year="2017", selected="true"), rec("m2011", "misc", year="2011")]
    full = assign(records, GROUPS)
    assert full.numbers == {"a2019": 1, "b2018": 2, "c2016": 3, "d2014": 4, "m2017": 5, "m2011": 6}
    brief = assign(records, GROUPS, Selection(compile_selector("selected"), None, {"journal": 2}))
    assert {g: [r.key for r in rs] for g, rs in brief.by_group.items()} == {"journal": ["a2019", "c2016"], "other": ["m2017"]}
    assert brief.numbers == {"a2019": 1, "c2016": 2, "m2017": 3}
    recent = assign(records, GROUPS, Selection(None, 2016, 1))
    assert recent.numbers == {"a2019": 1, "m2017": 2}
    # which group an entry belongs to does not depend on the variant: the same problems as the full CV
    assert recent.unplaced == full.unplaced and recent.overlaps == full.overlaps


def test_variant_settings_are_checked_all_at_once() -> None:
    raw = {
        "two words": {},
        "a": {"titel": "x", "sections": "Education", "tags": ["two words"], "years": 0, "select": "type = 'x'",
              "max_per_group": {"nope": 2}, "page_limit": 1.5, "font_size": "13pt", "paper": "a3", "margins": "wide",
              "line_spacing": True, "pdf": "a/b.pdf", "entry_years": {"Projects": "5"}},
        "b": {"years": 5, "pdf": "cv.pdf"},
        "c": [],
    }
    problems: list[str] = []
    variants = build_variants(raw, GROUPS, None, problems, main="cv.pdf")
    assert variants == {}
    expected = [
        "cv_variants key 'two words' must be one word",
        "cv_variants['a'] has unknown key 'titel'; did you mean 'title'?",
        "cv_variants['a']['pdf'] must be a file name ending in .pdf, not 'a/b.pdf'",
        "cv_variants['a']['sections'] must be a list of section titles (or None for all), not 'Education'",
        "cv_variants['a']['tags'] must be a list of one-word tags, not ['two words']",
        "cv_variants['a']['years'] must be a whole number of years, 1 or more, or None, not 0",
        "cv_variants['a']['entry_years']['Projects'] must be a whole number of years, 1 or more, not '5'",
        "cv_variants['a']: the selector \"type = 'x'\" does not parse",
        "cv_variants['a']['max_per_group'] names the group 'nope', which is not in cv_publication_groups (journal, other)",
        "cv_variants['a']['page_limit'] must be a whole number of pages, 1 or more, not 1.5",
        "cv_variants['a']['font_size'] must be one of 10pt, 11pt, 12pt, not '13pt'",
        "cv_variants['a']['paper'] must be one of a4paper, letterpaper",
        "cv_variants['a']['margins'] must be a length such as '2.5cm', '25mm' or '1in', not 'wide'",
        "cv_variants['a']['line_spacing'] must be a number from 0.5 to 3 (1 is single spacing), not True",
        "cv_variants['b']['pdf'] 'cv.pdf' is also the PDF of the full CV",
        "cv_variants['b']['years'] counts back from cv_reference_year, which is not set",
        "cv_variants['c'] must be a dict of settings, not []",
    ]
    for fragment in expected:
        assert sum(fragment in p for p in problems) == 1, (fragment, problems)
    assert len(problems) == len(expected), problems
    with pytest.raises(ConfigError):
        build_variants({"c": []}, GROUPS, None)


def test_variant_defaults() -> None:
    (short,) = build_variants({"short": {"years": 5, "entry_years": 3}}, GROUPS, 2019, main="lin-liu-cv.pdf").values()
    assert short.pdf == "lin-liu-cv-short.pdf"
    assert short.selection.since == 2015
    assert short.entry_since == ((None, 2017),)
    assert short.sections is None and short.title is None and short.page_limit is None
    assert set(VARIANT_KEYS) >= {"sections", "select", "years", "max_per_group", "page_limit", "font", "margins"}


# -- LaTeX: layout and one fast run -----------------------------------------------------------------

FONTPKG = r"""
\setmainfont{FreeSerif}[Extension=.otf, UprightFont=*,
  BoldFont=*Bold]
\setsansfont{FreeSans}[Extension=.otf]
\setmonofont{FreeMono}[Scale=0.9]
\usepackage{xeCJK}
\setCJKmainfont{Noto Serif CJK SC}
\xeCJKDeclareCharClass{Default}{"2013, "2014,
  "25CA}
"""


def test_replace_fonts_keeps_the_monospaced_one() -> None:
    out = replace_fonts(FONTPKG, "TeX Gyre Termes")
    assert r"\setmainfont{TeX Gyre Termes}" in out and r"\setsansfont{TeX Gyre Termes}" in out
    assert "FreeSerif" not in out and "FreeSans" not in out and "BoldFont" not in out
    assert r"\setmonofont{FreeMono}[Scale=0.9]" in out and r"\setCJKmainfont{Noto Serif CJK SC}" in out
    assert replace_fonts("", "X") == "\n\\setmainfont{X}\n\n\\setsansfont{X}\n"


def test_xecjk_goes_with_its_commands() -> None:
    out = drop_xecjk(FONTPKG)
    assert "CJK" not in out and "25CA" not in out
    assert r"\setmonofont{FreeMono}[Scale=0.9]" in out and r"\setsansfont{FreeSans}" in out
    assert drop_xecjk(r"\usepackage{fontspec,xeCJK}\setCJKmainfont{X}") == r"\usepackage{fontspec,xeCJK}\setCJKmainfont{X}"


def tex_of(body: str, preamble: str = FONTPKG) -> str:
    return (r"\documentclass{article}" + preamble + "\\usepackage{hyperref}\n\\begin{document}\n"
            + body + "\n\\end{document}\n")


def test_fast_tex() -> None:
    plain = fast_tex(tex_of(r"\section{Education}\label{index:education} Liu, L."))
    assert ONE_PASS in plain and "\\nofiles" in plain and "\\usepackage{bookmark}" in plain
    assert NO_CJK in plain and "xeCJK" not in plain.split(NO_CJK)[0]
    assert fast_tex(plain) == plain
    cjk = fast_tex(tex_of("刘林 (Lin Liu)"))
    assert "\\usepackage{xeCJK}" in cjk and NO_CJK not in cjk and ONE_PASS in cjk
    title_cjk = fast_tex(tex_of("Lin Liu", FONTPKG + "\\title{刘林}\n"))  # CJK in the preamble counts too
    assert "\\usepackage{xeCJK}" in title_cjk
    for needs_aux in (r"see \ref{x}", r"\hyperref[\detokenize{index:x}]{x}", r"\cite{k}", r"\sphinxtableofcontents",
                      r"\pageref{LastPage}", r"\index{Liu}\printindex"):
        out = fast_tex(tex_of(needs_aux))
        assert ONE_PASS not in out and "\\nofiles" not in out, needs_aux
    assert ONE_PASS in fast_tex(tex_of(r"Liu, L. \printindex"))  # Sphinx's default: an index with no entries
    assert fast_tex("no document") == "no document"


def minimal_pdf(pages: int) -> bytes:
    kids = " ".join(f"{3 + i} 0 R" for i in range(pages))
    objs = [b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n",
            f"2 0 obj << /Type /Pages /Kids [{kids}] /Count {pages} >> endobj\n".encode()]
    objs += [f"{3 + i} 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n".encode()
             for i in range(pages)]
    return b"%PDF-1.4\n" + b"".join(objs) + b"trailer << /Root 1 0 R >>\n%%EOF\n"


def test_the_pdf_name_is_read_from_conf_py_as_sphinx_names_it(tmp_path: Path) -> None:
    conf = tmp_path / "conf.py"
    conf.write_text('project = "X"\nlatex_documents = [("index", "marie-curie-cv.tex", project, "", "howto", False)]\n',
                    encoding="utf-8")
    assert pdf_name_in(conf) == "marie-curie-cv.pdf"
    conf.write_text('latex_documents = [("index", name + ".tex", "X", "", "howto")]\n', encoding="utf-8")
    assert pdf_name_in(conf) is None  # not a literal: the summary then lists every PDF it finds


def test_pdf_pages_plain_and_compressed(tmp_path: Path) -> None:
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(minimal_pdf(3))
    assert pdf_pages(plain) == 3
    body = b"2 0 obj\n<</Type/Pages/Count 11/Kids[3 0 R]>>\nendobj\n"
    packed = zlib.compress(b"2 0 " + body)
    stream = tmp_path / "stream.pdf"
    stream.write_bytes(b"%PDF-1.5\n5 0 obj\n<</Type/ObjStm/N 1/First 4/Filter/FlateDecode/Length "
                       + str(len(packed)).encode() + b">>\nstream\n" + packed + b"\nendstream\nendobj\n%%EOF\n")
    assert pdf_pages(stream) == 11
    assert pdf_pages(tmp_path / "missing.pdf") is None
    (tmp_path / "junk.pdf").write_bytes(b"not a pdf")
    assert pdf_pages(tmp_path / "junk.pdf") is None


# -- HTML builds ---------------------------------------------------------------------------------


def page(app) -> BeautifulSoup:
    return BeautifulSoup((Path(app.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser")


def headings(soup: BeautifulSoup) -> list[str]:
    return [h.get_text(" ", strip=True).rstrip("#¶").strip() for h in soup.select("section h2")]


def lines(soup: BeautifulSoup, heading: str) -> list[str]:
    section = next(h.parent for h in soup.select("section > h2") if h.get_text().startswith(heading))
    return [" ".join(e.get_text(" ", strip=True).split()) for e in section.select(".cv-entry")]


def publications(soup: BeautifulSoup) -> list[tuple[int, str]]:
    """(number, key) of every listed publication, in page order."""
    out = []
    for ol in soup.select("ol.cv-publication-list"):
        start = int(ol.get("start", "1"))
        out += [(start + i, li["id"].removeprefix("pub-")) for i, li in enumerate(ol.find_all("li", recursive=False))]
    return out


@pytest.mark.sphinx("html", testroot="cv-variants", srcdir="cv-variants-full", freshenv=True)
def test_full_cv_shows_everything_without_the_tags(app) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    soup = page(app)
    assert headings(soup) == ["Education", "Projects", "Teaching", "Awards", "Publications"]
    assert lines(soup, "Teaching") == ["Solid Earth Dynamics 2014–2019", "Hydrogeology 2014",
                                       "Remote Sensing Lab [in Chinese] 2016", "Field course 2015", "Two weeks in Tibet"]
    assert "[brief" not in soup.get_text()
    assert publications(soup) == [(1, "chen2019detecting"), (2, "liu2018decadal"), (3, "liu2016annual"),
                                  (4, "liu2014insar"), (5, "liu2017talk"), (6, "liu2011studying")]
    links = {a.get_text(): a["href"] for a in soup.select("a.cv-pdf-variant")}
    assert links == {"One-page CV": "variants/brief/tester-cv-brief.pdf",
                     "Variant Tester — Grant CV": "variants/grant/grant-cv.pdf"}
    assert [a["href"] for a in soup.select("a.cv-pdf-link")] == ["tester-cv.pdf"]


@pytest.mark.sphinx("html", testroot="cv-variants", srcdir="cv-variants-brief", freshenv=True,
                    confoverrides={"cv_variant": "brief"})
def test_brief_keeps_its_sections_lines_and_papers(app) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    soup = page(app)
    assert headings(soup) == ["Education", "Teaching", "Publications"]
    assert lines(soup, "Teaching") == ["Solid Earth Dynamics 2014–2019", "Hydrogeology 2014"]
    assert lines(soup, "Education") == ["Ph.D. in Geophysics, University of Colorado 2011",
                                        "B.Sc. in Geophysics, Wuhan University 2005"]
    # selected (true, yes; not false), at most two journal papers, numbered afresh
    assert publications(soup) == [(1, "chen2019detecting"), (2, "liu2016annual"), (3, "liu2017talk")]
    assert [a["href"] for a in soup.select("a.cv-pdf-link")] == ["tester-cv-brief.pdf"]
    assert not soup.select("a.cv-pdf-variant")
    assert "Projects" not in " ".join(a.get_text() for a in soup.select(".sidebar-tree a, .toc-tree a"))


@pytest.mark.sphinx("html", testroot="cv-variants", srcdir="cv-variants-grant", freshenv=True,
                    confoverrides={"cv_variant": "grant"})
def test_grant_keeps_the_last_years(app) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    soup = page(app)
    assert headings(soup) == ["Education", "Projects", "Publications"]
    assert lines(soup, "Education") == ["Ph.D. in Geophysics, University of Colorado 2011",
                                        "B.Sc. in Geophysics, Wuhan University 2005"]  # no window there
    assert lines(soup, "Projects") == ["Rock glaciers of western China (PI) 2018–present",
                                       "Greenland outlet glaciers (PI) 2015–2018", "Funded by the Early Career Scheme",
                                       "Thesis committees (no date)"]
    assert [li.get("value") for li in soup.select("ol.cv-entries > li")] in ([None] * 4, ["1", "2", "3", "4"])
    assert publications(soup) == [(1, "chen2019detecting"), (2, "liu2018decadal"), (3, "liu2017talk")]
    assert "Variant Tester — Grant CV" in soup.title.get_text()
    assert [a["href"] for a in soup.select("a.cv-pdf-link")] == ["grant-cv.pdf"]


@pytest.mark.sphinx("latex", testroot="cv-variants", srcdir="cv-variants-grant-latex", freshenv=True,
                    confoverrides={"cv_variant": "grant"})
def test_grant_latex_layout(app) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    assert [p.name for p in Path(app.outdir).glob("*.tex")] == ["grant-cv.tex"]
    tex = (Path(app.outdir) / "grant-cv.tex").read_text(encoding="utf-8")
    assert re.search(r"\\documentclass\[letterpaper,12pt,", tex)
    assert r"\setmainfont{TeX Gyre Termes}" in tex and r"\setsansfont{TeX Gyre Termes}" in tex and "FreeSerif" not in tex
    assert r"\geometry{margin=2.5cm}" in tex and r"\linespread{1.5}" in tex
    assert r"\title{Variant Tester — Grant CV}" in tex
    assert ONE_PASS in tex and NO_CJK in tex and "xeCJK}" not in tex


@pytest.mark.sphinx("latex", testroot="cv-variants", srcdir="cv-variants-cjk-latex", freshenv=True,
                    confoverrides={"latex_documents": [("index", "tester-cv.tex", "刘林 Variant Tester", "", "howto", False)]})
def test_cjk_text_keeps_xecjk(app) -> None:
    app.build()
    tex = (Path(app.outdir) / "tester-cv.tex").read_text(encoding="utf-8")
    assert r"\usepackage{xeCJK}" in tex and NO_CJK not in tex and ONE_PASS in tex


def _fails_to_start(make_app, srcdir: str, overrides: dict) -> str:
    warning = StringIO()
    with docutils_namespace(), pytest.raises(SystemExit) as exit_:
        make_app("html", srcdir=srcdir, confoverrides=overrides, warning=warning)
    assert exit_.value.code == 2
    return re.sub(r"\x1b\[[0-9;]*m", "", warning.getvalue())


@pytest.mark.parametrize(("overrides", "message"), [
    ({"cv_variant": "breif"}, "cv_variant 'breif' is not in cv_variants; did you mean 'brief'? the variants are: brief, grant"),
    ({"cv_reference_year": None}, "cv_variants['grant']['years'] counts back from cv_reference_year, which is not set"),
    ({"cv_reference_year": "2019"}, "cv_reference_year must be a four-digit year or None, not '2019'"),
    ({"cv_variants": {"x": {"page_limit": 0}}}, "cv_variants['x']['page_limit'] must be a whole number of pages, 1 or more, not 0"),
])
def test_configuration_mistakes_stop_the_build(make_app, sphinx_test_tempdir: Path, overrides: dict, message: str) -> None:
    src = sphinx_test_tempdir / "cv-variants-mistake"
    shutil.rmtree(src, ignore_errors=True)
    shutil.copytree(ROOT, src)
    text = _fails_to_start(make_app, src, overrides)
    assert message in text, text


# -- PDFs: every variant at once, page limits, one LaTeX run --------------------------------------


def _project(tmp_path: Path, variants_extra: str = "") -> Path:
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    if variants_extra:
        with open(src / "conf.py", "a", encoding="utf-8") as conf:
            conf.write(variants_extra)
    return src


def _driver(src: Path, *args: str) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(PROJECT / "ext"), "PATH": "/usr/bin:/bin", "HOME": str(src)}
    return subprocess.run([sys.executable, "-m", "cvsphinx.cli.variants", str(src), *args], capture_output=True, text=True,
                          env=env, timeout=600)


TIGHT = """
# the whole CV in a large font with wide spacing: more than one page
cv_variants["tight"] = {"label": "Tight", "font_size": "12pt", "line_spacing": 3, "margins": "5cm", "page_limit": 1}
"""


@pytest.mark.slow
def test_every_pdf_at_once_and_the_page_limit(tmp_path: Path) -> None:
    src = _project(tmp_path, TIGHT)
    run = _driver(src, "-W")
    assert run.returncode == 1, run.stdout + run.stderr
    err = re.sub(r"\x1b\[[0-9;]*m", "", run.stderr)
    limit_lines = [line for line in err.splitlines() if "[cv.page_limit]" in line]
    assert len(limit_lines) == 1, err
    pages = pdf_pages(src / "_build" / "variants" / "tight" / "latex" / "tester-cv-tight.pdf")
    assert pages is not None and pages > 1
    assert re.search(rf"conf\.py:\d+: WARNING: variant 'tight': tester-cv-tight\.pdf has {pages} pages, over its "
                     r"limit of 1", limit_lines[0]), limit_lines
    out = run.stdout
    assert re.search(r"^brief +1 page \(limit 1\)", out, re.MULTILINE), out
    assert re.search(rf"^tight +{pages} pages \(limit 1\).*FAILED$", out, re.MULTILINE), out
    # every PDF was built; the full CV's where -M latexpdf puts it, alone in its folder
    assert [p.name for p in (src / "_build" / "latex").glob("*.pdf")] == ["tester-cv.pdf"]
    for name, pdf in (("brief", "tester-cv-brief.pdf"), ("grant", "grant-cv.pdf")):
        assert pdf_pages(src / "_build" / "variants" / name / "latex" / pdf) == (1 if name == "brief" else 2)
        published = src / "_build" / "html" / "variants" / name
        assert (published / pdf).is_file() and (published / "index.html").is_file()
    assert not (src / "_build" / "html" / "variants" / "tight").exists()  # a failed variant is not published
    # one xelatex run each
    for log in [*(src / "_build").glob("latex/*.log"), *(src / "_build").glob("variants/*/latex/*.log")]:
        assert log.read_text(errors="replace").count("This is XeTeX") == 1

    # without -W the same warning, exit status 0; the full CV's page then links to PDFs that all exist
    run = _driver(src, "--only", "brief", "grant", "--no-main")
    assert run.returncode == 0, run.stdout + run.stderr
    html = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", str(src), str(src / "_build" / "html"),
                           "-d", str(src / "_build" / "doctrees")], capture_output=True, text=True,
                          env={"PYTHONPATH": str(PROJECT / "ext"), "PATH": "/usr/bin:/bin"})
    assert html.returncode == 0, html.stderr
    soup = BeautifulSoup((src / "_build" / "html" / "index.html").read_text(encoding="utf-8"), "html.parser")
    hrefs = [a["href"] for a in soup.select("a[href$='.pdf']")]
    assert len(hrefs) == 4  # the full CV and three variants
    missing = [h for h in hrefs if not (src / "_build" / "html" / h).is_file()]
    assert missing == ["variants/tight/tester-cv-tight.pdf"]  # the one over its limit was never published


def outline_titles(pdf: Path) -> list[str]:
    """The titles of the PDF's bookmarks (xdvipdfmx writes them as UTF-16 hex strings, in compressed streams)."""
    data = pdf.read_bytes()
    chunks = [data]
    for match in re.finditer(rb"/Length (\d+)[^>]*>>\s*stream\r?\n", data):
        try:
            chunks.append(zlib.decompress(data[match.end():match.end() + int(match[1])]))
        except zlib.error:
            continue
    # an outline item: <</Title<feff...>/A<<...>>/Parent n 0 R ...>>; the document's own /Title has no /Parent
    item = re.compile(rb"/Title\s*<feff([0-9a-fA-F]+)>\s*/A\s*<<[^>]*>>\s*/Parent")
    return [bytes.fromhex(h.decode()).decode("utf-16-be") for chunk in chunks for h in item.findall(chunk)]


@pytest.mark.slow
def test_latexmk_runs_xelatex_once_and_the_pdf_has_bookmarks(tmp_path: Path) -> None:
    """Sphinx's own ``-M latexpdf`` (latexmk, as Read the Docs runs it too) needs one xelatex run."""
    src = _project(tmp_path)
    run = subprocess.run([sys.executable, "-m", "sphinx", "-M", "latexpdf", str(src), str(src / "_build")],
                         capture_output=True, text=True, env={"PYTHONPATH": str(PROJECT / "ext"), "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr
    assert (run.stdout + run.stderr).count("Run number") == 1, run.stdout + run.stderr
    pdf = src / "_build" / "latex" / "tester-cv.pdf"
    assert outline_titles(pdf) == ["Education", "Projects", "Teaching", "Awards", "Publications"]  # bookmarks
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Variant Tester" in text and "Solid Earth Dynamics" in text and "[brief" not in text


# -- Live preview: the PDFs rebuilt in the background, and the page says so --------------------------


def _html(src: Path, env: dict[str, str], *options: str) -> None:
    run = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", *options, str(src),
                          str(src / "_build" / "html")],
                         capture_output=True, text=True, env={"PYTHONPATH": str(PROJECT / "ext"), "PATH": "/usr/bin:/bin", **env})
    assert run.returncode == 0, run.stderr


def _status(src: Path) -> dict:
    path = src / "_build" / "html" / "_cvsphinx" / "pdf-status.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


@pytest.mark.slow
def test_preview_rebuilds_the_pdfs_in_the_background(tmp_path: Path) -> None:
    src = _project(tmp_path)
    _html(src, {"CVSPHINX_PREVIEW": "1"})
    assert "pdf-status.json" in (src / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    started = time.monotonic()
    first = _driver(src, "--preview")
    # a save while the first build runs: one more build, queued; as cv.sh runs it, as a file (it imports nothing)
    second = subprocess.run([sys.executable, str(PROJECT / "ext" / "cvsphinx" / "cli" / "variants.py"), str(src), "--preview"],
                            capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"}, timeout=60)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert time.monotonic() - started < 20  # it returns at once: sphinx-autobuild serves the page meanwhile
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        lock_free = not (src / "_build" / ".cvsphinx-pdf.pending").exists()
        if _status(src).get("state") == "done" and lock_free and "all builds done" in _log_state(src):
            break
        time.sleep(0.5)
    status = _status(src)
    assert status["state"] == "done", status
    assert {p["name"]: (p["pdf"], p["pages"], p["limit"], p["ok"]) for p in status["pdfs"]} == {
        "": ("tester-cv.pdf", pdf_pages(src / "_build" / "latex" / "tester-cv.pdf"), None, True),
        "brief": ("tester-cv-brief.pdf", 1, 1, True),
        "grant": ("grant-cv.pdf", 2, None, True)}
    log = (src / "_build" / "cvsphinx-pdf.log").read_text(encoding="utf-8")
    assert log.count("full CV ") == 2, log  # the queued save was built too, once
    html = src / "_build" / "html"
    assert (html / "tester-cv.pdf").is_file()  # the page's own link
    assert (html / "variants" / "brief" / "tester-cv-brief.pdf").is_file()
    assert "pdf-status.json" not in (html / "variants" / "brief" / "index.html").read_text(encoding="utf-8")


def _log_state(src: Path) -> str:
    """'all builds done' once no preview worker holds the lock."""
    import fcntl

    lock = src / "_build" / ".cvsphinx-pdf.lock"
    if not lock.exists():
        return ""
    with open(lock, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return "building"
        fcntl.flock(handle, fcntl.LOCK_UN)
    return "all builds done"


def test_page_has_no_preview_note_outside_preview(tmp_path: Path) -> None:
    src = _project(tmp_path)
    _html(src, {})
    assert "pdf-status.json" not in (src / "_build" / "html" / "index.html").read_text(encoding="utf-8")


@contextlib.contextmanager
def _preview_page(src: Path, browser):
    """The built page served on localhost in a browser, "building" written to its status file first; yields the
    note beside the PDF links and the function that writes the status."""
    html = src / "_build" / "html"
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(html))
    handler.log_message = lambda *args: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    context = browser.new_context()
    try:
        write_status = partial_status(html)
        write_status({"state": "building", "time": time.time()})
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/index.html")
        yield page.locator("p.cv-pdf .cv-pdf-status"), write_status
    finally:
        context.close()
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.slow
def test_preview_page_says_when_a_pdf_is_being_rebuilt(tmp_path: Path, browser) -> None:
    src = _project(tmp_path)
    _html(src, {"CVSPHINX_PREVIEW": "1"})
    with _preview_page(src, browser) as (note, write_status):
        note.filter(has_text="The PDFs are being rebuilt").wait_for(timeout=10_000)
        assert note.get_attribute("role") == "status"
        write_status({"state": "done", "time": time.time(), "pdfs": [
            {"name": "", "pdf": "tester-cv.pdf", "pages": 1, "limit": None, "ok": True},
            {"name": "brief", "pdf": "tester-cv-brief.pdf", "pages": 3, "limit": 1, "ok": True}]})
        note.filter(has_text="tester-cv-brief.pdf has 3 pages, over its limit of 1").wait_for(timeout=10_000)
        assert note.inner_text().startswith("PDFs rebuilt at ")
        write_status({"state": "failed", "time": time.time(), "pdfs": [
            {"name": "grant", "pdf": "", "pages": None, "limit": None, "ok": False}]})
        note.filter(has_text="grant failed").wait_for(timeout=10_000)


def partial_status(html: Path):
    def write(status: dict) -> None:
        path = html / "_cvsphinx" / "pdf-status.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(status), encoding="utf-8")
    return write


@pytest.mark.slow
def test_preview_note_speaks_the_cvs_language(tmp_path: Path, browser) -> None:
    """The live-preview note's words come from the catalog: German with language = "de"."""
    src = _project(tmp_path)
    _html(src, {"CVSPHINX_PREVIEW": "1"}, "-D", "language=de")
    with _preview_page(src, browser) as (note, write_status):
        note.filter(has_text="Die PDFs werden neu erstellt").wait_for(timeout=10_000)
        write_status({"state": "done", "time": time.time(), "pdfs": [
            {"name": "brief", "pdf": "tester-cv-brief.pdf", "pages": 3, "limit": 1, "ok": True},
            {"name": "grant", "pdf": "", "pages": None, "limit": None, "ok": False}]})
        note.filter(has_text="tester-cv-brief.pdf hat 3 Seiten, über seiner Grenze von 1").wait_for(timeout=10_000)
        text = note.inner_text()
        assert text.startswith("PDFs neu erstellt um "), text
        assert "grant ist fehlgeschlagen (siehe _build/cvsphinx-pdf.log)" in text, text
        assert "rebuilt" not in text and "failed" not in text, text
