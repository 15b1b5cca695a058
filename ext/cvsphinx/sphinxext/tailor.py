"""Variants of the CV from one source (a two-page CV, a grant agency's format), and fast PDFs.

A variant is declared in ``cv_variants`` and built with ``-D cv_variant=<name>``: the same
sections and .bib files, less of them (sections, tagged or dated ``cv-entries`` lines,
publications by selector, year window and count), numbered afresh, with its own title,
PDF name and page layout.  After the PDF, the variant's HTML build warns (``cv.page_limit``)
when the PDF has more pages than the variant allows.  ``python -m cvsphinx.cli.variants``
(variants.py) builds every PDF at once.

Fast PDFs: a CV has no cross-references, so after the LaTeX writer the ``.tex`` is told to
write no auxiliary files (``\\nofiles``; PDF bookmarks come from the ``bookmark`` package in
the same run), and latexmk, which runs xelatex again whenever the ``.aux`` changed, runs it
once.  The CJK fonts (xeCJK), slow to load, are loaded only when the text has a CJK character.
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.transforms import SphinxTransform

from ..core.configerrors import ConfigError, shown, unknown_key
from ..core.groups import Selection, compile_selector
from ..core.labels import N_
from ..output.pdftools import pdf_pages
from ..styles.house import style_problem
from .ledger import consistency_check
from .warnings_ import Subtype, logger

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

    from ..core.groups import Group

# Where a variant's page and PDF go inside the full CV's HTML output: variants/<name>/.
PUBLISH_DIR = "variants"

# The keys a variant may have; the README's configuration reference lists the same (a test compares them).
VARIANT_KEYS = ("title", "label", "pdf", "sections", "tags", "entry_years", "select", "years", "max_per_group",
                "page_limit", "font", "font_size", "paper", "margins", "line_spacing", "citation_style")
_EXAMPLE = "{'short': {'sections': ['Education', 'Publications'], 'select': 'selected', 'page_limit': 2}}"
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_TAG = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_LENGTH = re.compile(r"^\d+(?:\.\d+)?\s*(?:cm|mm|in|pt|bp)$")
_SIZES = ("10pt", "11pt", "12pt")
_PAPERS = ("a4paper", "letterpaper", "legalpaper", "a5paper", "b5paper", "executivepaper")


@dataclass(frozen=True)
class Variant:
    """One variant, validated; ``pdf`` is its own or, by default, the full CV's name with the variant's added."""

    name: str
    title: str | None = None
    label: str | None = None
    pdf: str = "cv.pdf"
    sections: tuple[str, ...] | None = None
    tags: tuple[str, ...] = ()
    # per section name (None: every section), the first year a dated cv-entries line must reach
    entry_since: tuple[tuple[str | None, int], ...] = ()
    selection: Selection = field(default_factory=Selection)
    page_limit: int | None = None
    font: str | None = None
    font_size: str | None = None
    paper: str | None = None
    margins: str | None = None
    line_spacing: float | None = None
    citation_style: str | None = None  # its own citation style (style.STYLES), else cv_citation_style


def _count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def build_variants(raw: object, groups: Sequence[Group], reference_year: int | None,
                   problems: list[str] | None = None, main: str = "cv.pdf") -> dict[str, Variant]:
    """Every variant of ``cv_variants``; raises ConfigError listing every mistake, or adds them to ``problems``."""
    found: list[str] = []
    if not isinstance(raw, Mapping):
        found.append(f"cv_variants must be a dict of variant name: settings, not {shown(raw)}; e.g. {_EXAMPLE}")
        raw = {}
    group_names = {g.name for g in groups}
    variants: dict[str, Variant] = {}
    pdfs: dict[str, str] = {main: "the full CV"}
    for name, spec in raw.items():
        where = f"cv_variants[{name!r}]"
        if not isinstance(name, str) or not _NAME.match(name):
            found.append(f"cv_variants key {name!r} must be one word of letters, digits, - or _ (it names folders and "
                         "-D cv_variant=...); e.g. 'short'")
            continue
        if not isinstance(spec, Mapping):
            found.append(f"{where} must be a dict of settings, not {shown(spec)}; e.g. {{'select': 'selected'}}")
            continue
        found.extend(unknown_key(where, k, VARIANT_KEYS) for k in spec if k not in VARIANT_KEYS)
        before = len(found)
        for key in ("title", "label", "font"):
            value = spec.get(key)
            if value is not None and (not isinstance(value, str) or not value.strip()):
                found.append(f"{where}[{key!r}] must be text, not {shown(value)}; e.g. "
                             + ("'TeX Gyre Termes'" if key == "font" else "'Two-page CV'"))
        pdf = spec.get("pdf", f"{main[:-4]}-{name}.pdf")
        if not isinstance(pdf, str) or not pdf.endswith(".pdf") or "/" in pdf or "\\" in pdf or pdf == ".pdf":
            found.append(f"{where}['pdf'] must be a file name ending in .pdf, not {shown(pdf)}; e.g. 'cv-short.pdf'")
        elif pdf in pdfs:
            found.append(f"{where}['pdf'] {pdf!r} is also the PDF of {pdfs[pdf]}; give each its own")
        else:
            pdfs[pdf] = repr(name)
        sections = spec.get("sections")
        if sections is not None and (not isinstance(sections, (list, tuple))
                                     or not all(isinstance(s, str) and s.strip() for s in sections)):
            found.append(f"{where}['sections'] must be a list of section titles (or None for all), not {shown(sections)}; "
                         "e.g. ['Education', 'Publications']")
        tags = spec.get("tags", [name])
        if not isinstance(tags, (list, tuple)) or not all(isinstance(t, str) and _TAG.match(t) for t in tags):
            found.append(f"{where}['tags'] must be a list of one-word tags, not {shown(tags)}; e.g. ['short']")
        years = spec.get("years")
        if years is not None:
            if not _count(years):
                found.append(f"{where}['years'] must be a whole number of years, 1 or more, or None, not {shown(years)}; "
                             "e.g. 5")
            elif reference_year is None:
                found.append(f"{where}['years'] counts back from cv_reference_year, which is not set; set it to the "
                             "year the CV is dated, e.g. cv_reference_year = 2019")
        entry_years = spec.get("entry_years")
        windows: dict[str | None, object] = {}
        if isinstance(entry_years, Mapping):
            windows = dict(entry_years)
        elif entry_years is not None:
            windows = {None: entry_years}
        for section, count in windows.items():
            at = f"{where}['entry_years']" + (f"[{section!r}]" if section is not None else "")
            if section is not None and (not isinstance(section, str) or not section.strip()):
                found.append(f"{where}['entry_years'] keys must be section titles, not {shown(section)}; "
                             "e.g. {'Completed Research Projects': 5}")
            elif not _count(count):
                found.append(f"{at} must be a whole number of years, 1 or more, not {shown(count)}; "
                             "e.g. {'Completed Research Projects': 5}")
            elif reference_year is None:
                found.append(f"{at} counts back from cv_reference_year, which is not set; set it to the "
                             "year the CV is dated, e.g. cv_reference_year = 2019")
        select = None
        source = spec.get("select")
        if source is not None:
            if not isinstance(source, str):
                found.append(f"{where}['select'] must be a selector string, not {shown(source)}; e.g. 'selected'")
            else:
                try:
                    select = compile_selector(source)
                except ConfigError as err:
                    found.append(f"{where}: the selector {source!r} {err}")
        most = spec.get("max_per_group")
        if most is not None:
            if isinstance(most, Mapping):
                for group, count in most.items():
                    if group not in group_names:
                        found.append(f"{where}['max_per_group'] names the group {group!r}, which is not in "
                                     f"cv_publication_groups ({', '.join(sorted(group_names))})")
                    elif not _count(count):
                        found.append(f"{where}['max_per_group'][{group!r}] must be a whole number, 1 or more, "
                                     f"not {shown(count)}")
            elif not _count(most):
                found.append(f"{where}['max_per_group'] must be a whole number, 1 or more, or a dict of group: number, "
                             f"not {shown(most)}; e.g. 10")
        limit = spec.get("page_limit")
        if limit is not None and not _count(limit):
            found.append(f"{where}['page_limit'] must be a whole number of pages, 1 or more, not {shown(limit)}; e.g. 2")
        size = spec.get("font_size")
        if size is not None and size not in _SIZES:
            found.append(f"{where}['font_size'] must be one of {', '.join(_SIZES)}, not {shown(size)}")
        paper = spec.get("paper")
        if paper is not None and paper not in _PAPERS:
            found.append(f"{where}['paper'] must be one of {', '.join(_PAPERS)}, not {shown(paper)}")
        margins = spec.get("margins")
        if margins is not None and (not isinstance(margins, str) or not _LENGTH.match(margins.strip())):
            found.append(f"{where}['margins'] must be a length such as '2.5cm', '25mm' or '1in', not {shown(margins)}")
        spacing = spec.get("line_spacing")
        if spacing is not None and (isinstance(spacing, bool) or not isinstance(spacing, (int, float))
                                    or not math.isfinite(spacing) or not 0.5 <= spacing <= 3):
            found.append(f"{where}['line_spacing'] must be a number from 0.5 to 3 (1 is single spacing), "
                         f"not {shown(spacing)}; e.g. 1")
        style = spec.get("citation_style")
        if style is not None and (why := style_problem(style, f"{where}['citation_style']")) is not None:
            found.append(why)
        if len(found) > before:
            continue
        variants[name] = Variant(
            name=name, title=spec.get("title"), label=spec.get("label"), pdf=pdf,
            sections=tuple(s.strip() for s in sections) if sections is not None else None,
            tags=tuple(tags),
            entry_since=tuple((s.strip() if isinstance(s, str) else None, reference_year - c + 1)  # type: ignore[operator]
                              for s, c in windows.items()) if reference_year else (),
            selection=Selection(select, reference_year - years + 1 if years and reference_year else None, most),
            page_limit=limit, font=spec.get("font"), font_size=size, paper=paper,
            margins=margins.strip() if isinstance(margins, str) else None,
            line_spacing=float(spacing) if spacing is not None else None, citation_style=style,
        )
    if problems is None and found:
        raise ConfigError(*found)
    if problems is not None:
        problems.extend(found)
    return variants


def main_pdf(config: Config) -> str:
    """The full CV's PDF name, from the first ``latex_documents`` entry."""
    documents = config.latex_documents
    target = documents[0][1] if documents else "cv.tex"
    return target.rsplit(".", 1)[0] + ".pdf"


