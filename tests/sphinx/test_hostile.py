"""Hostile field content: escaped in HTML, typeset in LaTeX, and never losing or doubling an entry.

Roots:

* ``test-cv-hostile``: markup and script in fields, script and data URLs, LaTeX specials (HTML checks).
* ``test-cv-hostile-pdf``: LaTeX specials and names in three scripts, built to a real PDF with
  xelatex and the fonts of the real CV (``/work/main/conf.py``).

The property test writes its own roots: generated entries with generated field text and names.
"""

from __future__ import annotations

import os
import re
import shutil
import string
import subprocess
import sys
import unicodedata
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from cvsphinx.core import glyphs
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st
from sphinx.testing.util import SphinxTestApp
from sphinx.util.texescape import escape as tex_escape

HERE = Path(__file__).parents[1]
PROJECT = HERE.parent
ROOTS = HERE / "roots"


def squash(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def soup_of(app_or_dir) -> BeautifulSoup:
    outdir = Path(getattr(app_or_dir, "outdir", app_or_dir))
    return BeautifulSoup((outdir / "index.html").read_text(encoding="utf-8"), "html.parser")


def items(soup: BeautifulSoup) -> dict[str, BeautifulSoup]:
    """Each entry's paragraph (its formatted text; the links and BibTeX below it are not part of it), by anchor."""
    found = {}
    for li in soup.select("ol.cv-publication-list > li"):
        assert li.get("id") not in found, f"id {li.get('id')} twice"
        found[li.get("id")] = li.p
    return found


def warning_lines(app) -> list[str]:
    text = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())
    return [line for line in text.splitlines() if line.strip()]


# -- HTML: markup is text, scripts are not links ------------------------------------


@pytest.mark.sphinx("html", testroot="cv-hostile", srcdir="cvh-script-title", freshenv=True)
def test_markup_in_fields_is_shown_as_text(app) -> None:
    app.build()
    raw = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    assert not re.search(r"<script[^>]*>\s*alert", raw, flags=re.IGNORECASE)
    assert "<img src=x" not in raw.lower()
    # No element anywhere on the page got an event handler from the data.
    handlers = [(t.name, a) for t in soup_of(app).find_all(True) for a in t.attrs if a.lower().startswith("on")]
    assert handlers == []

    li = items(soup_of(app))["pub-xss2020"]
    text = squash(li.get_text())
    # Crossref's few inline style tags are style (core/latex.py _inline_tags); any other tag is text
    assert "<script>alert(1)</script> and bold" in text
    assert "<img src=x onerror=alert(2)>" in text
    assert "Journal of Markup & Tags" in text
    assert "bold" in [t.get_text() for t in li.find_all("strong")]
    assert any("Markup" in t.get_text() for t in li.find_all("em"))
    assert '<a href=' in text and "click</a>" in text
    # Only the extension's own tags inside an entry.
    assert {t.name for t in li.find_all(True)} <= {"p", "strong", "em"}
    scripts = soup_of(app).find_all("script", string=re.compile("alert"))
    # only the page's schema.org data may hold the title, as JSON with every "<" escaped
    assert [s for s in scripts if s.get("type") != "application/ld+json"] == []
    assert all("<" not in s.string for s in scripts)


@pytest.mark.sphinx("html", testroot="cv-hostile", srcdir="cvh-script-url", freshenv=True)
def test_script_and_data_urls_are_not_links(app) -> None:
    app.build()
    raw = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", raw, flags=re.IGNORECASE)
    assert not re.search(r"""href\s*=\s*["']?\s*data:""", raw, flags=re.IGNORECASE)
    assert "onmouseover" not in "".join(str(a) for a in soup_of(app).find_all("a"))

    entries = items(soup_of(app))
    for key, shown in [("jsurl2019", "javascript:alert(1)"), ("jsurlcase2019", "JavaScript:alert(1)"),
                       ("datauri2018", "data:text/html;base64,")]:
        li = entries[f"pub-{key}"]
        assert li.find("a") is None, li
        assert shown in li.get_text()
    assert entries["pub-quoteurl2018"].find("a") is None
    # A good address still is a link, with its & escaped in the attribute.
    link = entries["pub-goodurl2017"].find("a")
    assert link is not None and link["href"] == "https://example.org/paper?a=1&b=2"
    assert 'href="https://example.org/paper?a=1&amp;b=2"' in raw

    bad_url = [w for w in warning_lines(app) if w.endswith("[cv.bad_url]")]
    assert len(bad_url) == 4, bad_url
    for key in ("jsurl2019", "jsurlcase2019", "datauri2018", "quoteurl2018"):
        assert [w for w in bad_url if f"'{key}'" in w and "refs.bib:" in w], key


