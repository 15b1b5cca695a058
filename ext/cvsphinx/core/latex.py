"""LaTeX in .bib field values, decoded once to pybtex rich text and to plain Unicode.

The one place where LaTeX is read: accents, escaped specials, dashes and
quotes, text commands (emphasis, bold, small caps, super/subscripts, links,
logos) and inline math.  Math becomes a ``Math`` element that keeps its LaTeX
source, so the PDF typesets real math while HTML and text show the decoded
characters; math that LaTeX could not typeset as written (an unknown or user
macro, a missing argument, non-ASCII) goes to the PDF decoded instead, so a
.bib field never breaks the PDF build.  Unknown macros never show their
backslash: their arguments stay as text and their names are reported in
``Decoded.unknown``.  TeX's own rules hold where they matter: a control word
takes the spaces after it (``\\TeX nische`` is TeXnische), user macros expand
in place.  Nothing here raises on malformed input.

A small tokenizer of our own rather than a library: latexcodec (already a
dependency) decodes accents and symbols to a flat string but keeps text
commands, math and ``\\d{i}``-style accents as they are and fails on a
trailing backslash; pylatexenc's latex2text flattens to plain text too,
reads ``%`` as a comment and drops logos (``\\LaTeXe``, ``\\BibTeX``) and
``\\euro``.  Both would still need a walker and tables of our own to build
rich text, which is most of the code below.

The tables are ``latex_tables.py``, the tokenizer ``latex_parser.py``, the commands that read their arguments
in their own way ``latex_commands.py``; this module is what the rest of the extension calls.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from pybtex.richtext import Text

from . import latex_commands  # noqa: F401  (registers the commands that read their own arguments)
from .latex_math import Math
from .latex_parser import Parts, _is_known, _Parser, _State
from .latex_tables import _NEEDS_PARSING, _SPACE_RUN
from .rich import make_text

__all__ = ["Decoded", "Math", "decode", "decode_plain", "preamble_macros"]


@dataclass(frozen=True)
class Decoded:
    """A field value decoded: rich text, and the names of the macros it did not know (``"\\foo"``)."""

    text: Text
    unknown: tuple[str, ...] = ()


# -- The API ---------------------------------------------------------------------


def decode(value: str, macros: Mapping[str, str] | None = None) -> Decoded:
    """A field value as rich text; ``macros`` are the file's own (``preamble_macros``)."""
    key = tuple(sorted((name.lstrip("\\"), body) for name, body in macros.items())) if macros else ()
    return _decode(value, key)


@lru_cache(maxsize=65536)
def _decode(value: str, macros: tuple[tuple[str, str], ...]) -> Decoded:
    if not value:
        return Decoded(make_text())
    value = unicodedata.normalize("NFC", value)
    if "textdollar" in value:
        value = _DBLP_MATH.sub(_dblp_math, value)
    if "textbackslash" in value:  # DBLP's escaped command: {\textbackslash}textsf\{NC\} is \textsf{NC}
        value = _DBLP_COMMAND.sub(lambda m: f"\\{m.group(1)}{{{m.group(2)}}}", value)
    if "</" in value:
        value = _inline_tags(value)
    if not _NEEDS_PARSING.search(value):
        return Decoded(make_text(value))
    state = _State(dict(macros))
    try:
        parts = _Parser(value, state).sequence(top=True)
        text = make_text(*_merge_spaces(parts))
    except Exception:  # never raise on a field: keep what can be read
        text = make_text(_SPACE_RUN.sub(" ", re.sub(r"\\[A-Za-z]+|[\\{}$]", "", value)))
    return Decoded(text, tuple(state.unknown))


# Crossref, and the ORCID and publishers' exports made from it, write a title's inline style as JATS/HTML tags
# ("<i>Salmonella</i> spp.", "CO<sub>2</sub>"): those few tags, closed and holding balanced braces, read as
# their LaTeX commands.  Any other tag (``<script>``) stays text, shown as written.
_INLINE_TAG = re.compile(r"<(i|em|b|strong|sub|sup|scp|sc)>([^<>]*?)</\1>", re.IGNORECASE)
_TAG_COMMAND = {"i": "textit", "em": "textit", "b": "textbf", "strong": "textbf", "sub": "textsubscript",
                "sup": "textsuperscript", "scp": "textsc", "sc": "textsc"}


