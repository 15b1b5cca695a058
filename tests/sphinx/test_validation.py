"""Bad .bib data never loses a good entry, and every data check is a ``cv.<subtype>`` Sphinx warning.

Roots:

* ``test-cv-validation``: ``refs.bib`` has an unbalanced brace in the middle, a repeated field, an
  undefined @string, a repeated key and garbage, between good entries; the other ``.bib`` files in
  the root are files that do not parse at all (chosen with ``cv_bibfiles``).
* ``test-cv-vchecks``: one entry (or roster person, or group) per data check of ``validate.py``,
  ``catalog.py`` and ``directives.py``.

Expected line numbers are computed from the ``.bib`` text, so the roots can be edited.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from cvsphinx.sphinxext.warnings_ import Subtype

ROOTS = Path(__file__).parents[1] / "roots"
VALIDATION = ROOTS / "test-cv-validation"
CHECKS = ROOTS / "test-cv-vchecks"


# -- Helpers -------------------------------------------------------------------


@dataclass(frozen=True)
class CvWarning:
    file: str  # basename of the location's file
    line: int | None
    message: str
    type: str | None
    subtype: str | None


_WARNING = re.compile(
    r"^(?P<loc>.*?)(?::(?P<line>\d+))?: WARNING: (?P<msg>.*?)(?: \[(?P<type>[\w-]+)\.(?P<sub>[\w-]+)\])?$"
)


def warnings_of(app) -> list[CvWarning]:
    """Every warning of the build, parsed; a line that is no warning at all fails the test."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())
    found = []
    for line in text.splitlines():
        if not line.strip():
            continue
        match = _WARNING.match(line)
        assert match, f"not a warning line: {line!r}"
        found.append(CvWarning(Path(match["loc"]).name, int(match["line"]) if match["line"] else None,
                              match["msg"], match["type"], match["sub"]))
    return found


def cv_warnings(app, subtype: str) -> list[CvWarning]:
    return [w for w in warnings_of(app) if (w.type, w.subtype) == ("cv", subtype)]


def head_line(bib: str, key: str, occurrence: int = 1) -> int:
    """1-based line of the ``occurrence``-th ``@type{key,``."""
    seen = 0
    for number, line in enumerate(bib.splitlines(), start=1):
        if re.match(rf"\s*@\w+\s*\{{\s*{re.escape(key)}\s*,", line):
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"@...{{{key}, not found {occurrence} time(s)")


def line_of(text: str, needle: str, start: int = 1) -> int:
    """1-based line of the first line at or after ``start`` that contains ``needle``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if number >= start and needle in line:
            return number
    raise AssertionError(f"{needle!r} not found")


def entry_span(bib: str, key: str, occurrence: int = 1) -> range:
    """Lines from an entry's head to the line before the next line starting with ``@`` (or the end)."""
    first = head_line(bib, key, occurrence)
    lines = bib.splitlines()
    last = len(lines)
    for number in range(first + 1, len(lines) + 1):
        if lines[number - 1].lstrip().startswith("@"):
            last = number - 1
            break
    return range(first, last + 1)


