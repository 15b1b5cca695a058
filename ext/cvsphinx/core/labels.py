"""The words the extension writes into a CV, looked up in one place.

Every string a reader sees (on the page, in the PDF, in the text output) is a message id written
in English, at the one place it is used, as ``labels("in {book}", book=...)`` or, in a table,
marked with ``N_``.  The catalog of all of them is ``locale/cvsphinx.pot``, which a test compares
with the ids in the code; each language's ``.po`` beside it translates them.  i18n.py (the
Sphinx side) reads the translations through Sphinx's message catalogs for the CV's ``language``,
adds the CV's own ``cv_labels`` and hands a finished ``Labels`` to the core, which stays free of
Sphinx: a table from message id to text, so it pickles, forks and hashes like the rest of the
configuration.  Without a language the table is empty and every id is its own English text, so
an English CV is unchanged.

Placeholders are ``{name}`` (Python's brace format): a translation may put them in any order, or
leave one out (Japanese ordinals need no suffix), and ``fill`` puts rich text (italics, links,
bold names) where they stand.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from pybtex.richtext import BaseText, Text

from .files import PACKAGE
from .rich import make_text

_FIELD = re.compile(r"\{(\w+)\}")
CATALOG = "cvsphinx"
LOCALE_DIR = PACKAGE / "locale"
TEMPLATE = LOCALE_DIR / f"{CATALOG}.pot"


def N_(msgid: str) -> str:  # noqa: N802  (gettext's name for "mark, translate later")
    """Marks a message id where a table defines it; the lookup happens where it is shown."""
    return msgid


def is_english(language: str) -> bool:
    """Sphinx's ``language`` that needs no translation: none, ``en``, ``en_GB``, ``en-US``."""
    return not language or language == "en" or language.startswith(("en_", "en-"))


def fields(template: str) -> set[str]:
    """The placeholders of a message: a translation must not invent new ones."""
    return set(_FIELD.findall(template))


class Labels:
    """Message id -> the text this CV shows; an id not in the table is shown as written (English)."""

    __slots__ = ("language", "table")

    def __init__(self, table: Mapping[str, str] | None = None, language: str = "") -> None:
        self.table = dict(table or {})
        self.language = language  # Sphinx's ``language`` ("" or "en": English), for Babel's dates

    def __call__(self, msgid: str, **values: object) -> str:
        """The plain text of a message, its placeholders filled with plain values."""
        text = self.table.get(msgid, msgid)
        return text.format_map(_Missing(values)) if values else text

    def fill(self, msgid: str, **parts: BaseText | str) -> Text:
        """The message as rich text, each ``{name}`` replaced by its part; an empty part leaves nothing."""
        template = self.table.get(msgid, msgid)
        pieces: list[BaseText | str] = []
        at = 0
        for match in _FIELD.finditer(template):
            if match.start() > at:
                pieces.append(template[at:match.start()])
            part = parts.get(match.group(1))
            if part:
                pieces.append(part)
            at = match.end()
        if at < len(template):
            pieces.append(template[at:])
        return make_text(*pieces)

    @property
    def english(self) -> bool:
        return is_english(self.language)

    def digest_items(self) -> tuple[tuple[str, str], ...]:
        """What the rendered entries depend on: part of the configuration digest."""
        return (("", self.language), *sorted(self.table.items()))

    def __repr__(self) -> str:
        return f"Labels(language={self.language!r}, {len(self.table)} translated)"


class _Missing(dict):
    """``format_map`` that leaves an unknown placeholder as written instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


ENGLISH = Labels()


# -- The catalog's files: read by the build (i18n.py) and by ``cv.sh new``, which runs without Sphinx ------------


# Noto CJK (Debian's fonts-noto-cjk, which cv.sh and Read the Docs install) in a region's glyph forms
_CJK_REGIONS = {"zh_TW": "TC", "zh_HK": "HK", "zh": "SC", "ja": "JP", "ko": "KR"}


def language_code(language: str) -> tuple[str, str]:
    """Sphinx's ``language`` in its underscore form and its bare language: ``zh-cn`` (Read the Docs' spelling)
    and ``zh_CN`` are ``("zh_cn", "zh")`` and ``("zh_CN", "zh")``."""
    code = language.replace("-", "_")
    return code, code.split("_")[0]


def same_language(one: str, other: str) -> bool:
    """``zh-cn`` (as Read the Docs writes it) and ``zh_CN`` (as Sphinx does) are one language."""
    return language_code(one)[0].lower() == language_code(other)[0].lower()


def cjk_region(language: str) -> str:
    """Noto CJK's region for Sphinx's ``language`` ("SC", "JP"...), or "" for a language not written in CJK."""
    code, base = language_code(language)
    return _CJK_REGIONS.get(code) or _CJK_REGIONS.get(base, "")


def po_file(language: str) -> Path | None:
    """The ``.po`` for Sphinx's ``language`` (``de_AT`` falls back to ``de``; ``pt`` and ``pt_PT`` to
    ``pt_BR``, the only Portuguese there is), or None."""
    base = language_code(language)[1]
    for name in (language, base, *(n.name for n in sorted(LOCALE_DIR.glob(f"{base}_*")) if base)):
        path = LOCALE_DIR / name / "LC_MESSAGES" / f"{CATALOG}.po"
        if name and path.is_file():
            return path
    return None


@lru_cache(maxsize=16)
def _read(path: str, mtime: float):
    from babel.messages.pofile import read_po

    with open(path, "rb") as handle:
        return read_po(handle)


def read_catalog(path: Path):
    """The parsed ``.po`` or ``.pot`` (Babel's Catalog), read once per change of the file."""
    return _read(str(path), path.stat().st_mtime)


def message_ids() -> list[str]:
    """Every message the extension writes: the catalog's template (none, so English, if it was not installed)."""
    if not TEMPLATE.is_file():
        return []
    return [m.id for m in read_catalog(TEMPLATE) if m.id]


def translated(language: str) -> Labels:
    """The language's table straight from its ``.po``: for what is written before any build (``cv.sh new``)."""
    path = None if is_english(language) else po_file(language)
    if path is None:
        return Labels({}, language)
    return Labels({m.id: m.string for m in read_catalog(path) if m.id and m.string}, language)

__all__ = ["ENGLISH", "LOCALE_DIR", "N_", "TEMPLATE", "Labels", "fields", "is_english", "message_ids", "po_file",
           "translated"]


# The example text of the starter files: the build warns while any of it is left (cv.starter_text).
STARTER_TEXT = ("Your University", "Your Field", "course code")
