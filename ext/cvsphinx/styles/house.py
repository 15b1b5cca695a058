"""The CV's citation format, as pybtex rich text: one layout per entry type.

``Authors (Year), Title, *Journal*, volume(number), pages, doi:...``: first
author surname first, the others initials first; the owner in bold;
supervisees followed by their role's marker, authorship marks (equal
contribution, corresponding author...) by theirs.  Every other biblatex type
follows the same pattern: a head (names and year), then the blocks its row of
``LAYOUTS`` names, in that order, joined by commas, then the notes and links
every type shares (``TAIL``).  Adding a type, or moving a block, is one row.

Records come decoded (``records.py``, ``latex.py``): this module only
arranges rich text.  No Sphinx imports: the result renders with any pybtex
backend (``render_as("text" | "html" | "latex")``) and, through
``render.py``, as docutils nodes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from pybtex.backends.plaintext import Backend as PlainBackend
from pybtex.database import Person as BibPerson
from pybtex.richtext import BaseMultipartText, BaseText, HRef, String, Tag, Text

from ..core.bidi import any_rtl, isolate
from ..core.dates import date_range, iso_date, language_name
from ..core.identifiers import canonical, doi_of, paper_url, safe_url, url_value
from ..core.labels import ENGLISH, N_, Labels
from ..core.latex import decode, decode_plain
from ..core.people import NameKey, Owner, Role, Roster, highlighted
from ..core.records import Record, arxiv_base, is_cjk_name, parse_date

_ARXIV_ID = re.compile(r"^[\w.+/-]+$")

# written mark -> (shown symbol, legend label); "*" is shown as "#" because "*" marks graduate students
DEFAULT_MARKS: dict[str, tuple[str, str]] = {
    "*": ("#", N_("equal contribution")),
    "†": ("†", N_("corresponding author")),
    "‡": ("‡", N_("equal contribution")),
    "§": ("§", N_("joint senior author")),
    "¶": ("¶", N_("corresponding author")),
    "+": ("+", ""),  # no settled meaning: cv_author_marks = {"+": ("+", "corresponding author")} gives it a legend line
}


# -- Rich-text elements ----------------------------------------------------------------------


class Marker(Tag):
    """A supervisee marker: a superscript symbol that knows its role."""

    def __init__(self, role: Role, *parts) -> None:
        super().__init__("sup", *(parts or (role.symbol,)))
        self.role = role
        self.info = (role,)  # merging and slicing keep the role (Tag's info would be ("sup",))

    def render(self, backend):
        formatter = getattr(backend, "format_cv_marker", None)
        if formatter is not None:
            return formatter(self.role)
        return super().render(backend)


class MarkSign(Tag):
    """An authorship mark (equal contribution, corresponding author...): a superscript with its label.

    Backends with ``format_cv_mark(symbol, label)`` choose how it looks; the others get ``<sup>``.
    """

    def __init__(self, symbol: str, label: str, *parts) -> None:
        super().__init__("sup", *(parts or (symbol,)))
        self.symbol = symbol
        self.label = label
        self.info = (symbol, label)  # two different marks side by side never merge into one

    def render(self, backend):
        formatter = getattr(backend, "format_cv_mark", None)
        if formatter is not None:
            return formatter(self.symbol, self.label)
        return super().render(backend)


class _PlainBackend(PlainBackend):
    def format_str(self, str_: str) -> str:
        return str_


_PLAIN = _PlainBackend()  # looked up once: find_plugin() scans entry points on every call


def as_plain(text: BaseText) -> str:
    return text.render(_PLAIN)


@dataclass
class StyleContext:
    """What formatting needs from configuration; built once per build."""

    owner: Owner
    roster: Roster
    marks: dict[str, tuple[str, str]] = field(default_factory=lambda: dict(DEFAULT_MARKS))
    show_isbn: bool = False
    language: str = ""  # Sphinx's ``language``: a CSL style's locale
    labels: Labels = ENGLISH  # the words the house style writes, in that language (labels.py)


# -- Names --------------------------------------------------------------------------------


def _plain_part(part: str) -> str:
    """Name parts come decoded from records.py; a hand-built record may still hold LaTeX."""
    return decode_plain(part) if "\\" in part or "{" in part else part


def _initials(names: list[str]) -> str:
    """``Joseph H.Y.`` -> ``J. H. Y.``; ``Jia-Hua`` -> ``J.-H.``."""
    clean = " ".join(_plain_part(n) for n in names)
    out = ""
    for token in re.findall(r"[^\W\d_][^\s.\-‐]*|[-‐]", clean):
        if token in "-‐":
            out = out.rstrip() + "-"
        else:
            out += token[0] + ". "
    return out.strip()


@lru_cache(maxsize=65536)
def _shown_name(surname_parts: tuple[str, ...], given_parts: tuple[str, ...]) -> tuple[str, str]:
    """Surname and initials, once per spelling: an institute's list names the same people thousands of times."""
    return " ".join(_plain_part(p) for p in surname_parts), _initials(list(given_parts))


def _surname(person: BibPerson) -> str:
    return " ".join(_plain_part(p) for p in person.prelast_names + person.last_names + person.lineage_names)


