"""A new CV project for another person, and a short summary of a finished build.

``python -m cvsphinx.cli.new new DIR --name "Marie Curie" [--bib FILE] [--email ...] [--orcid ...]``
copies this project's machinery (the extension, the build script, the generic
tests, CI and Read the Docs files) into DIR and writes that person's own
content: conf.py, index.md, starter sections and refs.bib.  Nothing of the
CV it was made from is copied: its sections, roster, bibliography and the
tests tied to its text stay behind, so the new project builds and tests clean
at once.

``python -m cvsphinx.cli.new summary [BUILD_DIR]`` reads the built page and
PDF and says what they hold: ``bash cv.sh build`` ends with it.

The summary reads the built HTML with the standard library's parser (the
test tools may not be installed where the CV is built); ``new`` reads the
.bib file with the extension's own reader, as the build will.
"""

from __future__ import annotations

import argparse
import ast
import datetime
import html
import os
import re
import shutil
import subprocess
import sys
import textwrap
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..core.files import read_summary
from ..core.labels import N_, Labels, cjk_region, is_english, po_file, translated
from ..core.names import is_cjk_name, read_name
from ..output.pdftools import pdf_name_in, pdf_pages

HERE = Path(__file__).resolve().parent.parent  # the package
ROOT = HERE.parent.parent  # the project this extension lives in

# -- what a new project gets -----------------------------------------------------------------

# Copied as they are (when present).  Not copied: bench/ (benchmarks of this
# CV), the tests of the extension itself (tests/roots and their tests) and the
# tests that compare the output with this CV's source text (tests/data/seed.txt).
COPY_FILES = (".gitignore", ".readthedocs.yaml", "pyproject.toml", "cv.sh", ".ci/run")
COPY_GLOBS = ("requirements*.txt",)
COPY_TREES = ("ext", "_static")
# The tests that hold for any CV (test_rtd.py: Read the Docs' own commands publish what the build makes;
# test_quality.py: axe-core and Lighthouse, whose npm pins cv.sh installs from tests/quality).
GENERIC_TESTS = ("tests/conftest.py", "tests/test_cv_invariants.py", "tests/test_browser.py", "tests/test_rtd.py",
                 "tests/test_quality.py", "tests/quality/package.json", "tests/quality/package-lock.json")
_SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache", ".ruff_cache")

# The example text of the starter files: the build warns while any of it is left (cv.starter_text).
STARTER_TEXT = ("Your University", "Your Field", "course code")

# Starter sections, in CV order: (file, heading, body with one example line).  The headings in the CV's
# language (--language); the example lines stay English: the build asks for each to be replaced.
SECTIONS = (
    ("education", N_("Education"), "```{cv-entries}\nPh.D. in Your Field, Your University, Country | 2010\n```\n"),
    ("positions", N_("Positions"), "```{cv-entries}\nProfessor, Department of Your Field, Your University | 2015–present\n```\n"),
    ("publications", N_("Publications"), "```{publication-legend}\n```\n\n```{publications}\n```\n"),
    ("supervision", N_("Supervision"),
     "```{supervised-people}\n```\n\n```{cv-entries}\nUndergraduate research projects, Your University | 2016–present\n```\n"),
    ("teaching", N_("Teaching"),
     "```{cv-entries}\nIntroduction to Your Field (course code), Your University | Fall 2016–2020\n```\n"),
    ("service", N_("Service"), "```{cv-entries}\nReviewer for *Journal of Your Field* | 2012–present\n```\n"),
    ("awards", N_("Honors and Awards"), "```{cv-entries}\nEarly Career Award, Society of Your Field | 2018\n```\n"),
)

# Letters that NFKD does not take apart, for the PDF's ASCII file name.
_ASCII = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
                        "ß": "ss", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "ı": "i"})
# conf.py puts the name into LaTeX as it is (the PDF's title), so these would break the PDF.
_LATEX_SPECIAL = set("\\{}$%&#^_~")


class ScaffoldError(Exception):
    """A mistake in the command line: said in one line, nothing is created."""


@dataclass
class Owner:
    """The new CV's owner, in the forms the files need."""

    name: str  # as the CV shows it: "Marie Curie"
    bibtex: str  # as refs.bib spells it: "Curie, Marie"
    slug: str  # ASCII, for the PDF's file name; "" when the name has no Latin letters
    email: str = ""
    orcid: str = ""
    website: str = ""
    affiliation: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)  # other spellings of the name in the .bib file
    language: str = "en"  # Sphinx's ``language``: the extension's words, dates and CSL locale

    @property
    def words(self) -> Labels:
        return translated(self.language)

    @property
    def pdf_tex(self) -> str:
        return f"{self.slug}-cv.tex" if self.slug else "cv.tex"


