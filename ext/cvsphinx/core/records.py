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

import dataclasses
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pybtex.bibtex.utils import split_name_list, split_tex_string
from pybtex.database import Person
from pybtex.richtext import Text
from pybtex.scanner import PybtexError

from .bibfile import Entry, Problem
from .journals import journal_macro
from .labels import ENGLISH, Labels
from .latex import decode, decode_plain

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

_ARXIV_ID = re.compile(r"(?:arxiv[:\s/]*(?:abs/)?)\s*(\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?)",
                       re.IGNORECASE)
_NEW_ARXIV_ID = re.compile(r"^(\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?)$", re.IGNORECASE)
MONTHS = {name: n for n, name in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
     "december"], start=1)}


# -- Dates -----------------------------------------------------------------------------


@dataclass(frozen=True)
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


# -- Names ------------------------------------------------------------------------------

# Authorship marks written on a name: equal contribution, corresponding author...
# Authorship marks written after a name: equal contribution, corresponding author, affiliations...
_MARK = re.compile(
    r"(?:\s*(?:\$[^$]*\$|\\textsuperscript\s*\{[^{}]*\}|\\ensuremath\s*\{[^{}]*\}|\^\s*\{[^{}]*\}|\^\s*\S"
    r"|\\(?:dag|ddag|textdagger|textdaggerdbl)(?![A-Za-z])\s*(?:\{\})?|[*†‡§¶]+))+\s*$"
)
_MARK_SYNTAX = re.compile(r"\\textsuperscript|\\ensuremath|\\mathrm|[${}^\s,;]|\d|(?<![\\a-zA-Z])[a-z](?![a-zA-Z])")
_MARK_PIECE = re.compile(
    r"\\dagger|\\dag(?![a-z])|\\textdagger(?![a-z])|†|\\ddagger|\\ddag|\\textdaggerdbl|‡|\\S(?![a-z])|§|\\P(?![a-z])|¶"
    r"|\\ast|\\star|\*|\+"
)
_MARK_SYMBOL = {"\\dagger": "†", "\\dag": "†", "\\textdagger": "†", "†": "†", "\\ddagger": "‡", "\\ddag": "‡",
                "\\textdaggerdbl": "‡", "‡": "‡", "\\S": "§", "§": "§", "\\P": "¶", "¶": "¶", "\\ast": "*",
                "\\star": "*", "*": "*", "+": "+"}


@dataclass
class Name:
    """One person as written in a name list: decoded parts (a pybtex Person), marks, the raw text."""

    person: Person
    marks: str = ""  # "*", "†", "*†"...
    raw: str = ""

    @property
    def is_others(self) -> bool:
        return self.raw.strip().lower() == "others"


def _strip_marks(part: str) -> tuple[str, str]:
    """``Zhou*, Xuhui`` / ``Xuhui Zhou$^\\dagger$`` -> the name and its marks."""
    marks = ""
    pieces = _split_top(part, ",")
    out = []
    for piece in pieces:
        match = _MARK.search(piece)
        if match and match.start() > 0 and piece[: match.start()].strip():
            symbols = _MARK_PIECE.findall(match.group())
            rest = _MARK_SYNTAX.sub("", _MARK_PIECE.sub("", match.group()))
            if not rest:  # only marks, superscript syntax and affiliation numbers or letters
                marks += "".join(_MARK_SYMBOL.get(m, "") for m in symbols)
                piece = piece[: match.start()]
        out.append(piece)
    return ",".join(out), marks


def _extended(part: str) -> Person | None:
    """biblatex's extended name format: ``family=Souza Filho, given=Francisco de Assis, prefix=de``."""
    if "=" not in part:
        return None
    values: dict[str, str] = {}
    for item in _split_top(part, ","):
        name, eq, value = item.partition("=")
        name = name.strip().lower()
        if not eq or name not in ("family", "given", "prefix", "suffix", "useprefix", "given-i", "family-i",
                                  "prefix-i", "suffix-i"):
            return None
        values[name] = _unbrace(value.strip())
    if "family" not in values and "given" not in values:
        return None
    person = Person()
    person.first_names = split_tex_string(values.get("given", ""))
    person.prelast_names = split_tex_string(values.get("prefix", ""))
    person.last_names = split_tex_string(values.get("family", ""))
    person.lineage_names = split_tex_string(values.get("suffix", ""))
    return person


