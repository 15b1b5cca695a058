"""Dates and language names in the CV's language, as the Unicode CLDR writes them (through Babel).

English stays the house style's own (``May 19–25, 1968``, dates as written), so an English CV is
unchanged; every other language gets CLDR's patterns: ``19.–25. Mai 1968``, ``19–25 mai 1968``,
``1968年5月19日～25日``.  Babel comes with Sphinx.  Core: no Sphinx import.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache

from .labels import ENGLISH, Labels


@lru_cache(maxsize=32)
def _locale(language: str):
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None


def _day(date: Date) -> tuple[datetime.date, str]:
    """The date and the CLDR skeleton of its precision (year, month, day)."""
    if date.month and 1 <= date.month <= 12:
        if date.day:
            return datetime.date(date.year, date.month, date.day), "yMMMMd"
        return datetime.date(date.year, date.month, 1), "yMMMM"
    return datetime.date(date.year, 1, 1), "y"


def date_range(start: Date, end: Date | None, language: str) -> str:
    """One date or a range (``19.–25. Mai 1968``) in ``language``; the year alone if Babel has no such locale."""
    from babel.dates import format_interval, format_skeleton

    locale = _locale(language)
    if locale is None or not 1 <= start.year <= 9999:
        return str(start.year)
    first, skeleton = _day(start)
    if end is None or end == start or not 1 <= end.year <= 9999:
        return format_skeleton(skeleton, first, locale=locale)
    last, other = _day(end)
    if other != skeleton:  # "May 1968 – June 2, 1968": each as written, CLDR's range sign between
        skeleton = min(skeleton, other, key=len)
    return format_interval(first, last, skeleton, locale=locale)


def iso_date(text: str, labels: Labels) -> str:
    """An ISO date (``urldate = {2024-03-05}``) in the CV's language; English and anything else as written."""
    text = text.strip()
    if labels.english:
        return text
    date = parse_date(text)
    if date is None or "/" in text:
        return text
    return date_range(date, None, labels.language)


@lru_cache(maxsize=256)
def language_name(english: str, language: str) -> str:
    """``German`` in ``fr``: ``allemand``; "" for a name CLDR does not know in English."""
    locale, en = _locale(language), _locale("en")
    if locale is None or en is None:
        return ""
    wanted = english.strip().lower()
    for code, name in en.languages.items():
        if name.lower() == wanted and "_" not in code:
            return locale.languages.get(code, "")
    return ""


# ISO 639-2's three-letter codes (bibliographic and terminological) of the languages papers are written in, to
# ISO 639-1's, which CLDR names: ORCID and library catalogues write ``language = {spa}``
_ISO_639_2 = {
    "spa": "es", "fre": "fr", "fra": "fr", "ger": "de", "deu": "de", "ita": "it", "por": "pt", "rus": "ru",
    "chi": "zh", "zho": "zh", "jpn": "ja", "kor": "ko", "ara": "ar", "dut": "nl", "nld": "nl", "pol": "pl",
    "tur": "tr", "swe": "sv", "nor": "no", "dan": "da", "fin": "fi", "cze": "cs", "ces": "cs", "gre": "el",
    "ell": "el", "heb": "he", "hin": "hi", "per": "fa", "fas": "fa", "lat": "la", "cat": "ca", "hun": "hu",
    "rum": "ro", "ron": "ro", "ukr": "uk", "vie": "vi", "ind": "id", "tha": "th", "slo": "sk", "slk": "sk",
    "slv": "sl", "hrv": "hr", "srp": "sr", "bul": "bg", "est": "et", "lav": "lv", "lit": "lt", "ice": "is",
    "isl": "is", "glg": "gl", "baq": "eu", "eus": "eu", "wel": "cy", "cym": "cy", "gle": "ga", "afr": "af",
    "may": "ms", "msa": "ms", "ben": "bn", "urd": "ur", "tam": "ta", "swa": "sw", "eng": "en",
}


def language_of_code(code: str) -> str:
    """``es``, ``spa``, ``pt-BR``: the language's English name ("Spanish"); "" for what is not such a code."""
    code = code.strip()
    if not re.fullmatch(r"[a-z]{2,3}(?:[-_][A-Za-z]{2})?", code):
        return ""
    base = code[:3].rstrip("-_")
    base = _ISO_639_2.get(base, base)
    en = _locale("en")
    return en.languages.get(base, "") if en is not None and len(base) == 2 else ""


def number(value: int, labels: Labels) -> str:
    """``51,265`` in English, ``51.265`` in German, ``51 265`` in French (CLDR's grouping)."""
    if labels.english:
        return f"{value:,}"
    from babel.numbers import format_decimal

    locale = _locale(labels.language)
    return format_decimal(value, locale=locale) if locale is not None else f"{value:,}"


@dataclass(frozen=True, slots=True)
class Date:
    """A publication date: year, maybe month and day, maybe an end (a range), maybe circa or uncertain."""

    year: int
    month: int | None = None
    day: int | None = None
    end_year: int | None = None
    end_month: int | None = None
    open_end: bool = False
    circa: bool = False
    uncertain: bool = False

    def display(self, labels: Labels = ENGLISH) -> str:
        """``2019``, ``2019–2020``, ``2019–``, ``ca. 2019``, ``2019?``: years only, as the CV shows dates, in the CV's
        language."""
        text = str(self.year)
        if self.end_year is not None and self.end_year != self.year:
            text += f"–{self.end_year}"
        elif self.open_end:
            text += "–"
        if self.circa:
            text = labels("ca. {year}", year=text)
        if self.uncertain:
            text += "?"
        return text


_DATE_PART = re.compile(r"^(-?\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?:T[\d:]+Z?)?([~?%]?)$")


def parse_date(text: str) -> Date | None:
    """biblatex's ``date`` (ISO 8601-2 level 1, as biber reads it); None when it is not a date."""
    text = text.strip()
    if not text:
        return None
    start, sep, end = text.partition("/")
    first = _DATE_PART.match(start.strip()) if start.strip() not in ("", "..") else None
    if first is None:
        return None
    flags = first.group(4)
    date = {"year": int(first.group(1)), "month": _int(first.group(2)), "day": _int(first.group(3)),
            "circa": flags in ("~", "%"), "uncertain": flags in ("?", "%")}
    if sep:
        last = _DATE_PART.match(end.strip()) if end.strip() not in ("", "..") else None
        if last is not None:
            date["end_year"], date["end_month"] = int(last.group(1)), _int(last.group(2))
        elif end.strip() in ("", ".."):
            date["open_end"] = True
        else:
            return None
    month = date["month"]
    if month is not None and not 1 <= month <= 12 and not 21 <= month <= 24:  # 21-24: seasons
        return None
    return Date(**date)


def _int(text: str | None) -> int | None:
    return int(text) if text else None


def _month(text: str) -> int | None:
    text = text.strip().lower().rstrip(".")
    if text.isdigit() and 1 <= int(text) <= 12:
        return int(text)
    for name, number in MONTHS.items():
        if len(text) >= 3 and name.startswith(text):
            return number
    return None


MONTHS = {name: n for n, name in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
     "december"], start=1)}
