"""People, roles and periods: who gets which marker on which paper.

Pure Python (pybtex and latex.py only), so the rules can be unit-tested
without Sphinx.  Everything here is built from validated configuration;
``ConfigError`` carries a message that tells the user what to change.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from pybtex.database import Person as BibPerson

from .configerrors import ConfigError, report, shown, unknown_key
from .labels import ENGLISH, N_, Labels
from .latex import decode_plain


def has_letters(value: object) -> bool:
    """A string that can name a person: "," or "{}" would match nobody, or everybody."""
    return isinstance(value, str) and any(c.isalpha() for c in plain(value))


# -- Names -------------------------------------------------------------------

_SPLIT_FIRST = re.compile(r"[\s.\-‐]+")


def plain(text: str) -> str:
    """LaTeX-decoded, brace-free text: ``Bj{\\o}rk`` -> ``Bjørk`` (roster names may be written in LaTeX too)."""
    if "\\" in text or "{" in text or "$" in text:
        text = decode_plain(text)
    return text


# Characters that never tell two names apart: invisible ones copied from web pages, and every hyphen
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2212": "-"})
_TRANSLIT_END = re.compile(r"(?<=\w{3})(?:iy|yi|ij|yj|ii|yy)$")  # Belomestnyi, Belomestnyy, Belomestnyj: Belomestny


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", plain(text).translate(_INVISIBLE).translate(_HYPHENS))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.replace("ø", "o").replace("Ø", "o").replace("æ", "ae").replace("ı", "i").casefold().strip()


_JOINERS = re.compile(r"[\s-]+")


@lru_cache(maxsize=65536)
def _surname_key(text: str) -> str:
    """A surname as matching compares it: folded, hyphens and spaces alike, one transliteration of -ий."""
    folded = _JOINERS.sub("-", _fold(text))
    return _TRANSLIT_END.sub("y", folded)


@dataclass(frozen=True)
class NameKey:
    """A name reduced to what matching compares: folded surname, given-name tokens."""

    last: str
    given: tuple[str, ...]

    @classmethod
    def from_person(cls, person: BibPerson) -> NameKey:
        return _name_key(" ".join(person.prelast_names + person.last_names),
                         " ".join(person.first_names + person.middle_names))

    @classmethod
    def parse(cls, name: str) -> NameKey:
        """A name in conf.py, read by the records' one name parser, as the same name in a .bib file is."""
        from .names import read_name

        return cls.from_person(read_name(name))

    def matches(self, other: NameKey) -> bool:
        """Same surname and compatible given names; an initial matches any name it starts."""
        if self.last != other.last:
            return False
        if not self.given or not other.given:
            return not self.given and not other.given
        for mine, theirs in zip(self.given, other.given, strict=False):
            if len(mine) == 1 or len(theirs) == 1:
                if mine[0] != theirs[0]:
                    return False
            elif mine != theirs:
                return False
        return True


@lru_cache(maxsize=65536)
def _name_key(last: str, given: str) -> NameKey:
    """Folding is the costly part, and one person comes up in many entries: once per spelling."""
    return NameKey(_surname_key(last), tuple(t for t in _SPLIT_FIRST.split(_fold(given)) if t))


def partly_same(mine: NameKey, other: NameKey) -> bool:
    """A spelling that is probably the same person with part of a compound surname: ``Gianotti, D. J.`` for
    ``Short Gianotti, D. J.``, ``Luque, Antonio J. Pérez`` for ``Pérez-Luque, Antonio``; given names must agree.
    Only suggested (``cv.sh new``, the owner_absent warning), never matched: another Luque is not the owner."""
    if mine.last == other.last or not mine.given or not other.given:
        return False
    a, b = mine.last.split("-"), other.last.split("-")
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    if not short or len(short) == len(long_) or (long_[-len(short):] != short and long_[:len(short)] != short):
        return False
    return NameKey(other.last, mine.given).matches(other)


# -- Periods -----------------------------------------------------------------

