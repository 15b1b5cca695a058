"""One entry on its way through the house style: the record with its context, and the small helpers the
blocks share (ranges, languages, lists, numbered words, links)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pybtex.richtext import BaseMultipartText, BaseText, HRef, String, Tag, Text

from ..core.braces import split_outside
from ..core.dates import language_name, language_of_code
from ..core.identifiers import arxiv_base, canonical, safe_url
from ..core.labels import ENGLISH, N_, Labels
from ..core.latex import decode, decode_plain
from ..core.records import Record
from ..core.rich import make_text
from .base import StyleContext, _join, as_plain


@dataclass
class Formatting:
    """One entry being formatted: the record, the context, and what earlier blocks already showed."""

    record: Record
    ctx: StyleContext
    markers: bool
    year: int | None
    head_role: str | None = None  # the name list shown in the head ("author", "editor"), if any
    pubstate: str = ""
    language_at: str = ""  # the block that adds "(in Chinese)"
    said_submitted: bool = False
    link_title: bool = False  # the title links to the paper (DOI, else url): on the web page and in the PDF
    nested: bool = False  # cited inside another entry (its ``related``): no related entries of its own

    def text(self, name: str) -> Text:
        return self.record.text(name)


def _italic(text: Text) -> Text:
    return make_text(Tag("em", text)) if text else make_text()


def _map_strings(text: BaseText, fn: Callable[[str], str]) -> BaseText:
    """The same rich text with ``fn`` applied to every string (never to link targets or math sources)."""
    if isinstance(text, String):
        return String(fn(text.value))
    if isinstance(text, BaseMultipartText):
        return text._create_similar([_map_strings(part, fn) for part in text.parts])
    return text


_RANGE = re.compile(r"(?<=\w)\s*(?:-{1,3}|[‐‑–—])\s*(?=\w)")


_ADS_FOLLOWING = re.compile(r"(?<=\w)-?\+$")  # NASA ADS's old "149-+", "A90+": page 149 and those following


def _range(text: Text) -> Text:
    """``55-65``, ``55--65``, ``55 – 65`` -> ``55–65``; ADS's ``149-+`` -> ``149``."""
    return make_text(_map_strings(text, lambda s: _RANGE.sub("–", _ADS_FOLLOWING.sub("", s))))


# What exporters write as the "journal" of an arXiv preprint: the arXiv link at the end says it
_ARXIV_VENUES = re.compile(r"\s*(?:arxiv(?:\s+e-?prints?|\s+preprint)?|e-?prints?|corr|computing research repository)"
                           r"(?:\s*,?\s*(?:abs/)?)?\s*", re.IGNORECASE)


def _contains_arxiv(entry: Formatting, text: Text) -> bool:
    """A venue or number that only repeats the arXiv identifier ("arXiv preprint arXiv:1905.01234", ADS's
    ``journal = {arXiv e-prints}`` and ``pages = {arXiv:2401.09749}``, DBLP's ``CoRR`` and ``abs/2401.09749``)
    gives way to the link."""
    arxiv = entry.record.arxiv
    if not text:
        return False
    plain = as_plain(text)
    eprint = decode_plain(entry.record.get("eprint")).strip()
    if eprint and plain.strip() == eprint:  # DBLP's ECCC: volume = {TR24-021}, eprint = {TR24-021}
        return True
    if not arxiv:
        return False
    ident = arxiv_base(arxiv[0])
    return ident in plain or bool(_ARXIV_VENUES.fullmatch(plain))


_ENGLISH = {"english", "en", "eng", "american", "british", "usenglish", "ukenglish", "en-us", "en-gb", "canadian",
            "australian", "newzealand"}


def _language_name(item: str) -> str:
    """``Chinese``, ``chinese``, biblatex's key ``langchinese``: "Chinese"; English: ""."""
    item = item.strip()
    if item.lower().startswith("lang") and item[4:].isalpha():
        item = item[4:]
    if item.lower() in _ENGLISH:
        return ""
    item = language_of_code(item) or item  # an ISO code (``spa``, ``es``): its name
    return item[:1].upper() + item[1:]


def _with_language(entry: Formatting, block: str, text: Text) -> Text:
    """``(in Chinese)``; a list (``langlatin and langgerman``) gives ``(in Latin and German)``."""
    if entry.language_at != block or not text:
        return text
    names = [n for n in (_language_name(i) for i in _split_list(decode_plain(entry.record.get("language")))) if n]
    if not names:
        return text
    labels = entry.ctx.labels
    return labels.fill("{text} (in {languages})", text=text,
                       languages=make_text(*_join([make_text(_shown_language(n, labels)) for n in names], labels)))


def _shown_language(name: str, labels: Labels) -> str:
    """An English language name (biblatex's ``langgerman``: "German") in the CV's language, by Babel's names."""
    if labels.english:
        return name
    return language_name(name, labels.language) or name


# biblatex's country keys, as @patent locations use them
_COUNTRIES = {"countryde": N_("Germany"), "countryeu": N_("European Union"), "countryfr": N_("France"),
              "countryuk": N_("United Kingdom"), "countryus": N_("United States")}


_AND = re.compile(r"\s+and\s+", re.IGNORECASE)


def _split_list(value: str) -> list[str]:
    """A biblatex literal list (``publisher``, ``location``...): items split at ``and`` outside braces."""
    return [item.strip() for item in split_outside(value, _AND) if item.strip()]


def _list_field(name: str) -> Callable[[Formatting], Text]:
    """A list field: ``Durham and London``; three or more items ``München, Berlin, and New York``."""
    def block(entry: Formatting) -> Text:
        raw = entry.record.get(name)
        if not raw or not _AND.search(raw):
            text = entry.text(name)
            return make_text() if _contains_arxiv(entry, text) else text
        items = _split_list(raw)
        if len(items) < 2:
            return entry.text(name)
        labels = entry.ctx.labels
        return make_text(*_join([make_text(labels(_COUNTRIES[i.lower()])) if i.lower() in _COUNTRIES else decode(i).text
                             for i in items], labels))

    block.__name__ = f"b_{name}"
    block.__doc__ = f"The ``{name}`` list."
    return block


def _numbered(entry: Formatting, message: str, number: int) -> str:
    """``{nth} edn.``: a message with the English ordinal (``{nth}``) and the bare number (``{n}``) to choose from."""
    return entry.ctx.labels(message, n=number, nth=_ordinal(number))


def _ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


def _link(url: str, label: Text | str) -> Text:
    target = canonical(safe_url(url))
    return make_text(HRef(target, label)) if target else make_text(label)


def _year_text(record: Record, labels: Labels = ENGLISH) -> Text:
    if record.date is not None:
        return make_text(record.date.display(labels))
    return record.text("year")


_CLOSERS = "”’\"'»›"


def _ends_sentence(text: Text) -> bool:
    """Ends with ``.``, ``?`` or ``!`` (closing quotes aside): no second period."""
    return as_plain(text).rstrip().rstrip(_CLOSERS).endswith((".", "?", "!"))


def _comma_join(pieces: Iterable[Text]) -> list[Text | str]:
    """Pieces joined by commas; after ``?``, ``!``, ``,``, ``;`` or ``:`` the comma is left out."""
    out: list[Text | str] = []
    previous = ""
    for piece in pieces:
        if not piece:
            continue
        if out:
            stripped = previous.rstrip().rstrip(_CLOSERS)
            out.append(" " if stripped.endswith(("?", "!", ",", ";", ":")) else ", ")
        out.append(piece)
        previous = as_plain(piece)
    return out