def html_items(app) -> list[str]:
    """The ids of the publication list items, in page order."""
    soup = BeautifulSoup((Path(app.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser")
    return [li.get("id") for li in soup.select("ol.cv-publication-list > li")]


def html_text(app) -> str:
    soup = BeautifulSoup((Path(app.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser")
    return " ".join(" ".join(li.p.get_text() for li in soup.select("ol.cv-publication-list > li")).split())


def names_key(warning: CvWarning, key: str) -> bool:
    return f"'{key}'" in warning.message


# -- 1. A malformed entry never loses another ------------------------------------

BAD_BIB = (VALIDATION / "refs.bib").read_text(encoding="utf-8")

# Entry key -> its title, for every entry that can be read (``good2020`` is used twice).
READABLE = {
    "good2020": "Good entry one",
    "dupfield2019": "Entry with a repeated field",
    "nomacro2017": "Entry with an undefined string",
    "good2016": "Good entry two",
    "good2020-2": "Second entry under a used key",
    "good2014": "Good entry three",
}


@pytest.mark.sphinx("html", testroot="cv-validation", srcdir="cvv-malformed-html", freshenv=True)
def test_malformed_entries_lose_no_other_entry(app) -> None:
    app.build()
    ids = html_items(app)
    assert Counter(ids) == Counter(f"pub-{key}" for key in READABLE), ids
    text = html_text(app)
    for title in READABLE.values():
        assert text.count(title) == 1, (title, text)
    # The entry with the unbalanced brace is the only one that cannot be shown.
    assert "unbalanced brace" not in text
    # The garbage is not shown as (part of) an entry.
    assert "garbage" not in text


@pytest.mark.sphinx("html", testroot="cv-validation", srcdir="cvv-malformed-warnings", freshenv=True)
def test_malformed_entries_warn_once_each_with_file_line_key(app) -> None:
    app.build()
    warnings = warnings_of(app)
    assert all(w.file == "refs.bib" for w in warnings), warnings
    assert all(w.type == "cv" for w in warnings), warnings

    def one(predicate, what: str) -> CvWarning:
        hits = [w for w in warnings if predicate(w)]
        assert len(hits) == 1, f"{what}: {hits} in {warnings}"
        return hits[0]

    # Unbalanced brace: skipped, warned once, at a line of that entry, naming it.
    broken = one(lambda w: names_key(w, "broken2018"), "broken2018")
    assert broken.subtype == "bib_syntax"
    assert broken.line in entry_span(BAD_BIB, "broken2018")
    assert "brace" in broken.message

    # A field given twice: kept, warned once, at its head or at the repeated field.
    repeated = one(lambda w: names_key(w, "dupfield2019"), "dupfield2019")
    assert repeated.subtype == "bib_field"
    head = head_line(BAD_BIB, "dupfield2019")
    assert repeated.line in (head, line_of(BAD_BIB, "year    = {2018}", head)), repeated
    assert "'year'" in repeated.message and "twice" in repeated.message

    # An undefined @string: kept, warned once, naming the macro.
    macro = one(lambda w: names_key(w, "nomacro2017"), "nomacro2017")
    assert macro.subtype == "bib_field"
    head = head_line(BAD_BIB, "nomacro2017")
    assert macro.line in (head, line_of(BAD_BIB, "= sept", head)), macro
    assert "'sept'" in macro.message

    # The same key twice: both shown, warned once, at the second entry.
    dup = one(lambda w: w.subtype == "duplicate_key", "duplicate_key")
    assert names_key(dup, "good2020")
    assert dup.line == head_line(BAD_BIB, "good2020", occurrence=2)

    # Garbage that starts a line with "@" is warned at that line.
    garbage_line = line_of(BAD_BIB, "@ garbage")
    garbage = one(lambda w: w.line == garbage_line, "garbage")
    assert garbage.subtype == "bib_syntax"
    assert "skipped" in garbage.message

    # Nothing else: the good entries are not warned about.
    assert len(warnings) == 5, warnings
    for key in ("good2016", "good2014"):
        assert not [w for w in warnings if names_key(w, key)]


@pytest.mark.parametrize(
    ("bibfile", "subtype", "line_or_detail"),
    [
        pytest.param("prose.bib", "bib_syntax", 1, marks=pytest.mark.sphinx(
            "html", testroot="cv-validation", srcdir="cvv-prose", freshenv=True,
            confoverrides={"cv_bibfiles": ["refs.bib", "prose.bib"]}), id="no-entries"),
        pytest.param("unclosed.bib", "bib_syntax", None, marks=pytest.mark.sphinx(
            "html", testroot="cv-validation", srcdir="cvv-unclosed", freshenv=True,
            confoverrides={"cv_bibfiles": ["refs.bib", "unclosed.bib"]}), id="never-closes"),
        pytest.param("latin1.bib", "bib_unreadable", "byte", marks=pytest.mark.sphinx(
            "html", testroot="cv-validation", srcdir="cvv-latin1", freshenv=True,
            confoverrides={"cv_bibfiles": ["refs.bib", "latin1.bib"]}), id="not-utf8"),
        pytest.param("missing.bib", "bib_unreadable", 1, marks=pytest.mark.sphinx(
            "html", testroot="cv-validation", srcdir="cvv-missing", freshenv=True,
            confoverrides={"cv_bibfiles": ["refs.bib", "missing.bib"]}), id="missing"),
    ],
)
def test_file_that_does_not_parse_says_where(app, bibfile: str, subtype: str, line_or_detail) -> None:
    app.build()
    about = [w for w in warnings_of(app) if w.file == bibfile]
    assert len(about) == 1, warnings_of(app)
    (warning,) = about
    assert (warning.type, warning.subtype) == ("cv", subtype)
    path = VALIDATION / bibfile
    if line_or_detail == "byte":
        # Where the file stops being UTF-8: the line of the bad byte, or the byte offset itself.
        raw = path.read_bytes()
        bad = next(i for i, b in enumerate(raw) if b >= 0x80)
        assert warning.line == raw[:bad].count(b"\n") + 1, warning
        assert f"byte {bad}" in warning.message and "UTF-8" in warning.message
        # Nothing lost: the file's entry is shown, its letters read as Latin-1.
        assert "Bjørk in Latin-1" in (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
        assert Counter(html_items(app)) == Counter(f"pub-{key}" for key in [*READABLE, "latin2011"])
        return
    elif line_or_detail is None:
        text = path.read_text(encoding="utf-8")
        assert warning.line in entry_span(text, "unclosed2013"), warning
        assert names_key(warning, "unclosed2013")
    else:
        assert warning.line == line_or_detail
    # The good file next to it is read as before.
    assert Counter(html_items(app)) == Counter(f"pub-{key}" for key in READABLE)


@pytest.mark.sphinx("html", testroot="cv-validation", srcdir="cvv-lonebrace", freshenv=True,
                    confoverrides={"cv_bibfiles": ["lonebrace.bib"]})
def test_unclosed_last_entry_is_warned_at_a_line_of_it(app) -> None:
    """``title = {The \\{ character},`` in the file's last entry: BibTeX counts the escaped brace, the entry never closes."""
    app.build()
    assert html_items(app) == ["pub-fine2001"]
    text = (VALIDATION / "lonebrace.bib").read_text(encoding="utf-8")
    (warning,) = warnings_of(app)
    assert (warning.file, warning.type, warning.subtype) == ("lonebrace.bib", "cv", "bib_syntax")
    assert names_key(warning, "lonebrace2000")
    span = entry_span(text, "lonebrace2000")
    assert warning.line in span, f"line {warning.line} is not in the entry (lines {span.start}-{span.stop - 1})"


@pytest.mark.sphinx("html", testroot="cv-validation", srcdir="cvv-journal-macro", freshenv=True,
                    confoverrides={"cv_bibfiles": ["journal-macro.bib"]})
def test_undefined_string_as_journal_warns_once(app) -> None:
    """``journal = jgr`` with no ``@string{jgr = ...}``: one bad entry, one warning that names the macro."""
    app.build()
    assert html_items(app) == ["pub-jmacro2012"]
    warnings = warnings_of(app)
    about = [w for w in warnings if names_key(w, "jmacro2012")]
    assert len(about) == 1, about
    assert about[0].subtype == "bib_field"
    assert "'jgr'" in about[0].message
    assert about[0].line in (1, 4)


# -- 2. Every data check is a cv.<subtype> warning -------------------------------

CHECKS_BIB = (CHECKS / "refs.bib").read_text(encoding="utf-8")
CHECKS_INDEX = (CHECKS / "index.md").read_text(encoding="utf-8")
CHECKS_CONF = (CHECKS / "conf.py").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Expect:
    subtype: str
    file: str
    line: int | None
    fragments: tuple[str, ...]  # must all be in the message

    def matches(self, warning: CvWarning) -> bool:
        return ((warning.type, warning.subtype, warning.file) == ("cv", self.subtype, self.file)
                and (self.line is None or warning.line == self.line)
                and all(f in warning.message for f in self.fragments))


def _bib(subtype: str, key: str, *fragments: str, occurrence: int = 1) -> Expect:
    return Expect(subtype, "refs.bib", head_line(CHECKS_BIB, key, occurrence), (f"'{key}'", *fragments))


CHECK_EXPECTATIONS = [
    _bib("duplicate_key", "samekey2020", occurrence=2),
    _bib("duplicate_doi", "doisecond2019", "doifirst2019"),
    _bib("bad_doi", "baddoi2018", "see the journal website"),
    _bib("missing_field", "notitle2018", "title"),
    _bib("missing_field", "noyear", "year"),
    _bib("missing_field", "novenue2017", "journal"),
    _bib("bad_year", "badyear", "in press"),
    _bib("owner_absent", "notmine2016", "Liu, Lin"),
    _bib("ambiguous_person", "ambiguous2019", "Zhang, E.", "Enze Zhang", "Eric Zhang"),
    _bib("no_group", "report2015"),
    _bib("two_groups", "featured2014", "featured", "conference"),
    _bib("bad_url", "badurl2013", "javascript:alert(1)"),
    _bib("bad_arxiv", "badarxiv2011", "'1913.01234'", "has no month 13"),
    _bib("bad_url", "localpath2010", "'code'", "'../../../etc/passwd'", "not linked"),
    _bib("bad_url", "localpath2010", "'slides'", "C:", "not linked"),
    _bib("bad_annotation", "badan2012", "wizard"),
    # at the person's own line of cv_roster, where to fix the spelling
    Expect("unmatched_person", "conf.py", line_of(CHECKS_CONF, "Ghost Writer"), ("'Ghost Writer'",)),
    Expect("group_unplaced", "index.md", None, ("'talks'",)),
    Expect("directive", "index.md", line_of(CHECKS_INDEX, "nosuchgroup"), ("'nosuchgroup'",)),
]


def assert_warnings_are(warnings: list[CvWarning], expected: list[Expect]) -> None:
    """Each expected warning exactly once, and nothing else."""
    unmatched = list(warnings)
    for expect in expected:
        hits = [w for w in unmatched if expect.matches(w)]
        assert len(hits) == 1, f"{expect}: {len(hits)} matching warnings in {warnings}"
        unmatched.remove(hits[0])
    assert not unmatched, f"unexpected warnings: {unmatched}"


@pytest.mark.sphinx("html", testroot="cv-vchecks", srcdir="cvv-checks-html", freshenv=True)
def test_each_data_check_warns_once_as_cv_subtype(app) -> None:
    app.build()
    warnings = warnings_of(app)
    assert_warnings_are(warnings, CHECK_EXPECTATIONS)
    raw = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue()).splitlines()
    for expect in CHECK_EXPECTATIONS:
        assert any(line.endswith(f"[cv.{expect.subtype}]") for line in raw), expect.subtype


@pytest.mark.sphinx("html", testroot="cv-vchecks", srcdir="cvv-checks-negatives", freshenv=True)
def test_checks_do_not_warn_when_the_data_says_why(app) -> None:
    app.build()
    warnings = warnings_of(app)
    # An entry with a contribution field may lack the owner.
    assert not [w for w in warnings if names_key(w, "contrib2016")], warnings
    assert [w.subtype for w in warnings if names_key(w, "notmine2016")] == ["owner_absent"]
    # A roster person who is not expected to have papers.
    assert not [w for w in warnings if "Quiet Visitor" in w.message], warnings
    assert [w.subtype for w in warnings if "Ghost Writer" in w.message] == ["unmatched_person"]
    # Clean entries, and the two roster people who share the initial "E." (both matched by it).
    for key in ("clean2021", "clean2011", "doifirst2019", "samekey2020", "contrib2016"):
        line = head_line(CHECKS_BIB, key)
        assert not [w for w in warnings if w.file == "refs.bib" and w.line == line], (key, warnings)
    assert not [w for w in warnings if "Enze Zhang" in w.message and w.subtype != "ambiguous_person"]


@pytest.mark.sphinx("html", testroot="cv-vchecks", srcdir="cvv-checks-expect-papers", freshenv=True,
                    confoverrides={"cv_roster": [
                        {"name": "Xiyu Chen", "roles": {"student": "2019–present"}},
                        {"name": "Enze Zhang", "roles": {"student": "2017–present"}},
                        {"name": "Eric Zhang", "roles": {"student": "2018–present"}},
                        {"name": "Ghost Writer", "roles": {"postdoc": "2016–2017"}, "expect_papers": False},
                        {"name": "Quiet Visitor", "roles": {"postdoc": "2015"}, "expect_papers": False},
                    ]})
def test_expect_papers_false_silences_unmatched_person(app) -> None:
    app.build()
    assert cv_warnings(app, "unmatched_person") == []
    assert_warnings_are(warnings_of(app), [e for e in CHECK_EXPECTATIONS if e.subtype != "unmatched_person"])


@pytest.mark.sphinx("html", testroot="cv-vchecks", srcdir="cvv-checks-shown", freshenv=True)
def test_checked_entries_are_still_shown_once(app) -> None:
    """Warnings never hide an entry, except the one no group selects."""
    app.build()
    keys = re.findall(r"^\s*@\w+\s*\{\s*([^,\s]+)\s*,", CHECKS_BIB, flags=re.MULTILINE)
    expected = Counter(f"pub-{k}" for k in keys if k not in ("report2015", "samekey2020"))
    expected.update(["pub-samekey2020", "pub-samekey2020-2"])
    assert Counter(html_items(app)) == expected


# -- Each subtype is silenced by suppress_warnings, and only that one ---------------

_LATIN1 = {"cv_bibfiles": ["refs.bib", "latin1.bib"]}

# subtype -> (root, confoverrides) whose build gives at least one warning of that subtype
SCENARIOS: dict[str, tuple[str, dict]] = {
    "bib_unreadable": ("cv-validation", _LATIN1),
    "bib_syntax": ("cv-validation", _LATIN1),
    "bib_field": ("cv-validation", _LATIN1),
    **{e.subtype: ("cv-vchecks", {}) for e in CHECK_EXPECTATIONS},
    "bad_char": ("cv-validation", {"cv_bibfiles": ["refs.bib", "control.bib"]}),
    "cache": ("cv-validation", {}),  # with a damaged cache file in place (PREPARE)
    "latex": ("cv-validation", {"cv_bibfiles": ["refs.bib", "macro.bib"]}),
    "variant": ("cv-variants", {"cv_variant": "brief", "cv_variants": {"brief": {"sections": ["Education", "Hobbies"]}}}),
    **{subtype: ("cv-first-evening", {}) for subtype in ("placeholder", "venue_field", "preprint_published",
                                                          "starter_text", "identifier_field")},
    "page_limit": ("cv-variants", {"cv_variant": "brief"}),  # with a two-page PDF of the variant in place (PREPARE)
    "empty_group": ("cv-vchecks", {"cv_publication_groups": [
        {"name": "journal", "title": "Journal Articles", "select": "journl == 'Journal J'"},
        {"name": "conference", "title": "Conference Papers", "select": "type == 'inproceedings'"},
        {"name": "talks", "title": "Talks", "select": "type == 'unpublished'"}]}),
    "pdf_failed": ("cv-validation", {}),  # with the log of a failed LaTeX run in place (PREPARE)
    "language": ("cv-validation", {"language": "en"}),  # conf.py's German, on Read the Docs (PREPARE, ENVIRON)
}


def _damaged_cache(src: Path) -> None:
    cache = src / "_build" / "doctrees" / "cvsphinx.pickle"
    cache.parent.mkdir(parents=True, exist_ok=True)
    from cvsphinx.sphinxext.store import _header

    cache.write_bytes(_header() + b"0" * 64 + b"cut off")  # this version's header, a payload that fails its checksum


def _two_page_pdf(src: Path) -> None:
    """The PDF a LaTeX build of the variant "brief" (page_limit 1) would leave, with two pages."""
    pdf = src / "_build" / "latex" / "tester-cv-brief.pdf"
    pdf.parent.mkdir(parents=True, exist_ok=True)
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
                    b"2 0 obj << /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >> endobj\n"
                    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n"
                    b"4 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n"
                    b"trailer << /Root 1 0 R >>\n%%EOF\n")


def _failed_latex(src: Path) -> None:
    """What a LaTeX run stopped at an error leaves: a cut-off PDF and a log that says why."""
    latex = src / "_build" / "latex"
    latex.mkdir(parents=True, exist_ok=True)
    (latex / "cvvalidation.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (latex / "cvvalidation.log").write_text("This is XeTeX\n! Undefined control sequence.\nl.42 \\foo\n"
                                             "!  ==> Fatal error occurred, no output PDF file produced!\n")


def _german_conf(src: Path) -> None:
    with open(src / "conf.py", "a", encoding="utf-8") as conf:
        conf.write('\nlanguage = "de"\n')


PREPARE = {"cache": _damaged_cache, "page_limit": _two_page_pdf, "pdf_failed": _failed_latex, "language": _german_conf}
ENVIRON = {"language": {"READTHEDOCS": "True"}}  # set for the test's builds only


def test_every_subtype_has_a_scenario() -> None:
    """A new Subtype in warnings_.py needs a scenario here (and an entry in the README)."""
    assert set(SCENARIOS) == {s.value for s in Subtype}


@pytest.mark.parametrize("subtype", [s.value for s in Subtype])
def test_suppress_warnings_silences_exactly_that_subtype(subtype: str, make_app, sphinx_test_tempdir: Path,
                                                         rootdir: Path, monkeypatch) -> None:
    assert subtype in SCENARIOS, f"no scenario gives a cv.{subtype} warning"
    for name, value in ENVIRON.get(subtype, {}).items():
        monkeypatch.setenv(name, value)
    root, overrides = SCENARIOS[subtype]

    def build(name: str, suppress: list[str]) -> list[CvWarning]:
        src = sphinx_test_tempdir / name
        if src.exists():
            shutil.rmtree(src)
        shutil.copytree(rootdir / f"test-{root}", src)
        if subtype in PREPARE:
            PREPARE[subtype](src)
        app = make_app("html", srcdir=src, freshenv=True,
                       confoverrides={**overrides, "suppress_warnings": suppress})
        try:
            app.build()
            return warnings_of(app)
        finally:
            app.cleanup()  # a second app in one test must not see the first one's node registrations

    loud = build(f"cvv-suppress-{subtype}-loud", [])
    quiet = build(f"cvv-suppress-{subtype}-quiet", [f"cv.{subtype}"])
    assert any(w.subtype == subtype and w.type == "cv" for w in loud), loud
    assert Counter(quiet) == Counter(w for w in loud if w.subtype != subtype)
