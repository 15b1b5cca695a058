"""Rich text to output: the only step that knows HTML from LaTeX.

Entries are rendered once, when their .bib text or the configuration
changes, into short HTML, LaTeX and plain-text strings.  Strings pickle and
unpickle a hundred times faster than the docutils trees they stand for, and
Sphinx unpickles the root document on every build (for the toctree), so a
5,000-entry CV stays quick to rebuild.  Markup is escaped here exactly as
Sphinx's own writers escape it.
"""

from __future__ import annotations

import re
import unicodedata
from html import escape as html_escape
from typing import ClassVar

from docutils import nodes
from pybtex.backends import BaseBackend
from pybtex.backends.plaintext import Backend as PlainBackend
from pybtex.richtext import Text
from pybtex_docutils import Backend as DocutilsBackend
from sphinx.util import texescape
from sphinx.util.texescape import escape as tex_escape

from ..core import bidi
from ..core.compact import pack, unpack
from ..core.people import Role
from .elements import cv_marker

LONG_WORD = 60  # characters without a space: more than a word, a DOI or most URLs, and less than a line


class Rendered:
    """One entry in every output format, each kept packed (``core/compact.py``): it lives for the whole build."""

    __slots__ = ("_html", "_latex", "_text")

    def __init__(self, html: str, latex: str, text: str) -> None:
        self._html, self._latex, self._text = pack(html), pack(latex), pack(text)

    @property
    def html(self) -> str:
        return unpack(self._html)

    @property
    def latex(self) -> str:
        return unpack(self._latex)

    @property
    def text(self) -> str:
        return unpack(self._text)

    def _packed(self) -> tuple[str | bytes, str | bytes, str | bytes]:
        return (self._html, self._latex, self._text)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Rendered) and self._packed() == other._packed()

    def __hash__(self) -> int:
        return hash(self._packed())

    def __repr__(self) -> str:
        return f"Rendered(html={self.html!r}, latex={self.latex!r}, text={self.text!r})"

    def __reduce__(self) -> tuple:
        return (_unpickle_rendered, self._packed())


def _unpickle_rendered(html: str | bytes, latex: str | bytes, text: str | bytes) -> Rendered:
    made = Rendered.__new__(Rendered)
    made._html, made._latex, made._text = html, latex, text
    return made


class HTMLBackend(BaseBackend):
    name = "cvsphinx-html"
    default_suffix = ".html"
    symbols: ClassVar[dict[str, str]] = {"ndash": "&ndash;", "newblock": " ", "nbsp": "&nbsp;"}
    _tags: ClassVar[dict[str, str]] = {"em": "em", "strong": "strong", "sup": "sup", "i": "em", "b": "strong",
                                       "sub": "sub"}

    def format_str(self, str_: str) -> str:
        # as docutils' HTML writer encodes text: & < > and "
        return html_escape(str_, quote=False).replace('"', "&quot;")

    def format_protected(self, text: str) -> str:
        return text

    def format_tag(self, tag_name: str, text: str) -> str:
        if tag_name == "sc" and text:  # small caps (\textsc), styled inline: no stylesheet needed
            return f'<span class="cv-smallcaps" style="font-variant: small-caps">{text}</span>'
        if tag_name.startswith(bidi.FIELD_RTL):  # the browser orders the runs inside; the field stays apart
            return f'<bdi dir="rtl">{text}</bdi>'
        if tag_name == bidi.FIELD_LTR:
            return f'<bdi dir="ltr">{text}</bdi>'
        tag = self._tags.get(tag_name)
        return f"<{tag}>{text}</{tag}>" if tag and text else text

    def format_href(self, url: str, text: str, external: bool = False) -> str:
        return f'<a class="reference external" href="{html_escape(url, quote=True)}">{text}</a>'

    def format_cv_math(self, latex_source: str, rendered_children: str) -> str:
        return rendered_children

    def format_cv_marker(self, role: Role) -> str:
        label = html_escape(role.label, quote=True)
        return (
            f'<sup class="cv-marker cv-marker-{html_escape(role.key, quote=True)}" title="{label}">'
            f'<span aria-hidden="true">{html_escape(role.symbol)}</span>'
            f'<span class="cv-sr-only"> ({label})</span></sup>'
        )

    def format_cv_mark(self, symbol: str, label: str) -> str:
        if not label:  # a mark with no meaning configured: the symbol itself, read aloud as it is
            return f'<sup class="cv-mark">{html_escape(symbol)}</sup>'
        label = html_escape(label, quote=True)
        return (f'<sup class="cv-mark" title="{label}"><span aria-hidden="true">{html_escape(symbol)}</span>'
                f'<span class="cv-sr-only"> ({label})</span></sup>')

    def render_sequence(self, rendered_list: list[str]) -> str:
        return "".join(rendered_list)


_LONG_WORD = re.compile(rf"\S{{{LONG_WORD + 1},}}")


def breakable_tex(text: str, engine: str = "xelatex") -> str:
    """Escaped, with a break point every few letters of a word too long for a line (a DNA sequence, a
    chemical name, an identifier): TeX finds no break in it, and one of a thousand letters hangs xelatex
    or crashes xdvipdfmx."""
    if len(text) <= LONG_WORD or not _LONG_WORD.search(text):
        return tex_escape(text, engine)
    out: list[str] = []
    last = 0
    for match in _LONG_WORD.finditer(text):
        out.append(tex_escape(text[last:match.start()], engine))
        out.append(r"\allowbreak{}".join(tex_escape(chunk, engine) for chunk in _chunks(match[0])))
        last = match.end()
    out.append(tex_escape(text[last:], engine))
    return "".join(out)


