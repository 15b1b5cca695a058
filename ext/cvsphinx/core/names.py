"""Names in a .bib file, read once for every consumer: BibTeX's rules, biblatex's extended name format,
authorship marks split off (``Zhou*``, ``Xuhui Zhou$^\\dagger$``), CJK names family name first, LaTeX decoded."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from pybtex.bibtex.utils import split_name_list, split_tex_string
from pybtex.database import Person
from pybtex.scanner import PybtexError

from .braces import encloses, split_outside
from .latex import decode_plain

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
    pieces = split_outside(part, ",")
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
    for item in split_outside(part, ","):
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


def _unbrace(text: str) -> str:
    return text[1:-1] if encloses(text) else text


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
        # most parts are empty (no von, no Jr.): they share one list, as nothing changes a name once parsed
        setattr(out, attr, [d for d in (decode_plain(p, macros) for p in getattr(person, attr)) if d] or _NO_PARTS)
    surname = " ".join(out.last_names)
    if not surname.isupper():  # run-together initials, as Web of Science and Scopus write them: "Bonet, FJ"
        for attr in ("first_names", "middle_names"):
            names = getattr(out, attr)
            if any(_RUN_TOGETHER.fullmatch(n) for n in names):
                setattr(out, attr, [i for n in names for i in ([f"{c}." for c in n.rstrip(".")]
                                                                if _RUN_TOGETHER.fullmatch(n) else [n])])
    return out


_NO_PARTS: list[str] = []  # never appended to: read-only, as every name part after parsing
_RUN_TOGETHER = re.compile(r"[A-Z\u00c0-\u00de]{2,3}\.?")  # "FJ", and "MK." (Crossref: "Rostal, MK.")


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
    if not encloses("{" + inner + "}") or ("," not in inner and " " not in inner.strip()):
        return part  # one word, or braces that do not close where the wrapper does: not a whole name
    return inner + match.group("rest")


@lru_cache(maxsize=32768)
def _parse_names(value: str, macro_items: tuple[tuple[str, str], ...]) -> tuple[tuple[Name, ...], tuple[str, ...]]:
    names: list[Name] = []
    problems: list[str] = []
    if "and\\" in value:
        value = _AND_BEFORE_COMMAND.sub("and ", value)
    stripped = value.strip()
    inner = stripped[1:-1] if encloses(stripped) else ""
    if inner and re.search(r"\s+and\s+", inner) and "," in inner:  # {Lievens, Hans and Brangers, Isis}: a list
        problems.append("the whole name list is in braces, which makes it one name; it is read as the names it "
                        "lists: delete the outer braces")
        value = inner
    parts = split_name_list(value)
    if len(parts) == 1 and "," in value and "{" not in value:
        listed = [item.strip() for item in value.split(",")]
        if all(_SURNAME_INITIALS.fullmatch(item) for item in listed):
            # Scopus's editors: "Ziefle M., Maciaszek L., Maciaszek L.": names, each surname first, one repeated
            parts = list(dict.fromkeys(", ".join(item.rsplit(None, 1)) for item in listed))
            problems.append(f"the names {value.strip()!r} are separated by commas, as Scopus writes them; they are "
                            f"read as {len(parts)} names ({' and '.join(parts)}): BibTeX needs ' and ' between "
                            "names, write that")
    for part in parts:
        name, name_problems = _parse_name(part, len(parts) == 1, macro_items)
        names.append(name)
        problems.extend(name_problems)
    return tuple(names), tuple(problems)


# "Maciaszek L.A.", "Calero Valdez A.": a surname, then its initials, as Scopus lists editors
_SURNAME_INITIALS = re.compile(r"[^\W\d_][\w'’-]*(?:\s+[^\W\d_][\w'’-]*)*\s+(?:[A-Z]\.-?)+")

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
        commas = split_outside(part, ",")
        if len(commas) > 3 or (len(commas) == 3 and alone and all(len(c.split()) <= 2 for c in commas)
                               and not _LINEAGE.fullmatch(commas[1].strip())):  # "Christie, Jr., William M."
            problems.append(f"name {raw!r} has {len(commas) - 1} commas: are the authors separated by commas? "
                            "BibTeX needs ' and ' between names; it is shown as written")
            person = Person(last="{" + part + "}")
        else:
            if len(commas) == 3 and len(commas[1].split()) >= 2 and not _LINEAGE.fullmatch(commas[1].strip()):
                # "Martínez-Batlle, José Ramón Herrera-Hernández, Dimitris": two names, an " and " lost between
                problems.append(f"name {raw!r} has 2 commas, and {commas[1].strip()!r} between them is not a "
                                "generation (Jr., III): is an ' and ' missing between two names? It is read as "
                                "BibTeX reads it (surname, generation, given names): add the ' and '")
            try:
                person = _plain_person(part.strip()) or Person(part)
            except PybtexError as err:
                problems.append(f"name {raw!r} cannot be read ({err}); it is shown as written")
                person = Person(last="{" + part + "}")
            if "{" not in part and _ORGANISATION.search(" ".join(person.prelast_names + person.last_names)):
                problems.append(f"name {raw!r} is an organisation's, which BibTeX reads as a person's (given names "
                                f"{' '.join(person.first_names + person.middle_names)!r}); it is shown as written: "
                                f"write it in braces, {{{part.strip()}}}")
                person = Person(last="{" + part.strip() + "}")
    return Name(_decoded_person(person, dict(macro_items)), marks, raw), tuple(problems)


# A word no person's family name is, and a body's name holds: "Chair of Computational Corpus Linguistics, FAU
# Erlangen-Nürnberg" as an editor (ausgerechnet/ausgerechnet.github.io) showed "F. A. U. E.-N." as initials
_ORGANISATION = re.compile(r"\b(?:University|Universit[äé]t?|Institute?|Chair|Department|Laboratory|Consortium|"
                           r"Committee|Society|Association|Collaboration|Council|Agency|Foundation|Working Group|"
                           r"Task Force|Ministry|Office)\b")
