"""The data model between reading and styling, as biber has one.

Every entry the reader found is normalised here, once: BibTeX and biblatex
field names (``journal``/``journaltitle``, ``address``/``location``,
``school``/``institution``...), ``crossref`` and ``xdata`` inheritance with
biblatex's rules, dates (``date`` with ranges, circa and uncertainty, or
``year`` and ``month``), names (LaTeX decoded, biblatex's extended name
format, authorship marks such as ``*`` or ``\\textsuperscript{\\dag}`` split
off), arXiv identifiers, and the LaTeX of every displayed field decoded to
rich text (``latex.py``).  Checks, groups, people matching and styles all
read the same typed ``Record``.  No Sphinx imports.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pybtex.database import Person
from pybtex.richtext import Text

from .bibfile import Entry, Problem
from .dates import Date, _month, parse_date
from .exporters import (
    _braced_identifiers,
    _capitals,
    _collaboration_addresses,
    _drop_placeholders,
    _drop_scopus_bookkeeping,
    _hal_boilerplate,
    _identifiers_elsewhere,
    _journal_macro,
    _note_repeats_number,
    _publisher_pdf,
    _scopus_kind,
    _series_repeats_venue,
    _unescape_html_ampersand,
    _venue_elsewhere,
    _web_of_science_numbers,
    preprint_server,
)
from .identifiers import _arxiv, arxiv_problem
from .latex import decode, decode_plain
from .names import parse_names
from .rich import make_text

# -- The field table -----------------------------------------------------------------

# BibTeX's name -> biblatex's (as biber maps them); records keep biblatex's names
ALIASES = {
    "journal": "journaltitle", "address": "location", "school": "institution", "archiveprefix": "eprinttype",
    "primaryclass": "eprintclass", "annote": "annotation", "key": "sortkey", "hyphenation": "langid",
}  # not pdf -> file as biber has it: al-folio's pdf is a public link, biblatex's file a private path
BIBTEX_NAMES = _BACK = {new: old for old, new in ALIASES.items()}  # journaltitle -> journal

# biblatex's type aliases; the type as written stays in ``Record.type`` (selectors use it)
KIND = {
    "conference": "inproceedings", "electronic": "online", "www": "online", "phdthesis": "thesis",
    "mastersthesis": "thesis", "techreport": "report", "data": "dataset", "codeset": "software",
}
_THESIS_TYPE = {"phdthesis": "phdthesis", "mastersthesis": "mathesis", "techreport": "techreport"}

NAME_FIELDS = ("author", "editor", "translator", "bookauthor", "holder", "editora", "editorb", "editorc",
               "introduction", "foreword", "afterword", "commentator", "annotator")
LITERAL_FIELDS = (
    "title", "subtitle", "titleaddon", "journaltitle", "journalsubtitle", "issuetitle", "booktitle", "booksubtitle",
    "booktitleaddon", "maintitle", "mainsubtitle", "eventtitle", "venue", "publisher", "location", "institution",
    "organization", "series", "edition", "note", "addendum", "howpublished", "type", "version", "chapter",
    "volume", "volumes", "number", "issue", "pages", "pagetotal", "eid", "part", "language", "contribution",
    "award", "pubstate", "origtitle", "shorttitle", "eprintclass", "relatedstring", "origlanguage",
    "editoratype", "editorbtype", "editorctype", "maintitleaddon", "journalsubtitle",
)
VERBATIM_FIELDS = ("url", "doi", "eprint", "file", "isbn", "issn", "urldate", "eventdate", "origdate")
# fields a child never takes from its crossref parent (biblatex manual, "Data Inheritance")
_NOT_INHERITED = {"ids", "crossref", "xref", "xdata", "entryset", "entrysubtype", "execute", "label", "options",
                  "presort", "related", "relatedoptions", "relatedstring", "relatedtype", "shorthand",
                  "shorthandintro", "sortkey"}
# parent kind -> child kinds -> field renames (biblatex's default inheritance rules)
_BOOKISH = {"title": "booktitle", "subtitle": "booksubtitle", "titleaddon": "booktitleaddon"}
_MAIN = {"title": "maintitle", "subtitle": "mainsubtitle", "titleaddon": "maintitleaddon"}
_RENAMES: dict[tuple[str, str], dict[str, str]] = {}
for _parent, _children in {
    "book": ("inbook", "bookinbook", "suppbook"),
    "collection": ("incollection", "suppcollection"), "reference": ("inreference",),
    "proceedings": ("inproceedings",),
}.items():
    for _child in _children:
        _RENAMES[(_parent, _child)] = _BOOKISH
for _parent, _children in {
    "mvbook": ("book", "inbook", "bookinbook", "suppbook"), "mvcollection": ("collection", "incollection"),
    "mvproceedings": ("proceedings", "inproceedings"), "mvreference": ("reference", "inreference"),
}.items():
    for _child in _children:
        _RENAMES[(_parent, _child)] = _MAIN
for _child in ("article", "suppperiodical"):
    _RENAMES[("periodical", _child)] = {"title": "journaltitle", "subtitle": "journalsubtitle"}
NOT_PUBLICATIONS = {"xdata", "set"}


# -- Dates -----------------------------------------------------------------------------


# -- Names ------------------------------------------------------------------------------


# -- Records ------------------------------------------------------------------------------


@dataclass
class Record:
    """One publication, normalised: what checks, groups and styles read."""

    key: str
    type: str  # as written, lower case: selectors compare it
    fields: dict[str, str]  # LaTeX values under biblatex's names, inherited fields included
    persons: dict[str, list[Person]]  # decoded names per name field ("others" kept as a Person)
    path: str
    line: int
    index: int = 0
    problems: list[str] = field(default_factory=list)
    digest: str = ""  # sha256 of everything the entry's rendering reads from the .bib file
    source_key: str = ""
    bad_chars: list[tuple[str, str]] = field(default_factory=list)
    read_errors: bool = False
    kind: str = ""  # biblatex's type: 'thesis' for @phdthesis, 'report' for @techreport...
    date: Date | None = None
    marks: dict[str, dict[int, str]] = field(default_factory=dict)  # name field -> 1-based position -> marks
    rich: dict[str, Text] = field(default_factory=dict)  # decoded literal fields that hold a command
    unknown_macros: list[tuple[str, str]] = field(default_factory=list)  # (macro, field)
    arxiv: tuple[str, str] | None = None  # (identifier, class)
    written: dict[str, str] = field(default_factory=dict)  # the entry's own fields as written: the BibTeX shown
    advice: list[tuple[str, str]] = field(default_factory=list)  # (warning subtype, message): data read with a fix-up
    preprint: str = ""  # the preprint server ("arXiv", "bioRxiv"...) when the entry is a preprint, else ""
    related: list[Record] = field(default_factory=list)  # the entries its ``related`` field names
    preprint_doi: tuple[str, str] | None = None  # (server, DOI) of its preprint, merged in (cv_merge_preprints)

    def __post_init__(self) -> None:
        self.source_key = self.source_key or self.key
        self.kind = self.kind or KIND.get(self.type, self.type)

    def get(self, name: str, default: str = "") -> str:
        """A field's LaTeX value, by its BibTeX or biblatex name."""
        value = self.fields.get(name)  # a biblatex name as the code writes it: the fields hold only those
        if value is None:
            name = name.lower()
            value = self.fields.get(ALIASES.get(name, name))
            if value is None:
                value = self.fields.get(name, self.fields.get(_BACK.get(name, ""), None))
        return default if value is None else value

    def text(self, name: str) -> Text:
        """A field decoded to rich text (empty when absent): decoded when read, unless it holds a command and
        was decoded with the file's macros as the record was made."""
        found = self.rich.get(ALIASES.get(name.lower(), name.lower()))
        if found is None:
            value = self.get(name)
            found = decode(value).text if value else make_text()
        return found

    @property
    def year(self) -> int | None:
        return self.date.year if self.date else None


