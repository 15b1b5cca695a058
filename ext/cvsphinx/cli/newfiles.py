"""The files ``cvsphinx new`` writes for a person: conf.py from this project's own, index.md, the starter
sections, refs.bib's example, the favicon, the README and cv.sh adapted."""

from __future__ import annotations

import ast
import datetime
import html
import re
import textwrap
import unicodedata
from dataclasses import dataclass, field

from ..core.labels import N_, Labels, cjk_region, translated

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


@dataclass
class NewOwner:
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


# Letters that NFKD does not take apart, for the PDF's ASCII file name.
_ASCII = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
                        "ß": "ss", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "ı": "i"})


# conf.py puts the name into LaTeX as it is (the PDF's title), so these would break the PDF.
_LATEX_SPECIAL = set("\\{}$%&#^_~")


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


def make_conf(template: str, owner: NewOwner, year: int | None = None) -> str:
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


def make_index(owner: NewOwner) -> str:
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


def make_favicon(owner: NewOwner) -> str:
    """The browser tab's icon: the owner's initials, as the template's own icon shows its owner's."""
    text = html.escape(initials(owner.name))
    size = 17 if len(text) > 1 else 19
    return ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" '
            f'fill="#1a2a4d"/><text x="16" y="22.5" font-family="Georgia,\'Times New Roman\',serif" font-size="{size}" '
            f'font-weight="bold" text-anchor="middle" fill="#fff">{text}</text></svg>\n')


def make_section(heading: str, body: str) -> str:
    return f"## {heading}\n\n{body}"


def example_bib(owner: NewOwner, year: int | None = None) -> str:
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


def make_readme(owner: NewOwner, source_readme: str, people_command: bool = False) -> str:
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