def _is_others(person: BibPerson) -> bool:
    return str(person).strip().lower() == "others"


@lru_cache(maxsize=65536)
def _cjk_shown(surname_parts: tuple[str, ...], given_parts: tuple[str, ...]) -> str:
    """A Chinese, Japanese or Korean name as its language writes it, family name first and the given name whole;
    "" for any other name.  Once per spelling, as ``_shown_name``."""
    whole = " ".join(_plain_part(p) for p in surname_parts + given_parts)
    return whole if is_cjk_name(whole) else ""


def _person_text(person: BibPerson, inverted: bool) -> Text:
    surname_parts = tuple(person.prelast_names + person.last_names + person.lineage_names)
    given_parts = tuple(person.first_names + person.middle_names)
    whole = _cjk_shown(surname_parts, given_parts)
    if whole:
        return Text(whole)
    last, given = _shown_name(surname_parts, given_parts)
    if not given:
        return Text(last)
    return Text(last, ", ", given) if inverted else Text(given, " ", last)


def _mark_signs(marks: str, ctx: StyleContext) -> list[MarkSign]:
    signs, seen = [], set()
    for written in marks:
        shown, label = ctx.marks.get(written, (written, ""))
        if shown and shown not in seen:
            seen.add(shown)
            signs.append(MarkSign(shown, label))
    return signs


def _name_list(record: Record, role: str, ctx: StyleContext, *, invert_first: bool, markers: bool = False,
               year: int | None = None, surname_only: bool = False, nested: bool = False) -> tuple[Text, int]:
    """One name list (authors, editors...), and how many names it holds.

    The owner in bold; authorship marks after every name; supervisee markers only where
    ``markers`` (the head of the entry).  Problems (bad annotations, ambiguous names) are
    reported by validate.py; here they just degrade.
    """
    people = record.persons.get(role) or []
    marks = record.marks.get(role, {})
    overrides = ctx.roster.overrides(record.get(f"{role}+an")) if markers else {}
    highlights = highlighted(record.get(f"{role}+an"))
    parts: list[Text] = []
    etal = False
    for position, person in enumerate(people, start=1):
        if _is_others(person):
            etal = True
            continue
        key = NameKey.from_person(person)
        piece = Text(_surname(person)) if surname_only else _person_text(person, inverted=invert_first and not parts)
        if (ctx.owner.is_owner(key) or position in highlights) and not nested:
            piece = Text(Tag("strong", piece))
        marker = ctx.roster.marker(position, key, overrides, year if markers else None)
        if marker is not None:
            piece = Text(piece, Marker(marker))
        if position in marks:
            piece = Text(piece, *_mark_signs(marks[position], ctx))
        parts.append(piece)
    if etal:
        etal_text = ctx.labels("et al.")
        if not parts:
            return Text(etal_text), 2
        # "A et al.", "A, B, et al.": never "A, B, and C et al."
        comma = ctx.labels(", ")
        joined = _join(parts, sep=comma)
        return Text(*joined, comma if len(parts) > 1 else " ", etal_text), len(parts) + 1
    return Text(*_join(parts, ctx.labels)), len(parts)


def _join(parts: list[Text], labels: Labels = ENGLISH, sep: str | None = None) -> list[Text | str]:
    """``A and B``, ``A, B, and C`` in the CV's language; with ``sep``, a plain list (``A; B; C``)."""
    if len(parts) <= 1:
        return list(parts)
    if sep is not None:
        two = last = sep
    else:
        two, last, sep = labels(" and "), labels(", and "), labels(", ")
    if len(parts) == 2:
        return [parts[0], two, parts[1]]
    out: list[Text | str] = []
    for i, part in enumerate(parts):
        if i:
            out.append(last if i == len(parts) - 1 else sep)
        out.append(part)
    return out


def format_authors(record: Record, ctx: StyleContext, markers: bool, year: int | None,
                   surname_only: bool = False) -> Text:
    """The authors (or, with none, the editors) as the head of an entry shows them, markers included."""
    role = "author" if record.persons.get("author") else "editor"
    return _name_list(record, role, ctx, invert_first=True, markers=markers, year=year, surname_only=surname_only)[0]


# -- Entry state and small helpers -------------------------------------------------------------


@dataclass
class _Entry:
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
    return Text(Tag("em", text)) if text else Text()


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
    return Text(_map_strings(text, lambda s: _RANGE.sub("–", _ADS_FOLLOWING.sub("", s))))


# What exporters write as the "journal" of an arXiv preprint: the arXiv link at the end says it
_ARXIV_VENUES = re.compile(r"\s*(?:arxiv(?:\s+e-?prints?|\s+preprint)?|e-?prints?|corr|computing research repository)"
                           r"(?:\s*,?\s*(?:abs/)?)?\s*", re.IGNORECASE)


def _contains_arxiv(entry: _Entry, text: Text) -> bool:
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
    return "" if item.lower() in _ENGLISH else item[:1].upper() + item[1:]