def known_tags(variants: Mapping[str, Variant]) -> frozenset[str]:
    """Words that are tags in ``[...]`` at the end of a ``cv-entries`` line: variant names and their tags."""
    return frozenset(variants) | frozenset(t for v in variants.values() for t in v.tags)


# -- cv-entries lines: tags and dates ------------------------------------------------------------

_TRAILING_TAGS = re.compile(r"\s+\[\s*([A-Za-z][\w-]*(?:[\s,]+[A-Za-z][\w-]*)*)\s*\]\s*$")
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|2\d\d\d)(?!\d)")
_OPEN = re.compile(r"present|now|today|current|ongoing|(?:\d{4}\s*[–—-]\s*$)", re.IGNORECASE)


def split_tags(line: str, known: frozenset[str]) -> tuple[str, tuple[str, ...]]:
    """``'Award | 2016 [short rgc]'`` -> ``('Award | 2016', ('short', 'rgc'))``, when every word is a known tag.

    Brackets holding anything else (``[in Chinese]``) are the line's text.
    """
    match = _TRAILING_TAGS.search(line) if known else None
    if not match:
        return line, ()
    words = tuple(w for w in re.split(r"[\s,]+", match[1]) if w)
    if not words or not all(w in known for w in words):
        return line, ()
    return line[:match.start()], words