def _split_top(text: str, sep: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _unbrace(text: str) -> str:
    return text[1:-1] if text.startswith("{") and text.endswith("}") and _balanced_inside(text) else text


def _balanced_inside(text: str) -> bool:
    depth = 0
    for i, char in enumerate(text):
        depth += (char == "{") - (char == "}")
        if depth == 0 and i < len(text) - 1:
            return False
    return depth == 0


def _new_person(first: list[str], middle: list[str], last: list[str]) -> Person:
    """A Person from its parts, without pybtex's parser (which ``Person()`` runs even on empty strings)."""
    person = Person.__new__(Person)
    person.first_names, person.middle_names, person.last_names = first, middle, last
    person.prelast_names, person.lineage_names = [], []
    return person


# A name with nothing for BibTeX's parser to decide: letters, dots, hyphens and apostrophes, words that all begin
# with a capital (so no "von" part), at most one comma, no braces, commands or ties.  An institute's list is
# mostly such names; they are split here as pybtex splits them (tested against it on real files).
_PLAIN_NAME = re.compile(r"[^\W\d_][\w.'’\-]*(?:\s+[^\W\d_][\w.'’\-]*)*(?:\s*,\s*[^\W\d_][\w.'’\-]*(?:\s+[^\W\d_][\w.'’\-]*)*)?")


# Han, kana, hangul: a name written in them alone puts the family name first ("小山 翔一", "김 민준")
_CJK_LETTER = re.compile("[\u1100-\u11ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")


def is_cjk_name(text: str) -> bool:
    """Written in Chinese, Japanese or Korean letters, with no Latin ones: family name first, never initials."""
    return bool(_CJK_LETTER.search(text)) and not _LATIN_LETTER.search(text)


def _plain_person(part: str) -> Person | None:
    """``Last, First Middle`` or ``First Middle Last`` as pybtex reads it, when ``_PLAIN_NAME`` matches; a CJK
    name without a comma, ``Family Given`` (BibTeX would take 小山 for the given name)."""
    if "," not in part and "{" not in part and is_cjk_name(part):
        family, *given = part.split()
        return _new_person(given[:1], given[1:], [family])
    if not _PLAIN_NAME.fullmatch(part):
        return None
    last_text, comma, first_text = part.partition(",")
    if comma:
        last, given = last_text.split(), first_text.split()
    else:
        words = last_text.split()
        last, given = words[-1:], words[:-1]
    if not all(w[0].isupper() for w in last + given):
        return None  # a lower-case word is a "von" part (or not a name): pybtex decides
    return _new_person(given[:1], given[1:], last)


def _decoded_person(person: Person, macros: Mapping[str, str]) -> Person:
    """The same name with every part in plain Unicode: matching and initials need letters, not LaTeX."""
    out = _new_person([], [], [])
    for attr in ("first_names", "middle_names", "prelast_names", "last_names", "lineage_names"):
        setattr(out, attr, [d for d in (decode_plain(p, macros) for p in getattr(person, attr)) if d])
    surname = " ".join(out.last_names)
    if not surname.isupper():  # run-together initials, as Web of Science and Scopus write them: "Bonet, FJ"
        for attr in ("first_names", "middle_names"):
            names = getattr(out, attr)
            if any(_RUN_TOGETHER.fullmatch(n) for n in names):
                setattr(out, attr, [i for n in names for i in ([f"{c}." for c in n] if _RUN_TOGETHER.fullmatch(n)
                                                                else [n])])
    return out


_RUN_TOGETHER = re.compile(r"[A-Z\u00c0-\u00de]{2,3}")


def parse_names(value: str, macros: Mapping[str, str]) -> tuple[list[Name], list[str]]:
    """A name list; problems for what BibTeX would split oddly.  The same list (a journal's editors, a
    group's usual authors) comes up again and again: it is parsed once."""
    names, problems = _parse_names(value, tuple(sorted(macros.items())))
    return list(names), list(problems)


# "and\textbf{…}" with no space: BibTeX would read one name, the CV reads two
_AND_BEFORE_COMMAND = re.compile(r"(?<=\s)and(?=\\[A-Za-z])")
# a whole name wrapped in a command, as people bold their own name by hand: \textbf{Marshall, H.P.}, {\bf …}
_WRAPPED = re.compile(r"\s*(?:\\[A-Za-z]+\s*\{(?P<a>.*)\}|\{\s*\\(?:bf|it|em|sl|bfseries|itshape)\s+(?P<b>.*)\})\s*(?P<rest>.*)",
                      re.DOTALL)


def _unwrap(part: str) -> str:
    """``\\textbf{Marshall, H.P.}`` -> ``Marshall, H.P.``: the CV bolds its owner itself, so the name is read as a
    name; a wrapper around part of a name (``{\\myname{Ginsburg}}, Adam``) is for the decoder."""
    match = _WRAPPED.fullmatch(part)
    if not match:
        return part
    inner = match.group("a") if match.group("a") is not None else match.group("b")
    if not _balanced_inside("{" + inner + "}") or ("," not in inner and " " not in inner.strip()):
        return part  # one word, or braces that do not close where the wrapper does: not a whole name
    return inner + match.group("rest")


@lru_cache(maxsize=32768)
def _parse_names(value: str, macro_items: tuple[tuple[str, str], ...]) -> tuple[tuple[Name, ...], tuple[str, ...]]:
    names: list[Name] = []
    problems: list[str] = []
    if "and\\" in value:
        value = _AND_BEFORE_COMMAND.sub("and ", value)
    stripped = value.strip()
    inner = stripped[1:-1] if stripped.startswith("{") and _balanced_inside(stripped) else ""
    if inner and re.search(r"\s+and\s+", inner) and "," in inner:  # {Lievens, Hans and Brangers, Isis}: a list
        problems.append("the whole name list is in braces, which makes it one name; it is read as the names it "
                        "lists: delete the outer braces")
        value = inner
    parts = split_name_list(value)
    for part in parts:
        name, name_problems = _parse_name(part, len(parts) == 1, macro_items)
        names.append(name)
        problems.extend(name_problems)
    return tuple(names), tuple(problems)


# BibTeX's "von Last, Jr, First": the middle part of three is a generation, not a second author
_LINEAGE = re.compile(r"(?:Jr|Sr|Jun|Sen|Jnr|Snr)\.?|[IVX]{1,4}|\d(?:st|nd|rd|th)", re.IGNORECASE)


def read_name(text: str) -> Person:
    """One name, as a name list of a .bib file holding only it would read it (conf.py's cv_owner, the roster)."""
    return _parse_name(text, True, ())[0].person


@lru_cache(maxsize=65536)
def _parse_name(raw: str, alone: bool, macro_items: tuple[tuple[str, str], ...]) -> tuple[Name, tuple[str, ...]]:
    """One name of a list; the same person comes up in many lists (an institute's file names each hundreds of
    times), so each spelling is parsed once."""
    problems: list[str] = []
    part = _unwrap(raw) if "\\" in raw else raw
    if part.strip().lower() == "others":
        return Name(Person(last="others"), "", raw), ()
    person = _extended(part)
    marks = ""
    if person is None:
        part, marks = _strip_marks(part)
        stripped = part.strip()
        if stripped.endswith(","):
            problems.append(f"name {raw!r} ends with a comma (a stray comma before 'and'?); it is read as "
                            f"{stripped.rstrip(',').strip()!r}: delete the comma")
            part = stripped.rstrip(",").strip()
        commas = _split_top(part, ",")
        if len(commas) > 3 or (len(commas) == 3 and alone and all(len(c.split()) <= 2 for c in commas)
                               and not _LINEAGE.fullmatch(commas[1].strip())):  # "Christie, Jr., William M."
            problems.append(f"name {raw!r} has {len(commas) - 1} commas: are the authors separated by commas? "
                            "BibTeX needs ' and ' between names; it is shown as written")
            person = Person(last="{" + part + "}")
        else:
            try:
                person = _plain_person(part.strip()) or Person(part)
            except PybtexError as err:
                problems.append(f"name {raw!r} cannot be read ({err}); it is shown as written")
                person = Person(last="{" + part + "}")
    return Name(_decoded_person(person, dict(macro_items)), marks, raw), tuple(problems)


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
    rich: dict[str, Text] = field(default_factory=dict)  # decoded literal fields
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
        name = name.lower()
        value = self.fields.get(ALIASES.get(name, name))
        if value is None:
            value = self.fields.get(name, self.fields.get(_BACK.get(name, ""), None))
        return default if value is None else value

    def text(self, name: str) -> Text:
        """A field decoded to rich text (empty when absent)."""
        found = self.rich.get(ALIASES.get(name.lower(), name.lower()))
        if found is None:
            value = self.get(name)
            found = decode(value).text if value else Text()
        return found

    @property
    def year(self) -> int | None:
        return self.date.year if self.date else None


class RecordCache:
    """Records made before, by what they were made from: a one-entry edit of a 5,000-entry file decodes one
    entry, not 5,000 (2.5 s of a 4 s rebuild).  ``old`` comes from the catalog's saved store; ``new`` holds
    the records of this reading, for the next one."""

    def __init__(self, old: Mapping[str, Record] | None = None) -> None:
        self.old = old or {}
        self.new: dict[str, Record] = {}


@lru_cache(maxsize=1)
def _reader_code() -> str:
    """The code a record is made by: a change to it (a new version, or an edit while developing) makes every
    record again, as a change of the configuration does.  This module and the ones it imports from the
    package (bibfile's Entry is the input, already part of what a record is made from)."""
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in ("records.py", "latex.py", "latex_tables.py", "latex_parser.py", "latex_commands.py",
                 "journals.py", "labels.py"):
        path = here / name
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _made_from(entry: Entry, fields: Mapping[str, str], notes: list[str], macros_key: str) -> str:
    """Everything ``_record`` reads, but where the entry stands (file, line, position), which it only copies:
    its fields, inherited and as written (the BibTeX shown beside it), and the @preamble macros they may use
    (an edited macro renders its entries again)."""
    parts = (entry.key, entry.type, sorted(fields.items()), notes, sorted(entry.fields.items()), entry.problems,
             entry.bad_chars, entry.read_errors, macros_key)
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


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
    for entry in entries:
        fields, notes = _resolve(entry, by_key)
        made_from = _made_from(entry, fields, notes, macros_key)
        if cache is None:
            record = _record(entry, fields, notes, macros, journal_names, made_from)
        else:
            made = cache.old.get(made_from) or _record(entry, fields, notes, macros, journal_names, made_from)
            cache.new[made_from] = made
            # a copy: the related entries below, the preprint merge and the place in the file are this reading's
            record = dataclasses.replace(made, path=entry.path, line=entry.line, index=entry.index,
                                         problems=list(made.problems), related=[])
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
    _drop_citation_count(fields)
    _unescape_html_ampersand(fields)
    _journal_macro(fields, macros, journal_names)
    _venue_elsewhere(entry.type, fields, advice, written)
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
    kind = KIND.get(entry.type, entry.type)
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
    rich: dict[str, Text] = {}
    unknown: list[tuple[str, str]] = []
    for name in LITERAL_FIELDS:
        value = fields.get(name)
        if value:
            decoded = decode(value, macros)
            rich[name] = decoded.text
            unknown.extend((macro, name) for macro in decoded.unknown)
    return Record(entry.key, entry.type, fields, persons, entry.path, entry.line, entry.index, problems,
                  digest, entry.key, list(entry.bad_chars), entry.read_errors, kind, date, marks, rich,
                  unknown, arxiv, dict(entry.fields), advice, preprint_server(kind, fields, arxiv))


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
    return Date(int(match.group(1)), month, end_year=end)


# -- Values exporters write for "nothing", venues in the other field, journal macros, preprints --------------

# "null", "None", "NaN": what a program writes for a missing value; "0" where a number is missing
_PLACEHOLDER = re.compile(r"\s*(?:null|none|nil|nan|undefined|n/?a)\s*", re.IGNORECASE)
_ZERO = re.compile(r"\s*0+\s*")
_ZERO_FIELDS = ("year", "volume", "number", "issue", "pages", "eid", "edition", "month", "volumes")
_PLACEHOLDER_FIELDS = (*_ZERO_FIELDS, "journaltitle", "booktitle", "publisher", "location", "institution",
                       "organization", "series", "doi", "url", "isbn", "issn", "note", "howpublished", "eprint",
                       "eprinttype", "eprintclass", "date", "urldate", "type", "language", "pubstate")


def _drop_placeholders(fields: dict[str, str], advice: list[tuple[str, str]], written: Mapping[str, str]) -> None:
    for name in _PLACEHOLDER_FIELDS:
        value = fields.get(name)
        if value is None:
            continue
        plain = value.strip().strip("{}")
        if _PLACEHOLDER.fullmatch(plain) or (name in _ZERO_FIELDS and _ZERO.fullmatch(plain)) or not plain:
            del fields[name]
            if plain:
                advice.append(("placeholder", f"field {written.get(name, name)!r} is {value.strip()!r}, which stands "
                               "for no value; it is left out: delete the field (or write its real value)"))


def _unescape_html_ampersand(fields: dict[str, str]) -> None:
    """HAL's export escapes an ampersand twice, for LaTeX and for HTML (``GOBLET \\&amp; Galaxy``): one ``\\&``."""
    for name, value in fields.items():
        if "\\&amp;" in value:
            fields[name] = value.replace("\\&amp;", "\\&")


# Scopus's export puts its citation count first in ``note`` ("cited By 317", "cited By 0; Conference Code:
# 150000"): the database's bookkeeping of the day, not a note of the work's
_CITATION_COUNT = re.compile(r"\s*cited\s+by\s+\d+\s*(?:;\s*|$)", re.IGNORECASE)


def _drop_citation_count(fields: dict[str, str]) -> None:
    """Not shown, as the exporter's other bookkeeping (``source = {Scopus}``) is not; the BibTeX beside the entry
    keeps it as written."""
    note = fields.get("note")
    if note is not None:
        match = _CITATION_COUNT.match(note.strip().strip("{}"))
        if match:
            rest = note.strip().strip("{}")[match.end():].strip()
            if rest:
                fields["note"] = rest
            else:
                del fields["note"]


_MACRO_ONLY = re.compile(r"\s*\{?\s*\\([A-Za-z]+)\s*\}?\s*")


def _journal_macro(fields: dict[str, str], macros: Mapping[str, str], journal_names: str) -> None:
    """NASA ADS writes journals as AASTeX macros (``journal = {\\apj}``): the journal's name instead."""
    for name in ("journaltitle", "booktitle"):
        match = _MACRO_ONLY.fullmatch(fields.get(name, ""))
        if match and "\\" + match.group(1) not in macros:
            found = journal_macro(match.group(1), full=journal_names == "full")
            if found:
                fields[name] = found.replace("&", "\\&")


# kind -> (the field its venue belongs in, as BibTeX names it, and the fields BibTeX users often put it in instead)
_VENUE_HOMES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "article": ("journaltitle", "journal", ("booktitle",)),
    "inproceedings": ("booktitle", "booktitle", ("journaltitle", "eventtitle", "howpublished")),
    "incollection": ("booktitle", "booktitle", ("journaltitle",)),
    "inbook": ("booktitle", "booktitle", ("journaltitle",)),
    "report": ("institution", "institution", ("publisher", "organization")),
    "thesis": ("institution", "school", ("publisher", "organization")),
}


