"""People, roles and periods: who gets which marker on which paper.

Pure Python (pybtex and latexcodec only), so the rules can be unit-tested
without Sphinx.  Everything here is built from validated configuration;
``ConfigError`` carries a message that tells the user what to change.
"""

from __future__ import annotations

import codecs
import contextlib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import latexcodec  # noqa: F401  (registers the "ulatex" codec)
from pybtex.database import Person as BibPerson


class ConfigError(ValueError):
    """A configuration value that cannot be used; the message says how to fix it."""


# -- Names -------------------------------------------------------------------

_SPLIT_FIRST = re.compile(r"[\s.\-‐]+")


def plain(text: str) -> str:
    """LaTeX-decoded, brace-free text: ``Bj{\\o}rk`` -> ``Bjørk``."""
    if "\\" in text or "{" in text:
        with contextlib.suppress(Exception):
            text = codecs.decode(text, "ulatex")
        text = text.replace("{", "").replace("}", "")
    return text


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", plain(text))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.replace("ø", "o").replace("Ø", "o").replace("æ", "ae").casefold().strip()


@dataclass(frozen=True)
class NameKey:
    """A name reduced to what matching compares: folded surname, given-name tokens."""

    last: str
    given: tuple[str, ...]

    @classmethod
    def from_person(cls, person: BibPerson) -> NameKey:
        last = " ".join(person.prelast_names + person.last_names)
        given = " ".join(person.first_names + person.middle_names)
        tokens = tuple(t for t in _SPLIT_FIRST.split(_fold(given)) if t)
        return cls(_fold(last), tokens)

    @classmethod
    def parse(cls, name: str) -> NameKey:
        return cls.from_person(BibPerson(name))

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
            raise ConfigError(
                f"period {text!r} is not understood; write a year ('2018'), "
                "a range ('2017–2018' or '2017-18') or an open range ('2019–present')"
            )
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
                raise ConfigError(f"period {text!r} ends before it starts")
        else:
            end = None
        return cls(start, end)

    def covers(self, year: int, lag: int = 0) -> bool:
        return self.start <= year and (self.end is None or year <= self.end + lag)

    def display(self) -> str:
        """The CV's own style: 2015, 2016–17, 2016–present."""
        if self.end is None:
            return f"{self.start}–present"
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
    "student": {"label": "graduate student", "symbol": "*"},
    "postdoc": {"label": "postdoc", "symbol": "×"},
    "visitor": {"label": "visiting student", "symbol": "◊"},
}


def build_roles(raw: Mapping[str, Mapping[str, object]]) -> dict[str, Role]:
    roles: dict[str, Role] = {}
    if not isinstance(raw, Mapping) or not raw:
        raise ConfigError("cv_roles must be a non-empty dict: {'student': {'label': ..., 'symbol': ...}}")
    for key, spec in raw.items():
        where = f"cv_roles[{key!r}]"
        if not isinstance(spec, Mapping):
            raise ConfigError(f"{where} must be a dict with 'label' and 'symbol'")
        unknown = set(spec) - {"label", "symbol", "heading", "show_periods"}
        if unknown:
            raise ConfigError(f"{where} has unknown keys {sorted(unknown)}; allowed: label, symbol, heading, show_periods")
        label, symbol = spec.get("label"), spec.get("symbol")
        if not isinstance(label, str) or not label.strip():
            raise ConfigError(f"{where} needs a 'label', e.g. 'graduate student'")
        if not isinstance(symbol, str) or not symbol.strip():
            raise ConfigError(f"{where} needs a 'symbol', e.g. '*'")
        heading = spec.get("heading")
        if heading is not None and not isinstance(heading, str):
            raise ConfigError(f"{where}['heading'] must be a string")
        roles[key] = Role(str(key), label, symbol, heading, bool(spec.get("show_periods", False)))
    return roles


@dataclass(frozen=True)
class Stint:
    role: Role
    period: Period


