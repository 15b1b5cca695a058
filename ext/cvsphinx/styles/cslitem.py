"""A record as a CSL-JSON item, with the roles the CV shows (the owner, the marked supervisees): what a CSL
style gives citeproc, and what the exports write (``output/formats.py``)."""

from __future__ import annotations

from typing import Any

from ..core.identifiers import doi_url, export_url
from ..core.labels import ENGLISH, N_, Labels
from ..core.latex import decode_plain
from ..core.people import NameKey, Owner, Roster, highlighted
from ..core.records import Record
from .base import as_plain

OWNER = "owner"  # the role name the exports give the CV owner


# biblatex type (Record.kind) -> CSL type
CSL_TYPES = {
    "article": "article-journal", "suppperiodical": "article-journal", "periodical": "periodical",
    "inproceedings": "paper-conference", "proceedings": "book", "mvproceedings": "book",
    "book": "book", "mvbook": "book", "bookinbook": "chapter", "collection": "book", "mvcollection": "book",
    "reference": "book", "mvreference": "book", "inbook": "chapter", "incollection": "chapter",
    "suppbook": "chapter", "suppcollection": "chapter", "inreference": "entry-encyclopedia",
    "thesis": "thesis", "report": "report", "dataset": "dataset", "software": "software", "online": "webpage",
    "patent": "patent", "unpublished": "manuscript", "manual": "report", "booklet": "pamphlet", "misc": "document",
}


_IN_BOOK = {"chapter", "paper-conference", "entry-encyclopedia"}


_THESIS_GENRE = {"phdthesis": N_("PhD thesis"), "mathesis": N_("Master's thesis"), "mastersthesis": N_("Master's thesis")}


_PUBSTATE = {"inpress": N_("in press"), "submitted": N_("submitted"), "inreview": N_("in review"),
             "forthcoming": N_("forthcoming"), "inpreparation": N_("in preparation"), "prepublished": N_("prepublished")}


_SEASONS = {21: "1", 22: "2", 23: "3", 24: "4"}


def head_roles(record: Record, owner: Owner, roster: Roster, markers: bool) -> tuple[tuple[int, str, str], ...]:
    """The owner and the marked supervisees among the names that head the entry, as the styles mark them."""
    role_field = "author" if record.persons.get("author") else "editor"
    people = record.persons.get(role_field) or []
    overrides = roster.overrides(record.get(f"{role_field}+an")) if markers else {}
    highlights = highlighted(record.get(f"{role_field}+an"))
    found: list[tuple[int, str, str]] = []
    for position, person in enumerate(people, start=1):
        if str(person).strip().lower() == "others":
            continue
        name = _name_text(person)
        key = NameKey.from_person(person)
        if owner.is_owner(key) or position in highlights:
            found.append((position, OWNER, name))
            continue
        held = roster.marker(position, key, overrides, record.year if markers else None)
        if held is not None:
            found.append((position, held.key, name))
    return tuple(found)


def _plain(record: Record, name: str) -> str:
    if not record.get(name):
        return ""
    value = record.text(name)
    return " ".join(as_plain(value).split()) if len(value) else ""


def csl_name(person: Any) -> dict[str, str]:
    family = " ".join(person.last_names)
    given = " ".join(person.first_names + person.middle_names)
    name: dict[str, str] = {}
    if not given and " " in family:
        return {"literal": family}  # an organisation, written in braces
    name["family"] = family
    if given:
        name["given"] = given
    if person.prelast_names:
        name["non-dropping-particle"] = " ".join(person.prelast_names)
    if person.lineage_names:
        name["suffix"] = " ".join(person.lineage_names)
    return name


def _names(record: Record, role: str) -> list[dict[str, str]]:
    return [csl_name(p) for p in record.persons.get(role) or [] if str(p).strip().lower() != "others"]


def _date(record: Record) -> dict[str, Any] | None:
    date = record.date
    if date is None:
        return None
    first: list[int] = [date.year]
    out: dict[str, Any] = {}
    if date.month is not None and date.month in _SEASONS:
        out["season"] = _SEASONS[date.month]
    elif date.month is not None:
        first.append(date.month)
        if date.day is not None:
            first.append(date.day)
    parts = [first]
    if date.end_year is not None and date.end_year != date.year:
        parts.append([date.end_year] + ([date.end_month] if date.end_month and date.end_month <= 12 else []))
    out["date-parts"] = parts
    if date.circa or date.uncertain:
        out["circa"] = True
    return out