def make_owner(name: str, email: str = "", orcid: str = "", website: str = "", affiliation: list[str] | None = None,
               bibtex: str = "", language: str = "en") -> Owner:
    name = " ".join((name or "").split())
    if not name or not any(c.isalpha() for c in name):
        raise ScaffoldError("--name must be a person's name, e.g. --name \"Marie Curie\"")
    bad = sorted(_LATEX_SPECIAL & set(name + bibtex))
    if bad:
        raise ScaffoldError(f"the name may not hold {' '.join(bad)}: they are LaTeX syntax; write the letters themselves "
                            "(é, not \\'e)")
    person = read_name(bibtex or name)  # as the build reads it: 小山 翔一 is family name first
    given = " ".join(person.first_names + person.middle_names)
    surname = " ".join(person.prelast_names + person.last_names)
    lineage = " ".join(person.lineage_names)
    if "," in name:  # given as "Curie, Marie": show it as "Marie Curie" (a CJK name family name first)
        name = " ".join(p for p in ((surname, given) if is_cjk_name(name) else (given, surname, lineage)) if p)
    if not bibtex:
        bibtex = ", ".join(p for p in (surname, lineage, given) if p) if given else name
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise ScaffoldError(f"--email {email!r} is not an e-mail address")
    orcid = re.sub(r"^https?://orcid\.org/", "", orcid or "")
    if orcid and not re.fullmatch(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]", orcid):
        raise ScaffoldError(f"--orcid {orcid!r} is not an ORCID iD; write e.g. 0000-0002-1825-0097")
    if website and not re.match(r"https?://", website):
        website = "https://" + website
    return Owner(name, bibtex, slugify(name), email, orcid, website, list(affiliation or []),
                 language=check_language(language))


def check_language(language: str) -> str:
    """Sphinx's spelling of a language Babel knows (``zh-cn`` -> ``zh_CN``), or one line saying what to write."""
    from babel import Locale, UnknownLocaleError

    code = (language or "en").strip().replace("-", "_")
    try:
        locale = Locale.parse(code)
    except (ValueError, UnknownLocaleError):
        raise ScaffoldError(f"--language {language!r} is not a language code; write e.g. de, fr, es, pt_BR, it, "
                            "zh_CN or ja (Sphinx's 'language')") from None
    return f"{locale.language}_{locale.territory}" if locale.territory and "_" in code else locale.language


def language_note(owner: Owner) -> str | None:
    """What ``new`` says about a language whose words the extension does not have (they stay English)."""
    if is_english(owner.language) or po_file(owner.language) is not None:
        return None
    from babel import Locale

    name = Locale.parse(owner.language).get_display_name("en")
    return (f"language = {owner.language!r}: dates and CSL styles are in {name}, but the extension's own words "
            f"(headings, 'ed. by', 'Download as PDF') have no {name} translation yet and stay English; give yours "
            "in conf.py as cv_labels (README, 'Languages')")