_PERIOD = re.compile(
    r"^\s*(?P<start>\d{4})\s*(?:(?:[-–—]|to)\s*(?P<end>\d{2,4}|present|now)?\s*)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Period:
    """Closed year range; ``end=None`` means ongoing."""

    start: int
    end: int | None

    @classmethod
    def parse(cls, text: str) -> Period:
        match = _PERIOD.match(str(text))
        if not match:
            raise ConfigError(f"period {text!r} is not understood; write e.g. '2018', '2017–2018', '2017-18' or '2019–present'")
        start = int(match["start"])
        end_text = match["end"]
        has_dash = match.group(0).strip() != match["start"]
        if end_text is None:
            end = None if has_dash else start
        elif end_text.isdigit():
            if len(end_text) == 4:
                end = int(end_text)
            else:  # two digits: 2016-17; across a century only for short spans (1999-01)
                end = start // 100 * 100 + int(end_text)
                if end < start and end + 100 - start <= 20:
                    end += 100
            if len(end_text) == 3 or end < start:
                raise ConfigError(f"period {text!r} ends before it starts; write e.g. '2017–2018'")
        else:
            end = None
        return cls(start, end)

    def covers(self, year: int, lag: int = 0) -> bool:
        return self.start <= year and (self.end is None or year <= self.end + lag)

    def display(self, labels: Labels = ENGLISH) -> str:
        """The CV's own style: 2015, 2016–17, 2016–present, in the CV's language."""
        if self.end is None:
            return labels("{start}–present", start=self.start)
        if self.end == self.start:
            return str(self.start)
        if self.end // 100 == self.start // 100:
            return f"{self.start}–{self.end % 100:02d}"
        return f"{self.start}–{self.end}"


# -- Roles and the roster ----------------------------------------------------


@dataclass(frozen=True)
class Role:
    key: str
    label: str
    symbol: str
    heading: str | None = None  # title of this role's list in the supervised-people section
    show_periods: bool = False


DEFAULT_ROLES: dict[str, dict[str, object]] = {
    "student": {"label": N_("graduate student"), "symbol": "*"},
    "postdoc": {"label": N_("postdoc"), "symbol": "×"},
    "visitor": {"label": N_("visiting student"), "symbol": "◊"},
}

# The keys each entry may have; the README's configuration reference lists the same (a test compares them).
ROLE_KEYS = ("label", "symbol", "heading", "show_periods")
ROSTER_KEYS = ("name", "roles", "expect_papers")

# A role key is written in author+an annotations ("2=student"), where "none" means no role.
_ROLE_KEY = re.compile(r"[A-Za-z][\w-]*")
_ROLE_EXAMPLE = "{'label': 'graduate student', 'symbol': '*'}"
_PERSON_EXAMPLE = "{'name': 'Enze Zhang', 'roles': {'student': '2017–present'}}"


def build_roles(raw: Mapping[str, Mapping[str, object]], problems: list[str] | None = None) -> dict[str, Role]:
    """Raises ConfigError listing every mistake; with ``problems``, adds them there and returns what it could build."""
    found: list[str] = []
    roles: dict[str, Role] = {}
    if not isinstance(raw, Mapping) or not raw:
        found.append(f"cv_roles must be a non-empty dict of roles, not {shown(raw)}; e.g. {{'student': {_ROLE_EXAMPLE}}}")
        raw = {}
    by_symbol: dict[str, str] = {}
    used = {str(spec.get("symbol")).strip() for spec in raw.values() if isinstance(spec, Mapping)}
    free = next((s for s in "*×◊†‡§¶#" if s not in used), "#")  # for the example in a message
    for key, spec in raw.items():
        where = f"cv_roles[{key!r}]"
        if not isinstance(key, str) or not _ROLE_KEY.fullmatch(key) or key == "none":
            found.append(f"cv_roles key {key!r} must be one word (letters, digits, - or _) other than 'none', "
                         "as author+an names it; e.g. 'student'")
            if isinstance(key, str):
                roles[key] = Role(key, key, key)  # reported once here, not again for each roster entry
            continue
        if not isinstance(spec, Mapping):
            found.append(f"{where} must be a dict with 'label' and 'symbol', not {shown(spec)}; e.g. {_ROLE_EXAMPLE}")
            roles[key] = Role(key, key, key)  # still a known role, so the roster is checked against it
            continue
        found.extend(unknown_key(where, k, ROLE_KEYS) for k in spec if k not in ROLE_KEYS)
        label, symbol, heading = spec.get("label"), spec.get("symbol"), spec.get("heading")
        if "label" not in spec:
            found.append(f"{where} needs a 'label', e.g. 'label': 'graduate student'")
        elif not isinstance(label, str) or not label.strip():
            found.append(f"{where}['label'] must be text, not {shown(label)}; e.g. 'graduate student'")
        if "symbol" not in spec:
            found.append(f"{where} needs a 'symbol', e.g. 'symbol': '*'")
        elif not isinstance(symbol, str) or not symbol.strip():
            found.append(f"{where}['symbol'] must be a mark such as '*', not {shown(symbol)}")
        elif symbol.strip() in by_symbol:
            found.append(f"{where}['symbol'] {symbol!r} is also the symbol of {by_symbol[symbol.strip()]!r}, "
                         f"so the legend would be ambiguous; give each role its own, e.g. {free!r}")
        else:
            by_symbol[symbol.strip()] = key
        if heading is not None and not isinstance(heading, str):
            found.append(f"{where}['heading'] must be a string or None, not {shown(heading)}; e.g. 'Graduate students'")
        show_periods = spec.get("show_periods", False)
        if not isinstance(show_periods, bool):
            found.append(f"{where}['show_periods'] must be True or False, not {shown(show_periods)}")
        roles[key] = Role(key, str(label), str(symbol), heading if isinstance(heading, str) else None, show_periods is True)
    report(found, problems)
    return roles


@dataclass(frozen=True)
class Stint:
    role: Role
    period: Period


@dataclass(frozen=True)
class Member:
    """A person of the roster (cv_roster), with the roles they held; not a name in a .bib file (BibPerson)."""

    name: str
    key: NameKey
    stints: tuple[Stint, ...]
    expect_papers: bool = True  # False: no co-authored paper is expected, so none is not a typo
    index: int | None = None  # its place in cv_roster, for a warning's line in conf.py

    def role_in(self, year: int, lag: int) -> Role | None:
        """The role held in ``year``; a role reaches ``lag`` years past its end, and the later-started role wins."""
        best: Stint | None = None
        for stint in self.stints:
            if stint.period.covers(year, lag) and (best is None or stint.period.start >= best.period.start):
                best = stint
        return best.role if best else None


@dataclass
class Roster:
    roles: dict[str, Role]
    people: list[Member]
    lag: int = 2
    _by_last: dict[str, list[Member]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for person in self.people:
            self._by_last.setdefault(person.key.last, []).append(person)

    def labels(self) -> dict[str, str]:
        """Each role's label by its key, as the exports name the roles."""
        return {key: role.label for key, role in self.roles.items()}

    def find(self, key: NameKey) -> list[Member]:
        """Every roster person the name could be (more than one means ambiguous)."""
        return [p for p in self._by_last.get(key.last, ()) if p.key.matches(key)]

    def overrides(self, annotation: str) -> dict[int, str | None]:
        """An entry's ``author+an``; unreadable ones are checks.py's warning, and the roster decides."""
        if not annotation:
            return {}
        try:
            return parse_annotation(annotation, self.roles)
        except ValueError:
            return {}

    def marker(self, position: int, key: NameKey, overrides: Mapping[int, str | None], year: int | None) -> Role | None:
        """The role whose marker follows the name at ``position``: ``author+an`` first, then the one roster
        person the name can be and the role they held in ``year`` (no year: no marker)."""
        if position in overrides:
            role_key = overrides[position]
            return self.roles[role_key] if role_key else None
        if year is None:
            return None
        found = self.find(key)
        return found[0].role_in(year, self.lag) if len(found) == 1 else None


def build_roster(raw: Sequence[Mapping[str, object]], roles: Mapping[str, Role], lag: int = 2,
                 problems: list[str] | None = None) -> Roster:
    """Raises ConfigError listing every mistake; with ``problems``, adds them there and returns what it could build."""
    found: list[str] = []
    if not isinstance(raw, (list, tuple)):
        found.append(f"cv_roster must be a list of people, not {shown(raw)}; e.g. [{_PERSON_EXAMPLE}]")
        raw = []
    if not isinstance(lag, int) or isinstance(lag, bool) or lag < 0:
        found.append(f"cv_role_lag_years must be a whole number of years, 0 or more, not {shown(lag)}; e.g. 2")
        lag = 0
    people: list[Member] = []
    for index, spec in enumerate(raw):
        where = f"cv_roster[{index}]"
        if not isinstance(spec, Mapping):
            found.append(f"{where} must be a dict, not {shown(spec)}; e.g. {_PERSON_EXAMPLE}")
            continue
        name = spec.get("name")
        if "name" not in spec:
            found.append(f"{where} needs a 'name', e.g. 'name': 'Enze Zhang'")
        elif not has_letters(name):
            found.append(f"{where}['name'] must be a person's name, not {shown(name)}; e.g. 'Enze Zhang'")
        else:
            where = f"cv_roster[{index}] ({name.strip()})"  # type: ignore[union-attr]
        found.extend(unknown_key(where, k, ROSTER_KEYS) for k in spec if k not in ROSTER_KEYS)
        expect_papers = spec.get("expect_papers", True)
        if not isinstance(expect_papers, bool):
            found.append(f"{where}['expect_papers'] must be True or False, not {shown(expect_papers)}; e.g. False")
        stints = _stints(where, spec.get("roles"), roles, found)
        if has_letters(name) and stints and isinstance(expect_papers, bool):
            name = name.strip()  # type: ignore[union-attr]
            people.append(Member(name, NameKey.parse(name), tuple(stints), expect_papers, index))
    report(found, problems)
    return Roster(dict(roles), people, lag)


def _stints(where: str, role_specs: object, roles: Mapping[str, Role], found: list[str]) -> list[Stint]:
    example = f"{{{next(iter(roles), 'student')!r}: '2017–present'}}"
    if role_specs is None or role_specs == {}:
        found.append(f"{where} needs 'roles', e.g. 'roles': {example}")
        return []
    if not isinstance(role_specs, Mapping):
        found.append(f"{where}['roles'] must be a dict of role: period, not {shown(role_specs)}; e.g. {example}")
        return []
    stints = []
    for role_key, periods in role_specs.items():
        if not roles:  # cv_roles itself could not be read, and says so: no role is "unknown" then
            continue
        if role_key not in roles:
            close = difflib.get_close_matches(str(role_key), list(roles), n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}? " if close else ""
            found.append(f"{where} has unknown role {role_key!r}; {hint}known roles: {', '.join(roles)} (or add it to cv_roles)")
            continue
        texts = _period_texts(periods)
        if texts is None:
            found.append(f"{where}['roles'][{role_key!r}] must be a period or a list of periods, not {shown(periods)}; "
                         "e.g. '2017–2018'")
            continue
        for text in texts:
            try:
                stints.append(Stint(roles[role_key], Period.parse(text)))
            except ConfigError as err:
                found.append(f"{where}, role {role_key!r}: {err}")
    return stints


def _period_texts(value: object) -> list[str] | None:
    """``'2015, 2017–2018'``, ``2018`` or a list of those as period texts; None for anything else."""
    if isinstance(value, str):
        return [part for part in (p.strip() for p in value.split(",")) if part] or [value]
    if isinstance(value, int) and not isinstance(value, bool):
        return [str(value)]
    if isinstance(value, (list, tuple)) and value:
        texts = [_period_texts(v) for v in value]
        if all(t is not None for t in texts):
            return [text for t in texts for text in t]  # type: ignore[union-attr]
    return None


# -- Owner -------------------------------------------------------------------


@dataclass(frozen=True)
class Owner:
    name: str
    keys: tuple[NameKey, ...]

    def is_owner(self, key: NameKey) -> bool:
        return any(k.matches(key) for k in self.keys)


def build_owner(name: object, aliases: object = (), problems: list[str] | None = None) -> Owner:
    """Raises ConfigError listing every mistake; with ``problems``, adds them there and returns what it could build."""
    found: list[str] = []
    if name is None or (isinstance(name, str) and not name.strip()):
        found.append("cv_owner is not set; write the CV owner's name as refs.bib spells it, e.g. cv_owner = 'Curie, Marie'")
    elif not has_letters(name):
        found.append(f"cv_owner must be a person's name, not {shown(name)}; e.g. cv_owner = 'Curie, Marie'")
    if not isinstance(aliases, (list, tuple)):
        found.append(f"cv_owner_aliases must be a list of names, not {shown(aliases)}; e.g. cv_owner_aliases = ['Curie, M. S.']")
        aliases = ()
    for index, alias in enumerate(aliases):
        if not has_letters(alias):
            found.append(f"cv_owner_aliases[{index}] must be a person's name, not {shown(alias)}; e.g. 'Curie, M. S.'")
    report(found, problems)
    names = [n for n in (name, *aliases) if has_letters(n)]
    return Owner(names[0] if names else "", tuple(NameKey.parse(n) for n in names))  # type: ignore[arg-type]


# -- Per-entry annotations ---------------------------------------------------


# annotation words that mark the CV owner: biblatex's and al-folio's "highlight", and what people write for themselves
OWNER_WORDS = frozenset({"highlight", "owner", "me", "self", "myself"})


# annotation words for what is not a role (biblatex's own examples and real CVs' files): read, and left alone
FREE_WORDS = frozenset({"corresponding", "first", "last", "equal", "pi", "co-pi", "copi", "coi", "co-i", "senior",
                        "lead", "presenter", "presenting", "speaker", "advisee", "advisor", "supervisor", "invited"})


def highlighted(text: str) -> frozenset[int]:
    """The positions biblatex's and al-folio's ``author+an = {3=highlight}`` (or ``3=owner``) mark as the owner,
    for a spelling no alias covers; the rest of the annotation is ``parse_annotation``'s."""
    if not text:
        return frozenset()
    found = set()
    for part in text.split(";"):
        position, _, value = part.partition("=")
        position = position.split(":")[0].strip()
        if position.isdigit() and {v.strip().lower() for v in value.split(",")} & OWNER_WORDS:
            found.add(int(position))
    return frozenset(found)


def parse_annotation(text: str, roles: Mapping[str, Role]) -> dict[int, str | None]:
    """``author+an = {2=student; 6=none}`` -> {2: 'student', 6: None}; raises ValueError."""
    result: dict[int, str | None] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        position, _, value = part.partition("=")
        position = position.split(":")[0].strip()
        value = value.strip()
        if not position.isdigit() or not value:
            raise ValueError(f"annotation {part!r} should look like '2=student'")
        words = [w.strip() for w in value.split(",") if w.strip()]
        held = [w for w in words if w in roles]
        if value in ("none", "-"):
            result[int(position)] = None
        elif held:
            result[int(position)] = held[0]
        else:
            # biblatex's annotations are free words: the ones people use for other things than roles pass
            for word in words:
                if word.lower() not in OWNER_WORDS | FREE_WORDS:
                    close = difflib.get_close_matches(word, list(roles), n=1, cutoff=0.6)
                    hint = f"did you mean {close[0]!r}? " if close else ""
                    raise ValueError(f"annotation {part!r} names unknown role {word!r}; {hint}known: "
                                     f"{', '.join(roles)}, none (and, for the owner, highlight)")
    return result