def reaches(when: str, since: int) -> bool:
    """Whether a date such as ``2011–2013``, ``2014–present`` or ``2016`` reaches into the years from ``since``.

    A line without a year is kept: nothing says it is old.
    """
    years = [int(y) for y in _YEAR.findall(when)]
    if not years or _OPEN.search(when.strip()):
        return True
    return max(years) >= since


def picks_lines(variant: Variant | None, tags: Sequence[Sequence[str]]) -> bool:
    """Whether a block (the tags of its lines) has lines picked for this variant: then it keeps only those."""
    return variant is not None and any(set(t) & set(variant.tags) for t in tags)


def keeps_entry(variant: Variant | None, tags: Sequence[str], picked: bool = False) -> bool:
    """A line of ``cv-entries`` in this variant: in a block where some lines carry one of the variant's tags
    (``picked``), only those.  The full CV keeps every line, and a variant every line of a block that picks
    none for it.  (Dates are the transform's: they depend on the section, see ``entry_years``.)"""
    return variant is None or not picked or bool(set(tags) & set(variant.tags))


# -- Sections ------------------------------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def _section_names(section: nodes.section) -> set[str]:
    """What a variant's ``sections`` may call a section: its title, a title's start up to a parenthesis, its id,
    or the name of the file it was written in (``sections/honors.md``: ``honors``)."""
    title = section.next_node(nodes.title)
    names = set()
    if title is not None:
        text = _norm(title.astext())
        names |= {text, _norm(text.split("(")[0])}
    names |= {_norm(i) for i in section.get("ids", [])}
    if section.source:
        names.add(_norm(Path(section.source).stem))
    return names


