"""The export formats of a publication, from its record: BibTeX, CSL-JSON, COinS, and the roles the CV shows.

Sphinx-free: the exports (``exports.py``), JSON-LD (``meta.py``), the statistics and the build summary read
what is made here, and so can any other program that has the records.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ..core.identifiers import doi_url, export_url
from ..core.labels import ENGLISH, N_, Labels
from ..core.latex import decode_plain
from ..core.links import bibtex as written_bibtex
from ..core.people import NameKey, highlighted
from ..core.records import Record
from ..styles.base import as_plain

if TYPE_CHECKING:
    from ..core.people import Owner, Roster

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
# BibTeX's own entry types, whose fields keep BibTeX's names when an entry is written out whole
_BIBTEX_TYPES = {"article", "book", "booklet", "inbook", "incollection", "inproceedings", "conference", "manual",
                 "mastersthesis", "misc", "phdthesis", "proceedings", "techreport", "unpublished"}
_BIBTEX_NAMES = {"journaltitle": "journal", "location": "address"}


# -- The facts per shown publication --------------------------------------------------------------


@dataclass
class Pub:
    """One shown publication, as every export and the statistics see it."""

    key: str
    group: str
    number: int
    anchor: str
    year: int | None
    first_author: bool  # the owner heads the author list
    roles: tuple[tuple[int, str, str], ...]  # (1-based position, "owner" or a role key, the name as shown)
    csl: dict[str, Any]
    bibtex: str
    made_from: str = ""  # the record's digest: a Pub of the same entry at the same place is reused (exports.py)



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


def _name_text(person: Any) -> str:
    family = " ".join(person.prelast_names + person.last_names + person.lineage_names)
    given = " ".join(person.first_names + person.middle_names)
    return f"{family}, {given}" if given else family


# -- BibTeX ------------------------------------------------------------------------------------


def bibtex_entry(record: Record, roles: tuple[tuple[int, str, str], ...], keep: frozenset[str]) -> str:
    """The entry as the page's BibTeX disclosure shows it, under its unique key, with the roles as ``author+an``."""
    text = written_bibtex(record, keep)
    head, _, body = text.partition("\n")
    head = f"@{record.type}{{{record.key},"
    lines = body.split("\n")[:-1]  # without the closing brace
    if "crossref" in record.written or "xdata" in record.written:
        # stand-alone: the inherited fields written out, the references to entries that may not be exported dropped
        lines = [line for line in lines if not re.match(r"\s*(crossref|xdata)\s*=", line)]
        have = {m.group(1) for m in (re.match(r"\s*([^\s=]+)\s*=", line) for line in lines) if m}
        classic = record.type in _BIBTEX_TYPES
        for name, value in record.fields.items():
            if classic:
                name = {**_BIBTEX_NAMES, **({"institution": "school"} if "thesis" in record.type else {})}.get(name, name)
            if name not in have and name not in ("crossref", "xdata") and not name.endswith("+an"):
                lines.append(f"  {name} = {{{value}}},")
    if roles:
        role_field = "author" if record.persons.get("author") else "editor"
        value = "; ".join(f"{pos}={role}" for pos, role, _ in roles)
        lines.append(f"  {role_field}+an = {{{value}}},")
    return "\n".join([head, *lines, "}"])


def bib_file(pubs: list[Pub], name: str, role_labels: dict[str, str]) -> str:
    roles = ", ".join(f"{key} ({label})" for key, label in role_labels.items())
    header = (
        f"% Publications of {name} as the CV shows them ({len(pubs)} entries), written by cvsphinx.\n"
        "% author+an (editor+an for edited works) gives roles by 1-based name position, as biblatex's\n"
        f"% data annotations do: owner (the CV's owner){', ' + roles if roles else ''}.\n"
    )
    return _no_at(header) + "\n" + "\n\n".join(p.bibtex for p in pubs) + "\n"


def _no_at(text: str) -> str:
    """BibTeX reads an ``@`` anywhere outside an entry as the start of one."""
    return text.replace("@", "(at)")


# -- CSL-JSON ----------------------------------------------------------------------------------


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


# -- COinS -------------------------------------------------------------------------------------


def coins(item: dict[str, Any]) -> str:
    """The ``title`` of a COinS span (OpenURL 1.0 KEV): what Zotero's connector reads from the page."""
    kind = item["type"]
    pairs: list[tuple[str, str]] = [("ctx_ver", "Z39.88-2004")]
    title = item.get("title", "")
    container = item.get("container-title", "")
    if kind in ("article-journal", "periodical"):
        pairs += [("rft_val_fmt", "info:ofi/fmt:kev:mtx:journal"), ("rft.genre", "article"), ("rft.atitle", title),
                  ("rft.jtitle", container)]
    elif kind in ("book", "chapter", "paper-conference", "report", "entry-encyclopedia"):
        genre = {"chapter": "bookitem", "paper-conference": "proceeding", "report": "report",
                 "entry-encyclopedia": "bookitem"}.get(kind, "book")
        pairs += [("rft_val_fmt", "info:ofi/fmt:kev:mtx:book"), ("rft.genre", genre)]
        pairs += [("rft.atitle", title), ("rft.btitle", container)] if container else [("rft.btitle", title)]
    elif kind == "thesis":
        pairs += [("rft_val_fmt", "info:ofi/fmt:kev:mtx:dissertation"), ("rft.title", title),
                  ("rft.inst", item.get("publisher", "")), ("rft.degree", item.get("genre", ""))]
    else:
        pairs += [("rft_val_fmt", "info:ofi/fmt:kev:mtx:dc"), ("rft.type", kind), ("rft.title", title),
                  ("rft.source", container)]
    for name in item.get("author", []):
        pairs.append(("rft.au", name.get("literal") or ", ".join(
            filter(None, (" ".join(filter(None, (name.get("non-dropping-particle"), name.get("family")))),
                          name.get("given"))))))
    date = item.get("issued", {}).get("date-parts", [[]])[0]
    if date:
        pairs.append(("rft.date", "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(date))))
    for source, target in (("volume", "rft.volume"), ("issue", "rft.issue"), ("page", "rft.pages"),
                           ("publisher", "rft.pub"), ("publisher-place", "rft.place"), ("ISBN", "rft.isbn"),
                           ("ISSN", "rft.issn")):
        if item.get(source) and not (kind == "thesis" and source == "publisher"):
            pairs.append((target, str(item[source])))
    if "DOI" in item:
        pairs.append(("rft_id", f"info:doi/{item['DOI']}"))
    if "URL" in item:
        pairs.append(("rft_id", item["URL"]))
    return "&".join(f"{k}={_quote(str(v))}" for k, v in pairs if v != "")


# urllib's quote(value, safe="") for ASCII text, in one str.translate: an institute's list quotes 800,000 values
_ASCII_QUOTED = {c: f"%{c:02X}" for c in range(128)
                 if not (chr(c).isascii() and (chr(c).isalnum() or chr(c) in "_.-~"))}


def _quote(value: str) -> str:
    return value.translate(_ASCII_QUOTED) if value.isascii() else quote(value, safe="")


def csl_json(pubs: list[Pub]) -> str:
    """One entry per line: a diff of two versions shows the entries that changed, and Python's C encoder writes
    it (with ``indent`` it falls back to the pure-Python one, 5 s of a 51,265-entry build)."""
    if not pubs:
        return "[]\n"
    return "[\n" + ",\n".join(json.dumps(p.csl, ensure_ascii=False) for p in pubs) + "\n]\n"
