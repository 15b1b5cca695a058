"""What every citation style shares: the marker and mark elements of rich text, the names (the owner bold,
supervisees marked, initials), the context a style formats in, and the legends."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from pybtex.backends.plaintext import Backend as PlainBackend
from pybtex.database import Person as BibPerson
from pybtex.richtext import BaseText, Tag, Text

from ..core.labels import ENGLISH, N_, Labels
from ..core.latex import decode_plain
from ..core.names import is_cjk_name
from ..core.people import NameKey, Owner, Role, Roster, highlighted
from ..core.records import Record
from ..core.rich import make_text

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


def _person_parts(person: BibPerson, inverted: bool) -> tuple[str, ...]:
    """A name as the strings it is shown in: parts, not a Text, for the list joins them into one Text at once (an
    institute's list spent a third of its formatting making and merging a Text per name)."""
    surname_parts = tuple(person.prelast_names + person.last_names + person.lineage_names)
    given_parts = tuple(person.first_names + person.middle_names)
    whole = _cjk_shown(surname_parts, given_parts)
    if whole:
        return (whole,)
    last, given = _shown_name(surname_parts, given_parts)
    if not given:
        return (last,)
    return (last, ", ", given) if inverted else (given, " ", last)


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
    reported by core/checks.py; here they just degrade.
    """
    people = record.persons.get(role) or []
    marks = record.marks.get(role, {})
    overrides = ctx.roster.overrides(record.get(f"{role}+an")) if markers else {}
    highlights = highlighted(record.get(f"{role}+an"))
    parts: list[list[Any]] = []  # each name as its pieces; one Text is made of them all at the end
    etal = False
    for position, person in enumerate(people, start=1):
        if _is_others(person):
            etal = True
            continue
        key = NameKey.from_person(person)
        piece: list[Any] = ([_surname(person)] if surname_only
                            else list(_person_parts(person, inverted=invert_first and not parts)))
        if (ctx.owner.is_owner(key) or position in highlights) and not nested:
            piece = [Tag("strong", *piece)]
        marker = ctx.roster.marker(position, key, overrides, year if markers else None)
        if marker is not None:
            piece.append(Marker(marker))
        if position in marks:
            piece.extend(_mark_signs(marks[position], ctx))
        parts.append(piece)
    if etal:
        etal_text = ctx.labels("et al.")
        if not parts:
            return Text(etal_text), 2
        # "A et al.", "A, B, et al.": never "A, B, and C et al."
        comma = ctx.labels(", ")
        joined = _flat(_join(parts, sep=comma))
        return make_text(*joined, comma if len(parts) > 1 else " ", etal_text), len(parts) + 1
    return make_text(*_flat(_join(parts, ctx.labels))), len(parts)


def _flat(joined: list[Any]) -> list[Any]:
    return [part for item in joined for part in (item if isinstance(item, list) else (item,))]


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
