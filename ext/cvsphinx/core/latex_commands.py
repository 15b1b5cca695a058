"""Commands that read their arguments in their own way (``\\url``, ``\\href``, ``\\verb``, case changes,
``\\char``…), registered in the tokenizer's ``_Parser.words``."""

from __future__ import annotations

from collections.abc import Callable

from pybtex.richtext import BaseMultipartText, HRef, Text

from .latex_parser import Parts, _Parser
from .latex_tables import _CHAR_CODE, _SAFE_URL


def _symbol(value: str) -> Callable[[_Parser, str, Parts | None], Parts]:
    return lambda parser, name, out: [value]


def _url(parser: _Parser, name: str, out: Parts | None) -> Parts:
    url = parser.raw_group().strip()
    return [_link(url, url)]


def _href(parser: _Parser, name: str, out: Parts | None) -> Parts:
    url = parser.raw_group().strip()
    label = parser.argument()
    return [_link(url, *label)] if label else [_link(url, url)]


def _doi(parser: _Parser, name: str, out: Parts | None) -> Parts:
    doi = parser.raw_group().strip()
    return [_link(f"https://doi.org/{doi}", doi)] if doi else []


def _link(url: str, *label) -> BaseMultipartText:
    return HRef(url, *label) if _SAFE_URL.match(url) else Text(*label)


def _verbatim(parser: _Parser, name: str, out: Parts | None) -> Parts:
    """``\\verb|x|``, ``\\path|x|``, ``\\path{x}``: the characters as they are."""
    src = parser.src
    if parser.at_end():
        return []
    if src[parser.pos] == "{":
        return [parser.raw_group()]
    if parser.src[parser.pos] == "*":
        parser.pos += 1
    delimiter = src[parser.pos] if parser.pos < len(src) else ""
    end = src.find(delimiter, parser.pos + 1) if delimiter else -1
    if end < 0:
        text, parser.pos = src[parser.pos + 1:], len(src)
        return [text]
    text = src[parser.pos + 1:end]
    parser.pos = end + 1
    return [text]


def _ensuremath(parser: _Parser, name: str, out: Parts | None) -> Parts:
    source = parser.raw_group()
    if not parser.math:
        return parser.math_segment(source)
    inner = _Parser(source, parser.state, math=True)
    parts = inner.sequence(top=True)
    parser.safe = parser.safe and inner.safe
    return parts


def _paren_math(parser: _Parser, name: str, out: Parts | None) -> Parts:
    """``\\(...\\)`` and ``\\[...\\]``."""
    if parser.math:
        return [name]
    close = "\\)" if name == "(" else "\\]"
    end = parser.src.find(close, parser.pos)
    if end < 0:
        return [name]
    source = parser.src[parser.pos:end]
    parser.pos = end + 2
    return parser.math_segment(source)


def _case(method: str) -> Callable[[_Parser, str, Parts | None], Parts]:
    def handler(parser: _Parser, name: str, out: Parts | None) -> Parts:
        return [getattr(Text(*parser.argument()), method)()]
    return handler


def _enquote(parser: _Parser, name: str, out: Parts | None) -> Parts:
    return ["“", *parser.argument(), "”"]


def _with_optional(parser: _Parser, name: str, out: Parts | None) -> Parts:
    parser.skip_optional()
    parser.skip_optional()
    return parser.argument()


def _raisebox(parser: _Parser, name: str, out: Parts | None) -> Parts:
    parser.raw_group()
    parser.skip_optional()
    parser.skip_optional()
    return parser.argument()


def _char(parser: _Parser, name: str, out: Parts | None) -> Parts:
    match = _CHAR_CODE.match(parser.src, parser.pos)
    if not match:
        return []
    parser.pos = match.end()
    decimal, octal, hexa, literal = match.groups()
    if literal:
        return [literal]
    code = int(decimal) if decimal else int(octal, 8) if octal else int(hexa, 16)
    return [chr(code)] if 32 <= code < 0x110000 else []


def _line_break(parser: _Parser, name: str, out: Parts | None) -> Parts:
    """``\\\\``: a line break, which in running text is a space."""
    parser.skip_optional()
    return [" "]


def _dash(parser: _Parser, name: str, out: Parts | None) -> Parts:
    """TUGboat's ``\\Dash``: an em dash between thin spaces, taking the space before it."""
    if out and isinstance(out[-1], str) and out[-1].endswith(" "):
        out[-1] = out[-1].rstrip()
    return ["\u2009—\u2009"]


def _quote(value: str) -> Callable[[_Parser, str, Parts | None], Parts]:
    return lambda parser, name, out: [value]


_SPECIAL_WORDS: dict[str, Callable[[_Parser, str, Parts | None], Parts]] = {
    "url": _url, "href": _href, "doi": _doi, "verb": _verbatim, "path": _verbatim,
    "ensuremath": _ensuremath, "(": _paren_math, "[": _paren_math,
    "MakeUppercase": _case("upper"), "uppercase": _case("upper"), "MakeTextUppercase": _case("upper"),
    "MakeLowercase": _case("lower"), "lowercase": _case("lower"), "MakeTextLowercase": _case("lower"),
    "enquote": _enquote, "mkbibquote": _enquote, "makebox": _with_optional, "framebox": _with_optional,
    "parbox": _with_optional, "raisebox": _raisebox, "char": _char, "\\": _line_break, "Dash": _dash,
    "&": _symbol("&"), "%": _symbol("%"), "$": _symbol("$"), "#": _symbol("#"), "_": _symbol("_"),
    "{": _symbol("{"), "}": _symbol("}"), ",": _symbol("\u202f"), " ": _symbol(" "), "\n": _symbol(" "),
    "\t": _symbol(" "), "\r": _symbol(" "), "/": _symbol(""), "-": _symbol(""), "@": _symbol(""),
    "!": _symbol(""), ";": _symbol(" "), ":": _symbol(" "), ">": _symbol(" "), ")": _symbol(""),
    "]": _symbol(""), "|": _symbol("‖"),
}

_Parser.words.update(_SPECIAL_WORDS)