def csl_item(record: Record, roles: tuple[tuple[int, str, str], ...], labels: dict[str, str],
             group: str, group_title: str, number: int, words: Labels = ENGLISH) -> dict[str, Any]:
    """One CSL-JSON item (CSL 1.0.2 input schema); what CSL has no variable for goes into ``custom``.

    ``words``: the CV's language for the genre and the state a CSL style prints as given ("Dissertation"); the
    exported file keeps English, which reference managers read."""
    kind = CSL_TYPES.get(record.kind) or CSL_TYPES.get(record.type) or "document"
    item: dict[str, Any] = {"id": record.key, "citation-key": record.key, "type": kind}
    title = _plain(record, "title")
    subtitle = _plain(record, "subtitle")
    if title:
        item["title"] = f"{title}: {subtitle}" if subtitle else title
    for role, csl_role in (("author", "author"), ("editor", "editor"), ("translator", "translator")):
        names = _names(record, role)
        if names:
            item[csl_role] = names
    issued = _date(record)
    if issued:
        item["issued"] = issued
    container = (_plain(record, "journaltitle") if kind in ("article-journal", "periodical") else "") or \
        (_plain(record, "booktitle") if kind in _IN_BOOK or record.get("booktitle") else "") or \
        (_plain(record, "howpublished") if kind in ("document", "webpage", "pamphlet") else "")
    if container:
        item["container-title"] = container
    simple = {"volume": "volume", "edition": "edition", "version": "version", "series": "collection-title",
              "eventtitle": "event-title", "venue": "event-place", "location": "publisher-place",
              "language": "language", "chapter": "chapter-number", "pagetotal": "number-of-pages",
              "isbn": "ISBN", "issn": "ISSN"}
    for source, target in simple.items():
        value = _plain(record, source) if source not in ("isbn", "issn") else decode_plain(record.get(source)).strip()
        if value:
            item[target] = value
    number_value = _plain(record, "number") or _plain(record, "issue")
    if number_value:
        item["issue" if kind in ("article-journal", "periodical") else "number"] = number_value
    pages = _plain(record, "pages")
    if pages:
        item["page"] = pages.replace("–", "-")
    publisher = _plain(record, "publisher") or (_plain(record, "institution") if kind in ("thesis", "report") else "") \
        or _plain(record, "organization")
    if kind == "dataset" and not publisher:
        publisher = _plain(record, "howpublished")
    if publisher:
        item["publisher"] = publisher
    genre = _THESIS_GENRE.get(record.get("type").strip().lower())
    genre = words(genre) if genre else _plain(record, "type")
    if genre and kind in ("thesis", "report", "document", "dataset", "software", "webpage", "manuscript"):
        item["genre"] = genre
    pubstate = record.get("pubstate").strip().lower()
    if pubstate:
        item["status"] = words(_PUBSTATE[pubstate]) if pubstate in _PUBSTATE else decode_plain(pubstate)
    notes = [n for n in (_plain(record, "note"), _plain(record, "addendum")) if n]
    if notes:
        item["note"] = ". ".join(notes)
    doi = doi_url(record)
    if doi:
        item["DOI"] = doi.removeprefix("https://doi.org/")
    url = export_url(record)
    if url and not url.startswith("https://doi.org/"):
        item["URL"] = url
    elif not url and record.arxiv:
        item["URL"] = f"https://arxiv.org/abs/{record.arxiv[0]}"
    keywords = decode_plain(record.get("keywords")).strip()
    if keywords:
        item["keyword"] = keywords
    custom: dict[str, Any] = {"cv-group": group, "cv-group-title": group_title, "cv-number": number}
    if roles:
        custom["cv-roles"] = [{"position": pos, "name": name, "role": role,
                               "label": "CV owner" if role == OWNER else labels.get(role, role)}
                              for pos, role, name in roles]
    if record.arxiv:
        custom["arxiv"] = record.arxiv[0]
    item["custom"] = custom
    return item


def _name_text(person: Any) -> str:
    family = " ".join(person.prelast_names + person.last_names + person.lineage_names)
    given = " ".join(person.first_names + person.middle_names)
    return f"{family}, {given}" if given else family
