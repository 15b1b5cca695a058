"""The CV's citation format, as pybtex rich text: one layout per entry type.

``Authors (Year), Title, *Journal*, volume(number), pages, doi:...``: first
author surname first, the others initials first; the owner in bold;
supervisees followed by their role's marker, authorship marks (equal
contribution, corresponding author...) by theirs.  Every other biblatex type
follows the same pattern: a head (names and year), then the blocks its row of
``LAYOUTS`` names, in that order, joined by commas, then the notes and links
every type shares (``TAIL``).  Adding a type, or moving a block, is one row.
The blocks are ``blocks.py``; the names, markers and legends every style shares ``base.py``; the registry of
styles by name ``registry.py``.

Records come decoded (``records.py``, ``latex.py``): this module only
arranges rich text.  No Sphinx imports: the result renders with any pybtex
backend (``render_as("text" | "html" | "latex")``) and, through
``render.py``, as docutils nodes.
"""

from __future__ import annotations

from collections.abc import Callable

from pybtex.richtext import Text

from ..core.bidi import any_rtl, isolate
from ..core.labels import N_
from ..core.latex import decode_plain
from ..core.records import Record
from ..core.rich import make_text
from .base import StyleContext, _join, _name_list, as_plain
from .blocks import (
    _field,
    _pagetotal,
    _title,
    b_chapter,
    b_contributors,
    b_edition,
    b_editors,
    b_eprint,
    b_event,
    b_in_book,
    b_isbn,
    b_issue_title,
    b_journal,
    b_link,
    b_numbers,
    b_pages,
    b_pages_bare,
    b_patent,
    b_preprint,
    b_pubstate,
    b_report,
    b_thesis_type,
    b_title,
    b_title_italic,
    b_translators,
    b_venue,
    b_version,
    b_volume_series,
)
from .entry import Formatting, _comma_join, _ends_sentence, _list_field, _year_text

# -- Rich-text elements ----------------------------------------------------------------------


# -- Names --------------------------------------------------------------------------------


# -- Entry state and small helpers -------------------------------------------------------------


# -- Blocks: each returns rich text, or an empty Text when the entry has nothing to show -----------


_RELATED = {"origpubas": N_("orig. pub. as {works}"), "origpubin": N_("orig. pub. in {works}"),
            "reprint": N_("repr. of {works}"), "reprintas": N_("repr. as {works}"),
            "reprintfrom": N_("repr. from {works}"), "reviewof": N_("review of {works}"),
            "translationas": N_("transl. as {works}"), "translationfrom": N_("transl. from {works}"),
            "translationof": N_("transl. of {works}"), "bytranslator": N_("transl. {works}"), "multivolume": "",
            "default": ""}


def b_related(entry: Formatting) -> Text:
    """biblatex's ``related``: ``repr. from <the original>``, ``transl. of …``, the volumes of a set (``relatedstring``
    replaces the words).  Each related entry is cited whole, without its own related entries or markers."""
    record = entry.record
    if not record.related or entry.nested:
        return make_text()
    kind = decode_plain(record.get("relatedtype")).strip().lower()
    written = entry.text("relatedstring")
    words = _RELATED.get(kind, "")
    cited = []
    own = [str(p) for p in record.persons.get(entry.head_role or "author", [])]
    for other in record.related:
        if kind == "multivolume":  # the volumes of a set: "vol. A: The TeXbook (1984)"
            title = _title(Formatting(other, entry.ctx, False, other.year), italic=True)
            volume = other.text("volume")
            year = _year_text(other, entry.ctx.labels)
            cited.append(make_text(*([entry.ctx.labels.fill("vol.\u00a0{volume}", volume=volume), ": "] if volume else []),
                              title,
                              *([" (", year, ")"] if year else [])))
            continue
        omit = {"translators"} if kind == "bytranslator" else set()
        same = [str(p) for p in other.persons.get("author") or other.persons.get("editor") or []] == own
        if same:
            omit.add("names")  # the same authors: the related work's title heads it
        cited.append(format_entry(other, entry.ctx, markers=False, nested=True, end=False, omit=frozenset(omit)))
    if kind == "bytranslator" and record.related and record.related[0].persons.get("translator"):
        names, _ = _name_list(record.related[0], "translator", entry.ctx, invert_first=False, nested=True)
        words = N_("transl. by {names} as {works}")
        return entry.ctx.labels.fill(words, names=names, works=make_text(*_join(cited, sep="; ")))
    works = make_text(*_join(cited, sep="; "))
    if written:
        return make_text(written, " ", works)
    return entry.ctx.labels.fill(words, works=works) if words else works


