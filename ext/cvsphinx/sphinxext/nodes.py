"""The three nodes the CV needs beyond docutils' own, with every builder's visitors.

* ``cv_marker``: a supervisee symbol that says what it means (tooltip and
  screen-reader text in HTML, a superscript in LaTeX).
* ``cv_entry`` / ``cv_date``: one CV line with its date right-aligned.
"""

from __future__ import annotations

import re
import unicodedata
from html import escape
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from ..core import glyphs
from ..core.dates import number
from ..core.labels import ENGLISH, Labels
from ..core.links import Extras
from .config import cv_config
from .elements import cv_date, cv_entry, cv_marker, cv_publication_list
from .store import load
from .streamed import FILLERS, marker, note_pending, streams

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx

    from .store import Item

logger = logging.getLogger("cvsphinx")


def _store(env: object):
    return load(env)  # type: ignore[arg-type]


def entries(env: object, node: cv_publication_list) -> list[Item]:
    """The list's entries, rendered, from the catalog the build holds (the directive noted its .bib files)."""
    items = _store(env).groups.get(node["group"], [])
    if len(items) != node["count"]:  # the catalog changed since the document was read: never a silent mismatch
        raise RuntimeError(f"publication group {node['group']!r}: {len(items)} entries now, {node['count']} when read")
    return items


def numbered(env: object) -> bool:
    return _store(env).numbered


def first_number(env: object, node: cv_publication_list) -> int:
    return _store(env).starts.get(node["group"], 1)


# -- HTML --------------------------------------------------------------------


def visit_marker_html(self, node: cv_marker) -> None:
    label = node["label"]
    if not label:  # a mark with no meaning configured: the symbol itself, read aloud as it is
        self.body.append(self.starttag(node, "sup", "", CLASS=f"cv-marker cv-marker-{node['role']}") + "<span>")
        return
    self.body.append(self.starttag(node, "sup", "", CLASS=f"cv-marker cv-marker-{node['role']}", title=label))
    self.body.append('<span aria-hidden="true">')


def depart_marker_html(self, node: cv_marker) -> None:
    if not node["label"]:
        self.body.append("</span></sup>")
        return
    self.body.append(f'</span><span class="cv-sr-only"> ({self.encode(node["label"])})</span></sup>')


def visit_entry_html(self, node: cv_entry) -> None:
    classes = "cv-entry cv-sub" if node.get("sub") else "cv-entry"
    self.body.append(self.starttag(node, "div", "", CLASS=classes))


def depart_entry_html(self, node: cv_entry) -> None:
    self.body.append("</div>\n")


def visit_date_html(self, node: cv_date) -> None:
    self.body.append(self.starttag(node, "span", "", CLASS="cv-date"))


def depart_date_html(self, node: cv_date) -> None:
    self.body.append("</span>")


def visit_publications_html(self, node: cv_publication_list) -> None:
    start = first_number(self.builder.env, node)
    words = cv_config(self.builder.config).labels
    if node.get("pages"):
        self.body.append(pages_html(self.builder, self.builder.current_docname, start, node["pages"], words))
    elif streams(self.builder):  # written into the page when the build ends (streamed.py)
        items = entries(self.builder.env, node)
        self.body.append(marker(node["group"], len(items)))
        note_pending(self.builder.env.doctreedir, self.builder.current_docname)
    else:
        self.body.extend(list_pieces(start, entries(self.builder.env, node), numbered(self.builder.env), words))
    raise nodes.SkipNode


def list_pieces(start: int, items: list[Item], numbered: bool = True, words: Labels = ENGLISH) -> Iterator[str]:
    """A numbered list of entries, piece by piece, on the page or on a page of its own (pages.py); an author-date
    style's list has no numbers (``cv-unnumbered``), unless ``cv_numbered`` says otherwise."""
    kind = "arabic" if numbered else "cv-unnumbered"
    yield f'<ol class="{kind} cv-publication-list" start="{start}">\n'
    for item in items:
        anchor = item.anchor
        yield (f'<li id="{escape(anchor, quote=True)}"><p>{item.rendered.html}</p>'
               f'{_extras_html(anchor, item.extras, words)}</li>\n')
    yield "</ol>\n"


