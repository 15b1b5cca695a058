"""Right-to-left text (Arabic, Hebrew, Persian, Urdu…) in a left-to-right CV.

Each field of an entry that holds right-to-left letters is isolated, so that an Arabic title and an Arabic
journal next to it do not merge into one run (the browser would show the journal first).  The page isolates
the field with ``<bdi>``; the PDF cannot apply the Unicode bidirectional algorithm itself, so the field is
cut into runs here: a field that starts right-to-left is one right-to-left block with its left-to-right runs
(a Latin word, a number) inside, and a field that starts left-to-right has its right-to-left runs marked.
The tags are semantic; render.py turns them into ``<bdi dir>`` or into ``\\cvrtl``/``\\cvltr`` (nodes.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

from pybtex.richtext import BaseText, HRef, Protected, String, Tag, Text

FIELD_RTL = "cv-field-rtl-"  # + script: a field that reads right to left
FIELD_LTR = "cv-field-ltr"  # a left-to-right field holding right-to-left runs
RUN_RTL = "cv-run-rtl-"  # + script: a right-to-left run inside a left-to-right field
RUN_LTR = "cv-run-ltr"  # a left-to-right run inside a right-to-left field


_CONTAINERS = (Text, Tag, HRef, Protected)  # exactly these: a marker, a mark, math are kept whole


def direction(char: str) -> str | None:
    """"R" for a right-to-left letter, "L" for a left-to-right one, None for digits, spaces, punctuation."""
    kind = unicodedata.bidirectional(char)
    if kind in ("R", "AL"):
        return "R"
    if kind == "L":
        return "L"
    return None


def script(text: str) -> str:
    """"hebr" when the first right-to-left letter is Hebrew, else "arab" (Arabic, Persian, Urdu, Syriac…)."""
    for char in text:
        if direction(char) == "R":
            return "hebr" if 0x0590 <= ord(char) <= 0x05FF or 0xFB1D <= ord(char) <= 0xFB4F else "arab"
    return "arab"


# the blocks of right-to-left scripts (Hebrew to NKo, Samaritan…, Arabic Extended, presentation forms); a
# field without any of them needs no look at each character
_RTL_BLOCKS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]")


def has_rtl(text: str) -> bool:
    return _RTL_BLOCKS.search(text) is not None and any(direction(c) == "R" for c in text if ord(c) >= 0x0590)


def any_rtl(values: Iterable[str]) -> bool:
    """Whether any of an entry's field values may hold right-to-left letters (then its fields are isolated)."""
    return any(_RTL_BLOCKS.search(v) for v in values)


def isolate(piece: BaseText, plain: Callable[[BaseText], str]) -> BaseText:
    """``piece`` (one field, or the names) as it is when it has no right-to-left letter; else tagged."""
    text = plain(piece)
    if not has_rtl(text):
        return piece
    first = next((d for d in map(direction, text) if d), "L")
    if first == "R":
        return Tag(FIELD_RTL + script(text), *_runs(piece, "L", RUN_LTR))
    return Tag(FIELD_LTR, *_runs(piece, "R", RUN_RTL))


def _runs(text: BaseText, kind: str, tag: str) -> list[BaseText]:
    """The parts of ``text`` with each run of ``kind`` letters (and what lies between two of them) in a ``tag``."""
    if isinstance(text, String):
        return _split(text.value, kind, tag)
    if isinstance(text, str):
        return _split(text, kind, tag)
    if type(text) in _CONTAINERS:
        parts: list[BaseText] = []
        for part in text.parts:
            parts.extend(_runs(part, kind, tag))
        return [text._create_similar(parts)]
    return [text]  # a marker, math, anything else: kept whole


def _split(value: str, kind: str, tag: str) -> list[BaseText]:
    out: list[BaseText] = []
    start = 0
    index = 0
    length = len(value)
    while index < length:
        if direction(value[index]) != kind:
            index += 1
            continue
        end = index + 1  # the run goes on to its last letter of this kind before one of the other kind
        last = end
        while end < length and direction(value[end]) in (kind, None):
            if direction(value[end]) == kind:
                last = end + 1
            end += 1
        if index > start:
            out.append(String(value[start:index]))
        name = tag + script(value[index:last]) if tag == RUN_RTL else tag
        out.append(Tag(name, value[index:last]))
        start = index = last
    if start < length:
        out.append(String(value[start:]))
    return out