# -- The tables ------------------------------------------------------------------------------

BLOCKS: dict[str, Callable[[Formatting], Text]] = {
    "title": b_title, "title_italic": b_title_italic, "editors": b_editors, "translators": b_translators,
    "journal": b_journal, "venue": b_venue, "issuetitle": b_issue_title, "numbers": b_numbers,
    "pages_bare": b_pages_bare, "pages": b_pages, "chapter": b_chapter, "in_book": b_in_book, "edition": b_edition,
    "volume_series": b_volume_series, "thesis_type": b_thesis_type, "report": b_report, "patent": b_patent,
    "contributors": b_contributors, "event": b_event, "pagetotal": _pagetotal, "related": b_related,
    "version": b_version, "pubstate": b_pubstate, "isbn": b_isbn, "eprint": b_eprint, "link": b_link, "preprint": b_preprint,
    "howpublished": _field("howpublished", skip_arxiv=True), "publisher": _list_field("publisher"),
    "institution": _list_field("institution"), "organization": _list_field("organization"),
    "location": _list_field("location"),
    "type": _field("type"), "note": _field("note", skip_arxiv=True), "addendum": _field("addendum"),
}

# biblatex type -> the blocks after the head, in order.  The title block comes first: with no
# names, it becomes the head.  Blocks with nothing to show are left out.
_BOOK = ("title_italic", "editors", "translators", "contributors", "edition", "volume_series", "pages", "publisher",
         "location", "pagetotal")
_IN_BOOK = ("title", "translators", "in_book", "editors", "contributors", "edition", "volume_series", "chapter",
            "pages", "publisher", "location")
_ONLINE = ("title", "editors", "translators", "type", "version", "howpublished", "publisher", "institution",
           "organization", "location")
LAYOUTS: dict[str, tuple[str, ...]] = {
    "article": ("title", "translators", "contributors", "journal", "numbers", "pages_bare", "version"),
    "suppperiodical": ("title", "translators", "contributors", "journal", "numbers", "pages_bare", "version"),
    "periodical": ("title_italic", "issuetitle", "numbers"),
    "inproceedings": ("title", "translators", "in_book", "event", "editors", "volume_series", "pages", "organization",
                      "publisher", "location"),
    "incollection": _IN_BOOK, "inbook": _IN_BOOK, "inreference": _IN_BOOK, "suppbook": _IN_BOOK,
    "suppcollection": _IN_BOOK,
    "bookinbook": ("title_italic", "translators", "in_book", "editors", "edition", "volume_series", "pages",
                   "publisher", "location"),
    "book": _BOOK, "mvbook": _BOOK, "collection": _BOOK, "mvcollection": _BOOK, "reference": _BOOK,
    "mvreference": _BOOK, "proceedings": ("title_italic", "event", "editors", "translators", "volume_series",
                                          "organization", "publisher", "location", "pagetotal"),
    "mvproceedings": ("title_italic", "event", "editors", "translators", "volume_series", "organization", "publisher",
                      "location", "pagetotal"),
    "booklet": ("title_italic", "editors", "type", "howpublished", "location"),
    "manual": ("title_italic", "editors", "edition", "type", "version", "organization", "publisher", "location",
               "pagetotal"),
    "thesis": ("title", "thesis_type", "institution", "location", "pagetotal"),
    "report": ("title", "report", "version", "institution", "location", "pagetotal"),
    "unpublished": ("title", "type", "howpublished", "event", "location"),
    "online": _ONLINE, "dataset": _ONLINE, "software": _ONLINE,
    "patent": ("title", "patent", "location"),
    "misc": ("title", "editors", "translators", "venue", "type", "howpublished", "version", "publisher",
             "institution", "organization", "location", "numbers", "pages"),
}
# every type ends alike: its state, notes, identifiers, links
TAIL: tuple[str, ...] = ("pubstate", "note", "addendum", "related", "isbn", "eprint", "link", "preprint")
_VENUE_BLOCKS = ("journal", "venue", "in_book")
_VENUE_FIELDS = {"journal": ("journaltitle",), "venue": ("journaltitle", "booktitle"),
                 "in_book": ("booktitle", "eventtitle")}