def list_html(start: int, items: list[Item], numbered: bool = True, words: Labels = ENGLISH) -> str:
    return "".join(list_pieces(start, items, numbered, words))


def _streamed_list(app: Sphinx, group: str, count: int) -> Iterator[str]:
    node = {"group": group, "count": count}
    yield from list_pieces(first_number(app.env, node), entries(app.env, node), numbered(app.env),  # type: ignore[arg-type]
                           cv_config(app.config).labels)


FILLERS["list"] = _streamed_list


def pages_html(builder: object, here: str, start: int, pages: list[tuple[str, int, int, str]],
               words: Labels = ENGLISH) -> str:
    """In place of a list too long for one page: a link to each of its pages, with its numbers and years."""
    total = number(pages[-1][2] - pages[0][1], words)
    note = (words("{count} entries, on a page of its own:", count=total) if len(pages) == 1
            else words("{count} entries, on {pages} pages of their own:", count=total, pages=len(pages)))
    out = [f'<p class="cv-pages-note">{escape(note)}</p>\n<ul class="cv-pages">\n']
    for pagename, lo, hi, years in pages:
        href = builder.get_relative_uri(here, pagename)  # type: ignore[attr-defined]
        label = words("Nos. {first}\u2013{last}", first=number(start + lo, words), last=number(start + hi - 1, words))
        label += f" ({years})" if years else ""
        out.append(f'<li><a class="reference internal" href="{escape(href, quote=True)}">{escape(label)}</a></li>\n')
    out.append("</ul>\n")
    return "".join(out)


def _extras_html(anchor: str, extra: Extras | None, words: Labels = ENGLISH) -> str:
    """After the entry's paragraph (which holds its text alone): permalink, award, labelled links, BibTeX."""
    if extra is None:
        return ""
    more = [f'<a class="cv-permalink" href="#{escape(anchor, quote=True)}">'
            f'<span aria-hidden="true">#</span><span class="cv-sr-only">{escape(words("Link to this publication"))}'
            '</span></a>']
    if extra.award:
        more.append(f'<span class="cv-award">{escape(extra.award)}</span>')
    for label, url in extra.links:
        more.append(f'<a class="cv-link reference external" href="{escape(url, quote=True)}">{escape(words(label))}</a>')
    if extra.bibtex:
        code_id = f"{anchor}-bibtex"
        more.append(
            f'<details class="cv-bibtex"><summary>BibTeX</summary>'
            f'<pre id="{escape(code_id, quote=True)}">{escape(extra.bibtex)}</pre>'
            f'<button type="button" class="cv-copy" data-copy="{escape(code_id, quote=True)}" '
            f'data-copied="{escape(words("Copied"), quote=True)}" '
            f'data-selected="{escape(words("Selected: press Ctrl+C"), quote=True)}">{escape(words("Copy BibTeX"))}</button>'
            '</details>')
    return f'<div class="cv-extras">{"".join(more)}</div>'


# -- LaTeX -------------------------------------------------------------------