def _venue_elsewhere(entry_type: str, fields: dict[str, str], advice: list[tuple[str, str]],
                     written: Mapping[str, str]) -> None:
    """A venue in the field another type reads (``journal`` on an @inproceedings): shown, with the field to use."""
    kind = KIND.get(entry_type, entry_type)
    home, home_name, others = _VENUE_HOMES.get(kind, ("", "", ()))
    if not home or fields.get(home, "").strip():
        return
    for other in others:
        if fields.get(other, "").strip():
            fields[home] = fields[other]
            if other != "eventtitle":  # biblatex's own fallback, nothing to fix
                del fields[other]
                advice.append(("venue_field", f"@{entry_type} reads its venue from {home_name!r}, but it is in "
                               f"{written.get(other, other)!r}; it is shown as the venue: rename the field to "
                               f"{home_name!r}"))
            return


# Preprint servers: by the venue an exporter writes, or by the DOI prefix they register
_PREPRINT_VENUE = re.compile(
    r"\b(?:arxiv|corr|computing research repository|biorxiv|medrxiv|chemrxiv|ssrn|social science research network"
    r"|electronic colloquium on computational complexity|electron\.? colloquium comput\.?(?: complex\.?)?|eccc"
    r"|research\s*square|preprints\.org|psyarxiv|socarxiv"
    r"|osf preprints|techrxiv|engrxiv|eartharxiv|essoar|authorea|iacr cryptology eprint archive"
    r"|cryptology eprint archive|hal preprint|preprint)\b", re.IGNORECASE)