# Field text as written in refs.bib -> the text a reader must see.
SPECIALS = {
    "specials2016": ["AT&T 50% $5 #1 snake_case", "Q&A Quarterly", "Braces {x}, tilde ~, caret ^, backslash \\ end"],
    "unescaped2015": ["Fish & Chips at 100% for #2", "R&D Letters", "Tom & Jerry, 5% off, issue #7"],
    "winpath2014": ["Data kept under C:\\data\\", "Folder C:\\cv\\."],
}


@pytest.mark.parametrize("key", list(SPECIALS))
@pytest.mark.sphinx("html", testroot="cv-hostile", srcdir="cvh-specials", freshenv=True)
def test_latex_specials_show_as_the_characters_in_html(app, key: str) -> None:
    app.build()
    text = squash(items(soup_of(app))[f"pub-{key}"].get_text())
    for expected in SPECIALS[key]:
        assert expected in text, (expected, text)


# -- PDF: the specials and three scripts typeset with xelatex -------------------------

PDF_TEXTS = [
    "Glacier survey with Nguyễn Thị Minh and 张伟",
    "张伟, T. M. Nguyễn, and L. Liu (2021)",  # the CV style: given names as initials
    "AT&T 50% $5 #1 snake_case",
    "Q&A Quarterly",
    "Braces {x}, tilde ~, caret ^, backslash \\ end",
    "Fish & Chips at 100% for #2",
    "R&D Letters",
    "Tom & Jerry, 5% off, issue #7",
    "<script>alert(1)</script> in print",
]


@pytest.fixture(scope="module")
def hostile_pdf(tmp_path_factory) -> dict:
    src = tmp_path_factory.mktemp("hostile-pdf") / "src"
    shutil.copytree(ROOTS / "test-cv-hostile-pdf", src)
    out = src.parent / "out"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(PROJECT / "ext"), os.environ.get("PYTHONPATH", "")]),
           "CV_PROJECT_CONF": str(PROJECT / "conf.py")}
    run = subprocess.run([sys.executable, "-m", "sphinx", "-M", "latexpdf", str(src), str(out), "-W", "--keep-going"],
                         capture_output=True, text=True, env=env, cwd=src.parent, timeout=600)
    pdf = out / "latex" / "hostile.pdf"
    text = ""
    if pdf.is_file():
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    log = out / "latex" / "hostile.log"
    return {"run": run, "pdf": pdf, "text": text,
            "log": log.read_text(encoding="utf-8", errors="replace") if log.is_file() else ""}


@pytest.mark.slow
def test_pdf_builds_without_warnings(hostile_pdf) -> None:
    run = hostile_pdf["run"]
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert hostile_pdf["pdf"].is_file()
    assert "WARNING" not in run.stderr, run.stderr


@pytest.mark.slow
def test_pdf_has_no_missing_characters(hostile_pdf) -> None:
    assert hostile_pdf["log"], "no LaTeX log"
    missing = [line for line in hostile_pdf["log"].splitlines() if "Missing character" in line]
    assert missing == []


@pytest.mark.slow
@pytest.mark.parametrize("expected", PDF_TEXTS)
def test_pdf_text_shows_the_characters(hostile_pdf, expected: str) -> None:
    assert hostile_pdf["text"], "no PDF text"
    text = squash(hostile_pdf["text"])
    # "caret ^": \textasciicircum may come out of the PDF as the modifier letter U+02C6.
    assert squash(expected) in text.replace("\u02c6", "^"), (expected, text)


# -- Property: generated hostile entries, each shown exactly once or named in a warning ------

LATEX_SPECIALS = "&%$#_~^\\"
HTML_SPECIALS = "<>\"'&/="
CJK = "张伟刘林陈王李数据冰川研究中国日本語한국어"
VIETNAMESE = "ĂăÂâĐđÊêÔôƠơƯưẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹ"

