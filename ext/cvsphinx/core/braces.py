"""Braces, counted one way for the whole extension: where a group ends, whether one group holds a whole text,
and a text split where a separator stands outside every group.

BibTeX and biber count every brace (``\\{`` opens a group as ``{`` does), so the reader and the names count
them so; TeX reads ``\\{`` as a character, so the LaTeX decoder and the LaTeX rewriting say ``tex=True``.
"""

from __future__ import annotations

import re
from functools import lru_cache

_BIBTEX = re.compile(r"[{}]")


@lru_cache(maxsize=8)
def _pattern(opener: str, closer: str, tex: bool) -> re.Pattern[str]:
    brackets = re.escape(opener) + ("" if closer == opener else re.escape(closer))
    return re.compile((r"\\.|" if tex else "") + f"[{brackets}]", re.DOTALL)


def group_end(text: str, pos: int, *, tex: bool = False, opener: str = "{", closer: str = "}") -> int | None:
    """``text[pos]`` opens a group: the offset just after its matching ``closer``, or None when it never closes.
    Only ``opener`` and ``closer`` count (a ``[...]`` group holds braces freely)."""
    pattern = _BIBTEX if (opener, closer, tex) == ("{", "}", False) else _pattern(opener, closer, tex)
    depth = 0
    for match in pattern.finditer(text, pos):
        char = match.group()
        if char == opener:
            depth += 1
        elif char == closer:
            depth -= 1
            if depth == 0:
                return match.end()
    return None


def encloses(text: str) -> bool:
    """Whether one brace group is the whole of ``text`` (``{a b}``, not ``{a} {b}``)."""
    return text.startswith("{") and group_end(text, 0) == len(text)


@lru_cache(maxsize=64)
def _split_pattern(separator: str | re.Pattern[str]) -> re.Pattern[str]:
    sep = re.compile(re.escape(separator)) if isinstance(separator, str) else separator
    return re.compile(f"[{{}}]|(?:{sep.pattern})", sep.flags)


def split_outside(text: str, separator: str | re.Pattern[str]) -> list[str]:
    """``text`` cut at each ``separator`` (a character or a pattern) that stands outside every brace group."""
    if isinstance(separator, str) and "{" not in text and "}" not in text:
        return text.split(separator)  # no group to stand in: every one counts (most names, twice each)
    parts, depth, start = [], 0, 0
    for match in _split_pattern(separator).finditer(text):
        token = match.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth == 0:
            parts.append(text[start:match.start()])
            start = match.end()
    parts.append(text[start:])
    return parts