_PREPRINT_DOI = (
    (re.compile(r"^10\.48550/arxiv\.", re.I), "arXiv"), (re.compile(r"^10\.1101/(?:\d{4}\.\d{2}\.\d{2}\.)?\d{6,}"), "bioRxiv"),
    (re.compile(r"^10\.2139/ssrn\.", re.I), "SSRN"), (re.compile(r"^10\.21203/rs\.", re.I), "Research Square"),
    (re.compile(r"^10\.26434/chemrxiv", re.I), "ChemRxiv"), (re.compile(r"^10\.31234/osf\.io/", re.I), "PsyArXiv"),
    (re.compile(r"^10\.20944/preprints", re.I), "Preprints.org"), (re.compile(r"^10\.1002/essoar\.", re.I), "ESSOAr"),
    (re.compile(r"^10\.31223/", re.I), "EarthArXiv"), (re.compile(r"^10\.36227/techrxiv", re.I), "TechRxiv"),
)
_SERVER_NAMES = {"corr": "arXiv", "computing research repository": "arXiv", "eccc": "ECCC",
                 "electronic colloquium on computational complexity": "ECCC", "biorxiv": "bioRxiv",
                 "medrxiv": "medRxiv", "chemrxiv": "ChemRxiv", "ssrn": "SSRN", "social science research network": "SSRN",
                 "arxiv": "arXiv", "psyarxiv": "PsyArXiv", "socarxiv": "SocArXiv", "techrxiv": "TechRxiv",
                 "eartharxiv": "EarthArXiv", "essoar": "ESSOAr", "authorea": "Authorea"}