# Printable text without braces and line breaks: braces only come balanced (groups) or escaped.
_chars = st.one_of(
    st.sampled_from(LATEX_SPECIALS + HTML_SPECIALS + CJK + VIETNAMESE + " ,.;:-@!?()[]*+|`"),
    st.characters(categories=("L", "M", "N", "P", "S", "Zs"), exclude_characters="{}\n\r\x85\u2028\u2029"),
)
_segment = st.text(alphabet=_chars, max_size=12)
_BALANCED = [
    r"\&", r"\%", r"\$", r"\#", r"\_", r"\{x\}", r"\textasciitilde{}", r"\textasciicircum{}",
    r"\textbackslash{}", r"\'e", r"\"o", r"\~n", r"$x^2$", r"\emph{em}", r"\url{http://x.org/a_b}",
    r"<script>alert(1)</script>", "&amp;", "-- ---",
]
# Escaped braces alone are unbalanced for BibTeX: such an entry may be unreadable and must be warned.
# Rare, so that most examples test entries that are read (about a third of examples have one).
_escape = st.sampled_from(_BALANCED * 5 + [r"\{", r"\}"])
_field = st.recursive(
    st.one_of(_segment, _escape),
    lambda inner: st.lists(inner, max_size=3).map(lambda parts: "{" + "".join(parts) + "}"),
    max_leaves=6,
)
_value = st.lists(_field, max_size=4).map("".join)

_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" + VIETNAMESE + CJK
_name_part = st.text(alphabet=st.sampled_from(_LETTERS + "-'.~&<>\\$%#_^"), min_size=1, max_size=8).filter(
    lambda s: s.strip(" ~") and s.lower() != "and")
_person = st.one_of(
    st.tuples(_name_part, _name_part).map(lambda p: f"{p[0]}, {p[1]}"),
    st.tuples(_name_part, _name_part).map(lambda p: f"{p[0]} {p[1]}"),
    st.tuples(st.sampled_from(["van der", "de", "von", "Le", "di"]), _name_part, _name_part).map(
        lambda p: f"{p[0]} {p[1]}, {p[2]}"),
    st.tuples(_name_part, _name_part).map(lambda p: f"{p[0]}, Jr., {p[1]}"),
    st.sampled_from(["张伟", "Nguyễn, Thị Minh", "Liu, Lin", "others", "{Barnes and Noble, Inc.}"]),
    _name_part,
)
_authors = st.lists(_person, min_size=1, max_size=4).map(" and ".join)
_entry = st.fixed_dictionaries({"author": _authors, "title": _value, "note": _value, "booktitle": _value})


def marker(index: int) -> str:
    return f"zqxMARK{index:03d}KRAMxqz"


def write_bib(entries: list[dict]) -> tuple[str, dict[str, range]]:
    """The .bib text, and each key's lines (head to closing brace)."""
    lines: list[str] = ["% generated"]
    spans: dict[str, range] = {}
    for index, entry in enumerate(entries):
        key = f"e{index:03d}"
        first = len(lines) + 2
        lines.append("")
        # The marker and year come first: if hostile text closes the entry early, they are still read.
        lines.append(f"@article{{{key},")
        lines.append(f"  journal = {{{marker(index)}}},")
        lines.append(f"  year = {{{2000 + index}}},")
        for name in ("author", "title", "note", "booktitle"):
            lines.append(f"  {name} = {{{entry[name]}}},")
        lines.append("}")
        spans[key] = range(first, len(lines) + 1)
    return "\n".join(lines) + "\n", spans


PROPERTY_CONF = """\
extensions = ["cvsphinx"]
exclude_patterns = ["_build"]
project = "Generated"
cv_owner = "Liu, Lin"
cv_bibfiles = ["refs.bib"]
cv_roles = {"student": {"label": "graduate student", "symbol": "*"}}
cv_roster = [{"name": "Wei Zhang", "roles": {"student": "2000–present"}}, {"name": "Thị Minh Nguyễn", "roles": {"student": "2005"}}]
cv_publication_groups = [{"name": "all", "title": "All", "select": "type != ''"}]
"""
PROPERTY_INDEX = "Generated\n=========\n\n.. publications::\n"
_ALLOWED_TAGS = {"p", "strong", "em", "sup", "sub", "span", "a", "bdi"}  # bdi: a right-to-left field isolated (bidi.py); sub: $x_1$
_WARNING = re.compile(r"^(?P<loc>.*?):(?P<line>\d+): WARNING: (?P<msg>.*) \[cv\.(?P<sub>\w+)\]$")