def slugify(name: str) -> str:
    """``Marie Skłodowska-Curie`` -> ``marie-sklodowska-curie``; a name without Latin letters gives ``""``."""
    ascii_text = unicodedata.normalize("NFKD", name.translate(_ASCII)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def py(value: object) -> str:
    """A Python literal for conf.py; double quotes, as conf.py writes them."""
    text = repr(value)
    if isinstance(value, str) and text.startswith("'") and '"' not in value:
        text = '"' + text[1:-1].replace("\\'", "'") + '"'
    return text


# -- conf.py ---------------------------------------------------------------------------------

ROLES_BLOCK = '''\
# Roles: the marker after a supervised co-author's name, and what it stands for.
# "heading" lists the role's people in the {supervised-people} section,
# "show_periods" adds their years there.
cv_roles = {
    "student": {"label": "graduate student", "symbol": "*", "heading": "Graduate students"},
    "postdoc": {"label": "postdoc", "symbol": "×", "heading": "Postdocs", "show_periods": True},
    "visitor": {"label": "visiting student", "symbol": "◊"},
}
'''

ROSTER_BLOCK = '''\
# Supervised people, in the order the CV lists them, each with a period per
# role: a year ("2018"), a range ("2017–2018") or an open one ("2019–present").
# A co-author who matches a name here gets the marker of the role held in the
# entry's year.
cv_roster = [
    # {"name": "Pierre Dupont", "roles": {"student": "2019–2023", "postdoc": "2024–present"}},
]
'''

def groups_note() -> str:
    """What conf.py says instead of cv_publication_groups: the defaults, by title."""
    try:
        from ..sphinxext.config import DEFAULT_GROUPS

        titles = [str(g.get("title") or g.get("name")).lower() for g in DEFAULT_GROUPS]
    except Exception:  # the note is a comment: never worth failing for
        titles = []
    listed = textwrap.fill(", ".join(titles) + ".", width=80, initial_indent="# ", subsequent_indent="# ")
    return ("# Publication groups: the extension's defaults (README.md, \"Configuration reference\"):\n"
            + (listed + "\n" if titles else "") + "# To change them, set cv_publication_groups here.\n")


# cv_* settings a new project keeps from the template; every other one (its groups, variants,
# metadata about its owner...) is left out, so the extension's defaults apply.
KEEP_CV = ("cv_bibfiles", "cv_role_lag_years")


def make_conf(template: str, owner: Owner, year: int | None = None) -> str:
    """This project's conf.py with every value about its owner replaced.

    The fonts, LaTeX and HTML settings stay as the template has them, so the
    new project builds as this one does.  A replaced or dropped value's comment
    (the comment lines right above it) goes with it: it was about the old owner.
    """
    year = year or datetime.date.today().year
    pdf_line = f'latex_documents = [("index", {py(owner.pdf_tex)}, project, "", "howto", False)]\n'
    new_values = {
        "project": f"project = {py(owner.name)}\n",
        "author": f"author = {py(owner.name)}\n",
        "copyright": f"copyright = {py(f'{year}, {owner.name}')}\n",
        "language": f"language = {py(owner.language)}\n",
        "html_title": f"html_title = {py(owner.words('{name} — Curriculum Vitae', name=owner.name))}\n",
        "cv_owner": f"cv_owner = {py(owner.bibtex)}\n" + (
            "# Other spellings of your name that cv.sh new found in refs.bib: bold as well (delete any that is not you)\n"
            f"cv_owner_aliases = {py(owner.aliases)}\n" if owner.aliases else ""),
        "cv_roles": ROLES_BLOCK,
        "cv_roster": ROSTER_BLOCK + "\n" + groups_note(),
    }
    lines = template.splitlines(keepends=True)
    tree = ast.parse(template)
    edits: list[tuple[int, int, str]] = []  # (first line, last line, new text), 0-based, inclusive
    seen: set[str] = set()
    for stmt in tree.body:
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [getattr(stmt, "target", None)]
        names = [t.id for t in targets if isinstance(t, ast.Name)]
        if not names:
            continue
        name = names[0]
        first, last = stmt.lineno - 1, stmt.end_lineno - 1  # type: ignore[operator]
        if name == "latex_documents":
            text = "".join(lines[first:last + 1])
            text, count = re.subn(r"""(["'])[^"'\n]*\.tex\1""", py(owner.pdf_tex).replace("\\", "\\\\"), text, count=1)
            edits.append((first, last, text if count else pdf_line))
            seen.add(name)
            continue
        if name in new_values:
            text = new_values[name]
        elif name.startswith("cv_") and name not in KEEP_CV:
            text = ""
        else:
            continue
        while first > 0 and lines[first - 1].lstrip().startswith("#") and not lines[first - 1].lstrip().startswith("# --"):
            first -= 1
        edits.append((first, last, text))
        seen.add(name)
    for first, last, text in sorted(edits, reverse=True):
        lines[first:last + 1] = [text]
    out = "".join(lines)
    for name in [n for n in (*new_values, "latex_documents") if n not in seen]:  # not in the template: at the end
        out += "\n" + new_values.get(name, pdf_line)
    region = cjk_region(owner.language)
    if region:  # Japanese kanji, Korean hanja and traditional Chinese in their own glyph forms
        out = re.sub(r"(Noto (?:Serif|Sans|Sans Mono) CJK) SC\b", rf"\1 {region}", out)
    out = _drop_empty_headers(re.sub(r"\n{3,}", "\n\n", out))
    body = out.lstrip("\n")
    while body.startswith("#"):  # the template's header comment: about its own owner
        body = body.split("\n", 1)[1] if "\n" in body else ""
    header = (f"# Configuration of the CV of {owner.name}.  Settings only: the code lives in ext/cvsphinx.\n"
              '# README.md explains each cv_* value ("Configuration reference").\n')
    return header + body


def _drop_empty_headers(text: str) -> str:
    """``# -- Options for X ---`` lines with nothing under them before the next one (their settings were dropped)."""
    lines = text.splitlines(keepends=True)
    keep = []
    for i, line in enumerate(lines):
        if line.startswith("# --"):
            rest = next((x for x in lines[i + 1:] if x.strip()), "")
            if not rest or rest.startswith("# --"):
                continue
        keep.append(line)
    return re.sub(r"\n{3,}", "\n\n", "".join(keep)).rstrip("\n") + "\n"


# -- index.md, sections, refs.bib, README ----------------------------------------------------


def make_index(owner: Owner) -> str:
    affiliation = owner.affiliation or ["Department of Your Field", "Your University"]
    contact = []
    if owner.website:
        shown = re.sub(r"^https?://", "", owner.website).rstrip("/")
        contact.append(f"Website: [{shown}]({owner.website})")
    if owner.email:
        contact.append(f"Email: [{owner.email}](mailto:{owner.email})")
    if owner.orcid:
        contact.append(f"ORCID: [{owner.orcid}](https://orcid.org/{owner.orcid})")
    block = "\\\n".join(affiliation) + "\n"
    if contact:
        block += "\n" + "\\\n".join(contact) + "\n"
    includes = "".join(f"```{{include}} sections/{file}.md\n```\n\n" for file, _, _ in SECTIONS)
    return (f"---\nhide-toc: true\n---\n\n# {owner.name}\n\n:::{{container}} cv-contact\n{block}:::\n\n"
            f"```{{cv-pdf-link}} {owner.words('Download this CV as PDF')}\n```\n\n{includes}").rstrip("\n") + "\n"


def initials(name: str) -> str:
    """``Marie Skłodowska-Curie`` -> ``MS``; a name without spaces (``刘林``) -> its first character."""
    words = [w for w in name.split() if any(c.isalpha() for c in w)]
    if len(words) < 2:
        return next((c for c in name if c.isalpha()), "?")
    return "".join(next(c for c in w if c.isalpha()) for w in (words[0], words[-1])).upper()


def make_favicon(owner: Owner) -> str:
    """The browser tab's icon: the owner's initials, as the template's own icon shows its owner's."""
    text = html.escape(initials(owner.name))
    size = 17 if len(text) > 1 else 19
    return ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" '
            f'fill="#1a2a4d"/><text x="16" y="22.5" font-family="Georgia,\'Times New Roman\',serif" font-size="{size}" '
            f'font-weight="bold" text-anchor="middle" fill="#fff">{text}</text></svg>\n')


