"""Any CSL style by name: every entry of ``tests/roots/test-cv-types`` formatted by pandoc's citeproc, with the
owner bold and the supervisee marked, and otherwise exactly as the processor itself writes the same entries.

The reference is pandoc's own output for the same CSL items without the marks (``csl.run_citeproc``): the page
must say the same, entry by entry, once the CV's bold and markers are taken away.
"""

from __future__ import annotations

import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from cvsphinx.core.bibfile import read_bib
from cvsphinx.core.labels import Labels
from cvsphinx.core.records import build_records
from cvsphinx.sphinxext import i18n
from cvsphinx.styles import csl
from cvsphinx.styles.cslitem import csl_item
from sphinx.testing.util import SphinxTestApp

ROOT = Path(__file__).parents[1] / "roots" / "test-cv-types"
# APA 7, Chicago author-date, IEEE, Nature, Vancouver (Elsevier's: the package has no plain "vancouver"), MLA, ACS
STYLES = ["apa", "chicago-author-date", "ieee", "nature", "elsevier-vancouver", "modern-language-association",
          "american-chemical-society"]


def _build(tmp: Path, builder: str, style: str, language: str = "en") -> SphinxTestApp:
    src = tmp / f"{builder}-{style}-{language}"
    shutil.copytree(ROOT, src)
    app = SphinxTestApp(builder, srcdir=src, builddir=src / "_build", freshenv=True, status=StringIO(),
                        warning=StringIO(), confoverrides={"cv_citation_style": style, "language": language})
    try:
        app.build()
    finally:
        app.cleanup()
    return app


def _reference(style: str, lang: str = "") -> dict[str, str]:
    """pandoc's own text for every entry of the root, without marks: key -> text."""
    entries, _ = read_bib(ROOT / "refs.bib")
    records, _ = build_records(entries)
    items = []
    for record in records:
        item = {k: v for k, v in csl_item(record, (), {}, "", "", 0, _words(lang)).items() if k != "custom"}
        item["id"] = record.key
        items.append(item)
    found = csl.run_citeproc(items, csl.style_path(style), lang)
    return {key: _plain(BeautifulSoup(html, "html.parser").get_text()) for key, html in found.items()}


def _words(lang: str) -> Labels:
    """The extension's own words (a thesis's genre, a state) in that language, as the build has them."""
    po = i18n.po_file(lang) if lang else None
    if po is None:
        return Labels()
    with open(po, "rb") as handle:
        return Labels({m.id: m.string for m in read_po(handle) if m.id and m.string}, lang)