def _with_language(entry: _Entry, block: str, text: Text) -> Text:
    """``(in Chinese)``; a list (``langlatin and langgerman``) gives ``(in Latin and German)``."""
    if entry.language_at != block or not text:
        return text
    names = [n for n in (_language_name(i) for i in _split_list(decode_plain(entry.record.get("language")))) if n]
    if not names:
        return text
    labels = entry.ctx.labels
    return labels.fill("{text} (in {languages})", text=text,
                       languages=Text(*_join([Text(_shown_language(n, labels)) for n in names], labels)))


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
    items, depth, start = [], 0, 0
    for match in re.finditer(r"[{}]|\s+and\s+", value, re.IGNORECASE):
        token = match.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth == 0:
            items.append(value[start:match.start()])
            start = match.end()
    items.append(value[start:])
    return [item.strip() for item in items if item.strip()]


def _list_field(name: str) -> Callable[[_Entry], Text]:
    """A list field: ``Durham and London``; three or more items ``München, Berlin, and New York``."""
    def block(entry: _Entry) -> Text:
        raw = entry.record.get(name)
        if not raw or not _AND.search(raw):
            text = entry.text(name)
            return Text() if _contains_arxiv(entry, text) else text
        items = _split_list(raw)
        if len(items) < 2:
            return entry.text(name)
        labels = entry.ctx.labels
        return Text(*_join([Text(labels(_COUNTRIES[i.lower()])) if i.lower() in _COUNTRIES else decode(i).text
                             for i in items], labels))

    block.__name__ = f"b_{name}"
    block.__doc__ = f"The ``{name}`` list."
    return block


def _numbered(entry: _Entry, message: str, number: int) -> str:
    """``{nth} edn.``: a message with the English ordinal (``{nth}``) and the bare number (``{n}``) to choose from."""
    return entry.ctx.labels(message, n=number, nth=_ordinal(number))


def _ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


def _link(url: str, label: Text | str) -> Text:
    target = canonical(safe_url(url))
    return Text(HRef(target, label)) if target else Text(label)


# -- Blocks: each returns rich text, or an empty Text when the entry has nothing to show -----------


def _title(entry: _Entry, italic: bool = False) -> Text:
    title = entry.text("title")
    subtitle = entry.text("subtitle")
    if subtitle:
        title = Text(title, ": ", subtitle) if title else subtitle
    addon = entry.text("titleaddon")
    if addon:
        title = Text(title, ", ", addon) if title else addon
    if entry.link_title and title and not _has_link(title):
        target = paper_url(entry.record)
        if target:
            title = Text(HRef(target, title))
    return _italic(title) if italic else title


def _has_link(text: BaseText) -> bool:
    """A title that holds a link of its own (``\\url``) is not wrapped in another."""
    if isinstance(text, HRef):
        return True
    return any(_has_link(part) for part in getattr(text, "parts", ()))


def b_title(entry: _Entry) -> Text:
    return _with_language(entry, "title", _title(entry))


def b_title_italic(entry: _Entry) -> Text:
    return _with_language(entry, "title", _title(entry, italic=True))


def _by(entry: _Entry, role: str, words: str, **parts: Text) -> Text:
    """``words`` is a message with ``{names}`` (``ed. by {names}``): the names go where the language puts them."""
    if not entry.record.persons.get(role) or entry.head_role == role:
        return Text()
    names, _ = _name_list(entry.record, role, entry.ctx, invert_first=False, nested=entry.nested)
    return entry.ctx.labels.fill(words, names=names, **parts)


def _same_people(entry: _Entry, one: str, other: str) -> bool:
    first, second = entry.record.persons.get(one), entry.record.persons.get(other)
    return bool(first) and [str(p) for p in first] == [str(p) for p in second or []]


def b_editors(entry: _Entry) -> Text:
    """``ed. by A. Smith and B. Jones`` (unless the editors head the entry); ``ed. and transl. by`` when they translated."""
    if entry.head_role != "editor" and _same_people(entry, "editor", "translator"):
        return _by(entry, "editor", N_("ed. and transl. by {names}"))
    if _same_people(entry, "editor", "commentator"):
        return _by(entry, "editor", N_("ed. and comm. by {names}"))
    return _by(entry, "editor", N_("ed. by {names}"))


def b_translators(entry: _Entry) -> Text:
    """``transl. by A. Smith``; ``transl. from the German by`` with ``origlanguage``; ``transl. and comm. by``."""
    if entry.head_role != "editor" and entry.record.persons.get("editor") and _same_people(entry, "translator", "editor"):
        return Text()  # said with the editors
    labels = entry.ctx.labels
    commented = _same_people(entry, "translator", "commentator")
    languages = [n for n in (_language_name(i) for i in _split_list(decode_plain(entry.record.get("origlanguage"))))
                 if n]
    if languages:
        words = (N_("transl. and comm. from the {languages} by {names}") if commented
                 else N_("transl. from the {languages} by {names}"))
        shown = Text(*_join([Text(_shown_language(n, labels)) for n in languages], labels))
        return _by(entry, "translator", words, languages=shown)
    return _by(entry, "translator", N_("transl. and comm. by {names}") if commented else N_("transl. by {names}"))