@dataclass
class Memo:
    """Results by what they were made from: those of the last reading (``old``), and this reading's (``new``)."""

    old: dict = field(default_factory=dict)
    new: dict = field(default_factory=dict)


class RecordCache:
    """Records made before, by what they were made from: a one-entry edit of a 5,000-entry file decodes one
    entry, not 5,000 (2.5 s of a 4 s rebuild).  ``old`` comes from the catalog's saved store; ``new`` holds
    the records of this reading, for the next one."""

    def __init__(self, old: Mapping[str | bytes, Any] | None = None) -> None:
        old = old or {}
        self.old: dict[str, Record] = {}
        # an entry's text (its ``chunk``, key and the macros) -> what its record was made from: the record found
        # without resolving and hashing its fields (keys begin with "=", the checks' with "!", a made-from digest
        # with neither)
        self.index_old: dict[str, str] = {}
        # the reader's entries, by the digest of their text (bibfile.read_bib's ``known`` and ``found``)
        self.chunks_old: dict[bytes, tuple] = {}
        # what each entry alone gave the checks (checks.check_records), by its digest and the configuration's
        self.checks = Memo()
        for key, value in old.items():
            if isinstance(key, bytes):
                self.chunks_old[key] = value  # made whole below, once the records are in
            elif key.startswith("="):
                self.index_old[key] = value
            elif key.startswith("!"):
                self.checks.old[key] = value
            else:
                self.old[key] = value
        # an entry kept as (key, the made-from digest of its record, length): its fields are the record's
        # ``written``, not kept twice (6.5 MB of 5,000 entries' fields)
        for chunk, (key, fields, length) in self.chunks_old.items():
            if isinstance(fields, str):
                record = self.old.get(fields)
                self.chunks_old[chunk] = (key, record.written, length) if record is not None else None
        self.chunks_old = {chunk: entry for chunk, entry in self.chunks_old.items() if entry is not None}
        self.new: dict[str, Record] = {}
        self.index_new: dict[str, str] = {}
        self.chunks_new: dict[bytes, tuple] = {}
        self.made_of_chunk: dict[bytes, str] = {}  # an entry's chunk -> what its record was made from

    def saved(self) -> dict[str | bytes, Any]:
        """What the next reading reuses: this reading's records, entries, index and checks, in one file."""
        chunks = {}
        for chunk, (key, fields, length) in self.chunks_new.items():
            made = self.made_of_chunk.get(chunk)
            chunks[chunk] = (key, made, length) if made in self.new and self.new[made].written == fields else (
                key, fields, length)
        return {**self.new, **self.index_new, **chunks, **self.checks.new}

    def forget(self) -> None:
        """Saved: the records it holds need not outlive the catalog's."""
        self.__init__()  # type: ignore[misc]