def _plain(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module", params=STYLES)
def styled(request, tmp_path_factory) -> dict:
    style = request.param
    app = _build(tmp_path_factory.mktemp("csl"), "html", style)
    soup = BeautifulSoup((Path(app.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser")
    return {"style": style, "items": soup.select("ol.cv-publication-list > li"),
            "lists": [ol["class"] for ol in soup.select("ol.cv-publication-list")],
            "warnings": app.warning.getvalue(), "reference": _reference(style)}


def test_every_entry_is_the_processors_own_text(styled) -> None:
    assert "WARNING" not in styled["warnings"], styled["warnings"]
    reference = styled["reference"]
    assert len(styled["items"]) == len(reference) > 60
    for li in styled["items"]:
        key = li["id"].removeprefix("pub-")
        p = BeautifulSoup(str(li.p), "html.parser")  # a copy: the other tests read the markers
        for sup in p.select("sup.cv-marker, sup.cv-mark"):
            sup.decompose()  # the CV's markers and authorship marks aside
        assert _plain(p.get_text()) == reference[key], (styled["style"], key)


def test_the_owner_is_bold_and_the_supervisee_marked(styled) -> None:
    by_key = {li["id"].removeprefix("pub-"): li.p for li in styled["items"]}
    for key, p in by_key.items():
        if "Liu" in p.get_text() and key not in ("collection-bib", "collection-blx"):
            assert any("Liu" in s.get_text() for s in p.find_all("strong")), (styled["style"], key, str(p))
    chen = by_key["inproceedings-bib"]
    (marker,) = chen.select("sup.cv-marker-student")
    # the marker follows Chen's whole name, as the style writes it ("Chen, X.*", "X. Chen*", "Chen X*")
    before = _plain("".join(str(s) for s in marker.previous_siblings if isinstance(s, str))[-12:])
    assert "Chen" in before or before.rstrip(".").endswith("X"), (styled["style"], before, str(chen))


NUMERIC = {"ieee", "nature", "elsevier-vancouver", "american-chemical-society"}


def test_numbers_where_the_style_numbers(styled) -> None:
    """A numeric style's lists are numbered (one numbering across groups, as ever); an author-date style's not."""
    for classes in styled["lists"]:
        assert ("arabic" in classes) == (styled["style"] in NUMERIC), (styled["style"], classes)
        assert ("cv-unnumbered" in classes) == (styled["style"] not in NUMERIC)


def test_numbers_when_the_cv_asks_for_them(tmp_path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    for numbered, expected in ((True, "arabic"), (False, "cv-unnumbered")):
        app = SphinxTestApp("html", srcdir=src, builddir=src / "_build" / str(numbered), freshenv=True,
                            status=StringIO(), warning=StringIO(),
                            confoverrides={"cv_citation_style": "apa" if numbered else "ieee", "cv_numbered": numbered})
        try:
            app.build()
        finally:
            app.cleanup()
        soup = BeautifulSoup((Path(app.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser")
        assert all(expected in ol["class"] for ol in soup.select("ol.cv-publication-list"))


def test_authorship_marks_follow_their_names(styled) -> None:
    """``Zhou*, X.`` and ``Liu†, L.`` in the .bib file: equal contribution and corresponding author, in any style."""
    p = {li["id"]: li.p for li in styled["items"]}["pub-marks-bib"]
    marks = [(sup["title"], _plain(sup.find("span").get_text())) for sup in p.select("sup.cv-mark")]
    assert marks == [("equal contribution", "#"), ("corresponding author", "†")], (styled["style"], str(p))
    liu = p.find("strong")
    assert "Liu" in liu.get_text() and liu.find_next_sibling("sup")["title"] == "corresponding author"


def test_no_doubled_punctuation(styled) -> None:
    for li in styled["items"]:
        text = _plain(li.p.get_text())
        assert not re.search(r"(?<!\.)\.\.(?!\.)|,,|\?\.|!\.|\.,\.", text), (styled["style"], li["id"], text)


@pytest.mark.parametrize(("language", "word"), [("de", "Hrsg."), ("fr", "Éds."), ("es", "Eds."), ("ja", "編")])
def test_the_style_speaks_the_cvs_language(tmp_path, language, word) -> None:
    """``language = "de"`` (Sphinx's own setting): the CSL style's terms from its German locale, as pandoc writes
    them for the same entries."""
    app = _build(tmp_path, "html", "apa", language)
    soup = BeautifulSoup((Path(app.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser")
    reference = _reference("apa", language)
    shown = {}
    for li in soup.select("ol.cv-publication-list > li"):
        for sup in li.p.select("sup.cv-marker, sup.cv-mark"):
            sup.decompose()
        shown[li["id"].removeprefix("pub-")] = _plain(li.p.get_text())
    assert shown == reference
    assert word in shown["inproceedings-bib"], shown["inproceedings-bib"]
    assert reference != _reference("apa")  # the language changed the text


def test_an_unknown_style_id_gets_the_closest_names() -> None:
    from cvsphinx.styles.registry import style_problem

    message = style_problem("apaa")
    assert "did you mean 'apa'" in message and ".csl file" in message


def test_a_csl_file_beside_conf_py(tmp_path) -> None:
    """``cv_citation_style = "styles/mine.csl"``: a style file of the CV's own."""
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    (src / "styles").mkdir()
    shutil.copyfile(csl.style_path("ieee"), src / "styles" / "mine.csl")
    app = SphinxTestApp("html", srcdir=src, builddir=src / "_build", freshenv=True, status=StringIO(),
                        warning=StringIO(), confoverrides={"cv_citation_style": "styles/mine.csl"})
    try:
        app.build()
    finally:
        app.cleanup()
    soup = BeautifulSoup((Path(app.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser")
    first = {li["id"]: _plain(li.p.get_text()) for li in soup.select("ol.cv-publication-list > li")}
    assert first["pub-article-bib"].startswith("L. Liu, J. Smith, and J. Doe, “")


@pytest.mark.slow
@pytest.mark.parametrize("style", ["apa", "ieee"])
def test_the_pdf_has_the_style_the_bold_and_the_markers(tmp_path, style) -> None:
    import subprocess

    app = _build(tmp_path, "latex", style)
    out = Path(app.outdir)
    tex = (out / "types.tex").read_text(encoding="utf-8")
    assert re.search(r"\\sphinxstylestrong\{(?:Liu, L\.|L\. Liu)\}", tex), style
    assert "cvmarker" in tex or "textsuperscript" in tex
    assert ("\\begin{list}" in tex) == (style == "apa")  # APA is author-date: no numbers
    done = subprocess.run(["latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error", "types.tex"],
                          cwd=out, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:]
    text = subprocess.run(["pdftotext", "-layout", str(out / "types.pdf"), "-"], capture_output=True,
                          text=True).stdout
    reference = _reference(style)
    assert _plain(reference["article-bib"])[:40] in _plain(text)
    assert re.search(r"Chen,? X?\.?\s*\*|X\. Chen\s*\*", text), text[:3000]


@pytest.mark.slow
def test_a_japanese_pdf_in_a_csl_style(tmp_path) -> None:
    """APA in Japanese: the style's Japanese terms and the extension's words in the PDF, in the CJK font the
    extension adds when the CV's fontpkg has none (the root's is empty), the owner still bold."""
    import subprocess

    app = _build(tmp_path, "latex", "apa", "ja")
    out = Path(app.outdir)
    tex = (out / "types.tex").read_text(encoding="utf-8")
    assert "\\setCJKmainfont{Noto Serif CJK JP}" in tex and "jreport" not in tex
    assert re.search(r"\\sphinxstylestrong\{(?:Liu, L\.|L\. Liu)\}", tex)
    done = subprocess.run(["latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error", "types.tex"],
                          cwd=out, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:]
    text = subprocess.run(["pdftotext", str(out / "types.pdf"), "-"], capture_output=True, text=True).stdout
    reference = _reference("apa", "ja")
    assert "編" in reference["inproceedings-bib"]
    flat = _plain(" ".join(text.split()))
    assert "編" in flat and "Liu" in flat, flat[:2000]
    assert " ".join(_plain(reference["article-bib"]).split())[:20] in flat, (reference["article-bib"], flat[:2000])
    assert "Missing character" not in (out / "types.log").read_text(encoding="utf-8", errors="replace")