_PREPRINT_KINDS = ("article", "misc", "online", "unpublished", "report")


def _server(found: str, arxiv: tuple[str, str] | None) -> str:
    name = found.lower()
    if "colloquium" in name:
        return "ECCC"
    if name == "preprint":
        return "arXiv" if arxiv else "preprint"
    return _SERVER_NAMES.get(name, found)


def preprint_server(kind: str, fields: Mapping[str, str], arxiv: tuple[str, str] | None) -> str:
    """The preprint server of an entry that is a preprint (not a published paper with a preprint beside it), or ""."""
    if kind not in _PREPRINT_KINDS:
        return ""
    venue = " ".join(decode_plain(fields.get(n, "")) for n in ("journaltitle", "booktitle"))
    found = _PREPRINT_VENUE.search(venue)
    if found:
        return _server(found.group(), arxiv)
    if venue.strip():
        return ""  # a journal: a published paper, whatever eprint it also gives
    doi = fields.get("doi", "").strip().lower().removeprefix("https://doi.org/").removeprefix("doi:")
    for pattern, name in _PREPRINT_DOI:
        if pattern.match(doi):
            return name
    other = " ".join(decode_plain(fields.get(n, "")) for n in ("publisher", "howpublished", "institution", "note",
                                                               "eprinttype", "number"))
    found = _PREPRINT_VENUE.search(other)
    if found and (kind != "report" or found.group().lower() in ("arxiv", "ssrn", "eccc", "corr")):
        return _server(found.group(), arxiv)
    if arxiv and kind in ("article", "misc", "online", "unpublished"):
        return "arXiv"
    return ""