@lru_cache(maxsize=1)
def _reader_code() -> str:
    """The code a record is made by: a change to it (a new version, or an edit while developing) makes every
    record again, as a change of the configuration does.  This module and the ones it imports from the
    package (bibfile's Entry is the input, already part of what a record is made from)."""
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in ("records.py", "names.py", "dates.py", "identifiers.py", "exporters.py", "latex.py",
                 "latex_tables.py", "latex_parser.py", "latex_commands.py", "latex_math.py", "braces.py",
                 "journals.py", "labels.py"):
        path = here / name
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _made_from(entry: Entry, fields: Mapping[str, str], notes: list[str], macros_key: str) -> str:
    """Everything ``_record`` reads, but where the entry stands (file, line, position), which it only copies:
    its fields, inherited and as written (the BibTeX shown beside it), and the @preamble macros they may use
    (an edited macro renders its entries again)."""
    rare = repr((entry.key, entry.type, notes, entry.problems, entry.bad_chars, entry.read_errors, macros_key))
    # each string with its length before it: no two entries write the same text (repr of the fields took a
    # tenth of making TUGboat's records)
    resolved = "".join([f"{len(k)}:{k}{len(v)}:{v}" for k, v in sorted(fields.items())])
    written = "".join([f"{len(k)}:{k}{len(v)}:{v}" for k, v in sorted(entry.fields.items())])
    text = f"{len(rare)}:{rare}{len(resolved)}:{resolved}{written}"
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def build_records(entries: Iterable[Entry], macros: Mapping[str, str] | None = None,
                  journal_names: str = "abbreviated", cache: RecordCache | None = None
                  ) -> tuple[list[Record], list[Problem]]:
    """Entries to records: inheritance, aliases, dates, names, decoding; @xdata and @set are not records.

    ``journal_names`` says how AASTeX's journal macros (``\\apj``) read: "abbreviated" (ApJ) or "full"."""
    macros = macros or {}
    entries = list(entries)
    problems: list[Problem] = []
    by_key = {e.key.lower(): e for e in entries}
    records: list[Record] = []
    everything: dict[str, Record] = {}
    macros_key = repr((_reader_code(), journal_names, sorted(macros.items())))
    chunk_key = hashlib.sha256(macros_key.encode("utf-8", "surrogatepass")).digest()
    made_before: Mapping[str, Record] = cache.old if cache is not None else {}
    for entry in entries:
        text_key = made_from = ""
        if cache is not None and entry.chunk and "crossref" not in entry.fields and "xdata" not in entry.fields:
            # read without a problem and inheriting nothing: its text, key and the macros are all it is made from
            text_key = "=" + hashlib.sha256(chunk_key + entry.chunk + entry.key.encode("utf-8", "surrogatepass")).hexdigest()
            made_from = cache.index_old.get(text_key, "")
        if made_from not in made_before:  # not found by its text: resolved and hashed (and made, if new)
            fields, notes = _resolve(entry, by_key)
            made_from = _made_from(entry, fields, notes, macros_key)
        if text_key:
            cache.index_new[text_key] = made_from
            cache.made_of_chunk[entry.chunk] = made_from
        if cache is None:
            record = _record(entry, fields, notes, macros, journal_names, made_from)
        elif made_from in made_before:
            record = _moved(made_before[made_from], entry)
            cache.new[made_from] = made_before[made_from]
        else:  # made now, where it stands: kept as it is unless its related entries will change it
            record = cache.new[made_from] = _record(entry, fields, notes, macros, journal_names, made_from)
            if "related" in fields:
                record = _moved(record, entry)
        everything.setdefault(entry.key.lower(), record)
        if entry.type not in NOT_PUBLICATIONS:
            records.append(record)
    for record in records:  # biblatex's related entries: a reprint's original, a translation, the volumes of a set
        for key in (k.strip() for k in record.fields.get("related", "").split(",") if k.strip()):
            found = everything.get(key.lower())
            if found is None:
                record.problems.append(f"related {key!r} is not in the .bib files; it is not shown")
            elif found is not record:
                record.related.append(found)
                record.digest = hashlib.sha256((record.digest + found.digest).encode()).hexdigest()
    return records, problems


