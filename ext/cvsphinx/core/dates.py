"""Dates and language names in the CV's language, as the Unicode CLDR writes them (through Babel).

English stays the house style's own (``May 19–25, 1968``, dates as written), so an English CV is
unchanged; every other language gets CLDR's patterns: ``19.–25. Mai 1968``, ``19–25 mai 1968``,
``1968年5月19日～25日``.  Babel comes with Sphinx.  Core: no Sphinx import.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

from .labels import Labels
from .records import Date, parse_date


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


def number(value: int, labels: Labels) -> str:
    """``51,265`` in English, ``51.265`` in German, ``51 265`` in French (CLDR's grouping)."""
    if labels.english:
        return f"{value:,}"
    from babel.numbers import format_decimal

    locale = _locale(labels.language)
    return format_decimal(value, locale=locale) if locale is not None else f"{value:,}"