def arxiv_base(ident: str) -> str:
    """An arXiv identifier without its version: ``1905.01234v2`` -> ``1905.01234``."""
    return re.sub(r"v\d+$", "", ident.strip())


_ARXIV_NEW = re.compile(r"(\d{2})(\d{2})\.(\d{4,5})(?:v[1-9]\d*)?")
_ARXIV_OLD = re.compile(r"[a-z-]+(?:\.[A-Z]{2})?/(\d{2})(\d{2})\d{3}(?:v[1-9]\d*)?", re.IGNORECASE)


_ARXIV_PREFIX = re.compile(r"^(?:arxiv:\s*|https?://(?:www\.)?arxiv\.org/(?:abs|pdf)/)|\.pdf$", re.IGNORECASE)


def arxiv_problem(ident: str) -> str | None:
    """Why ``ident`` is no arXiv identifier (None when it is one): YYMM.NNNNN since 2015, YYMM.NNNN from April
    2007, archive/YYMMNNN before; the month 01-12."""
    new, old = _ARXIV_NEW.fullmatch(ident), _ARXIV_OLD.fullmatch(ident)
    if new:
        year, month, digits = int(new[1]), int(new[2]), len(new[3])
        if not 1 <= month <= 12:
            return f"has no month {new[2]}"
        if (year, month) < (7, 4) or digits != (4 if year < 15 else 5):
            return f"has {digits} digits after the point, and identifiers of 20{new[1]} have {4 if year < 15 else 5}" \
                if (year, month) >= (7, 4) else "is of the new form but older than April 2007, when that form began"
        return None
    if old:
        if not 1 <= int(old[2]) <= 12:
            return f"has no month {old[2]}"
        return None
    return "is not of the form YYMM.NNNNN or archive/YYMMNNN"