def _inline_tags(value: str) -> str:
    def command(match: re.Match) -> str:
        inner = match.group(2)
        if inner.count("{") != inner.count("}"):
            return match.group(0)
        return f"\\{_TAG_COMMAND[match.group(1).lower()]}{{{inner}}}"

    for _ in range(4):  # nested tags, the innermost first
        changed = _INLINE_TAG.sub(command, value)
        if changed == value:
            break
        value = changed
    return value


# DBLP escapes the math of a title as text: ``{\textdollar}{\textbackslash}mathrm\{AC\}{\^{}}0{\textdollar}``
# is ``$\mathrm{AC}^0$``.  Between two escaped dollars the escapes are undone, so the math is math again.
_DBLP_MATH = re.compile(r"\{?\\textdollar\}?(.+?)\{?\\textdollar\}?")
_DBLP_COMMAND = re.compile(r"\{?\\textbackslash\}?\s*([A-Za-z]+)\\\{([^{}\\]*)\\\}")
_DBLP_ESCAPES = ((r"{\textbackslash}", "\\"), (r"\textbackslash ", "\\"), (r"\textbackslash", "\\"),
                 ("{\\^{}}", "^"), ("\\^{}", "^"), ("{\\textasciicircum}", "^"), ("{\\_}", "_"), ("\\_", "_"),
                 ("{\\textunderscore}", "_"), ("\\{", "{"), ("\\}", "}"))


def _dblp_math(match: re.Match) -> str:
    inner = match.group(1)
    if "textbackslash" not in inner and "^" not in inner and "\\_" not in inner:
        return match.group(0)  # two dollar signs in a text, not escaped math
    for escaped, char in _DBLP_ESCAPES:
        inner = inner.replace(escaped, char)
    return "$" + inner + "$"


def _merge_spaces(parts: Parts) -> Parts:
    """A space run that was split between two parts (``a {} b``) becomes one space."""
    out: Parts = []
    for part in parts:
        if isinstance(part, str) and part.startswith(" ") and out and isinstance(out[-1], str) \
                and out[-1].endswith(" "):
            part = part.lstrip(" ")
        if part:
            out.append(part)
    return out


def decode_plain(value: str, macros: Mapping[str, str] | None = None) -> str:
    """Plain Unicode, for matching, sorting and selectors: no markup, super/subscripts as plain
    characters, every run of white space (no-break and thin spaces too) one space."""
    if macros:
        return _flatten(decode(value, macros).text)
    return _plain(value)


@lru_cache(maxsize=65536)
def _plain(value: str) -> str:
    return _flatten(_decode(value, ()).text)


def _flatten(text: Text) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text)).split())


_DEFINITION = re.compile(
    r"\\(?P<cmd>newcommand|renewcommand|providecommand|DeclareRobustCommand|def|gdef|edef|xdef|let)\*?\s*"
)


def preamble_macros(preamble_text: str) -> dict[str, str]:
    """Argument-free macros a .bib file defines in its ``@preamble``, as ``{"\\foo": "body"}``.

    ``\\newcommand``, ``\\renewcommand``, ``\\providecommand`` (only for names the decoder does
    not know), ``\\DeclareRobustCommand``, ``\\def`` and ``\\let``; macros with arguments are
    skipped (their uses then show their arguments as text, as unknown macros do).
    """
    found: dict[str, str] = {}
    for match in _DEFINITION.finditer(preamble_text or ""):
        parser = _Parser(preamble_text, _State({}))
        parser.pos = match.end()
        command = match.group("cmd")
        raw_name = parser.raw_group().strip()
        if not raw_name.startswith("\\") or len(raw_name) < 2:
            continue
        name = raw_name[1:]
        if command == "let":
            parser.skip_space()
            if preamble_text.startswith("=", parser.pos):
                parser.pos += 1
            target = parser.raw_group().strip()
            if target.startswith("\\"):
                found["\\" + name] = target
            continue
        if command.endswith("def"):
            parser.skip_space()
            if not preamble_text.startswith("{", parser.pos):
                continue  # a parameter text: the macro takes arguments
        else:
            parser.skip_space()
            if preamble_text.startswith("[", parser.pos):
                continue  # [n] arguments
        if not preamble_text.startswith("{", parser.pos):
            parser.skip_space()
        if not preamble_text.startswith("{", parser.pos):
            continue
        body = parser.raw_group()
        if command == "providecommand" and (_is_known(name) or "\\" + name in found):
            continue
        found["\\" + name] = body
    return found