def _moved(made: Record, entry: Entry) -> Record:
    """A copy of a record made before, where the entry stands now: the related entries, the preprint merge and the
    place in the file are this reading's.  Copied field by field: ``dataclasses.replace`` ran ``__init__`` again,
    a tenth of a one-entry edit's reading of 5,000 entries."""
    record = object.__new__(Record)
    record.__dict__.update(made.__dict__)
    record.path, record.line, record.index = entry.path, entry.line, entry.index
    record.problems, record.related = list(made.problems), []
    return record


def _canonical(entry: Entry) -> tuple[dict[str, str], list[str]]:
    fields: dict[str, str] = {}
    notes: list[str] = []
    for name, value in entry.fields.items():
        target = ALIASES.get(name, name)
        if target in fields and target != name:
            notes.append(f"has both {name!r} and {target!r}; {target!r} is used: delete one")
            continue
        if name != target and target in entry.fields:
            notes.append(f"has both {name!r} and {target!r}; {target!r} is used: delete one")
            continue
        fields[target] = value
    return fields, notes


def _resolve(entry: Entry, by_key: dict[str, Entry]) -> tuple[dict[str, str], list[str]]:
    """The entry's fields with xdata and crossref inheritance applied (biblatex's rules)."""
    fields, notes = _canonical(entry)
    seen = {entry.key.lower()}
    _apply_xdata(fields, by_key, seen, notes)
    parent_key = fields.get("crossref", "").strip()
    if parent_key:
        parent = by_key.get(parent_key.lower())
        if parent is None:
            notes.append(f"crossref {parent_key!r} is not in the .bib files; nothing is inherited")
        elif parent.key.lower() in seen:
            notes.append(f"crossref {parent_key!r} refers back to this entry")
        else:
            parent_fields, _ = _canonical(parent)
            _apply_xdata(parent_fields, by_key, seen | {parent.key.lower()}, notes)
            renames = _RENAMES.get((KIND.get(parent.type, parent.type), KIND.get(entry.type, entry.type)), {})
            for name, value in parent_fields.items():
                if name in _NOT_INHERITED:
                    continue
                target = renames.get(name, name)
                if target not in fields:
                    fields[target] = value
    return fields, notes