# biblatex's editor types (editoratype): the words before the names
_EDITOR_TYPES = {"editor": N_("ed. by {names}"), "compiler": N_("comp. by {names}"),
                 "founder": N_("founded by {names}"), "continuator": N_("continued by {names}"),
                 "redactor": N_("red. by {names}"), "reviser": N_("rev. by {names}"),
                 "collaborator": N_("in collab. with {names}"), "organizer": N_("org. by {names}"),
                 "director": N_("dir. by {names}")}
_CONTRIBUTORS = (("commentator", N_("comm. by {names}")), ("annotator", N_("annot. by {names}")),
                 ("introduction", N_("with an intro. by {names}")), ("foreword", N_("with a foreword by {names}")),
                 ("afterword", N_("with an afterw. by {names}")))


def b_contributors(entry: _Entry) -> Text:
    """The other people of a book, as biblatex names them: ``red. by`` (``editora`` with ``editoratype``),
    ``comm. by``, ``annot. by``, ``with an intro. by``, ``with a foreword by``, ``with an afterw. by``."""
    pieces: list[Text] = []
    for role in ("editora", "editorb", "editorc"):
        kind = decode_plain(entry.record.get(f"{role}type")).strip().lower()
        pieces.append(_by(entry, role, _EDITOR_TYPES.get(kind, _EDITOR_TYPES["editor"])))
    for role, words in _CONTRIBUTORS:
        if role == "commentator" and (_same_people(entry, "commentator", "translator")
                                      or _same_people(entry, "commentator", "editor")):
            continue  # said with the translators or the editors
        pieces.append(_by(entry, role, words))
    return Text(*_comma_join(pieces))


def b_journal(entry: _Entry) -> Text:
    """``*Journal*`` (``submitted to *Journal*`` while submitted), with its language."""
    journal = entry.text("journaltitle")
    subtitle = entry.text("journalsubtitle")
    if subtitle:
        journal = Text(journal, ": ", subtitle)
    if not journal or _contains_arxiv(entry, journal):
        return Text()
    venue = _with_language(entry, "venue", _italic(journal))
    series = _series(entry)
    if series:
        venue = Text(venue, ", ", series)
    if entry.pubstate == "submitted":
        entry.said_submitted = True
        return entry.ctx.labels.fill("submitted to {venue}", venue=venue)
    return venue


def b_venue(entry: _Entry) -> Text:
    """A journal or a book named by an entry of another type (@misc with ``journal``): in italics."""
    if entry.text("journaltitle"):
        return b_journal(entry)
    booktitle = entry.text("booktitle")
    if not booktitle or _contains_arxiv(entry, booktitle):
        return Text()
    return _with_language(entry, "venue", _italic(booktitle))


def _series(entry: _Entry) -> Text:
    """An article's ``series``: ``3rd ser.`` for a number, ``new ser.`` for biblatex's ``newseries``."""
    series = entry.text("series")
    plain = as_plain(series).strip()
    if plain.isdigit():
        return Text(_numbered(entry, N_("{nth} ser."), int(plain)))
    named = {"newseries": N_("new ser."), "oldseries": N_("old ser.")}.get(plain.lower())
    return Text(entry.ctx.labels(named)) if named else series


def _volume(entry: _Entry) -> Text:
    """``7.2``: the volume and biblatex's ``part`` of it."""
    volume, part = entry.text("volume"), entry.text("part")
    return Text(volume, ".", part) if volume and part else volume


def b_issue_title(entry: _Entry) -> Text:
    return entry.text("issuetitle")


def b_numbers(entry: _Entry) -> Text:
    """``220``, ``10(12)``, ``no. 5``: volume and issue of a journal."""
    volume, number = _volume(entry), entry.text("number") or entry.text("issue")
    if _contains_arxiv(entry, volume):
        volume = Text()
    if _contains_arxiv(entry, number):
        number = Text()
    if volume:
        return Text(volume, "(", number, ")") if number else volume
    return entry.ctx.labels.fill("no.\u00a0{number}", number=number) if number else Text()


def b_pages_bare(entry: _Entry) -> Text:
    """An article's pages, or its article number (``eid``) when it has no pages."""
    pages = entry.text("pages")
    if _contains_arxiv(entry, pages):
        pages = Text()
    eid = entry.text("eid")
    return _range(pages) if pages else (Text() if _contains_arxiv(entry, eid) else eid)


def b_pages(entry: _Entry) -> Text:
    """``pp. 55–65``, ``p. 55`` (a no-break space after the abbreviation, as after "vol." and "no.")."""
    pages = entry.text("pages")
    if not pages or _contains_arxiv(entry, pages):
        return Text()
    plain = as_plain(pages)
    if re.fullmatch(r"\s*(?:p|pp|pages?)\.?\s.*", plain, re.IGNORECASE):  # written with its own "pp."
        return _range(pages)
    message = N_("pp.\u00a0{pages}") if re.search(r"[-‐‑–—,+]", plain) else N_("p.\u00a0{pages}")
    return entry.ctx.labels.fill(message, pages=_range(pages))


