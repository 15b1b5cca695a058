"""The tokenizer of LaTeX in a .bib field: text, groups, control words and math, to rich text parts.

Commands that read their arguments in their own way are looked up in ``_Parser.words``, which
``latex_commands.py`` fills."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from pybtex.richtext import Tag

from .braces import group_end
from .latex_math import Math
from .latex_tables import (
    _ACCENTS,
    _BELOW,
    _DECLARATIONS,
    _DIMEN,
    _DIMENSIONS,
    _DROP_ONE_ARG,
    _ENDS_WITH_WORD,
    _GREEK,
    _GREEK_NONSTANDARD,
    _LETTER_STYLES,
    _LETTERS,
    _LOGOS,
    _MATH_ACCENTS,
    _MATH_DECLARATIONS,
    _MATH_FONTS,
    _MATH_FONTS_NONSTANDARD,
    _MATH_FUNCTIONS,
    _MATH_IGNORED,
    _MATH_SYMBOLS,
    _MAX_SOURCE,
    _PLAIN_RUN,
    _SHOW_SECOND_ARG,
    _SPACING_ACCENT,
    _TEXT_COMMANDS,
    _TEXT_IN_MATH,
    _TEXT_SYMBOLS,
    MAX_EXPANSIONS,
    RECURSIVE,
)
from .rich import make_protected


def _is_known(name: str) -> bool:
    """Whether the decoder gives ``\\name`` a meaning of its own (a user macro may not override \\providecommand)."""
    return any(name in table for table in (
        _ACCENTS, _TEXT_SYMBOLS, _LOGOS, _GREEK, _MATH_SYMBOLS, _TEXT_COMMANDS, _DECLARATIONS, _DIMENSIONS,
    )) or name in _Parser.words


@dataclass
class _State:
    """Shared by the parser of a value and those of its math and macro bodies."""

    macros: Mapping[str, str]
    unknown: list[str] = field(default_factory=list)
    expansions: int = 0
    open_quotes: int = 0

    def report(self, name: str) -> None:
        name = "\\" + name
        if name not in self.unknown:
            self.unknown.append(name)


Parts = list  # of str and BaseText


class _Parser:
    # name -> how the command reads its arguments (latex_commands.py registers them)
    words: ClassVar[dict[str, Callable[[_Parser, str, Parts | None], Parts]]] = {}

    def __init__(self, src: str, state: _State, math: bool = False) -> None:
        self.src = src
        self.pos = 0
        self.state = state
        self.math = math
        self.upright = False  # math letters in roman (inside \mathrm and friends)
        self.safe = True  # this math can go to LaTeX as written

    # -- reading -------------------------------------------------------------

    def at_end(self) -> bool:
        return self.pos >= len(self.src)

    def skip_space(self) -> None:
        src, pos = self.src, self.pos
        while pos < len(src) and src[pos].isspace():
            pos += 1
        self.pos = pos

    def control_name(self) -> str | None:
        """After a backslash: a control word (eating the spaces after it) or a control symbol."""
        src = self.src
        if self.pos >= len(src):
            return None
        match = _LETTERS.match(src, self.pos)
        if match:
            self.pos = match.end()
            self.skip_space()
            return match.group()
        self.pos += 1
        return src[self.pos - 1]

    def raw_group(self) -> str:
        """The source of a ``{...}`` argument, braces balanced; or one token when there are none."""
        self.skip_space()
        src = self.src
        if self.at_end():
            return ""
        if src[self.pos] != "{":
            if src[self.pos] == "\\":
                match = _LETTERS.match(src, self.pos + 1)
                end = match.end() if match else min(self.pos + 2, len(src))
                raw, self.pos = src[self.pos:end], end
                return raw
            if src[self.pos] == "}":
                return ""
            self.pos += 1
            return src[self.pos - 1]
        start, end = self.pos + 1, group_end(src, self.pos, tex=True)
        if end is None:  # never closed: the rest is the argument
            self.pos = len(src)
            return src[start:]
        self.pos = end
        return src[start:end - 1]

    def skip_optional(self) -> None:
        """Drop an optional ``[...]`` argument (and a star)."""
        src = self.src
        if self.pos < len(src) and src[self.pos] == "*":
            self.pos += 1
        self.skip_space()
        if self.pos < len(src) and src[self.pos] == "[":
            end = src.find("]", self.pos)
            self.pos = len(src) if end < 0 else end + 1

    def argument(self) -> Parts:
        """One argument, decoded: a group, a control sequence or one character."""
        self.skip_space()
        src = self.src
        if self.at_end() or src[self.pos] == "}":
            self.safe = False  # LaTeX would stop on a missing argument (``$\frac$``)
            return []
        char = src[self.pos]
        if char == "{":
            self.pos += 1
            parts = self.sequence()
            if not self.at_end():
                self.pos += 1
            return parts
        if char == "\\":
            self.pos += 1
            parts = self.control()
            return self.argument() if parts is _EXPANDED else parts
        self.pos += 1
        if self.math:
            return self.math_char(char)
        return ["\u00a0" if char == "~" else char]

    # -- text mode -------------------------------------------------------------

    def sequence(self, top: bool = False) -> Parts:
        """Parts up to the ``}`` that closes the current group (not consumed) or the end."""
        out: Parts = []
        while self.pos < len(self.src):
            src = self.src  # a macro expansion replaces it
            char = src[self.pos]
            if char == "}":
                if not top:
                    return out
                self.pos += 1  # a stray closing brace
                continue
            if self.math:
                out.extend(self.math_token())
                continue
            match = _PLAIN_RUN.match(src, self.pos)
            if match:
                out.append(match.group())
                self.pos = match.end()
                continue
            self.pos += 1
            if char == "\\":
                parts = self.control(out, top)
                if parts is _REST:
                    return out
                out.extend(parts)
            elif char == "{":
                starts_command = self.pos < len(src) and src[self.pos] == "\\"
                parts = self.sequence()
                if not self.at_end():
                    self.pos += 1
                if top and not starts_command and not self.math:
                    out.append(make_protected(*parts))
                else:
                    out.extend(parts)
            elif char == "$":
                out.extend(self.dollar())
            elif char.isspace():
                self.skip_space()
                if not (out and isinstance(out[-1], str) and out[-1][-1:].isspace()):
                    out.append(" ")
            elif char == "~":
                out.append("\u00a0")
            elif char == "-":
                out.append(self.dashes())
            elif char == "`":
                out.append(self.left_quote())
            elif char == "'":
                out.append(self.right_quote())
        return out

    def dashes(self) -> str:
        src = self.src
        count = 1
        while self.pos < len(src) and src[self.pos] == "-" and count < 3:
            self.pos += 1
            count += 1
        return {1: "-", 2: "–", 3: "—"}[count]

    def left_quote(self) -> str:
        if self.pos < len(self.src) and self.src[self.pos] == "`":
            self.pos += 1
            return "“"
        self.state.open_quotes += 1
        return "‘"

    def right_quote(self) -> str:
        if self.pos < len(self.src) and self.src[self.pos] == "'":
            self.pos += 1
            return "”"
        if self.state.open_quotes:
            self.state.open_quotes -= 1
            return "’"
        return "'"  # an apostrophe stays as typed, so names still match

    def dollar(self) -> Parts:
        """``$...$`` or ``$$...$$``; a ``$`` that nothing closes is a dollar sign."""
        src = self.src
        display = self.pos < len(src) and src[self.pos] == "$"
        delimiter = "$$" if display else "$"
        start = self.pos + len(delimiter) - 1
        end = _find_unescaped(src, delimiter, start)
        if end < 0:
            return ["$"]
        self.pos = end + len(delimiter)
        return self.math_segment(src[start:end])

    def math_segment(self, source: str) -> Parts:
        parser = _Parser(source, self.state, math=True)
        children = parser.sequence(top=True)
        if not children:
            return []
        if parser.safe and source.isascii() and _balanced(source):
            return [Math(_escape_math(source), *children)]
        return children

    def control(self, out: Parts | None = None, top: bool = False) -> Parts:
        """After a backslash, in either mode."""
        name = self.control_name()
        if name is None:
            return []  # a trailing backslash
        if name in self.state.macros:
            if self.math:
                self.safe = False
            return self.expand(name)
        if self.math:
            parts = self.math_control(name)
            if parts is not None:
                return parts
            if name not in _TEXT_IN_MATH:
                self.safe = False  # decoded below, but not valid LaTeX math: the .tex gets the decoded text
        if name == "(" and not self.math:  # \(...\): inline math, as $...$
            end = self.src.find("\\)", self.pos)
            if end >= 0:
                source, self.pos = self.src[self.pos:end], end + 2
                return self.math_segment(source)
        handler = self.words.get(name)
        if handler is not None:
            return handler(self, name, out)
        if name in _ACCENTS:
            return [_accent(_ACCENTS[name], self.argument(), name)]
        if name in _TEXT_SYMBOLS:
            return [_TEXT_SYMBOLS[name]]
        if name in _LOGOS:
            return [_LOGOS[name]]
        if name in _TEXT_COMMANDS:
            tag = _TEXT_COMMANDS[name]
            parts = self.argument()
            return [Tag(tag, *parts)] if tag else parts
        if name in _DECLARATIONS:
            tag = _DECLARATIONS[name]
            rest = self.sequence(top=top)  # the rest of the group, or of the field
            out_parts = [Tag(tag, *rest)] if tag else rest
            if out is not None:
                out.extend(out_parts)
                return _REST
            return out_parts
        greek = _GREEK.get(name) or _GREEK_NONSTANDARD.get(name)
        if greek is None and name.startswith("text"):
            greek = _GREEK.get(name[4:]) or _GREEK_NONSTANDARD.get(name[4:])
        if greek is not None:
            return [greek]
        if name in _MATH_SYMBOLS:
            return [_MATH_SYMBOLS[name]]
        if name in ("begin", "end"):
            env = self.raw_group().strip("{} ")
            if name == "begin" and env not in _DECLARATIONS:  # its content is kept; what it would do is not
                self.state.report(f"begin{{{env}}}")
            return []
        if name in _DROP_ONE_ARG:
            self.raw_group()
            return []
        if name in _SHOW_SECOND_ARG:
            self.raw_group()
            return self.argument()
        if name in _DIMENSIONS:
            if name == "hspace":
                self.skip_optional()
                self.raw_group()
            else:
                match = _DIMEN.match(self.src, self.pos)
                self.pos = match.end() if match else self.pos
            return [_DIMENSIONS[name]] if not self.math else []
        self.state.report(name)
        self.safe = False
        if name.isalpha():
            return []  # its arguments, if any, follow as groups and show as text
        return [] if name.isspace() or name in "-@!/*" else [name]

    def expand(self, name: str) -> Parts:
        """A user macro: its body replaces it in the input, as TeX expands macros."""
        state = self.state
        state.expansions += 1
        if state.expansions > MAX_EXPANSIONS or len(self.src) > _MAX_SOURCE:
            self.state.report(name + RECURSIVE)  # a macro that expands into itself: it is dropped, and said
            return []
        body, rest = state.macros[name], self.src[self.pos:]
        if rest[:1].isalpha() and _ENDS_WITH_WORD.search(body):
            body += " "  # the body's last control word must not run into the letters after it
        self.src, self.pos = body + rest, 0
        return _EXPANDED

    # -- math mode -------------------------------------------------------------

    def math_token(self) -> Parts:
        src = self.src
        char = src[self.pos]
        self.pos += 1
        if char == "\\":
            return self.control()
        if char == "{":
            saved = self.upright
            parts = self.sequence()
            self.upright = saved
            if not self.at_end():
                self.pos += 1
            return parts
        if char in "^_":
            return self.script("sup" if char == "^" else "sub")
        if char.isspace():
            return []
        if char.isascii() and char.isalpha():
            match = _LETTERS.match(src, self.pos - 1)
            self.pos = match.end()
            letters = match.group()
            return [letters] if self.upright else [Tag("em", letters)]
        return self.math_char(char)

    def math_char(self, char: str) -> Parts:
        if char.isascii() and char.isalpha() and not self.upright:
            return [Tag("em", char)]
        if char == "'":
            count = 1
            while self.pos < len(self.src) and self.src[self.pos] == "'":
                self.pos += 1
                count += 1
            return ["′" * count]
        return [{"-": "−", "~": "\u00a0", "*": "∗"}.get(char, char)]

    def script(self, tag: str) -> Parts:
        parts = self.argument()
        flat = "".join(str(p) for p in parts)
        if tag == "sup" and flat in ("∘", "°"):
            return ["°"]
        if tag == "sup" and flat and set(flat) == {"′"}:
            return [flat]
        return [Tag(tag, *parts)] if parts else []

    def math_control(self, name: str) -> Parts | None:
        """Math-only meanings; None for what text mode decodes the same way."""
        if name in _GREEK:
            return [_GREEK[name]]
        if name in _GREEK_NONSTANDARD:
            self.safe = False
            return [_GREEK_NONSTANDARD[name]]
        if name in _MATH_SYMBOLS:
            return [_MATH_SYMBOLS[name]]
        if name in _MATH_FUNCTIONS:
            return [name]
        if name in _MATH_IGNORED:
            return []
        if name in _MATH_ACCENTS:
            return [_accent(_MATH_ACCENTS[name], self.argument(), name)]
        fonts = _MATH_FONTS.get(name) or _MATH_FONTS_NONSTANDARD.get(name)
        if fonts is not None:
            if name in _MATH_FONTS_NONSTANDARD:
                self.safe = False
            upright, tag = fonts
            saved, self.upright = self.upright, upright
            parts = self.argument()
            self.upright = saved
            if name in _LETTER_STYLES:  # ℤ, ℛ, 𝔤: the letters' own forms
                parts = [p.translate(_LETTER_STYLES[name]) if isinstance(p, str) else p for p in parts]
            return [Tag(tag, *parts)] if tag else parts
        if name in _MATH_DECLARATIONS:
            self.upright = _MATH_DECLARATIONS[name]
            return []
        if name in ("text", "textrm", "textup", "textnormal", "mbox", "hbox", "textit", "textbf", "textsf",
                    "texttt", "emph"):
            self.math = False
            parts = self.argument()
            self.math = True
            tag = _TEXT_COMMANDS.get(name, "")
            return [Tag(tag, *parts)] if tag else parts
        if name in ("frac", "dfrac", "tfrac"):
            numerator, denominator = self.argument(), self.argument()
            return [*_wrap(numerator), "/", *_wrap(denominator)]
        if name == "sqrt":
            self.skip_optional()
            return ["√", *_wrap(self.argument())]
        if name in (",", ";", ":", ">", " "):
            return ["\u2009" if name == "," else " "]
        if name == "!":
            return []
        if name == "|":
            return ["‖"]
        return None


def _wrap(parts: Parts) -> Parts:
    """Brackets around a numerator, denominator or root longer than one character."""
    return ["(", *parts, ")"] if len("".join(str(p) for p in parts)) > 1 else parts


class _Rest(list):
    """Returned by a declaration (``\\em``) that took the rest of its group into ``out``."""


_REST = _Rest()


_EXPANDED = _Rest()  # a user macro was expanded in place: read on


def _accent(mark: str, parts: Parts, name: str) -> str:
    base = "".join(str(p) for p in parts)
    if not base:
        return _SPACING_ACCENT.get(name, "")
    first = base[0]
    if mark not in _BELOW:
        first = {"ı": "i", "ȷ": "j"}.get(first, first)
    return unicodedata.normalize("NFC", first + mark + base[1:])


def _find_unescaped(src: str, needle: str, start: int) -> int:
    pos = start
    while pos < len(src):
        if src[pos] == "\\":
            pos += 2
            continue
        if src.startswith(needle, pos):
            return pos
        pos += 1
    return -1


def _balanced(source: str) -> bool:
    """Braces balanced, and no lone backslash at the end (it would escape the closing ``$``)."""
    depth, pos = 0, 0
    while pos < len(source):
        char = source[pos]
        if char == "\\":
            if pos + 1 == len(source):
                return False
            pos += 2
            continue
        if char == "$":
            return False
        depth += (char == "{") - (char == "}")
        if depth < 0:
            return False
        pos += 1
    return depth == 0


def _escape_math(source: str) -> str:
    """Bare ``%``, ``&`` and ``#`` are text in a .bib field; in LaTeX math they would not be."""
    out, pos = [], 0
    while pos < len(source):
        char = source[pos]
        if char == "\\":
            out.append(source[pos:pos + 2])
            pos += 2
            continue
        out.append("\\" + char if char in "%&#" else char)
        pos += 1
    return "".join(out)