# The variant each build makes, by id() of its Sphinx config: config.py validates it and tells
# this module, so the arrow between them runs one way (config -> tailor).
_ACTIVE: dict[int, Variant | None] = {}


def remember_variant(config: Config, variant: Variant | None) -> None:
    _ACTIVE[id(config)] = variant


def _cv_variant(config: Config) -> Variant | None:
    return _ACTIVE.get(id(config))


class KeepVariantSections(SphinxTransform):
    """In a variant, drop the sections it does not name (the page's title and what precedes the first
    heading, the name and contact block, stay), then the ``cv-entries`` lines dated before its
    ``entry_years``.  Runs while reading, so the sidebar lists what the page shows."""

    default_priority = 210

    def apply(self, **kwargs: object) -> None:
        variant = _cv_variant(self.config)
        if variant is None:
            return
        matched: set[str] = set()
        if variant.sections is not None:
            tops = [s for s in self.document.children if isinstance(s, nodes.section)]
            # one title section holds the CV's sections; a page of several top sections is filtered at the top
            self._filter(tops[0] if len(tops) == 1 else self.document, {_norm(s) for s in variant.sections}, matched)
        if variant.entry_since:
            matched |= self._window(variant)
        _matched_sections(self.env)[self.env.docname] = sorted(matched)

    def _filter(self, parent: nodes.Element, wanted: set[str], matched: set[str]) -> bool:
        """Keep child sections that are wanted or hold a wanted one; True if anything under ``parent`` is wanted."""
        any_kept = False
        for child in [c for c in parent.children if isinstance(c, nodes.section)]:
            names = _section_names(child) & wanted
            if names:
                matched |= names
                any_kept = True
            elif self._filter(child, wanted, matched):
                any_kept = True
            else:
                parent.remove(child)
        return any_kept

    def _window(self, variant: Variant) -> set[str]:
        """Drop dated lines before the window of their section (the nearest section that has one)."""
        from .nodes import cv_date, cv_entry

        windows = {(_norm(s) if s is not None else None): since for s, since in variant.entry_since}
        matched: set[str] = set()
        for block in [b for b in self.document.findall(nodes.Element) if "cv-entries" in b.get("classes", ())]:
            since = windows.get(None)
            parent = block.parent
            while parent is not None:
                if isinstance(parent, nodes.section):
                    hits = [n for n in _section_names(parent) if n in windows]
                    if hits:
                        matched.update(hits)
                        since = windows[hits[0]]
                        break
                parent = parent.parent
            if since is None:
                continue
            kept = True
            for child in list(block.children):
                entry = child if isinstance(child, cv_entry) else child.next_node(cv_entry)
                if entry is None:
                    continue
                if not entry.get("sub"):  # a hanging line goes with the line it hangs under
                    date = entry.next_node(cv_date)
                    kept = reaches(date.astext() if date is not None else "", since)
                if not kept:
                    block.remove(child)
        return matched