def b_in_book(entry: _Entry) -> Text:
    """``in *Booktitle*`` (the book's author first, when it has one); lower case after the comma, as AGU writes it."""
    book = entry.text("booktitle") or entry.text("eventtitle")
    subtitle = entry.text("booksubtitle")
    if subtitle:
        book = Text(book, ": ", subtitle)
    if not book:
        return Text()
    book = _with_language(entry, "venue", _italic(book))
    addon = entry.text("booktitleaddon")
    if addon:
        book = Text(book, ", ", addon)
    if entry.record.persons.get("bookauthor") and not _same_people(entry, "bookauthor", "author"):  # said in the head
        names, _ = _name_list(entry.record, "bookauthor", entry.ctx, invert_first=False, nested=entry.nested)
        book = Text(names, ", ", book)
    if entry.pubstate == "submitted":
        entry.said_submitted = True
        return entry.ctx.labels.fill("submitted to {venue}", venue=book)
    return entry.ctx.labels.fill("in {book}", book=book)


_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December")


def _event_date(text: str, labels: Labels = ENGLISH) -> str:
    """``1968-05-19/1968-05-25`` -> ``May 19–25, 1968``: a meeting's dates are shown in full, as biblatex does;
    in another language as Babel (CLDR) writes them there (``19.–25. Mai 1968``)."""
    date = parse_date(text)
    if date is None:
        return decode_plain(text)
    end = parse_date(text.partition("/")[2]) if "/" in text else None
    if not labels.english:
        return date_range(date, end, labels.language)

    def one(d, year: bool = True) -> str:
        if d.month and 1 <= d.month <= 12:
            if not d.day:
                return _MONTH_NAMES[d.month - 1] + (f" {d.year}" if year else "")
            return f"{_MONTH_NAMES[d.month - 1]} {d.day}" + (f", {d.year}" if year else "")
        return str(d.year)

    if end is None or end == date:
        return one(date)
    if end.year == date.year and end.month == date.month and date.day and end.day:
        return f"{_MONTH_NAMES[date.month - 1]} {date.day}–{end.day}, {date.year}"
    if end.year == date.year and date.month and end.month:
        return f"{one(date, year=False)} – {one(end)}"
    return f"{one(date)} – {one(end)}"


def b_event(entry: _Entry) -> Text:
    """The meeting: ``Eighth Nobel Symposium (Aspenäsgarden, Lerum, May 19–25, 1968)``: ``eventtitle`` (when the
    booktitle was shown), ``venue`` and ``eventdate``, which a conference paper or a talk on a CV needs."""
    record = entry.record
    # a paper without a booktitle shows its event title as the book (b_in_book): not twice
    title = Text() if record.kind == "inproceedings" and not record.get("booktitle") else entry.text("eventtitle")
    dates = record.get("eventdate")
    place = [p for p in (entry.text("venue"), Text(_event_date(dates, entry.ctx.labels)) if dates else Text()) if p]
    where = Text(*_comma_join(place))
    if title and where:
        return Text(title, " (", where, ")")
    return title or where


def _pagetotal(entry: _Entry) -> Text:
    total = entry.text("pagetotal")
    if not total:
        return Text()
    return entry.ctx.labels.fill("{total}\u00a0pp.", total=total) if as_plain(total).strip().isdigit() else total


def b_edition(entry: _Entry) -> Text:
    """``2nd edn.``; an edition written in words is shown as written."""
    edition = entry.text("edition")
    plain = as_plain(edition).strip()
    if plain.isdigit():
        return Text(_numbered(entry, N_("{nth} edn."), int(plain)))
    return edition


def b_volume_series(entry: _Entry) -> Text:
    """``vol. 2 of *Maintitle*``, ``vol. 1234 of Series``, ``vol. 2``, ``3 vols.``, ``Series 12``."""
    volume, series, number = _volume(entry), entry.text("series"), entry.text("number")
    main = entry.text("maintitle")
    if main and entry.text("mainsubtitle"):
        main = Text(main, ": ", entry.text("mainsubtitle"))
    pieces: list[Text] = []
    labels = entry.ctx.labels
    if volume and main:
        pieces.append(labels.fill("vol.\u00a0{volume} of {work}", volume=volume, work=_italic(main)))
    elif volume and series and not number:
        pieces.append(labels.fill("vol.\u00a0{volume} of {work}", volume=volume, work=series))
        series = Text()
    elif volume:
        pieces.append(labels.fill("vol.\u00a0{volume}", volume=volume))
    elif entry.text("volumes"):
        pieces.append(labels.fill("{volumes}\u00a0vols.", volumes=entry.text("volumes")))
    if series:
        pieces.append(Text(series, " ", number) if number else series)
    elif number:
        pieces.append(labels.fill("no.\u00a0{number}", number=number))
    return Text(*_comma_join(pieces))


_THESIS = {"phdthesis": N_("PhD thesis"), "mathesis": N_("Master's thesis"), "mastersthesis": N_("Master's thesis"),
           "candthesis": N_("Candidate thesis"), "bathesis": N_("Bachelor's thesis")}


def b_thesis_type(entry: _Entry) -> Text:
    """``*PhD thesis*``, ``*Master's thesis*``, or the ``type`` as written; in italics."""
    written = entry.record.get("type").strip()
    name = _THESIS.get(written.lower().replace(" ", ""))
    labels = entry.ctx.labels
    return _italic(Text(labels(name)) if name else (entry.text("type") if written else Text(labels("Thesis"))))


