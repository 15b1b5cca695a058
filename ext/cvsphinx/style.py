"""The CV's citation format, as pybtex rich text.

``Authors (Year), Title, *Journal*, volume(number), pages, doi:...``: first
author surname first, the others initials first; the owner in bold;
supervisees followed by their role's marker.  No Sphinx imports: the result
renders with any pybtex backend (``render_as("text" | "html" | "latex")``)
and, through ``render.py``, as docutils nodes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pybtex.backends.plaintext import Backend as PlainBackend
from pybtex.database import Person as BibPerson
from pybtex.richtext import HRef, Tag, Text

from .bibfile import Record
from .people import NameKey, Owner, Role, Roster, parse_annotation

_SAFE_URL = re.compile(r"^(https?|ftp)://", re.IGNORECASE)
_URL_COMMAND = re.compile(r"\\url\s*\{([^{}]*)\}")
_DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)


class Marker(Tag):
    """A supervisee marker: a superscript symbol that knows its role."""

    def __init__(self, role: Role) -> None:
        super().__init__("sup", role.symbol)
        self.role = role

    def render(self, backend):
        formatter = getattr(backend, "format_cv_marker", None)
        if formatter is not None:
            return formatter(self.role)
        return super().render(backend)


# Escaped specials are hidden from the LaTeX decoder (which would read \{ as a group and
# keep \$ as it is) behind private-use characters; every backend turns them back.
_HIDE = [
    ("\\{", "\ue000"), ("\\}", "\ue001"), ("\\$", "\ue002"),
    ("\\textbackslash{}", "\ue003"), ("\\textbackslash", "\ue003"),
    ("\\textasciicircum{}", "\ue004"), ("\\textasciitilde{}", "\ue005"),
    ("\\%", "\ue006"), ("%", "\ue006"),  # a bare % is text in a .bib field, not a comment
    ("\\&", "&"), ("\\#", "#"), ("\\_", "_"),
]
_SHOW = str.maketrans({"\ue000": "{", "\ue001": "}", "\ue002": "$", "\ue003": "\\", "\ue004": "^",
                       "\ue005": "~", "\ue006": "%"})


def unhide(text: str) -> str:
    """Put back the specials ``latex_text`` hid; backends call it on every string."""
    return text.translate(_SHOW)


class _PlainBackend(PlainBackend):
    def format_str(self, str_: str) -> str:
        return unhide(str_)


_PLAIN = _PlainBackend()  # looked up once: find_plugin() scans entry points on every call


def as_plain(text: Text) -> str:
    return text.render(_PLAIN)


@lru_cache(maxsize=65536)
def latex_text(value: str) -> Text:
    """Field text with LaTeX decoded; braces protect case and are dropped."""
    if not value:
        return Text()
    if "\\" not in value and "{" not in value and "$" not in value:
        return Text(value)
    value = _URL_COMMAND.sub(r"\1", value)
    for escaped, hidden in _HIDE:
        value = value.replace(escaped, hidden)
    try:
        return Text.from_latex(value)
    except Exception:
        return Text(value)


def safe_url(value: str) -> str | None:
    """Only web links become links; ``javascript:`` and friends stay text."""
    value = value.strip()
    return value if _SAFE_URL.match(value) and not re.search(r"[\s<>\"']", value) else None


def doi_of(value: str) -> str | None:
    match = _DOI.match(value.strip())
    return match.group(1) if match else None


@dataclass
class StyleContext:
    """What formatting needs from configuration; built once per build."""

    owner: Owner
    roster: Roster


def _initials(names: list[str]) -> str:
    """``Joseph H.Y.`` -> ``J. H. Y.``; ``Jia-Hua`` -> ``J.-H.``."""
    clean = " ".join(as_plain(latex_text(n)) for n in names)
    out = ""
    for token in re.findall(r"[^\W\d_][^\s.\-‐]*|[-‐]", clean):
        if token in "-‐":
            out = out.rstrip() + "-"
        else:
            out += token[0] + ". "
    return out.strip()


def _surname(person: BibPerson) -> str:
    return " ".join(person.prelast_names + person.last_names + person.lineage_names)


def _person_text(person: BibPerson, first: bool) -> Text:
    last = latex_text(_surname(person))
    given = _initials(person.first_names + person.middle_names)
    if not given:
        return last
    if first:
        return Text(last, ", ", given)
    return Text(given, " ", last)


def format_authors(record: Record, ctx: StyleContext, markers: bool, year: int | None,
                   surname_only: bool = False) -> Text:
    """Problems (bad annotations, ambiguous names) are reported by validate.py; here they just degrade."""
    people = record.persons.get("author") or record.persons.get("editor") or []
    overrides: dict[int, str | None] = {}
    annotation = record.get("author+an")
    if annotation:
        try:
            overrides = parse_annotation(annotation, ctx.roster.roles)
        except ValueError:
            overrides = {}
    parts: list[Text] = []
    etal = False
    for position, person in enumerate(people, start=1):
        if str(person).strip().lower() == "others":
            etal = True
            continue
        key = NameKey.from_person(person)
        piece = latex_text(_surname(person)) if surname_only else _person_text(person, first=not parts)
        if ctx.owner.is_owner(key):
            piece = Text(Tag("strong", piece))
        role = None
        if position in overrides:
            role_key = overrides[position]
            role = ctx.roster.roles[role_key] if role_key else None
        elif markers and year is not None:
            found = ctx.roster.find(key)
            if len(found) == 1:
                role = found[0].role_in(year, ctx.roster.lag)
        if role is not None:
            piece = Text(piece, Marker(role))
        parts.append(piece)
    if etal:
        return Text(*_join(parts), " et al.") if parts else Text("et al.")
    return Text(*_join(parts))


def _join(parts: list[Text]) -> list[Text | str]:
    if len(parts) <= 1:
        return list(parts)
    if len(parts) == 2:
        return [parts[0], " and ", parts[1]]
    out: list[Text | str] = []
    for i, part in enumerate(parts):
        if i:
            out.append(", and " if i == len(parts) - 1 else ", ")
        out.append(part)
    return out


def _link(url: str, label: Text | str) -> Text:
    target = safe_url(url)
    return Text(HRef(target, label)) if target else Text(label)


def _doi_or_url(record: Record) -> Text | None:
    doi_field = record.get("doi")
    if doi_field:
        doi = doi_of(doi_field)
        if doi:
            return Text("doi:", HRef(f"https://doi.org/{doi}", doi))
        return Text("doi:", latex_text(doi_field))
    url = record.get("url")
    if url:
        return _link(url, latex_text(url))
    return None


def _venue_numbers(record: Record) -> list[Text]:
    out = []
    volume, number, pages = record.get("volume"), record.get("number"), record.get("pages")
    if volume:
        out.append(Text(latex_text(volume), f"({plain_number(number)})" if number else ""))
    elif number:
        out.append(Text(f"no. {plain_number(number)}"))
    if pages:
        out.append(latex_text(pages.replace("--", "–")))
    return out


def plain_number(value: str) -> str:
    return as_plain(latex_text(value))


def format_entry(record: Record, ctx: StyleContext, markers: bool = True, show_year: bool = True) -> Text:
    """The whole entry as rich text."""
    year_text = record.get("year")
    digits = re.match(r"\s*(\d{4})\b", year_text)
    year = int(digits.group(1)) if digits else None
    pubstate = record.get("pubstate").lower()
    contribution = record.get("contribution")
    authors = format_authors(record, ctx, markers, year, surname_only=bool(contribution))
    head = Text(authors)
    if contribution:
        head = Text(latex_text(contribution), " to ", authors)
    if year_text and show_year and not pubstate:
        head = Text(head, " (", latex_text(year_text), ")")
    pieces: list[Text] = [head]
    title = record.get("title")
    if title:
        pieces.append(latex_text(title))
    kind = record.type
    venue = record.get("journal") or record.get("booktitle")
    if venue:
        venue_text = Text(Tag("em", latex_text(venue)))
        language = record.get("language")
        if language and language.lower() not in ("english", "en"):
            venue_text = Text(venue_text, f" (in {as_plain(latex_text(language))})")
        if pubstate == "submitted":
            venue_text = Text("submitted to ", venue_text)
        pieces.append(venue_text)
        pieces.extend(_venue_numbers(record))
    elif kind == "phdthesis":
        pieces.append(Text(Tag("em", "PhD thesis")))
        if record.get("school"):
            pieces.append(latex_text(record.get("school")))
    elif kind == "mastersthesis":
        pieces.append(Text(Tag("em", "Master's thesis")))
        if record.get("school"):
            pieces.append(latex_text(record.get("school")))
    else:
        for name in ("howpublished", "publisher", "institution", "organization", "address"):
            if record.get(name):
                pieces.append(latex_text(record.get(name)))
        pieces.extend(_venue_numbers(record))
    if record.get("note"):
        pieces.append(latex_text(record.get("note")))
    link = _doi_or_url(record)
    if link is not None:
        pieces.append(link)
    body = Text(*_comma_join(pieces))
    return Text(body, ".")


def _comma_join(pieces: list[Text]) -> list[Text | str]:
    out: list[Text | str] = []
    for piece in pieces:
        if not len(piece):
            continue
        if out:
            out.append(", ")
        out.append(piece)
    return out


def legend(roles: dict[str, Role], prefix: str = "Supervised") -> Text:
    """``Supervised graduate student*, postdoc×, and visiting student◊``, from the roles."""
    parts = [Text(role.label, Marker(role)) for role in roles.values()]
    return Text(prefix, " ", *_join(parts))


__all__ = ["Marker", "StyleContext", "format_entry", "legend"]