@dataclass(frozen=True)
class Person:
    name: str
    key: NameKey
    stints: tuple[Stint, ...]
    expect_papers: bool = True  # False: no co-authored paper is expected, so none is not a typo

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
    people: list[Person]
    lag: int = 2
    _by_last: dict[str, list[Person]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for person in self.people:
            self._by_last.setdefault(person.key.last, []).append(person)

    def find(self, key: NameKey) -> list[Person]:
        """Every roster person the name could be (more than one means ambiguous)."""
        return [p for p in self._by_last.get(key.last, ()) if p.key.matches(key)]


def build_roster(raw: Sequence[Mapping[str, object]], roles: Mapping[str, Role], lag: int = 2) -> Roster:
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        raise ConfigError("cv_roster must be a list of {'name': ..., 'roles': {role: period}} dicts")
    if not isinstance(lag, int) or lag < 0:
        raise ConfigError("cv_role_lag_years must be a whole number of years, 0 or more")
    people: list[Person] = []
    for index, spec in enumerate(raw):
        where = f"cv_roster[{index}]"
        if not isinstance(spec, Mapping) or not isinstance(spec.get("name"), str) or not spec["name"].strip():
            raise ConfigError(f"{where} needs a 'name', e.g. {{'name': 'Enze Zhang', 'roles': {{'student': '2017–present'}}}}")
        name = spec["name"].strip()
        where = f"cv_roster[{index}] ({name})"
        unknown = set(spec) - {"name", "roles", "expect_papers"}
        if unknown:
            raise ConfigError(f"{where} has unknown keys {sorted(unknown)}; allowed: name, roles, expect_papers")
        role_specs = spec.get("roles")
        if not isinstance(role_specs, Mapping) or not role_specs:
            raise ConfigError(f"{where} needs 'roles', a dict like {{'postdoc': '2017–2018'}}")
        stints = []
        for role_key, periods in role_specs.items():
            if role_key not in roles:
                raise ConfigError(f"{where}: unknown role {role_key!r}; known roles: {', '.join(roles)} (add it to cv_roles)")
            for text in _period_texts(periods):
                try:
                    stints.append(Stint(roles[role_key], Period.parse(text)))
                except ConfigError as err:
                    raise ConfigError(f"{where}, role {role_key!r}: {err}") from None
        people.append(Person(name, NameKey.parse(name), tuple(stints), bool(spec.get("expect_papers", True))))
    return Roster(dict(roles), people, lag)


def _period_texts(value: object) -> Iterable[str]:
    if isinstance(value, str):
        return [part for part in (p.strip() for p in value.split(",")) if part] or [value]
    if isinstance(value, (int,)):
        return [str(value)]
    if isinstance(value, Sequence):
        return [str(v) for v in value]
    return [repr(value)]


# -- Owner -------------------------------------------------------------------


@dataclass(frozen=True)
class Owner:
    name: str
    keys: tuple[NameKey, ...]

    def is_owner(self, key: NameKey) -> bool:
        return any(k.matches(key) for k in self.keys)


def build_owner(name: object, aliases: object = ()) -> Owner:
    if not isinstance(name, str) or not name.strip():
        raise ConfigError("cv_owner is not set; put the CV owner's name in conf.py, e.g. cv_owner = 'Liu, Lin'")
    if isinstance(aliases, str):
        aliases = [aliases]
    names = [name, *(aliases or ())]
    if not all(isinstance(n, str) and n.strip() for n in names):
        raise ConfigError("cv_owner_aliases must be a list of names, e.g. ['Liu, L. L.']")
    return Owner(name, tuple(NameKey.parse(n) for n in names))


# -- Per-entry annotations ---------------------------------------------------


def parse_annotation(text: str, roles: Mapping[str, Role]) -> dict[int, str | None]:
    """``author+an = {2=student; 6=none}`` -> {2: 'student', 6: None}; raises ValueError."""
    result: dict[int, str | None] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        position, _, value = part.partition("=")
        position = position.split(":")[0].strip()
        value = value.strip()
        if not position.isdigit() or not value:
            raise ValueError(f"annotation {part!r} should look like '2=student'")
        if value in ("none", "-"):
            result[int(position)] = None
        elif value in roles:
            result[int(position)] = value
        elif value in ("highlight", "owner"):
            continue
        else:
            raise ValueError(f"annotation {part!r} names unknown role {value!r}; known: {', '.join(roles)}, none")
    return result