def make_section(heading: str, body: str) -> str:
    return f"## {heading}\n\n{body}"


def example_bib(owner: Owner, year: int | None = None) -> str:
    year = year or datetime.date.today().year - 1
    key = f"{owner.slug.split('-')[-1]}{year}example" if owner.slug else f"example{year}"
    return (
        "% Your publications, one BibTeX entry each; README.md says which fields the CV shows.\n"
        "% This entry is an example: replace it.\n\n"
        f"@article{{{key},\n"
        f"  author  = {{{owner.bibtex} and Doe, Jane}},\n"
        "  title   = {An example article: replace this entry with your own publications},\n"
        "  journal = {Journal of Examples},\n"
        "  volume  = {1},\n"
        "  pages   = {1--10},\n"
        f"  year    = {{{year}}},\n"
        "}\n"
    )


def _sections_by_heading(markdown: str) -> dict[str, str]:
    """The ``## `` sections of a Markdown file, by heading; headings inside code fences are text."""
    out: dict[str, str] = {}
    current: list[str] | None = None
    fence = ""
    for line in markdown.splitlines(keepends=True):
        marker = re.match(r"^(`{3,}|~{3,})", line)
        if marker:
            if not fence:
                fence = marker.group(1)
            elif line.startswith(fence) and not line[len(fence):].strip():
                fence = ""
        if not fence and line.startswith("## "):
            current = []
            out[line[3:].strip()] = current  # type: ignore[assignment]
        if current is not None:
            current.append(line)
    return {k: "".join(v) for k, v in out.items()}  # type: ignore[arg-type]


# The template README's sections a new project's README carries as they are: what holds for any CV.
README_SECTIONS = ("Read the Docs", "Configuration reference", "When the build complains")


def make_readme(owner: Owner, source_readme: str, people_command: bool = False) -> str:
    reference = _sections_by_heading(source_readme)
    pdf = owner.pdf_tex.replace(".tex", ".pdf")
    parts = [f"""# {owner.name} — Curriculum Vitae

The CV of {owner.name} as a Sphinx project: one MyST Markdown file per
section and one BibTeX file give a web page (furo theme, ready for Read the
Docs) and a PDF (Sphinx's LaTeX builder, xelatex) from the same source. The
extension in `ext/cvsphinx` bolds the owner's name in every author list, marks
supervised co-authors from one roster, numbers the publications continuously
across their groups, newest first, and lays out dated entries with the date
right-aligned.

## Build, test, preview

On Debian or Ubuntu with Python 3.11 or newer:

```console
bash cv.sh build      # the PDF and the web page, strict: any warning fails the build
bash cv.sh test       # ruff, then the tests that hold for any CV
bash cv.sh preview    # live preview on http://127.0.0.1:8000, rebuilt on every save
```

`bash cv.sh build` creates `.venv`, installs the pinned Python packages and,
when they are missing, TeX Live, the fonts, `poppler-utils` and Chromium
(as root; otherwise it prints the `apt-get` command to run). It ends with a
summary: publications per group, supervised co-authors marked, pages of the
PDF, and where the page (`_build/html/index.html`) and the PDF
(`_build/latex/{pdf}`) are. CI (`.ci/run`) runs the build, then the tests.

The plain Sphinx commands work too, once `.venv` exists; build the PDF first,
then the page, which copies the PDF next to itself for its download link:
`.venv/bin/sphinx-build -M latexpdf . _build`, then
`.venv/bin/sphinx-build -M html . _build`.

## Layout

| path | what it holds |
|---|---|
| `conf.py` | settings only: owner, roster, roles, publication groups, theme, LaTeX |
| `index.md` | the name, the contact block and the order of the sections |
| `sections/*.md` | one MyST file per CV section, pulled into `index.md` with `{{include}}` |
| `refs.bib` | every publication, one BibTeX entry each |
| `_static/cv.css` | the project's own look on top of furo |
| `ext/cvsphinx/` | the extension |
| `tests/` | tests for any CV: each `refs.bib` entry once in page and PDF, owner bold, markers, Chromium, Read the Docs |

## Filling it in

1. **`index.md`**: the contact block under your name; reorder or remove the
   `{{include}}` lines and the files in `sections/`.
2. **`sections/*.md`**: each holds one example line; replace it. Dated lines
   go in a `cv-entries` block, one per line, the date after ` | `; an
   indented line hangs under the one before; `:list: bullet` or
   `:list: enumerated` makes a list:

   ````markdown
   ## Positions

   ```{{cv-entries}}
   Your University | 2015–present
     Professor, Department of Your Field
   Postdoctoral Fellow, Another University | 2011–2014
   ```
   ````

3. **`refs.bib`**: your publications. `@article` with `journal`, `volume`,
   `number`, `pages`, `doi`; `pubstate = {{submitted}}` for a paper in
   review; `@phdthesis` with `school`; `@dataset` with `publisher` and `url`.
   Titles keep the capitalisation you write.
4. **`conf.py`**: `cv_owner` is your name as `refs.bib` spells it
   (`{owner.bibtex}`); every spelling with the same surname and compatible
   given names is bolded. Add the names you have also published under to
   `cv_owner_aliases`, your supervised students and postdocs to
   `cv_roster`, and set `cv_publication_groups` to group the publications
   your way (a group's `select` is a small expression over `type` and the
   fields: `==`, `!=`, `in`, `not in`, `and`, `or`, `not`).
"""]
    if people_command:
        parts[0] += """
`bash cv.sh people` lists every co-author in `refs.bib` with the number of
papers and the years, groups spellings that are probably the same person,
and says whom the roster matches: what you need to fill in `cv_roster`.
"""
    carried = [title for title in README_SECTIONS if title in reference]
    for title in carried:
        text = reference[title].replace("(step 3 above)", '(see "Filling it in" above)')
        # a pointer to a section this README does not carry would lead nowhere
        text = re.sub(r'\s*\(see "([^"]+)"\)', lambda m: m.group(0) if m.group(1) in carried else "", text)
        parts.append(text.rstrip("\n") + "\n")
    return "\n".join(parts)