_REPORT = {"techreport": N_("Technical report"), "resreport": N_("Research report")}


def b_report(entry: _Entry) -> Text:
    """``Technical report 42``: the type (``Technical report`` by default) and the number."""
    written = entry.record.get("type").strip()
    name = _REPORT.get(written.lower()) if written else "Technical report"
    kind = Text(entry.ctx.labels(name)) if name else entry.text("type")
    number = entry.text("number")
    return Text(kind, " ", number) if number else kind


# biblatex's patent types (patentus, patreqde...): the whole phrase, which languages order differently
_PATENTS = {"patent": N_("Patent"), "patentau": N_("Australian patent"), "patentde": N_("German patent"),
            "patenteu": N_("European patent"), "patentfr": N_("French patent"), "patentuk": N_("British patent"),
            "patentus": N_("U.S. patent"), "patreq": N_("Patent request"),
            "patreqau": N_("Australian patent request"), "patreqde": N_("German patent request"),
            "patreqeu": N_("European patent request"), "patreqfr": N_("French patent request"),
            "patrequk": N_("British patent request"), "patrequs": N_("U.S. patent request")}


def b_patent(entry: _Entry) -> Text:
    """``U.S. patent 7,654,321 (Acme Corp.)``: biblatex's patent types, the number, the holders."""
    written = entry.record.get("type").strip().lower()
    if written in _PATENTS:
        name = Text(entry.ctx.labels(_PATENTS[written]))
    else:
        name = entry.text("type") or Text(entry.ctx.labels(_PATENTS["patent"]))
    number = entry.text("number")
    out = Text(name, " ", number) if number else name
    if entry.record.persons.get("holder"):
        holders, _ = _name_list(entry.record, "holder", entry.ctx, invert_first=False, nested=entry.nested)
        out = Text(out, " (", holders, ")")
    return out


def b_version(entry: _Entry) -> Text:
    version = entry.text("version")
    if not version:
        return Text()
    plain = as_plain(version).strip().lower()
    return version if plain.startswith(("version", "v", "release")) else entry.ctx.labels.fill("version {version}",
                                                                                                   version=version)


def _field(name: str, skip_arxiv: bool = False) -> Callable[[_Entry], Text]:
    def block(entry: _Entry) -> Text:
        text = entry.text(name)
        if skip_arxiv and text and _contains_arxiv(entry, text):
            return Text()
        return text

    block.__name__ = f"b_{name}"
    block.__doc__ = f"The ``{name}`` field as written."
    return block


def b_pubstate(entry: _Entry) -> Text:
    """``in press``, ``forthcoming``...; "submitted" when no venue said it; "in review" is the group's to say."""
    state = entry.pubstate
    if not state or state == "inreview" or (state == "submitted" and entry.said_submitted):
        return Text()
    return Text(entry.ctx.labels(_PUBSTATES[state])) if state in _PUBSTATES else entry.text("pubstate")


_PUBSTATES = {"inpress": N_("in press"), "submitted": N_("submitted"), "forthcoming": N_("forthcoming"),
              "prepublished": N_("prepublished"), "inpreparation": N_("in preparation")}


def b_isbn(entry: _Entry) -> Text:
    isbn = entry.record.get("isbn").strip()
    return Text(f"ISBN {decode_plain(isbn)}") if isbn and entry.ctx.show_isbn else Text()


_EPRINTS = {"pubmed": ("PMID", "https://pubmed.ncbi.nlm.nih.gov/{}/"), "hdl": ("hdl", "https://hdl.handle.net/{}"),
            "jstor": ("JSTOR", "https://www.jstor.org/stable/{}"),
            "googlebooks": ("Google Books", "https://books.google.com/books?id={}")}


def b_eprint(entry: _Entry) -> Text:
    """``arXiv:1905.01234 [astro-ph.CO]`` linked to the abstract page; PubMed, handles, JSTOR likewise."""
    record = entry.record
    if record.arxiv:
        ident, category = record.arxiv
        ident = ident.strip()
        label = f"arXiv:{ident}"
        link = _link(f"https://arxiv.org/abs/{ident}", label) if _ARXIV_ID.match(ident) else Text(label)
        return Text(link, f" [{category}]") if category else link
    eprint = decode_plain(record.get("eprint")).strip()
    if not eprint:
        return Text()
    kind = record.get("eprinttype").strip().lower()
    if kind in _EPRINTS and _ARXIV_ID.match(eprint):
        name, pattern = _EPRINTS[kind]
        return Text(f"{name}: ", _link(pattern.format(eprint), eprint))
    return Text(f"{decode_plain(record.get('eprinttype')).strip()}: {eprint}" if kind else eprint)


# biblatex's related types: the words before the related entries (english.lbx's, in this style's abbreviations)
_RELATED = {"origpubas": N_("orig. pub. as {works}"), "origpubin": N_("orig. pub. in {works}"),
            "reprint": N_("repr. of {works}"), "reprintas": N_("repr. as {works}"),
            "reprintfrom": N_("repr. from {works}"), "reviewof": N_("review of {works}"),
            "translationas": N_("transl. as {works}"), "translationfrom": N_("transl. from {works}"),
            "translationof": N_("transl. of {works}"), "bytranslator": N_("transl. {works}"), "multivolume": "",
            "default": ""}