def layout_of(record: Record) -> tuple[str, ...]:
    """The blocks of this record's type (an unknown type is formatted as @misc)."""
    return LAYOUTS.get(record.kind) or LAYOUTS.get(record.type) or LAYOUTS["misc"]


# -- The entry ------------------------------------------------------------------------------


# states in which the year is not yet the publication's: not shown (inpress, forthcoming, prepublished: shown)
_NO_YEAR_YET = frozenset({"submitted", "inreview", "inpreparation", "underreview"})


def format_entry(record: Record, ctx: StyleContext, markers: bool = True, show_year: bool = True,
                 link_title: bool = False, nested: bool = False, end: bool = True,
                 omit: frozenset[str] = frozenset()) -> Text:
    """The whole entry as rich text: head, the blocks of its type, the tail, one final period.

    ``nested``, ``end`` and ``omit`` (block names, or "names" for the head's names) cite it inside another entry."""
    year = record.year
    entry = Formatting(record, ctx, markers, year, pubstate=record.get("pubstate").strip().lower(), link_title=link_title,
                   nested=nested)
    layout = layout_of(record)
    venue = next((b for b in layout if b in _VENUE_BLOCKS), None)
    names = _VENUE_FIELDS.get(venue, ())
    entry.language_at = "venue" if any(record.get(n) for n in names) else "title"  # "(in Chinese)" goes there

    head = _head(entry) if "names" not in omit else make_text()
    blocks = [b for b in (*layout, *TAIL) if b not in omit]
    if not head:  # no names: the title heads the entry, as biblatex's author-year styles do
        head = BLOCKS[blocks.pop(0)](entry)
    if show_year and entry.pubstate not in _NO_YEAR_YET:
        shown = _year_text(record, ctx.labels)
        if shown:
            head = make_text(head, " (", shown, ")") if head else shown
    pieces = [head] + [BLOCKS[name](entry) for name in blocks]
    if any_rtl(record.fields.values()):
        pieces = [isolate(p, as_plain) for p in pieces if p]
    body = make_text(*_comma_join(pieces))
    return body if not end or _ends_sentence(body) or not body else make_text(body, ".")


def _head(entry: Formatting) -> Text:
    """The names that head the entry: authors, or editors with "(ed.)"; a ``contribution`` to them."""
    record = entry.record
    contribution = record.text("contribution")
    options = {o.strip().replace(" ", "").lower() for o in record.get("options").split(",")}
    for role in ("author", "editor"):
        if record.persons.get(role) and f"use{role}=false" not in options:  # biblatex's useauthor/useeditor
            names, count = _name_list(record, role, entry.ctx, invert_first=True, markers=entry.markers, nested=entry.nested,
                                      year=entry.year, surname_only=bool(contribution))
            entry.head_role = role
            collaboration = record.text("collaboration") if role == "author" else make_text()
            if collaboration:  # INSPIRE's collaboration = "CTEQ-TEA": "T.-J. Hou et al. (CTEQ-TEA Collaboration)"
                named = as_plain(collaboration).lower().rstrip(".").endswith(("collaboration", "consortium", "group"))
                names = entry.ctx.labels.fill("{names} ({collaboration})" if named else
                                              "{names} ({collaboration} Collaboration)",
                                              names=names, collaboration=collaboration)
            if role == "editor":
                names = entry.ctx.labels.fill("{names} (eds.)" if count > 1 else "{names} (ed.)", names=names)
            if contribution:
                return entry.ctx.labels.fill("{contribution} to {names}", contribution=contribution, names=names)
            return names
    return make_text()


# -- Styles ---------------------------------------------------------------------------------------


# -- Legends ----------------------------------------------------------------------------------


# biblatex's related types: the words before the related entries (english.lbx's, in this style's abbreviations)