def visit_publications_latex(self, node: cv_publication_list) -> None:
    items = entries(self.builder.env, node)
    scripts = sorted({m for i in items for m in _RTL_SCRIPT.findall(i.rendered.latex)})
    counted = numbered(self.builder.env)
    out = ["".join(f"\\cvsphinxscript{{{name}}}" for name in scripts),
           "\n\\begin{enumerate}\n\\sphinxsetlistlabels{\\arabic}{enumi}{enumii}{}{.}%\n"
           if counted else "\n\\begin{list}{}{\\setlength{\\leftmargin}{1.5em}\\setlength{\\itemindent}{-1.5em}}%\n",
           f"\\setcounter{{enumi}}{{{first_number(self.builder.env, node) - 1}}}\n" if counted else ""]
    covered = None
    if self.config.latex_engine in ("xelatex", "lualatex"):
        fontpkg = self.config.latex_elements.get("fontpkg", "")
        covered = glyphs.coverage(glyphs.font_names(fontpkg) + (glyphs.rtl_font_names(fontpkg) if scripts else ()))
    for item in items:
        latex, key, where = item.rendered.latex, item.key, item.where
        if covered is not None:
            latex = glyphs.without_selectors(latex)
        for char in glyphs.missing(latex, covered):
            logger.warning(f"entry {key!r}: the character {char!r} (U+{ord(char):04X} {unicodedata.name(char, '')}) is in "
                           "none of the PDF's fonts, so the PDF leaves it out; replace it in the .bib file or add a "
                           "font that has it", location=where or node, type="cv", subtype="bad_char")
            latex = latex.replace(char, "")
        out.append(f"\\item {{}}\\cvsphinxentry{{{_KEY_UNSAFE.sub('?', key)}}} {_short_lines(latex)}\n")
    out.append("\\end{enumerate}\n" if counted else "\\end{list}\n")
    self.body.append("".join(out))
    raise nodes.SkipNode


# what may go into \message as it is: the LaTeX step names the entry it was typesetting when it stops
_RTL_SCRIPT = re.compile(r"\\cvrtl\{([a-z]+)\}")
_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9:._/+@-]")


def _short_lines(latex: str, width: int = 2000) -> str:
    """TeX reads a source line into a fixed buffer (200,000 bytes in TeX Live): break long entries at spaces."""
    if len(latex) <= width:
        return latex
    out: list[str] = []
    start = 0
    while len(latex) - start > width:
        cut = latex.rfind(" ", start, start + width)
        if cut <= start:
            cut = latex.find(" ", start + width)
            if cut < 0:
                break
        out.append(latex[start:cut])
        start = cut + 1
    out.append(latex[start:])
    return "\n".join(out)


def visit_marker_latex(self, node: cv_marker) -> None:
    self.body.append(r"\textsuperscript{")


def depart_marker_latex(self, node: cv_marker) -> None:
    self.body.append("}")


def visit_entry_latex(self, node: cv_entry) -> None:
    self.body.append("\n" + (r"\cvsubentry{" if node.get("sub") else r"\cventry{"))


def depart_entry_latex(self, node: cv_entry) -> None:
    if not any(isinstance(child, cv_date) for child in node.children):
        self.body.append(r"}{}")
    self.body.append("\n")


def visit_date_latex(self, node: cv_date) -> None:
    self.body.append("}{")


def depart_date_latex(self, node: cv_date) -> None:
    self.body.append("}")


# -- Text and everything else ------------------------------------------------


def visit_passthrough(self, node: nodes.Node) -> None:
    pass


def depart_passthrough(self, node: nodes.Node) -> None:
    pass


def visit_date_text(self, node: cv_date) -> None:
    self.add_text("    ")


def visit_entry_text(self, node: cv_entry) -> None:
    self.new_state(4 if node.get("sub") else 0)


def depart_entry_text(self, node: cv_entry) -> None:
    self.end_state(wrap=False)