def _apply_xdata(fields: dict[str, str], by_key: dict[str, Entry], seen: set[str], notes: list[str]) -> None:
    refs = [r.strip() for r in fields.pop("xdata", "").split(",") if r.strip()]
    for ref in refs:
        source = by_key.get(ref.lower())
        if source is None:
            notes.append(f"xdata {ref!r} is not in the .bib files; nothing is inherited")
            continue
        if ref.lower() in seen:
            notes.append(f"xdata {ref!r} refers back to this entry")
            continue
        inherited, _ = _canonical(source)
        _apply_xdata(inherited, by_key, seen | {ref.lower()}, notes)
        for name, value in inherited.items():
            if name not in _NOT_INHERITED:
                fields.setdefault(name, value)


def _record(entry: Entry, fields: dict[str, str], notes: list[str], macros: Mapping[str, str],
            journal_names: str, digest: str) -> Record:
    """``digest``: what the record is made from (``_made_from``), the key of its rendering and its exports."""
    problems = list(entry.problems) + notes
    advice: list[tuple[str, str]] = []
    written = {ALIASES.get(name, name): name for name in entry.fields}  # biblatex's name -> the name as written
    _drop_placeholders(fields, advice, written)
    _drop_scopus_bookkeeping(fields)
    _braced_identifiers(fields)
    _web_of_science_numbers(fields)
    _capitals(fields, advice, written)
    _unescape_html_ampersand(fields)
    _identifiers_elsewhere(fields, advice, written)
    _publisher_pdf(fields, advice, written)
    _note_repeats_number(fields, advice, written)
    _hal_boilerplate(fields, advice, written)
    _series_repeats_venue(fields, advice, written)
    _collaboration_addresses(fields, advice)
    _journal_macro(fields, macros, journal_names)
    kind = _scopus_kind(entry.type, KIND.get(entry.type, entry.type), fields, advice)
    _venue_elsewhere(entry.type, kind, fields, advice, written)
    persons: dict[str, list[Person]] = {}
    marks: dict[str, dict[int, str]] = {}
    for role in NAME_FIELDS:
        value = fields.get(role)
        if value is None:
            continue
        names, name_problems = parse_names(value, macros)
        problems.extend(f"{role}: {p}" for p in name_problems)
        persons[role] = [n.person for n in names]
        found = {i: n.marks for i, n in enumerate(names, start=1) if n.marks}
        if found:
            marks[role] = found
    if entry.type in _THESIS_TYPE and "type" not in fields:
        fields["type"] = _THESIS_TYPE[entry.type]
    date = _date(fields, problems, advice)
    if date is not None and not fields.get("year", "").strip().isdigit():
        fields["year"] = str(date.year)  # groups order by it; checks read it
    arxiv = _arxiv(fields)
    if arxiv is not None and (why := arxiv_problem(arxiv[0])):
        advice.append(("bad_arxiv", f"the arXiv identifier {arxiv[0]!r} {why}, so it is not linked; write it as "
                       "arXiv shows it, e.g. eprint = {2101.01234} or eprint = {hep-th/9901001}"))
        arxiv = None
    # a value without a command reads the same whatever the macros, and names none that is unknown: it is decoded
    # when a style first asks (``Record.text``), in the forked workers of an institute's list, not here (half the
    # time of making 51,265 records, and a third of their memory)
    rich: dict[str, Text] = {}
    unknown: list[tuple[str, str]] = []
    for name in LITERAL_FIELDS:
        value = fields.get(name)
        if value and "\\" in value:
            decoded = decode(value, macros)
            rich[name] = decoded.text
            unknown.extend((macro, name) for macro in decoded.unknown)
    return Record(entry.key, entry.type, fields, persons, entry.path, entry.line, entry.index, problems,
                  digest, entry.key, list(entry.bad_chars), entry.read_errors, kind, date, marks, rich,
                  unknown, arxiv, entry.fields, advice, preprint_server(kind, fields, arxiv))