def _arxiv(fields: dict[str, str]) -> tuple[str, str] | None:
    """arXiv identifier and class, from eprint + eprinttype/archiveprefix, an ``arxiv`` field, or a venue text."""
    eprint = fields.get("eprint", "").strip()
    kind = fields.get("eprinttype", "").strip().lower()
    category = decode_plain(fields.get("eprintclass", "")).strip()
    if eprint and (kind == "arxiv" or (not kind and _NEW_ARXIV_ID.match(eprint))):
        return _ARXIV_PREFIX.sub("", eprint), category
    if fields.get("arxiv", "").strip():
        return _ARXIV_PREFIX.sub("", fields["arxiv"].strip()), category
    for name in ("journaltitle", "note", "howpublished", "url", "pages", "eid", "number", "volume"):
        match = _ARXIV_ID.search(fields.get(name, ""))
        if match:
            return match.group(1), category
    doi = re.match(r"(?:https?://doi\.org/)?10\.48550/arxiv\.(\S+)$", fields.get("doi", "").strip(), re.IGNORECASE)
    if doi and _NEW_ARXIV_ID.match(doi.group(1)):
        return doi.group(1), category
    volume = re.fullmatch(r"\s*abs/(\S+)\s*", fields.get("volume", ""))  # DBLP's CoRR: volume = {abs/2101.00001}
    if volume and _NEW_ARXIV_ID.match(volume.group(1)) and "corr" in fields.get("journaltitle", "").lower():
        return volume.group(1), category
    return None