def adapt_cv_sh(text: str) -> str:
    """The build script without its benchmark: the new project has no bench/ folder."""
    out = []
    for line in text.splitlines(keepends=True):
        if re.match(r"^#\s+bash cv\.sh bench\b", line) or re.match(r"^\s*bench\)", line):
            continue
        line = line.replace(" bench conf.py", " conf.py")
        out.append(line.replace("|bench", "") if "usage:" in line else line)
    return "".join(out)


# -- new ---------------------------------------------------------------------------------------


@dataclass
class BibReport:
    path: Path
    entries: int
    skipped: list[str]  # "file:line: message" of each entry that could not be read
    other: list[str]  # problems with entries that were kept
    without_owner: list[str]  # keys of entries whose authors (or editors) do not name the owner
    aliases: Counter = field(default_factory=Counter)  # other spellings of the owner found there -> entries


def check_bib(path: Path, owner: Owner) -> BibReport:
    """What the build will find in the .bib file, said once, before anything is built; names are read as the build
    reads them (records.py), and spellings that are probably the owner's are gathered for cv_owner_aliases."""
    from ..core.bibfile import BibText, read_bib
    from ..core.latex import preamble_macros
    from ..core.people import NameKey, build_owner, highlighted, partly_same
    from ..core.records import build_records

    extra = BibText()
    entries, problems = read_bib(path, extra=extra)
    records, _ = build_records(entries, preamble_macros("\n".join(extra.preamble)))
    shown = path.name
    skipped = [f"{shown}:{p.line}: {p.message}" for p in problems if p.subtype == "bib_syntax"]
    other = [f"{shown}:{p.line}: {p.message}" for p in problems if p.subtype != "bib_syntax"]
    me = build_owner(owner.bibtex, [])
    without = []
    aliases: Counter = Counter()
    for record in records:
        role = "author" if record.persons.get("author") else "editor"
        people = [p for p in record.persons.get(role, []) if str(p).strip().lower() != "others"]
        if not people or record.get("contribution"):
            continue
        keys = [NameKey.from_person(p) for p in people]
        editors = [NameKey.from_person(p) for p in record.persons.get("editor", [])]
        if any(me.is_owner(k) for k in keys + editors) or highlighted(record.get(f"{role}+an")):
            continue
        like = [p for p, k in zip(people, keys, strict=True) if any(partly_same(mine, k) for mine in me.keys)]
        if like:
            aliases[_bibtex_name(like[0])] += 1
        else:
            without.append(record.key)
    return BibReport(path, len(entries), skipped, other, without, aliases)


def _bibtex_name(person) -> str:
    """A decoded name as conf.py writes it: "Surname, Given"."""
    surname = " ".join(person.prelast_names + person.last_names)
    given = " ".join(person.first_names + person.middle_names)
    return f"{surname}, {given}" if given else surname