def b_related(entry: _Entry) -> Text:
    """biblatex's ``related``: ``repr. from <the original>``, ``transl. of …``, the volumes of a set (``relatedstring``
    replaces the words).  Each related entry is cited whole, without its own related entries or markers."""
    record = entry.record
    if not record.related or entry.nested:
        return Text()
    kind = decode_plain(record.get("relatedtype")).strip().lower()
    written = entry.text("relatedstring")
    words = _RELATED.get(kind, "")
    cited = []
    own = [str(p) for p in record.persons.get(entry.head_role or "author", [])]
    for other in record.related:
        if kind == "multivolume":  # the volumes of a set: "vol. A: The TeXbook (1984)"
            title = _title(_Entry(other, entry.ctx, False, other.year), italic=True)
            volume = other.text("volume")
            year = _year_text(other, entry.ctx.labels)
            cited.append(Text(*([entry.ctx.labels.fill("vol.\u00a0{volume}", volume=volume), ": "] if volume else []),
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
        return entry.ctx.labels.fill(words, names=names, works=Text(*_join(cited, sep="; ")))
    works = Text(*_join(cited, sep="; "))
    if written:
        return Text(written, " ", works)
    return entry.ctx.labels.fill(words, works=works) if words else works


def b_preprint(entry: _Entry) -> Text:
    """``preprint: bioRxiv, doi:10.1101/…``: the preprint cv_merge_preprints folded into its published version."""
    found = entry.record.preprint_doi
    if not found:
        return Text()
    server, doi = found
    return entry.ctx.labels.fill("preprint: {server}, doi:{doi}", server=server, doi=HRef(f"https://doi.org/{doi}", doi))


def b_link(entry: _Entry) -> Text:
    """``doi:10.x/y`` linked to doi.org; without a DOI, the url (and ``accessed`` its date)."""
    record = entry.record
    doi_field = record.get("doi").strip()
    if doi_field:
        value = url_value(doi_field)
        doi = doi_of(value)
        if doi and record.arxiv and doi.lower().startswith("10.48550/arxiv."):
            return Text()  # arXiv's own DOI: the arXiv link says it
        if doi:
            return Text("doi:", HRef(f"https://doi.org/{doi}", doi))
        return Text("doi:", decode_plain(doi_field))
    url = url_value(record.get("url"))
    if not url or (record.arxiv and re.search(r"arxiv\.org/(?:abs|pdf)/", url, re.IGNORECASE)):
        return Text()
    link = _link(url, url)
    urldate = decode_plain(record.get("urldate")).strip()
    if not urldate:
        return link
    return entry.ctx.labels.fill("{link}, accessed {date}", link=link, date=iso_date(urldate, entry.ctx.labels))


# -- The tables ------------------------------------------------------------------------------

BLOCKS: dict[str, Callable[[_Entry], Text]] = {
    "title": b_title, "title_italic": b_title_italic, "editors": b_editors, "translators": b_translators,
    "journal": b_journal, "venue": b_venue, "issuetitle": b_issue_title, "numbers": b_numbers,
    "pages_bare": b_pages_bare, "pages": b_pages, "in_book": b_in_book, "edition": b_edition,
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
_IN_BOOK = ("title", "translators", "in_book", "editors", "contributors", "edition", "volume_series", "pages",
            "publisher", "location")
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


def _year_text(record: Record, labels: Labels = ENGLISH) -> Text:
    if record.date is not None:
        return Text(record.date.display(labels))
    return record.text("year")


# states in which the year is not yet the publication's: not shown (inpress, forthcoming, prepublished: shown)
_NO_YEAR_YET = frozenset({"submitted", "inreview", "inpreparation", "underreview"})


def format_entry(record: Record, ctx: StyleContext, markers: bool = True, show_year: bool = True,
                 link_title: bool = False, nested: bool = False, end: bool = True,
                 omit: frozenset[str] = frozenset()) -> Text:
    """The whole entry as rich text: head, the blocks of its type, the tail, one final period.

    ``nested``, ``end`` and ``omit`` (block names, or "names" for the head's names) cite it inside another entry."""
    year = record.year
    entry = _Entry(record, ctx, markers, year, pubstate=record.get("pubstate").strip().lower(), link_title=link_title,
                   nested=nested)
    layout = layout_of(record)
    venue = next((b for b in layout if b in _VENUE_BLOCKS), None)
    names = _VENUE_FIELDS.get(venue, ())
    entry.language_at = "venue" if any(record.get(n) for n in names) else "title"  # "(in Chinese)" goes there

    head = _head(entry) if "names" not in omit else Text()
    blocks = [b for b in (*layout, *TAIL) if b not in omit]
    if not head:  # no names: the title heads the entry, as biblatex's author-year styles do
        head = BLOCKS[blocks.pop(0)](entry)
    if show_year and entry.pubstate not in _NO_YEAR_YET:
        shown = _year_text(record, ctx.labels)
        if shown:
            head = Text(head, " (", shown, ")") if head else shown
    pieces = [head] + [BLOCKS[name](entry) for name in blocks]
    if any_rtl(record.fields.values()):
        pieces = [isolate(p, as_plain) for p in pieces if p]
    body = Text(*_comma_join(pieces))
    return body if not end or _ends_sentence(body) or not body else Text(body, ".")


def _head(entry: _Entry) -> Text:
    """The names that head the entry: authors, or editors with "(ed.)"; a ``contribution`` to them."""
    record = entry.record
    contribution = record.text("contribution")
    options = {o.strip().replace(" ", "").lower() for o in record.get("options").split(",")}
    for role in ("author", "editor"):
        if record.persons.get(role) and f"use{role}=false" not in options:  # biblatex's useauthor/useeditor
            names, count = _name_list(record, role, entry.ctx, invert_first=True, markers=entry.markers, nested=entry.nested,
                                      year=entry.year, surname_only=bool(contribution))
            entry.head_role = role
            if role == "editor":
                names = entry.ctx.labels.fill("{names} (eds.)" if count > 1 else "{names} (ed.)", names=names)
            if contribution:
                return entry.ctx.labels.fill("{contribution} to {names}", contribution=contribution, names=names)
            return names
    return Text()


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


# -- Styles ---------------------------------------------------------------------------------------

# A citation style is a function with format_entry's signature, registered by name: conf.py's
# cv_citation_style (or a variant's "citation_style") picks one.  The house style is the default.
Formatter = Callable[..., Text]
STYLES: dict[str, Formatter] = {"house": format_entry}


def register_style(name: str, formatter: Formatter) -> None:
    """A second style is a module that calls this; nothing of the house style is copied or changed."""
    STYLES[name] = formatter


def style_digest(name: str) -> str:
    """A hash of the source of the module that defines style ``name``: a CV's own style, edited, renders again
    (the house style changes only with the extension's version, which the cache key holds too)."""
    import hashlib
    import inspect

    formatter = STYLES.get(name)
    try:  # a CSL style by its .csl file; a decorated style (functools.wraps) by the module of what it wraps
        path = getattr(formatter, "path", None) or (
            inspect.getsourcefile(inspect.unwrap(formatter)) if formatter is not None else None)
        data = open(path, "rb").read() if path else b""  # noqa: SIM115  (one read)
    except (OSError, TypeError):
        data = b""
    return hashlib.sha256(data).hexdigest()


def register_csl(name: object, confdir: str = ".") -> None:
    """A CSL style named in conf.py (an id of the CSL styles repository, or a .csl file) becomes a registered style."""
    if not isinstance(name, str) or name in STYLES:
        return
    from .csl import CSLStyle, style_path

    path = style_path(name, confdir)
    if path is not None:
        STYLES[name] = CSLStyle(name, path)


def style_problem(name: object, where: str = "cv_citation_style") -> str | None:
    """The message for a style nobody registered, with the closest names; None for a known one."""
    if isinstance(name, str) and name in STYLES:
        return None
    import difflib

    from .csl import style_names

    close = difflib.get_close_matches(str(name), [*STYLES, *style_names()], n=3, cutoff=0.6)
    hint = f"did you mean {' or '.join(map(repr, close))}? " if close else ""
    return (f"{where} {name!r} is not a citation style here; {hint}write one of {', '.join(sorted(STYLES))}, the id "
            "of a style of the CSL styles repository (e.g. 'apa', 'ieee', 'nature') or the path of a .csl file")


# -- Legends ----------------------------------------------------------------------------------


def legend(roles: dict[str, Role], prefix: str = "Supervised", labels: Labels = ENGLISH) -> Text:
    """``Supervised graduate student*, postdoc×, and visiting student◊``, from the roles."""
    parts = [Text(role.label, Marker(role)) for role in roles.values()]
    return labels.fill("{prefix} {roles}", prefix=prefix, roles=Text(*_join(parts, labels)))


def used_marks(records: Iterable[Record]) -> set[str]:
    """The written authorship marks (``*``, ``†``...) the records carry: what ``marks_legend`` needs."""
    return {symbol for record in records for by_position in record.marks.values()
            for marks in by_position.values() for symbol in marks}


def marks_legend(marks: Mapping[str, tuple[str, str]], used: set[str]) -> Text:
    """``# equal contribution; † corresponding author``: one item per shown mark that some entry uses.

    ``marks`` maps written marks to (shown symbol, label), as ``StyleContext.marks``; ``used``
    holds written marks (``used_marks``).  Empty when no entry has a mark.
    """
    items: list[Text] = []
    seen: set[tuple[str, str]] = set()
    for written, (shown, label) in marks.items():
        if written in used and label and (shown, label) not in seen:
            seen.add((shown, label))
            items.append(Text(MarkSign(shown, label), " ", label))
    return Text(*_join(items, sep="; "))


__all__ = [
    "BLOCKS",
    "DEFAULT_MARKS",
    "LAYOUTS",
    "STYLES",
    "TAIL",
    "MarkSign",
    "Marker",
    "StyleContext",
    "doi_of",
    "format_authors",
    "format_entry",
    "layout_of",
    "legend",
    "marks_legend",
    "register_style",
    "safe_url",
    "style_digest",
    "style_problem",
    "used_marks",
]