LATEX_PREAMBLE = r"""
% -- cvsphinx: dated CV lines, the date right-aligned on the entry's last line
\newcommand{\cvdatebox}[1]{{\unskip\nobreak\hfil\penalty50\hskip1.5em\hbox{}\nobreak\hfil\mbox{#1}%
  \parfillskip=0pt\finalhyphendemerits=0\par}}
\newcommand{\cventry}[2]{\par{\noindent\hangindent=1.5em\hangafter=1 #1\cvdatebox{#2}}}
% right-to-left runs (bidi.py): TeX--XeT orders them, a font for their script shapes them (Arabic letters
% joined); the fonts are loaded at the first use, so a CV without such text loads none
\ifdefined\TeXXeTstate\TeXXeTstate=1\fi
\newcommand{\cvrtl}[2]{{\csname cvfont@#1\endcsname\ifdefined\beginR\beginR#2\endR\else#2\fi}}
\newcommand{\cvltr}[1]{{\fontfamily{\rmdefault}\selectfont\ifdefined\beginL\beginL#1\endL\else#1\fi}}% the main font
% \cvsphinxscript{arab} before a list that uses it (outside any group): its font, once
\newcommand{\cvsphinxscript}[1]{\ifcsname cvfont@#1\endcsname\else\csname cvsphinx@load@#1\endcsname\fi}
\ifdefined\XeTeXrevision
\providecommand{\cvArabicFont}{Amiri}\providecommand{\cvArabicSlanted}{Amiri Slanted}
\providecommand{\cvArabicBoldSlanted}{Amiri Bold Slanted}\providecommand{\cvHebrewFont}{FreeSerif}
\def\cvsphinx@load@arab{\IfFontExistsTF{\cvArabicFont}{\newfontfamily\cvfont@arab{\cvArabicFont}[Script=Arabic,
  ItalicFont=\cvArabicSlanted, BoldItalicFont=\cvArabicBoldSlanted]}{\newfontfamily\cvfont@arab{FreeSerif}[
  Script=Arabic, Extension=.otf, UprightFont=*, BoldFont=*Bold, ItalicFont=*, BoldItalicFont=*Bold,
  ItalicFeatures={FakeSlant=0.2}, BoldItalicFeatures={FakeSlant=0.2}]}}
\def\cvsphinx@load@hebr{\newfontfamily\cvfont@hebr{\cvHebrewFont}[Script=Hebrew, Extension=.otf,
  UprightFont=*, BoldFont=*Bold, ItalicFont=*, BoldItalicFont=*Bold, ItalicFeatures={FakeSlant=0.2},
  BoldItalicFeatures={FakeSlant=0.2}]}
\fi
\newcommand{\cvsphinxentry}[1]{\message{[cv entry #1]}}% names the entry in the log: a stopped LaTeX run says where
\newcommand{\cvsubentry}[2]{\par{\leftskip=1.5em\noindent\hangindent=1.5em\hangafter=1 #1\cvdatebox{#2}}}
"""


class ExpandPublicationLists(SphinxPostTransform):
    """For text, man, texinfo and other builders: plain numbered lists."""

    default_priority = 5

    def is_supported(self) -> bool:
        return self.env._builder_cls.format not in ("html", "latex")  # type: ignore[attr-defined]

    def run(self, **kwargs: object) -> None:
        for node in list(self.document.findall(cv_publication_list)):
            olist = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".", start=first_number(self.env, node)) \
                if numbered(self.env) else nodes.bullet_list(bullet="-")
            for item in entries(self.env, node):
                olist += nodes.list_item("", nodes.paragraph(item.rendered.text, item.rendered.text), ids=[item.anchor])
            node.replace_self(olist)


def setup_nodes(app: Sphinx) -> None:
    app.add_css_file("cvsphinx-publications.css")
    app.add_js_file("cvsphinx-publications.js", loading_method="defer")
    app.add_post_transform(ExpandPublicationLists)
    app.add_node(
        cv_publication_list,
        html=(visit_publications_html, None),
        latex=(visit_publications_latex, None),
    )
    passthrough = (visit_passthrough, depart_passthrough)
    app.add_node(
        cv_marker,
        html=(visit_marker_html, depart_marker_html),
        latex=(visit_marker_latex, depart_marker_latex),
        text=passthrough, man=passthrough, texinfo=passthrough,
    )
    app.add_node(
        cv_entry,
        html=(visit_entry_html, depart_entry_html),
        latex=(visit_entry_latex, depart_entry_latex),
        text=(visit_entry_text, depart_entry_text), man=passthrough, texinfo=passthrough,
    )
    app.add_node(
        cv_date,
        html=(visit_date_html, depart_date_html),
        latex=(visit_date_latex, depart_date_latex),
        text=(visit_date_text, depart_passthrough), man=passthrough, texinfo=passthrough,
    )