def build(buildername: str, src: Path) -> SphinxTestApp:
    app = SphinxTestApp(buildername, srcdir=src, builddir=src / "_build", freshenv=True,
                        status=StringIO(), warning=StringIO())
    try:
        app.build()
    finally:
        app.cleanup()
    return app


# Two Sphinx builds per example.  No shrinking: it would rebuild for minutes; a failure names the key and
# prints the whole generated .bib.  (Add Phase.shrink to get a minimal example.)
@settings(max_examples=15, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(entries=st.lists(_entry, min_size=1, max_size=12))
def test_generated_entries_each_appear_once_or_are_warned(entries: list[dict], tmp_path_factory) -> None:
    src = tmp_path_factory.mktemp("generated")
    bib, spans = write_bib(entries)
    (src / "refs.bib").write_text(bib, encoding="utf-8")
    (src / "conf.py").write_text(PROPERTY_CONF, encoding="utf-8")
    (src / "index.rst").write_text(PROPERTY_INDEX, encoding="utf-8")

    html = build("html", src)
    latex = build("latex", src)

    for app in (html, latex):
        log = app.warning.getvalue() + app.status.getvalue()
        assert "Traceback" not in log and not re.search(r"(ERROR|CRITICAL):", log), log

    # Keys named in a refs.bib warning as "skipped".  (That its line is right is test_validation's business:
    # see test_unclosed_last_entry_is_warned_at_a_line_of_it.)
    warned: set[str] = set()
    for line in warning_lines(html):
        match = _WARNING.match(line)
        if match and Path(match["loc"]).name == "refs.bib" and "skipped" in match["msg"]:
            warned.update(key for key in spans if f"'{key}'" in match["msg"])

    # HTML: each key's list item exactly once, or none and a warning; nothing else; no markup from the data.
    shown = items(soup_of(html))
    assert set(shown) <= {f"pub-{k}" for k in spans}, sorted(set(shown) - {f"pub-{k}" for k in spans})
    # the entries' own paragraphs (the page also carries each shown entry in its BibTeX, COinS and schema.org data)
    html_text = "".join(str(p) for p in shown.values())
    for index, key in enumerate(spans):
        count = html_text.count(marker(index))
        if f"pub-{key}" in shown:
            assert count == 1, (key, count)
            assert key not in warned, key
        else:
            assert count == 0, (key, count)
            assert key in warned, (key, bib, warning_lines(html))
    assert len(spans) == len(shown) + len(warned)
    event(f"entries skipped and warned: {'some' if warned else 'none'}")
    for li in shown.values():
        assert {t.name for t in li.find_all(True)} <= _ALLOWED_TAGS, li
        for a in li.find_all("a"):
            assert re.match(r"(https?|ftp)://", a["href"]), a

    # LaTeX: the same entries, once each, in one enumerate.
    tex = (Path(latex.outdir) / "generated.tex").read_text(encoding="utf-8")
    for index, key in enumerate(spans):
        assert tex.count(marker(index)) == (1 if f"pub-{key}" in shown else 0), key
    body = tex[tex.index(r"\begin{enumerate}"):tex.rindex(r"\end{enumerate}")] if shown else ""
    assert body.count(r"\item ") == len(shown)
    assert Counter(re.findall(r"zqxMARK\d{3}KRAMxqz", tex)) == Counter(
        marker(i) for i, k in enumerate(spans) if f"pub-{k}" in shown)


# -- Property: escaped specials come out as the characters they stand for ------------------

# What a user writes in a .bib title -> what a reader must see.
ESCAPES = {
    r"\&": "&", r"\%": "%", r"\$": "$", r"\#": "#", r"\_": "_",
    r"\textasciitilde{}": "~", r"\textasciicircum{}": "^", r"\textbackslash{}": "\\",
}
# Characters that are text in LaTeX, alone (no --, ``, '', ,, or ~, which LaTeX itself turns into other characters).
_PUNCT = ".;:!?()[]*+=/<>&#%_@|\""
_word = st.text(alphabet=st.sampled_from(string.ascii_letters + string.digits + VIETNAMESE + CJK), min_size=1, max_size=8)
_token = st.one_of(
    _word.map(lambda w: (w, w)),
    st.sampled_from(_PUNCT).map(lambda c: (c, c)),
    st.sampled_from(sorted(ESCAPES)).map(lambda e: (e, ESCAPES[e])),
)


def _join(tokens: list[tuple[str, str]]) -> tuple[str, str]:
    return " ".join(t[0] for t in tokens), " ".join(t[1] for t in tokens)


_title = st.recursive(
    st.lists(_token, min_size=1, max_size=5).map(_join),
    lambda inner: st.one_of(
        # a group protects case and disappears; escaped braces around it are shown
        st.lists(inner, min_size=1, max_size=3).map(_join).map(lambda t: ("{" + t[0] + "}", t[1])),
        st.lists(inner, min_size=1, max_size=3).map(_join).map(lambda t: (r"\{" + t[0] + r"\}", "{" + t[1] + "}")),
        st.lists(inner, min_size=1, max_size=3).map(_join),
    ),
    max_leaves=8,
)


@settings(max_examples=15, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(titles=st.lists(_title, min_size=1, max_size=8))
def test_escaped_specials_show_as_their_characters(titles: list[tuple[str, str]], tmp_path_factory) -> None:
    src = tmp_path_factory.mktemp("escapes")
    bib = []
    for index, (written, _shown) in enumerate(titles):
        bib.append(f"@article{{t{index:03d},\n  author = {{Liu, Lin}},\n  title = {{{written}}},\n"
                   f"  journal = {{{marker(index)}}},\n  year = {{2000}}\n}}\n")
    (src / "refs.bib").write_text("\n".join(bib), encoding="utf-8")
    (src / "conf.py").write_text(PROPERTY_CONF + 'latex_engine = "xelatex"\n', encoding="utf-8")
    (src / "index.rst").write_text(PROPERTY_INDEX, encoding="utf-8")
    html = build("html", src)
    latex = build("latex", src)
    assert [w for w in warning_lines(html) if "refs.bib" in w] == []

    shown = items(soup_of(html))
    tex = (Path(latex.outdir) / "generated.tex").read_text(encoding="utf-8")
    for index, (written, expected) in enumerate(titles):
        expected = " ".join(expected.split())
        text = shown[f"pub-t{index:03d}"].get_text()
        # after a title that ends in , ; : ? or ! the style adds no comma of its own
        joint = " " if expected.rstrip().endswith((",", ";", ":", "?", "!")) else ", "
        prefix, suffix = "Liu, L. (2000), ", f"{joint}{marker(index)}."
        assert text.startswith(prefix) and text.endswith(suffix), text
        assert text[len(prefix):-len(suffix)] == expected, (written, expected, text)
        line = next(ln for ln in tex.splitlines() if marker(index) in ln)
        tex_prefix, tex_suffix = r"\sphinxstylestrong{Liu, L.} (2000), ", rf"{joint}\sphinxstyleemphasis{{{marker(index)}}}."
        assert tex_prefix in line and line.endswith(tex_suffix), line
        tex_title = line[line.index(tex_prefix) + len(tex_prefix):-len(tex_suffix)]
        # a character none of the PDF's fonts has is left out of the .tex, with a warning naming it
        covered = glyphs.coverage(glyphs.font_names(""))
        want = tex_escape(expected, "xelatex")
        if covered is not None:  # variation selectors are not characters to show: left out without a word
            want = glyphs.without_selectors(want)
        for char in glyphs.missing(want, covered):
            want = want.replace(char, "")
            assert any(f"'t{index:03d}'" in w and f"U+{ord(char):04X}" in w for w in warning_lines(latex)), char
        assert tex_title == want, (written, expected, tex_title)


def test_a_variation_selector_is_not_a_missing_character() -> None:
    """"❤️" is ❤ and U+FE0F, which asks for the emoji presentation: no text font has the selector, and the heart
    shows without it (bebatut-research's HAL file: a warning said the PDF left out "\ufe0f")."""
    covered = frozenset({ord("❤")})
    assert glyphs.missing("I \u2764\ufe0f TeX", covered) == []
    assert glyphs.without_selectors("I \u2764\ufe0f TeX") == "I \u2764 TeX"
    assert glyphs.missing("\u2764\ufe0f \U0001f600", covered) == ["\U0001f600"]  # an emoji still is one