def _chunks(word: str, size: int = 20) -> list[str]:
    """Pieces of ``size`` characters, never cut before a combining mark (which would lose its letter)."""
    pieces: list[str] = []
    start = 0
    while start < len(word):
        end = min(start + size, len(word))
        while end < len(word) and unicodedata.combining(word[end]):
            end += 1
        pieces.append(word[start:end])
        start = end
    return pieces


class LaTeXBackend(BaseBackend):
    name = "cvsphinx-latex"
    default_suffix = ".tex"
    symbols: ClassVar[dict[str, str]] = {"ndash": r"\textendash{}", "newblock": " ", "nbsp": "~"}
    _tags: ClassVar[dict[str, str]] = {"em": "sphinxstyleemphasis", "i": "sphinxstyleemphasis", "strong": "sphinxstylestrong",
             "b": "sphinxstylestrong", "sup": "textsuperscript", "sub": "textsubscript", "sc": "textsc"}

    def __init__(self, engine: str = "xelatex") -> None:
        super().__init__()
        self.engine = engine
        texescape.init()  # Sphinx fills its escape tables only when a LaTeX builder starts

    def format_str(self, str_: str) -> str:
        return breakable_tex(str_, self.engine)

    def format_protected(self, text: str) -> str:
        return text

    def format_tag(self, tag_name: str, text: str) -> str:
        if text and tag_name.startswith((bidi.FIELD_RTL, bidi.RUN_RTL)):  # TeX--XeT and a font for the script
            return f"\\cvrtl{{{tag_name.rsplit('-', 1)[1]}}}{{{text}}}"
        if text and tag_name == bidi.RUN_LTR:
            return f"\\cvltr{{{text}}}"
        tag = self._tags.get(tag_name)
        return f"\\{tag}{{{text}}}" if tag and text else text

    def format_href(self, url: str, text: str, external: bool = False) -> str:
        # as Sphinx's LaTeX writer encodes URIs for \sphinxhref
        uri = (tex_escape(url, self.engine).replace(r"\textasciitilde{}", "~")
               .replace(r"\sphinxhyphen{}", "-").replace(r"\textquotesingle{}", "'"))
        return f"\\sphinxhref{{{uri}}}{{{text}}}"

    def format_cv_math(self, latex_source: str, rendered_children: str) -> str:
        """Math stays math: the .bib's own LaTeX (latex.py passes on only what LaTeX can typeset)."""
        return f"${latex_source}$"

    def format_cv_marker(self, role: Role) -> str:
        return f"\\textsuperscript{{{tex_escape(role.symbol, self.engine)}}}"

    def format_cv_mark(self, symbol: str, label: str) -> str:
        return f"\\textsuperscript{{{tex_escape(symbol, self.engine)}}}"

    def render_sequence(self, rendered_list: list[str]) -> str:
        return "".join(rendered_list)


class TextBackend(PlainBackend):
    _scripts: ClassVar[dict[str, dict[int, str]]] = {
        "sup": str.maketrans("0123456789+-−=()in", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁱⁿ"),
        "sub": str.maketrans("0123456789+-−=()", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎"),
    }

    def format_str(self, str_: str) -> str:
        return str_

    def format_tag(self, tag_name: str, text: str) -> str:
        """Super- and subscripts as Unicode characters where all of them have one (CO₂, 10¹⁸)."""
        table = self._scripts.get(tag_name)
        if table is not None and text and all(ord(char) in table for char in text):
            return text.translate(table)
        return text

    def format_cv_math(self, latex_source: str, rendered_children: str) -> str:
        return rendered_children

    def format_cv_marker(self, role: Role) -> str:
        return role.symbol

    def format_cv_mark(self, symbol: str, label: str) -> str:
        return symbol


class NodeBackend(DocutilsBackend):
    """pybtex-docutils, plus markers as ``cv_marker`` nodes (legend and other small texts)."""

    def format_str(self, str_: str) -> list[nodes.Node]:
        return [nodes.Text(str_)]

    def format_cv_marker(self, role: Role) -> list[nodes.Node]:
        return [cv_marker(role.symbol, role.symbol, role=role.key, label=role.label)]

    def format_cv_mark(self, symbol: str, label: str) -> list[nodes.Node]:
        return [cv_marker(symbol, symbol, role="mark", label=label)]

    def format_tag(self, tag_name: str, text: list[nodes.Node]) -> list[nodes.Node]:
        if tag_name == "sc" and text:
            return [nodes.inline("", "", *text, classes=["cv-smallcaps"])]
        return super().format_tag(tag_name, text)

    def format_cv_math(self, latex_source: str, rendered_children: list[nodes.Node]) -> list[nodes.Node]:
        return rendered_children


_HTML = HTMLBackend()
_TEXT = TextBackend()
_NODES = NodeBackend()
_LATEX: dict[str, LaTeXBackend] = {}


def render(text: Text, latex_engine: str = "xelatex") -> Rendered:
    latex = _LATEX.get(latex_engine) or _LATEX.setdefault(latex_engine, LaTeXBackend(latex_engine))
    return Rendered(text.render(_HTML), text.render(latex), text.render(_TEXT))


def to_nodes(text: Text) -> list[nodes.Node]:
    return text.render(_NODES)
