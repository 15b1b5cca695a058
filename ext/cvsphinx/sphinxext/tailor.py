"""Variants of the CV from one source (a two-page CV, a grant agency's format), and fast PDFs: the Sphinx side.

The variants themselves are ``core/variants.py``; the LaTeX rewriting is ``output/fastpdf.py``. A variant is
declared in ``cv_variants`` and built with ``-D cv_variant=<name>``: the same sections and .bib files, less of
them (sections, tagged or dated ``cv-entries`` lines, publications by selector, year window and count), numbered
afresh, with its own title, PDF name and page layout. After the PDF, the variant's HTML build warns
(``cv.page_limit``) when the PDF has more pages than the variant allows. ``python -m cvsphinx.cli.variants``
builds every PDF at once.

Fast PDFs: a CV has no cross-references, so after the LaTeX writer the ``.tex`` is told to write no auxiliary
files (``\\nofiles``; PDF bookmarks come from the ``bookmark`` package in the same run), and latexmk, which runs
xelatex again whenever the ``.aux`` changed, runs it once. The CJK fonts (xeCJK), slow to load, are loaded only
when the text has a CJK character.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.transforms import SphinxTransform

from ..core.labels import N_
from ..core.variants import Variant, reaches
from ..output.fastpdf import fast_tex, layout_preamble, replace_fonts
from ..output.pdftools import pdf_pages
from .collector import doc_state
from .config import active_variant, cv_config
from .elements import cv_date, cv_entry
from .warnings_ import Subtype, logger

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment


# Where a variant's page and PDF go inside the full CV's HTML output: variants/<name>/.
PUBLISH_DIR = "variants"


# -- cv-entries lines: tags and dates ------------------------------------------------------------


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


class KeepVariantSections(SphinxTransform):
    """In a variant, drop the sections it does not name (the page's title and what precedes the first
    heading, the name and contact block, stay), then the ``cv-entries`` lines dated before its
    ``entry_years``.  Runs while reading, so the sidebar lists what the page shows."""

    default_priority = 210

    def apply(self, **kwargs: object) -> None:
        variant = active_variant(self.config)
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
    return doc_state(env, "cv_variant_sections")


def check_sections(app: Sphinx, env: BuildEnvironment) -> None:
    """A section name (in ``sections`` or ``entry_years``) that matches no section would silently
    leave that section out, or in full."""
    variant = active_variant(app.config)
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


def apply_variant(app: Sphinx, config: Config) -> None:
    """Point the build at the variant: its PDF name and title, its font, size, paper, margins and spacing."""
    variant = active_variant(config)
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
    variant = active_variant(app.config)
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
    try:
        labels = cv_config(config).labels
    except KeyError:  # the configuration was refused: the build stops before any page
        return
    words = {key: labels(msgid) for key, msgid in PREVIEW_WORDS.items()}
    body = "window.cvPreviewWords = " + json.dumps(words, ensure_ascii=True).replace("</", "<\\/") + ";" + PREVIEW_JS
    app.add_js_file(None, body=body)


# -- Wiring -------------------------------------------------------------------------------------


def setup_variants(app: Sphinx) -> None:
    app.add_transform(KeepVariantSections)