_STATES = {"inpress": "inpress", "inreview": "inreview", "underreview": "inreview", "inprep": "inpreparation",
           "inpreparation": "inpreparation", "submitted": "submitted", "forthcoming": "forthcoming",
           "accepted": "inpress", "preprint": "prepublished"}
_YEAR_STATE = re.compile(r"\s*(in ?press|in ?review|under ?review|in ?prep(?:aration)?\.?|submitted|forthcoming|"
                         r"accepted)\s*", re.IGNORECASE)
_ARXIV_YEAR = re.compile(r"(\d{2})(\d{2})\.\d{4,5}")


def _date(fields: dict[str, str], problems: list[str], advice: list[tuple[str, str]] | None = None) -> Date | None:
    raw_date = fields.get("date", "").strip()
    if raw_date:
        date = parse_date(raw_date) or parse_date(decode_plain(raw_date))  # "2019~" is circa, not a tie
        if date is not None:
            return date
        problems.append(f"date {raw_date!r} is not a date biblatex reads (e.g. 2019, 2019-05, 2019-05-17, 2019/2020)")
    year_text = decode_plain(fields.get("year", ""))
    state = _YEAR_STATE.fullmatch(year_text)
    if state and advice is not None and not fields.get("pubstate"):  # year = {in review}: a state, not a year
        fields["pubstate"] = _STATES[state.group(1).lower().replace(" ", "").replace("-", "")]
        del fields["year"]
        advice.append(("bad_year", f"year {year_text!r} is a publication state; it is read as pubstate = "
                       f"{{{fields['pubstate']}}}: write that instead of the year"))
        return None
    short = re.fullmatch(r"\s*(\d{4})\s*[-–/]\s*(\d{2})\s*", year_text)  # MathSciNet's 2009/10
    if short:
        end = int(short.group(1)[:2] + short.group(2))
        if end > int(short.group(1)):
            return Date(int(short.group(1)), end_year=end)
    match = re.fullmatch(r"\s*(\d{4})\s*(?:[-–/]\s*(\d{4})\s*)?", year_text)
    trailing = re.fullmatch(r"\s*(\d{4})\s*[,;.]\s*(\S.*)", year_text)
    if match is None and trailing and advice is not None:  # year = {2021, 2nd edition}
        advice.append(("bad_year", f"year {year_text!r} holds more than the year; it is read as {trailing.group(1)} and "
                       f"{trailing.group(2)!r} is not shown: move it to its own field (edition, note)"))
        fields["year"] = trailing.group(1)
        return Date(int(trailing.group(1)))
    if match is None and not year_text.strip() and advice is not None:
        found = _ARXIV_YEAR.match(_arxiv(fields)[0]) if _arxiv(fields) else None
        if found:  # a preprint exported without a year (Mendeley): its arXiv identifier says the month
            year = 2000 + int(found.group(1))
            advice.append(("missing_field", f"has no year; it is read from its arXiv identifier as {year}: add "
                           f"year = {{{year}}}"))
            return Date(year, int(found.group(2)))
    if match is None:
        full = parse_date(year_text) if re.fullmatch(r"\s*\d{4}-\d{2}(?:-\d{2})?(?:T[\d:]+Z?)?\s*", year_text) else None
        if full is not None and advice is not None:  # Zotero and some exporters write the whole date into year
            advice.append(("bad_year", f"year {year_text!r} is a full date; it is read as the date "
                           f"{year_text.strip()} and shown as {full.year}: write date = {{{year_text.strip()}}} "
                           f"(biblatex) or year = {{{full.year}}}"))
            fields["year"] = str(full.year)
        return full
    month = _month(decode_plain(fields.get("month", ""))) if fields.get("month") else None
    end = int(match.group(2)) if match.group(2) else None
    return _year_date(int(match.group(1)), month, end)


@lru_cache(maxsize=4096)
def _year_date(year: int, month: int | None, end: int | None) -> Date:
    """One object for each year and month (dates are frozen): 51,265 records hold a few hundred."""
    return Date(year, month, end_year=end)


# -- Values exporters write for "nothing", venues in the other field, journal macros, preprints --------------