def _matched_sections(env: BuildEnvironment) -> dict[str, list[str]]:
    if not hasattr(env, "cv_variant_sections"):
        env.cv_variant_sections = {}  # type: ignore[attr-defined]
    return env.cv_variant_sections  # type: ignore[attr-defined]


def purge_sections(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _matched_sections(env).pop(docname, None)


def merge_sections(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    mine = _matched_sections(env)
    for docname, names in _matched_sections(other).items():
        if docname in docnames:
            mine[docname] = names


def check_sections(app: Sphinx, env: BuildEnvironment) -> None:
    """A section name (in ``sections`` or ``entry_years``) that matches no section would silently
    leave that section out, or in full."""
    variant = _cv_variant(app.config)
    if variant is None:
        return
    matched = {n for names in _matched_sections(env).values() for n in names}
    named = {**{s: "sections" for s in variant.sections or ()},
             **{s: "entry_years" for s, _ in variant.entry_since if s is not None}}
    for name, key in named.items():
        if _norm(name) not in matched:
            what = "nothing is shown for it" if key == "sections" else "its lines are not dated out"
            logger.warning(f"variant {variant.name!r}: {key!r} names {name!r}, but no section of the variant is "
                           f"called so: {what}; name a section by its title, its id or its file "
                           "(e.g. 'Education', 'education')",
                           location=_conf_location(app, variant.name), type="cv", subtype=Subtype.variant.value)


def _conf_location(app: Sphinx, name: str) -> str:
    """conf.py and the line of the variant's key, for warnings about a variant's settings."""
    confpath = Path(app.confdir, "conf.py")
    try:
        lines = confpath.read_text(encoding="utf-8").splitlines()
    except OSError:
        return os.path.relpath(confpath)
    line = next((n for n, text in enumerate(lines, 1) if re.search(rf"""["']{re.escape(name)}["']\s*:""", text)), 1)
    return f"{os.path.relpath(confpath)}:{line}"


# -- Applying a variant to the configuration ------------------------------------------------------


def _skip_groups(text: str, start: int, limit: int | None = None) -> int:
    """The end of the ``[...]`` and ``{...}`` arguments that follow ``start`` (balanced; spaces allowed between)."""
    pos, taken = start, 0
    while limit is None or taken < limit:
        probe = pos
        while probe < len(text) and text[probe] in " \t\r\n":
            probe += 1
        if probe >= len(text) or text[probe] not in "[{":
            break
        close = "]" if text[probe] == "[" else "}"
        depth, i = 0, probe
        while i < len(text):
            if text[i] == "\\":
                i += 2
                continue
            if text[i] == text[probe]:
                depth += 1
            elif text[i] == close:
                depth -= 1
                if depth == 0:
                    break
            i += 1
        pos, taken = i + 1, taken + 1
    return pos


def replace_fonts(fontpkg: str, font: str) -> str:
    r"""``fontpkg`` with ``font`` for the text and the headings: its ``\setmainfont`` and ``\setsansfont``
    (name and options, on any number of lines) replaced; the monospaced font stays."""
    for command in ("setmainfont", "setsansfont"):
        new = rf"\{command}{{{font}}}"
        match = re.search(rf"\\{command}(?![A-Za-z])", fontpkg)
        if match is None:
            fontpkg = f"{fontpkg}\n{new}\n"
            continue
        end = _skip_groups(fontpkg, match.end(), 2)
        fontpkg = fontpkg[:match.start()] + new + fontpkg[end:]
    return fontpkg


def layout_preamble(variant: Variant) -> str:
    """What the variant adds at the end of the LaTeX preamble: margins and line spacing."""
    out = []
    if variant.margins:
        out.append(rf"\geometry{{margin={variant.margins}}}")
    if variant.line_spacing is not None:
        out.append(rf"\linespread{{{variant.line_spacing:g}}}")
    return "\n% -- cvsphinx: the layout of the variant\n" + "\n".join(out) + "\n" if out else ""


def apply_variant(app: Sphinx, config: Config) -> None:
    """Point the build at the variant: its PDF name and title, its font, size, paper, margins and spacing."""
    variant = _cv_variant(config)
    if variant is None:
        return
    pdf = variant.pdf
    documents = list(config.latex_documents) or [(config.root_doc, "cv.tex", config.project, "", "howto", False)]
    first = list(documents[0]) + [""] * (6 - len(documents[0]))
    first[1] = pdf[:-4] + ".tex"
    if variant.title:
        first[2] = variant.title
    config.latex_documents = [tuple(first[:len(documents[0])])]
    elements = dict(config.latex_elements)
    if variant.font:
        elements["fontpkg"] = replace_fonts(elements.get("fontpkg", ""), variant.font)
    if variant.font_size:
        elements["pointsize"] = variant.font_size
    if variant.paper:
        elements["papersize"] = variant.paper
    elements["preamble"] = elements.get("preamble", "") + layout_preamble(variant)
    config.latex_elements = elements
    if variant.title:
        config.html_title = variant.title
    if not config.cv_pdf_url and os.environ.get("READTHEDOCS") == "True":
        # Read the Docs serves one PDF per version, the full CV's; a variant's page links to its PDF beside it.
        config.cv_pdf_url = pdf


# -- Fast PDFs ----------------------------------------------------------------------------------

# CJK ideographs, kana, hangul, CJK punctuation and full-width forms: what xeCJK is loaded for
# (compiled when first needed: a pattern with these ranges takes a while to compile).
_CJK_RANGES = ("[\u1100-\u11ff\u2e80-\u2fdf\u2ff0-\u303f\u3040-\u31ff\u3200-\u9fff\ua960-\ua97f"
               "\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff]")


@functools.cache
def _cjk() -> re.Pattern[str]:
    return re.compile(_CJK_RANGES)


_XECJK_PACKAGE = re.compile(r"\\usepackage\s*(?:\[[^\]]*\])?\s*\{xeCJK\}[ \t]*\n?")
_XECJK_COMMAND = re.compile(r"\\(?:setCJK[A-Za-z]*font|xeCJK[A-Za-z]*)(?![A-Za-z])")
# What needs a second LaTeX run: references to labels, citations, contents lists, index entries
# (Sphinx's default \printindex alone prints nothing when there are none).
_NEEDS_AUX = re.compile(r"\\(?:ref|pageref|hyperref\s*\[|autoref|nameref|cite[a-zA-Z]*|sphinxpageref|footref|"
                        r"sphinxfootref|sphinxfootnotemark|tableofcontents|sphinxtableofcontents|listoffigures|"
                        r"listoftables|index|bibliography)(?![A-Za-z])")
ONE_PASS = "% cvsphinx: one LaTeX run (no cross-references): no auxiliary files, bookmarks by the bookmark package"
# \nofiles right after \documentclass: no .aux (latexmk runs LaTeX again whenever the .aux changed), and
# no index file even when \makeindex follows; page labels would need the .aux.
ONE_PASS_PREAMBLE = ONE_PASS + "\n\\nofiles\n\\PassOptionsToPackage{pdfpagelabels=false}{hyperref}\n"
# The bookmark package writes the PDF's outline in the same run, but only when files are written:
# each bookmark is made as if they were.
BOOKMARKS = r"""% cvsphinx: PDF bookmarks in the same run
\usepackage{bookmark}
\makeatletter
\let\cvsphinx@writebookmark\Hy@writebookmark
\def\Hy@writebookmark#1#2#3#4#5{{\@fileswtrue\cvsphinx@writebookmark{#1}{#2}{#3}{#4}{#5}}}
\makeatother
"""
NO_CJK = "% cvsphinx: no CJK character in the text, so xeCJK and the CJK fonts are not loaded"


def drop_xecjk(preamble: str) -> str:
    """The preamble without ``\\usepackage{xeCJK}`` and the xeCJK commands (with their arguments)."""
    if not _XECJK_PACKAGE.search(preamble):
        return preamble  # loaded some other way: leave it alone
    out = _XECJK_PACKAGE.sub("", preamble)
    while (match := _XECJK_COMMAND.search(out)) is not None:
        end = _skip_groups(out, match.end())
        if end < len(out) and out[end] == "\n":
            end += 1
        out = out[:match.start()] + out[end:]
    return out


def fast_tex(tex: str) -> str:
    """The same document, typeset in one xelatex run when nothing needs a second, without unused CJK fonts."""
    head, sep, body = tex.partition("\\begin{document}")
    if not sep or ONE_PASS in head:
        return tex
    if "xeCJK" in head and not _cjk().search(tex):
        stripped = drop_xecjk(head)
        if stripped != head:
            head = stripped + NO_CJK + "\n"
    documentclass = re.search(r"^\\documentclass.*$", head, re.MULTILINE)
    if not _NEEDS_AUX.search(body) and "hyperref" in head and documentclass:
        at = documentclass.end() + 1
        head = head[:at] + ONE_PASS_PREAMBLE + head[at:] + BOOKMARKS
    return head + sep + body


def speed_up_latex(app: Sphinx, exception: Exception | None) -> None:
    """Rewrite the LaTeX writer's .tex files for a faster PDF (see ``fast_tex``)."""
    if exception is not None or app.builder.format != "latex" or app.config.latex_engine != "xelatex":
        return
    for document in app.config.latex_documents:
        path = Path(app.outdir, document[1])
        try:
            tex = path.read_text(encoding="utf-8")
        except OSError:
            continue
        fast = fast_tex(tex)
        if fast != tex:
            path.write_text(fast, encoding="utf-8")


# -- Page limits --------------------------------------------------------------------------------

def check_page_limit(app: Sphinx, exception: Exception | None) -> None:
    """After a variant's HTML build, its PDF (built before it, as ``bash cv.sh build`` does) must fit its limit."""
    if exception is not None or app.builder.format != "html":
        return
    variant = _cv_variant(app.config)
    if variant is None or variant.page_limit is None:
        return
    pdf = Path(app.outdir).parent / "latex" / variant.pdf
    warn_if_over(app, variant, pdf)


def warn_if_over(app: Sphinx, variant: Variant, pdf: Path) -> int | None:
    pages = pdf_pages(pdf) if pdf.is_file() else None
    if pages is not None and variant.page_limit is not None and pages > variant.page_limit:
        logger.warning(f"variant {variant.name!r}: {pdf.name} has {pages} pages, over its limit of "
                       f"{variant.page_limit}; shorten it (fewer sections, tags, 'max_per_group', 'years') or "
                       "raise 'page_limit'", location=_conf_location(app, variant.name), type="cv",
                       subtype=Subtype.page_limit.value)
    return pages


# -- Live preview -------------------------------------------------------------------------------

# In live preview (``bash cv.sh preview`` sets CVSPHINX_PREVIEW), the PDFs are rebuilt in the background
# after each save (``python -m cvsphinx.cli.variants --preview``); the page says so beside its PDF links,
# from the status file that build keeps (variants.STATUS).
# Its words, in the CV's language: the script fills their {placeholders} (``window.cvPreviewWords``)
PREVIEW_WORDS = {
    "building": N_("The PDFs are being rebuilt…"),
    "over": N_("{pdf} has {pages} pages, over its limit of {limit}"),
    "full": N_("the full CV"),
    "failed_all": N_("The PDFs could not be rebuilt ({message})."),
    "terminal": N_("see the terminal"),
    "failed": N_("{name} failed (see {log})"),
    "done": N_("PDFs rebuilt at {time}"),
}
PREVIEW_JS = """
document.addEventListener("DOMContentLoaded", () => {
  const links = document.querySelector("p.cv-pdf");
  if (!links) return;
  const words = window.cvPreviewWords || {};
  const fill = (id, values = {}) => (words[id] || id).replace(/\\{(\\w+)\\}/g, (m, k) => (k in values ? values[k] : m));
  const root = document.documentElement.dataset.content_root || "./";
  const url = new URL(root + "_cvsphinx/pdf-status.json", document.baseURI);
  const note = document.createElement("span");
  note.className = "cv-pdf-status";
  note.setAttribute("role", "status");
  links.append(" ", note);
  const clock = (t) => new Date(t * 1000).toLocaleTimeString(document.documentElement.lang || undefined);
  const say = (s) => {
    if (s.state === "building") return fill("building");
    const pdfs = s.pdfs || [];
    const over = pdfs.filter((p) => p.limit && p.pages > p.limit)
      .map((p) => fill("over", {pdf: p.pdf, pages: p.pages, limit: p.limit}));
    const failed = pdfs.filter((p) => !p.ok).map((p) => p.name || fill("full"));
    if (s.state === "failed" && !failed.length && !over.length) {
      return fill("failed_all", {message: s.message || fill("terminal")});
    }
    const problems = [...over, ...failed.map((n) => fill("failed", {name: n, log: "_build/cvsphinx-pdf.log"}))];
    return fill("done", {time: clock(s.time)}) + (problems.length ? `: ${problems.join("; ")}.` : ".");
  };
  const poll = async () => {
    try {
      const response = await fetch(`${url}?t=${Date.now()}`, {cache: "no-store"});
      if (response.ok) {
        const status = await response.json();
        note.textContent = say(status);
        note.dataset.state = status.state;
      }
    } catch (error) { /* the server is restarting */ }
    setTimeout(poll, 1000);
  };
  poll();
});
"""


def add_preview_script(app: Sphinx, config: Config) -> None:
    """The live-preview note, its words in the CV's language (after validation, which makes the labels)."""
    from .config import cv_config  # config imports this module

    try:
        labels = cv_config(config).labels
    except KeyError:  # the configuration was refused: the build stops before any page
        return
    words = {key: labels(msgid) for key, msgid in PREVIEW_WORDS.items()}
    body = "window.cvPreviewWords = " + json.dumps(words, ensure_ascii=True).replace("</", "<\\/") + ";" + PREVIEW_JS
    app.add_js_file(None, body=body)


# -- Wiring -------------------------------------------------------------------------------------


def setup_variants(app: Sphinx) -> None:
    app.connect("config-inited", apply_variant, priority=450)  # after validation (400), before output.py (500)
    app.add_transform(KeepVariantSections)
    app.connect("env-purge-doc", purge_sections)
    app.connect("env-merge-info", merge_sections)
    consistency_check(app, check_sections)
    app.connect("build-finished", speed_up_latex)
    app.connect("build-finished", check_page_limit)
    if os.environ.get("CVSPHINX_PREVIEW"):
        app.connect("config-inited", add_preview_script, priority=460)