def _n(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {'entries' if word == 'entry' else word + 's'}"


def _say_bib(report: BibReport, owner: Owner, out) -> None:
    def listing(items: list[str], limit: int = 20) -> None:
        for item in items[:limit]:
            print(f"    {item}", file=out)
        if len(items) > limit:
            print(f"    … and {len(items) - limit} more", file=out)

    print(f"refs.bib: {_n(report.entries, 'entry')} read from {report.path}", file=out)
    if report.skipped:
        print(f"  {_n(len(report.skipped), 'entry')} could not be read; each is missing from the CV until it is "
              "fixed (the build warns about each):", file=out)
        listing(report.skipped)
    else:
        print("  every entry could be read", file=out)
    if report.other:
        print(f"  {_n(len(report.other), 'other problem')} (those entries are kept; the build warns about each):",
              file=out)
        listing(report.other)
    if report.aliases:
        print(f"  {_n(sum(report.aliases.values()), 'entry')} spell your name otherwise; the CV bolds these spellings "
              "too (cv_owner_aliases in conf.py: delete any that is not you):", file=out)
        listing([f"{name!r} ({_n(count, 'entry')})" for name, count in report.aliases.most_common()])
    if report.without_owner:
        print(f"  {_n(len(report.without_owner), 'entry')} without {owner.bibtex} among the authors (the build warns "
              "cv.owner_absent; add the other names you published under to cv_owner_aliases in conf.py):", file=out)
        keys = ", ".join(report.without_owner[:40]) + (", …" if len(report.without_owner) > 40 else "")
        print(textwrap.fill(keys, width=100, initial_indent="    ", subsequent_indent="    "), file=out)


def _git(dest: Path, *args: str, owner: Owner) -> None:
    """git in the new project; without a configured identity, the commit is the owner's."""
    identity: list[str] = []
    for key, value in (("user.name", owner.name), ("user.email", owner.email or "cv@example.invalid")):
        probe = subprocess.run(["git", "config", key], cwd=dest, capture_output=True, text=True)
        if not probe.stdout.strip():
            identity += ["-c", f"{key}={value}"]
    subprocess.run(["git", *identity, *args], cwd=dest, check=True, capture_output=True, text=True)


def first_warnings(dest: Path) -> list[str] | None:
    """Build the new project once (page and LaTeX, no PDF) and accept every warning it gives, so that its own
    first ``bash cv.sh build``, its CI and its Read the Docs build pass; None when Sphinx could not run."""
    import tempfile

    from ..sphinxext.accepted import write

    lines: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for builder in ("html", "latex"):
            run = subprocess.run([sys.executable, "-m", "sphinx", "-b", builder, "-E", "-q", "-d", f"{tmp}/doctrees",
                                  "-D", "cv_accepted_warnings=", str(dest), f"{tmp}/{builder}"],
                                 capture_output=True, text=True, stdin=subprocess.DEVNULL, cwd=dest)
            seen = Path(tmp) / "doctrees" / f"cv-warnings-{builder}.txt"
            if run.returncode != 0 or not seen.is_file():
                return None
            lines += [line.split("\t")[2] for line in seen.read_text(encoding="utf-8").splitlines()
                      if line.count("\t") >= 2]
    lines = list(dict.fromkeys(lines))
    if lines:
        write(dest / "accepted-warnings.txt", lines)
    return lines


def create(dest: Path, owner: Owner, bib: Path | None = None, source: Path = ROOT, out=sys.stdout) -> BibReport | None:
    """Write the new project into ``dest`` (new or empty) and commit it."""
    dest = dest.resolve()
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise ScaffoldError(f"{dest} exists and is not an empty folder; choose a new one")
    if bib is not None and not bib.is_file():
        raise ScaffoldError(f"--bib {bib}: no such file")
    if shutil.which("git") is None:
        raise ScaffoldError("git is not installed; install it (apt-get install git) and run this again")
    report = check_bib(bib, owner) if bib is not None else None
    if report is not None:
        owner.aliases = [name for name, _ in report.aliases.most_common()]
    dest.mkdir(parents=True, exist_ok=True)
    for rel in COPY_FILES + GENERIC_TESTS:
        src = source / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    for pattern in COPY_GLOBS:
        for src in sorted(source.glob(pattern)):
            shutil.copy2(src, dest / src.name)
    for rel in COPY_TREES:
        if (source / rel).is_dir():
            shutil.copytree(source / rel, dest / rel, ignore=_SKIP)
    ignore = dest / ".gitignore"
    if (dest / "tests" / "quality").is_dir() and ignore.is_file() and "node_modules" not in ignore.read_text(encoding="utf-8"):
        with ignore.open("a", encoding="utf-8") as file:  # npm ci puts the page-quality tools there: not for git
            file.write("node_modules/\n")
    icons = sorted((dest / "_static").glob("favicon.*"))
    if icons:  # the template's icon shows its owner's initials: the new owner's instead
        for icon in icons:
            icon.unlink()
        (dest / "_static" / "favicon.svg").write_text(make_favicon(owner), encoding="utf-8")
    if (dest / "cv.sh").is_file() and not (dest / "bench").exists():
        (dest / "cv.sh").write_text(adapt_cv_sh((dest / "cv.sh").read_text(encoding="utf-8")), encoding="utf-8")
    (dest / "conf.py").write_text(make_conf((source / "conf.py").read_text(encoding="utf-8"), owner), encoding="utf-8")
    (dest / "index.md").write_text(make_index(owner), encoding="utf-8")
    (dest / "sections").mkdir()
    for file, heading, body in SECTIONS:
        (dest / "sections" / f"{file}.md").write_text(make_section(owner.words(heading), body), encoding="utf-8")
    if bib is not None:
        shutil.copyfile(bib, dest / "refs.bib")  # as it is, bytes and all: the build says what is wrong with it
    else:
        (dest / "refs.bib").write_text(example_bib(owner), encoding="utf-8")
    readme = source / "README.md"
    people = (dest / "cv.sh").is_file() and "people)" in (dest / "cv.sh").read_text(encoding="utf-8")
    source_readme = readme.read_text(encoding="utf-8") if readme.is_file() else ""
    (dest / "README.md").write_text(make_readme(owner, source_readme, people), encoding="utf-8")
    accepted = first_warnings(dest)
    _git(dest, "init", "-q", owner=owner)
    _git(dest, "add", "-A", owner=owner)
    _git(dest, "commit", "-q", "-m", f"New CV of {owner.name}, made with cv.sh new", owner=owner)
    print(f"New CV project for {owner.name} in {dest} (a git repository with one commit).", file=out)
    if report is not None:
        _say_bib(report, owner, out)
    else:
        print("refs.bib: one example entry; replace it with your publications", file=out)
    if accepted is None:
        print("The first build could not be run here, so no warnings are accepted: the first `bash cv.sh build` "
              "is strict", file=out)
    elif accepted:
        print(f"{_n(len(accepted), 'warning')} of the first build (your data, and the starter sections' example lines) "
              "are in accepted-warnings.txt: the build lists them as a to-do and passes; any new warning fails it",
              file=out)
    print(f"PDF: {owner.pdf_tex.replace('.tex', '.pdf')}; the owner in refs.bib: cv_owner = {owner.bibtex!r} in conf.py",
          file=out)
    note = language_note(owner)
    if note:
        print(note, file=out)
    if not is_english(owner.language):  # its build passes -D language=<the project's setting>, English by default
        print(f"On Read the Docs, set the project's Language (Admin > Settings) to {owner.language}: its build "
              "overrides conf.py's, and warns (cv.language) until they agree", file=out)
    print(f"Next: cd {dest} && bash cv.sh build", file=out)
    return report


# -- summary ---------------------------------------------------------------------------------


_UNREADABLE = object()


def conf_literal(conf: Path, name: str, default: object = None) -> object:
    """A value conf.py assigns as a literal, without running conf.py; ``_UNREADABLE`` when it is not a literal."""
    try:
        tree = ast.parse(conf.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return default
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in stmt.targets):
            try:
                return ast.literal_eval(stmt.value)
            except ValueError:
                return _UNREADABLE
    return default


def suppressed_warnings(conf: Path) -> list[str]:
    """``suppress_warnings`` as conf.py writes it (a literal list)."""
    value = conf_literal(conf, "suppress_warnings", [])
    if value is _UNREADABLE:
        return ["(not a literal list)"]
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else []


def _accepted_name(conf: Path) -> str:
    """``cv_accepted_warnings`` as conf.py writes it (a literal)."""
    value = conf_literal(conf, "cv_accepted_warnings", "accepted-warnings.txt")
    if value is _UNREADABLE:
        return "accepted-warnings.txt"
    return value if isinstance(value, str) else ""


def accepted_state(build: Path, project: Path, prune: bool = False
                   ) -> tuple[list[tuple[str, str, str]], list[str], list[str], str]:
    """What the last build said of the accepted-warnings list: the accepted warnings it gave, as (file:line,
    line of the list, message); the warnings it gave that are not listed; with ``prune`` (after a build that read
    everything, as ``bash cv.sh build``'s), the listed ones it no longer gave, which are deleted; the list's name."""
    from ..sphinxext.accepted import last_build, read, write

    name = _accepted_name(project / "conf.py")
    path = project / name if name else None
    listed = read(path) if path else []
    seen = last_build(build / "doctrees")
    todo = [(at, ident, message) for ident, at, accepted, message in seen if accepted]
    new = [ident for ident, _, accepted, _ in seen if not accepted]
    said = {ident for ident, *_ in seen}
    fixed = [line for line in listed if line not in said] if prune else []
    if fixed and path is not None:
        rest = [line for line in listed if line in said]
        if rest:
            write(path, rest)
        else:
            path.unlink()
    return todo, new, fixed, name


def todo_list(todo: list[tuple[str, str, str]]) -> list[str]:
    """The accepted warnings as a to-do list, by kind: what each kind means, then file:line and what to change."""
    from ..sphinxext.warnings_ import describe

    if not todo:
        return []
    by_kind: dict[str, list[tuple[str, str]]] = {}
    for at, ident, message in todo:
        match = re.match(r"\[cv\.(\w+)\]", ident)
        by_kind.setdefault(match.group(1) if match else "other", []).append((at, message))
    lines = ["", f"To do: {_n(len(todo), 'problem')} in your data and sections, by kind (fix one and its line goes "
             "from the list at the next build)"]
    for kind, items in sorted(by_kind.items(), key=lambda kv: -len(kv[1])):
        meaning = describe(kind)
        lines.append(f"  {kind} ({len(items)}): {meaning}" if meaning else f"  {kind} ({len(items)})")
        for at, text in items:
            lines.append(f"    {at}: {text}")
    return lines


def summary(build: Path, project: Path | None = None, prune: bool = False) -> str:
    """What ``bash cv.sh build`` says when it is done: what the page and the PDF hold, and where they are."""
    build = build.resolve()
    project = (project or build.parent).resolve()
    html_dir, latex_dir = build / "html", build / "latex"
    lines = ["", "Summary"]
    placed = read_summary(build)  # what the catalog placed, written by the last web build (report.py)
    groups = placed["groups"] if placed else []
    total = sum(g["entries"] for g in groups)
    if placed is None:
        lines.append(f"  Publications: not known (no web build in {build})")
    elif groups:
        lines.append(f"  Publications: {total} in {len(groups)} group{'s' if len(groups) != 1 else ''}")
        width = max(len(g["name"]) for g in groups)
        for g in groups:
            n, start = g["entries"], g["start"]
            span = f"  ({start}–{start + n - 1})" if n > 1 else f"  ({start})"
            title = f"  “{g['title']}”" if g["title"] else ""
            lines.append(f"    {g['name']:<{width}}  {n:>4}{span}{title}")
    else:
        lines.append("  Publications: none shown (no {publications} directive, or no entry in its groups)")
    roles = placed["roles"] if placed else {}
    if roles:
        lines.append("  Supervised co-authors marked:")
        for role in sorted(roles.values(), key=lambda r: -r["markers"]):
            count, papers = role["markers"], role["papers"]
            lines.append(f"    {role['label']} {role['symbol']}: {count} marker{'s' if count != 1 else ''} on {papers} "
                         f"paper{'s' if papers != 1 else ''}")
    elif placed is not None:
        lines.append("  Supervised co-authors marked: none (cv_roster in conf.py lists them)")
    suppressed = suppressed_warnings(project / "conf.py")
    todo, new, fixed, listed_in = accepted_state(build, project, prune)
    if new:
        said = (f"{_n(len(new), 'new warning')} (above), which fail the build until fixed"
                + (f"; {_n(len(todo), 'accepted warning')} to fix ({listed_in})" if todo else ""))
    elif todo:
        said = (f"{_n(len(todo), 'accepted warning')} to fix ({listed_in}); any other warning would have stopped "
                "the build")
    else:
        said = "none (the build is strict: any warning would have stopped it)"
    lines.append(f"  Warnings: {said}" + (f"; silenced in conf.py: {', '.join(suppressed)}" if suppressed else ""))
    if fixed:
        lines.append(f"  Fixed: {_n(len(fixed), 'accepted warning')} no longer given, deleted from {listed_in}"
                     + ("; the list is empty, so the build is strict from now on" if not todo else ""))
    lines.extend(todo_list(todo))
    pdf_name = pdf_name_in(project / "conf.py")
    pdfs = [latex_dir / pdf_name] if pdf_name and (latex_dir / pdf_name).is_file() else sorted(latex_dir.glob("*.pdf"))
    index = html_dir / "index.html"
    lines.append("")
    lines.append(f"HTML: {index}" if index.is_file() else f"HTML: no index.html in {html_dir}")
    for pdf in pdfs:
        count = pdf_pages(pdf)
        pages_text = f"{count} page{'s' if count != 1 else ''}" if count is not None else "pages unknown: the PDF cannot be read"
        beside = html_dir / pdf.name
        copied = f", also copied to {os.path.relpath(beside, project)}" if beside.is_file() else ""
        lines.append(f"PDF:  {pdf} ({pages_text}{copied})")
    if not pdfs:
        lines.append(f"PDF:  none in {latex_dir}")
    for pdf in sorted((html_dir / "variants").glob("*/*.pdf")):  # python -m cvsphinx.cli.variants puts them there
        count = pdf_pages(pdf)
        lines.append(f"PDF:  {pdf} ({pdf.parent.name}" + (f", {count} page{'s' if count != 1 else ''})" if count else ")"))
    return "\n".join(lines)


# -- command line ----------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cv.sh", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    new = commands.add_parser("new", help="create a new CV project for another person",
                              description="Create a new CV project in DIR: a git repository with one commit.")
    new.add_argument("dir", type=Path, help="a new or empty folder")
    new.add_argument("--name", required=True, help='the name as the CV shows it, e.g. "Marie Curie"')
    new.add_argument("--bib", type=Path, help="your publications: a .bib file, copied to refs.bib")
    new.add_argument("--email", default="")
    new.add_argument("--orcid", default="", help="e.g. 0000-0002-1825-0097")
    new.add_argument("--website", default="")
    new.add_argument("--affiliation", action="append", default=[],
                     help="a line of the contact block (repeat it for more lines)")
    new.add_argument("--owner", default="", help='the name as refs.bib spells it, if not "Surname, Given" of --name')
    new.add_argument("--language", default="en",
                     help="the CV's language (Sphinx's 'language'): de, fr, es, pt_BR, it, zh_CN, ja, ...; default en")
    done = commands.add_parser("summary", help="what the last build holds (bash cv.sh build ends with it)")
    done.add_argument("build", type=Path, nargs="?", default=Path("_build"))
    done.add_argument("--prune", action="store_true",
                      help="delete accepted warnings the last build no longer gave (after a build that read everything)")
    args = parser.parse_args(argv)
    try:
        if args.command == "new":
            owner = make_owner(args.name, args.email, args.orcid, args.website, args.affiliation, args.owner,
                               args.language)
            create(args.dir, owner, args.bib)
        else:
            print(summary(args.build, prune=args.prune))
    except ScaffoldError as err:
        print(f"cv.sh {args.command}: {err}", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as err:
        print(f"cv.sh {args.command}: {' '.join(err.cmd)} failed: {err.stderr or err.stdout}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
