"""Large bibliographies no one here wrote: Nelson Beebe's TUGboat and typesetting bibliographies, biblatex's
own examples (biblatex-examples.bib: the biblatex data model, crossref, xdata, dates), and a slice of
Glottolog's Zurich collection (tests/data, with its source, commit and licence in its first lines).

They come with Debian's texlive-bibtex-extra and are copied into a temporary copy of the
``test-cv-realworld`` root as ``refs.bib`` at test time (they are not part of this repository).
``typeset.bib`` uses @strings it never defines.

The properties: every entry pybtex itself can read is on the page exactly once, and every entry in
the file that is not on the page is named in a warning.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from io import StringIO
from pathlib import Path

import pybtex.errors
import pytest
from bs4 import BeautifulSoup
from cvsphinx.core.links import anchor
from pybtex.database import parse_file
from sphinx.testing.util import SphinxTestApp

ROOT = Path(__file__).parents[1] / "roots" / "test-cv-realworld"
BEEBE = Path("/usr/share/texlive/texmf-dist/bibtex/bib/beebe")
SOURCES = {
    "tugboat.bib": BEEBE / "tugboat.bib",
    "typeset.bib": BEEBE / "typeset.bib",
    "biblatex-examples.bib": Path("/usr/share/texlive/texmf-dist/bibtex/bib/biblatex/biblatex/biblatex-examples.bib"),
    # Glottolog's own exporter (linguistics, many scripts, "Christie, Jr., William M."), CC BY 4.0: tests/data
    "glottolog-zurich-slice.bib": Path(__file__).parents[1] / "data" / "glottolog-zurich-slice.bib",
}

_HEAD = re.compile(r"^[ \t]*@[ \t]*([A-Za-z][\w-]*)[ \t]*[{(][ \t]*([^,\s{}()]+)[ \t]*,", re.MULTILINE)
_WARNING = re.compile(r"^(?P<loc>.*?)(?::(?P<line>\d+))?: WARNING: (?P<msg>.*?)(?: \[(?P<type>[\w-]+)\.(?P<sub>[\w-]+)\])?$")


def pybtex_keys(path: Path) -> list[str]:
    """The keys stock pybtex reads from the file, in non-strict mode (the mode is restored afterwards)."""
    strict = pybtex.errors.strict
    pybtex.errors.set_strict_mode(False)
    try:
        with pybtex.errors.capture():
            data = parse_file(str(path), bib_format="bibtex")
    finally:
        pybtex.errors.set_strict_mode(strict)
    return list(data.entries.keys())


def file_keys(text: str) -> list[str]:
    """Every ``@type{key,`` that starts a line, without @string, @preamble and @comment, and without @xdata and
    @set, which biblatex never prints either (their fields are inherited; a set's members are entries of their own)."""
    return [m.group(2) for m in _HEAD.finditer(text)
            if m.group(1).lower() not in ("string", "preamble", "comment", "xdata", "set")]


@pytest.fixture(scope="module", params=sorted(SOURCES))
def real_build(request, tmp_path_factory) -> dict:
    source = SOURCES[request.param]
    if not source.is_file():
        pytest.skip(f"{source} is not installed (Debian package texlive-bibtex-extra)")
    src = tmp_path_factory.mktemp(f"realworld-{source.stem}") / "src"
    shutil.copytree(ROOT, src)
    shutil.copyfile(source, src / "refs.bib")
    app = SphinxTestApp("html", srcdir=src, builddir=src / "_build", freshenv=True,
                        status=StringIO(), warning=StringIO())
    try:
        app.build()
    finally:
        app.cleanup()
    soup = BeautifulSoup((Path(app.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser")
    items = soup.select("ol.cv-publication-list > li")
    # past cv_page_limit entries (TUGboat's 4,839) the lists are on pages of their own, linked from the page
    for link in soup.select("ul.cv-pages a"):
        page = BeautifulSoup((Path(app.outdir) / link["href"]).read_text(encoding="utf-8"), "html.parser")
        items += page.select("ol.cv-publication-list > li")
    ids = Counter(li.get("id") for li in items)
    text = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())
    warnings = []
    for line in text.splitlines():
        if line.strip():
            match = _WARNING.match(line)
            assert match, f"not a warning line: {line!r}"
            warnings.append(match)
    return {"name": request.param, "bib": src / "refs.bib",
            "text": (src / "refs.bib").read_text(encoding="utf-8"), "ids": ids, "warnings": warnings,
            "items": {li.get("id"): " ".join(li.p.get_text().split()) for li in items}}


def _named(key: str, warnings) -> bool:
    return any(f"{key!r}" in w["msg"] or f"'{key}'" in w["msg"] for w in warnings)


@pytest.mark.slow
def test_every_entry_pybtex_reads_is_shown_exactly_once(real_build) -> None:
    if real_build["name"] == "biblatex-examples.bib":
        pytest.skip("pybtex reads @xdata and @set as entries")
    keys = pybtex_keys(real_build["bib"])
    assert len(keys) > 500, f"pybtex read only {len(keys)} entries: is {real_build['name']} the real file?"
    ids = real_build["ids"]
    wrong = {key: ids[anchor(key)] for key in keys if ids[anchor(key)] != 1}
    assert not wrong, f"{len(wrong)} of {len(keys)} entries are not shown exactly once: {dict(list(wrong.items())[:20])}"


@pytest.mark.slow
def test_every_entry_not_shown_is_named_in_a_warning(real_build) -> None:
    keys = file_keys(real_build["text"])
    assert len(keys) > 50
    ids = real_build["ids"]
    missing = [key for key in dict.fromkeys(keys) if ids[anchor(key)] == 0]
    silent = [key for key in missing if not _named(key, real_build["warnings"])]
    assert not silent, f"{len(silent)} entries are neither shown nor warned about: {silent[:20]}"


@pytest.mark.slow
def test_page_has_one_item_per_entry_in_the_file(real_build) -> None:
    """As many list items as entries in the file, less those warned as skipped: nothing doubled, nothing invented."""
    keys = file_keys(real_build["text"])
    skipped = [w for w in real_build["warnings"] if w["sub"] == "bib_syntax" and "skipped" in w["msg"]]
    ids = real_build["ids"]
    assert sum(ids.values()) == len(keys) - len(skipped), (sum(ids.values()), len(keys), len(skipped))
    assert [i for i, n in ids.items() if n > 1] == []
    # Every warning is a cv warning that names refs.bib (or conf.py) with a line.
    for w in real_build["warnings"]:
        assert w["type"] == "cv", w.group(0)
        assert Path(w["loc"]).name in ("refs.bib", "conf.py") and w["line"], w.group(0)


_LITERAL = re.compile(r"[\\${}]")


def _chunk(text: str, key: str) -> str:
    """The source of entry ``key``: from its head to the next entry."""
    start = re.search(r"@\w+\s*[{(]\s*" + re.escape(key) + r"\s*,", text)
    assert start, key
    end = _HEAD.search(text, start.end())
    return text[start.start():end.start() if end else len(text)]


@pytest.mark.slow
def test_almost_no_entry_shows_literal_latex(real_build) -> None:
    """Fewer than 1 entry in 100 shows a backslash, dollar or brace on the page, and each of those uses a
    macro that a cv.latex warning names."""
    items = real_build["items"]
    literal = {item: text for item, text in items.items() if _LITERAL.search(text)}
    assert len(literal) * 100 < len(items), (len(literal), len(items), list(literal.items())[:5])
    macros = {m for w in real_build["warnings"] if w["sub"] == "latex"
              for m in re.findall(r"the LaTeX command (\\\S+) is not known", w["msg"])}
    keys = {anchor(k): k for k in file_keys(real_build["text"])}
    for item in literal:
        source = _chunk(real_build["text"], keys[item])
        # explained: a macro a cv.latex warning names, or the character escaped in the source (\{Meta\} is "{Meta}")
        escaped = any(e in source for e in ("\\{", "\\}", "\\$", "\\textbackslash"))
        assert escaped or any(m in source for m in macros), (item, literal[item])


@pytest.mark.slow
def test_biblatex_examples_show_date_and_venue(real_build) -> None:
    """Every entry of biblatex's own examples that has a date and a venue shows both."""
    if real_build["name"] != "biblatex-examples.bib":
        pytest.skip("biblatex-examples.bib only")
    from cvsphinx.core.bibfile import read_bib
    from cvsphinx.core.latex import decode_plain
    from cvsphinx.core.records import build_records

    entries, _ = read_bib(real_build["bib"])
    records, _ = build_records(entries)
    checked = 0
    for record in records:
        venue = next((record.get(f) for f in ("journaltitle", "booktitle", "publisher", "institution",
                                               "organization") if record.get(f)), "")
        if record.date is None or not venue:
            continue
        shown = real_build["items"][anchor(record.key)]
        assert str(record.date.year) in shown, (record.key, shown)
        plain = decode_plain(venue.split(" and ")[0])
        assert plain[:20] in shown, (record.key, plain, shown)
        checked += 1
    assert checked > 40
