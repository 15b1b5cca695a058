"""The CV in another language: the catalog is the code's, each language has all of it, and a build leaves none of
the extension's English behind.

"None left" is checked against an English build of the same roots: every message whose English words show up there
must not show up in the translated build, except where the CV's own data (its .bib file, its section titles) holds
the same words or the translation keeps them ("PDF", "et al.").  Which messages the English build shows is the
catalog itself (``locale/cvsphinx.pot``), not a list written here.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from cvsphinx.cli import messages
from cvsphinx.core.dates import date_range, iso_date, number, parse_date
from cvsphinx.core.labels import Labels, fields
from cvsphinx.sphinxext import i18n
from sphinx.testing.util import SphinxTestApp

HERE = Path(__file__).parents[1]
ROOTS = HERE / "roots"
ORDINAL = {"n"}  # "{nth} edn.": a translation may use the bare number instead of the English ordinal


def _po(language: str) -> dict[str, str]:
    with open(i18n.po_file(language), "rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id}


# -- The catalog -------------------------------------------------------------------------------------


def test_the_template_is_what_the_code_uses() -> None:
    """A new label in the code without ``python -m cvsphinx.cli.messages`` fails here, not silently in German."""
    assert i18n.TEMPLATE.read_text(encoding="utf-8") == messages.pot_text(), "run: cd ext && python -m cvsphinx.cli.messages"
    assert len(i18n.message_ids()) >= 140


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_language_translates_every_message(language) -> None:
    translated = _po(language)
    ids = i18n.message_ids()
    assert sorted(translated) == sorted(ids)
    assert [m for m in ids if not translated[m].strip()] == []
    wrong = {m: t for m, t in translated.items() if not fields(t) <= fields(m) | (ORDINAL if "{nth}" in m else set())}
    assert wrong == {}
    # the no-break space after an abbreviation stays one where the language spaces it at all
    broken = {m: t for m, t in translated.items() if "\u00a0" in m and " " in t.replace("\u00a0", "") and
              "\u00a0" not in t and language not in ("zh_CN", "ja")}
    assert broken == {}


def test_labels_fill_puts_rich_parts_where_the_language_puts_them() -> None:
    from pybtex.richtext import Tag, Text

    labels = Labels({"submitted to {venue}": "{venue}に投稿中"}, "ja")
    text = labels.fill("submitted to {venue}", venue=Text(Tag("em", "Nature")))
    assert text.render_as("html") == "<em>Nature</em>に投稿中"
    assert Labels().fill("in {book}", book=Text("B")).render_as("text") == "in B"
    assert Labels()("{nth} edn.", n=2, nth="2nd") == "2nd edn."
    assert Labels({"{nth} edn.": "{n}. Aufl."}, "de")("{nth} edn.", n=2, nth="2nd") == "2. Aufl."


def test_dates_and_numbers_follow_cldr_outside_english() -> None:
    start, end = parse_date("1968-05-19"), parse_date("1968-05-25")
    assert date_range(start, end, "de") == "19.–25. Mai 1968"
    assert date_range(start, end, "ja") == "1968年5月19日～25日"
    assert date_range(parse_date("1968-05"), None, "fr") == "mai 1968"
    assert iso_date("2024-03-05", Labels({}, "es")) == "5 de marzo de 2024"
    assert iso_date("2024-03-05", Labels()) == "2024-03-05"  # English: as written, as before
    assert number(51265, Labels({}, "de")) == "51.265"
    assert number(51265, Labels()) == "51,265"


# -- Builds ------------------------------------------------------------------------------------------


def _build(tmp: Path, root: str, builder: str, language: str, **overrides: object) -> Path:
    src = tmp / f"{root}-{builder}-{language}"
    shutil.copytree(ROOTS / root, src)
    app = SphinxTestApp(builder, srcdir=src, builddir=src / "_build", freshenv=True, status=StringIO(),
                        warning=StringIO(), confoverrides={"language": language, **overrides})
    try:
        app.build()
    finally:
        app.cleanup()
    log = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())
    assert "WARNING" not in log and "ERROR" not in log, log
    return Path(app.outdir)


def _page_words(outdir: Path) -> str:
    """What a reader sees or hears on every page: the text, and the attributes that are read out or shown."""
    parts = []
    for page in sorted(outdir.rglob("*.html")):
        if page.name in ("genindex.html", "search.html"):
            continue
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for script in soup(["script", "style"]):
            script.decompose()
        for data in soup.select("span.Z3988, details.cv-bibtex pre"):  # the entry's own data again (COinS, BibTeX)
            data.decompose()
        parts.append(soup.get_text(" "))
        for tag in soup.find_all(True):
            for name in ("title", "aria-label", "data-copied", "data-selected", "content", "alt"):
                if isinstance(tag.get(name), str):
                    parts.append(tag[name])
    return " ".join(parts)


def _latex_words(outdir: Path) -> str:
    tex = next(outdir.glob("*.tex")).read_text(encoding="utf-8")
    return tex[tex.index("\\begin{document}"):] + tex[:tex.index("\\begin{document}")].split("hypersetup", 1)[-1]


def _pieces(msgid: str) -> list[str]:
    """The English words of a message that a reader could spot: its text between placeholders."""
    out = []
    for piece in re.split(r"\{\w+\}", msgid):
        piece = piece.strip(" ,:;()\u00a0·–—")
        if len(piece) >= 4 or (len(piece) >= 3 and piece.endswith(".")):
            out.append(piece)
    return out


def _count(words: str, piece: str) -> int:
    return len(re.findall(r"(?<!\w)" + re.escape(piece) + r"(?!\w)", words))


def _english_left(english: str, translated: str, data: str, language: str) -> dict[str, int]:
    """Message pieces that the English build shows and the translated one still shows more often than the CV's own
    data could explain; and how many pieces the English build showed at all (so the check cannot pass empty)."""
    table = _po(language)
    left, seen = {}, 0
    for msgid in i18n.message_ids():
        for piece in _pieces(msgid):
            if _count(english, piece) == 0 or _count(data, piece) > 0:  # not shown, or the CV's own words too
                continue
            seen += 1
            if piece in table[msgid]:  # the translation keeps the word ("PDF", "et al.")
                continue
            if any(_count(text, piece) for text in table.values()):  # the language's own word for another
                continue  # message (Italian "ed." for an edition, where the English "ed." is an editor)
            if _count(translated, piece):
                left[piece] = _count(translated, piece)
    left["(pieces seen in English)"] = seen
    return left


def _data(root: str) -> str:
    return " ".join(p.read_text(encoding="utf-8") for p in (ROOTS / root).rglob("*") if p.suffix in (".bib", ".md", ".py"))


HUB = {"cv_page_limit": 3}  # the hub's lists on pages of their own too: their titles and navigation


@pytest.fixture(scope="module")
def english(tmp_path_factory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("en")
    return {"types-html": _page_words(_build(tmp, "test-cv-types", "html", "en")),
            "types-latex": _latex_words(_build(tmp, "test-cv-types", "latex", "en")),
            "hub-html": _page_words(_build(tmp, "test-cv-hub", "html", "en", **HUB))}


def _check_language(tmp: Path, english: dict[str, str], language: str) -> dict[str, str]:
    found = {"types-html": _page_words(_build(tmp, "test-cv-types", "html", language)),
             "types-latex": _latex_words(_build(tmp, "test-cv-types", "latex", language)),
             "hub-html": _page_words(_build(tmp, "test-cv-hub", "html", language, **HUB))}
    for name, words in found.items():
        root = "test-cv-types" if name.startswith("types") else "test-cv-hub"
        left = _english_left(english[name], words, _data(root), language)
        seen = left.pop("(pieces seen in English)")
        assert seen >= (20 if name.startswith("types") else 10), (name, seen)
        assert left == {}, (name, language, left)
    return found


def test_german_leaves_no_english(tmp_path, english) -> None:
    found = _check_language(tmp_path, english, "de")
    page = found["types-html"]
    for german in ("hrsg. von", "S.\u00a0", "Aufl.", "Diss", "Bd.\u00a0"):
        assert german in page, german
    assert "Betreut" in found["hub-html"]


@pytest.mark.slow
@pytest.mark.parametrize("language", [lang for lang in i18n.LANGUAGES if lang != "de"])
def test_every_language_leaves_no_english(tmp_path, english, language) -> None:
    _check_language(tmp_path, english, language)


def test_cv_labels_override_the_translation(tmp_path) -> None:
    out = _build(tmp_path, "test-cv-hub", "html", "de", cv_labels={"Journal Articles": "Zeitschriftenbeiträge",
                                                                    "Supervised": "Mitbetreut"})
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "Zeitschriftenbeiträge" in page and "Mitbetreut" in page
    assert _po("de")["Journal Articles"] not in page


def test_cv_labels_mistakes_get_one_message_each(tmp_path) -> None:
    src = tmp_path / "bad"
    shutil.copytree(ROOTS / "test-cv-hub", src)
    with open(src / "conf.py", "a", encoding="utf-8") as conf:
        conf.write("\ncv_labels = {'Download as PFD': 'PDF', 'in {book}': 'dans {livre}'}\n")
    run = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", ".", "_build"], cwd=src,
                         capture_output=True, text=True, timeout=300,
                         env={"PYTHONPATH": str(HERE.parent / "ext"), "PATH": "/usr/bin:/bin"})
    assert run.returncode != 0
    assert "cv_labels has 'Download as PFD', which the extension never writes; did you mean 'Download as PDF'" in run.stderr
    assert "cv_labels['in {book}'] has {livre}, which 'in {book}' does not fill; use only {book}" in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.slow
@pytest.mark.parametrize("language", [lang for lang in ("de", "ja") if lang in i18n.LANGUAGES])
def test_pdf_in_the_language(tmp_path, language) -> None:
    """The PDF says it too, Japanese with its CJK font: read back with pdftotext."""
    import os

    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-cv-types", src)
    env = {**os.environ, "PYTHONPATH": str(HERE.parent / "ext"), "CV_PROJECT_CONF": str(HERE.parent / "conf.py")}
    run = subprocess.run([sys.executable, "-m", "sphinx", "-M", "latexpdf", ".", "_build", "-D", f"language={language}"],
                         cwd=src, capture_output=True, text=True, env=env, timeout=900)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "WARNING" not in run.stderr, run.stderr[-3000:]
    text = subprocess.run(["pdftotext", str(src / "_build" / "latex" / "types.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    flat = " ".join(text.replace("\u00a0", " ").split())
    table = _po(language)
    for msgid in ("ed. by {names}", "PhD thesis", "{nth} edn.", "Technical report"):
        shown = table[msgid].replace("\u00a0", " ")
        shown = shown.split("{")[0].strip() or shown.split("}")[-1].strip()
        assert shown and shown in flat, (msgid, shown)
    assert "ed. by" not in flat and "PhD thesis" not in flat


@pytest.mark.parametrize("spelling", ["zh-cn", "pt", "pt_BR"])
def test_every_spelling_of_a_language_finds_its_catalog(tmp_path, spelling) -> None:
    """Read the Docs passes ``zh-cn``; Portuguese has one catalog, pt_BR, for pt and pt_BR alike."""
    out = _build(tmp_path, "test-cv-hub", "html", spelling, suppress_warnings=["docutils"])  # docutils: no "pt"
    page = (out / "index.html").read_text(encoding="utf-8")
    table = _po(spelling)
    assert table["Journal Articles"] in page and "Journal Articles" not in page


def test_read_the_docs_language_over_the_cvs_own_is_a_warning(tmp_path, monkeypatch) -> None:
    """Read the Docs' ``-D language=en`` (its project's setting) over conf.py's German: one warning that says
    where to set it; built locally, the same override says nothing."""
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-cv-hub", src)
    with open(src / "conf.py", "a", encoding="utf-8") as conf:
        conf.write('\nlanguage = "de"\n')

    def build(env: dict[str, str]) -> str:
        out = tmp_path / f"out-{len(env)}"
        run = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", "-D", "language=en", str(src),
                              str(out)], capture_output=True, text=True, timeout=300,
                             env={"PYTHONPATH": str(HERE.parent / "ext"), "PATH": "/usr/bin:/bin", **env})
        assert run.returncode == 0, run.stderr
        return run.stderr

    said = build({"READTHEDOCS": "True"})
    assert "Read the Docs builds this CV with language = 'en'" in said and "[cv.language]" in said, said
    assert "Admin > Settings > Language" in said and "conf.py" in said
    assert "cv.language" not in build({})
