"""Publication groups: which entries go where, in which order, with which number.

A group selects entries with a small expression over the entry type, its
fields and its keywords, e.g. ``type == 'article' and not pubstate``.  The
expression is checked once, when the configuration is read; anything outside
the small grammar below is a configuration error, never a silent empty list.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from .configerrors import ConfigError, report, shown, unknown_key
from .records import Record

Selector = Callable[[Record], bool]

_GRAMMAR = (
    "names (type, kind, keywords, selected, preprint, or any field such as journal), quoted strings, "
    "tuples of strings, ==, !=, in, not in, and, or, not"
)
# al-folio's ``selected = {true}``: these values mean yes, anything else (``false``, ``no``) means no.
_YES = frozenset({"true", "yes", "1", "on"})


def compile_selector(text: str) -> Selector:
    """Turn a selector expression into a predicate on records; raises ConfigError."""
    if not isinstance(text, str) or not text.strip():
        raise ConfigError("is empty; write e.g. \"type == 'article'\"")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as err:
        raise ConfigError(f"does not parse ({err.msg} at column {err.offset}); allowed: {_GRAMMAR}") from None
    return _compile(tree.body)


def _value_of(name: str) -> Callable[[Record], object]:
    if name == "type":
        return lambda r: r.type
    if name == "kind":
        return lambda r: r.kind
    if name == "keywords":
        return lambda r: {k.strip().lower() for k in r.get("keywords").replace(";", ",").split(",") if k.strip()}
    if name == "selected":  # a flag, so ``selected = {false}`` is not selected
        return lambda r: "true" if r.get("selected").strip().lower() in _YES else ""
    if name == "preprint":  # the preprint server, or "" (exporters.preprint_server)
        return lambda r: r.preprint
    if name in ("author", "editor"):
        return lambda r: " and ".join(str(p) for p in r.persons.get(name, ()))
    return lambda r: r.get(name)


_BUILT_IN = frozenset({"type", "kind", "keywords", "selected", "preprint", "author", "editor"})


def selector_fields(text: str) -> set[str]:
    """The fields a (valid) selector reads, besides the names every entry has (type, kind...)."""
    tree = ast.parse(text.strip(), mode="eval")
    return {n.id.lower() for n in ast.walk(tree) if isinstance(n, ast.Name)} - _BUILT_IN


def _compile(node: ast.AST) -> Callable[[Record], object]:
    if isinstance(node, ast.BoolOp):
        parts = [_compile(v) for v in node.values]
        if isinstance(node.op, ast.And):
            return lambda r: all(p(r) for p in parts)
        return lambda r: any(p(r) for p in parts)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        inner = _compile(node.operand)
        return lambda r: not inner(r)
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        left, right = _compile(node.left), _compile(node.comparators[0])
        if _constant(node.comparators[0]):  # ``type in ("article", "review")``: lowered once, not per entry
            fixed = _lower(right(None))  # type: ignore[arg-type]
            lowered: Callable[[Record], object] = lambda r: fixed  # noqa: E731
        else:
            lowered = lambda r: _lower(right(r))  # noqa: E731
        op = node.ops[0]
        if isinstance(op, ast.Eq):
            return lambda r: _lower(left(r)) == lowered(r)
        if isinstance(op, ast.NotEq):
            return lambda r: _lower(left(r)) != lowered(r)
        if isinstance(op, (ast.In, ast.NotIn)):
            negate = isinstance(op, ast.NotIn)
            return lambda r: negate != (_lower(left(r)) in lowered(r))  # type: ignore[operator]
    if isinstance(node, ast.Name):
        return _value_of(node.id.lower())
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        value = node.value
        return lambda r: value
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        items = [_compile(e) for e in node.elts]
        if all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts):
            return lambda r: frozenset(i(r) for i in items)
    raise ConfigError(f"uses {ast.unparse(node)!r}, which a selector cannot contain; allowed: {_GRAMMAR}")


def _constant(node: ast.AST) -> bool:
    """A string, or a tuple, list or set of strings: the same for every entry."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    return isinstance(node, (ast.Tuple, ast.List, ast.Set)) and all(
        isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts)


def _lower(value: object) -> object:
    if isinstance(value, str):
        return value.lower()
    if isinstance(value, (set, frozenset)):
        return frozenset(v.lower() for v in value)
    return value


@dataclass(frozen=True)
class Group:
    name: str
    title: str | None
    select: Selector
    source: str
    markers: bool = True
    show_year: bool = True

    @property
    def shown_title(self) -> str:
        """Its title, or its name made readable (``in-review`` -> "In review") where it has none."""
        return self.title or self.name.replace("-", " ").replace("_", " ").capitalize()


# The keys a group may have; the README's configuration reference lists the same (a test compares them).
GROUP_KEYS = ("name", "title", "select", "markers", "show_year")
_GROUP_EXAMPLE = "{'name': 'papers', 'title': 'Papers', 'select': \"type == 'article'\"}"


def selector_or_say(source: str, where: str, found: list[str]) -> Selector | None:
    """The compiled selector, or None with the reason added to ``found`` (a configuration mistake, said once)."""
    try:
        return compile_selector(source)
    except ConfigError as err:
        found.append(f"{where}: the selector {source!r} {err}")
        return None


def build_groups(raw: Sequence[Mapping[str, object]], problems: list[str] | None = None) -> list[Group]:
    """Raises ConfigError listing every mistake; with ``problems``, adds them there and returns what it could build."""
    found: list[str] = []
    if not isinstance(raw, (list, tuple)) or not raw:
        found.append(f"cv_publication_groups must be a non-empty list of groups, not {shown(raw)}; e.g. [{_GROUP_EXAMPLE}]")
        raw = []
    groups: list[Group] = []
    names: set[str] = set()
    for index, spec in enumerate(raw):
        where = f"cv_publication_groups[{index}]"
        if not isinstance(spec, Mapping):
            found.append(f"{where} must be a dict with 'name' and 'select', not {shown(spec)}; e.g. {_GROUP_EXAMPLE}")
            continue
        name, named = spec.get("name"), False
        if "name" not in spec:
            found.append(f"{where} needs a 'name' that directives refer to, e.g. 'name': 'peer-reviewed'")
        elif not isinstance(name, str) or len(name.split()) != 1:
            # {publications} takes group names separated by spaces
            found.append(f"{where}['name'] must be one word, not {shown(name)}; e.g. 'peer-reviewed'")
        elif name in names:
            found.append(f"{where}: the name {name!r} is used twice; give each group its own")
        else:
            names.add(name)
            named, where = True, f"{where} ({name})"
        found.extend(unknown_key(where, k, GROUP_KEYS) for k in spec if k not in GROUP_KEYS)
        title = spec.get("title")
        if title is not None and not isinstance(title, str):
            found.append(f"{where}['title'] must be a string or None, not {shown(title)}; e.g. 'Journal Articles'")
        flags = {key: spec.get(key, True) for key in ("markers", "show_year")}
        for key, value in flags.items():
            if not isinstance(value, bool):
                found.append(f"{where}[{key!r}] must be True or False, not {shown(value)}")
        source = spec.get("select")
        select = None
        if "select" not in spec:
            found.append(f"{where} needs a 'select', e.g. 'select': \"type == 'article'\"")
        elif not isinstance(source, str):
            found.append(f"{where}['select'] must be a selector string, not {shown(source)}; e.g. \"type == 'article'\"")
        else:
            select = selector_or_say(source, where, found)
        if select is not None and named:
            groups.append(Group(name, title, select, source, flags["markers"] is True,  # type: ignore[arg-type]
                                flags["show_year"] is True))
    report(found, problems)
    return groups


def sort_year(record: Record) -> int:
    """Year for ordering; entries without a readable year sort last."""
    digits = "".join(c for c in record.get("year") if c.isdigit())
    return int(digits[:4]) if len(digits) >= 4 else -1


@dataclass(frozen=True)
class Selection:
    """What a variant of the CV keeps of each group: a selector, a year window, a count."""

    select: Selector | None = None
    since: int | None = None  # the first year kept; entries without a readable year go when it is set
    max_per_group: int | Mapping[str, int] | None = None

    def limit(self, group: str) -> int | None:
        if isinstance(self.max_per_group, Mapping):
            return self.max_per_group.get(group)
        return self.max_per_group

    def keeps(self, record: Record) -> bool:
        if self.select is not None and not self.select(record):
            return False
        return self.since is None or sort_year(record) >= self.since


@dataclass
class Assignment:
    """Every record's group and number, computed once for the whole CV."""

    by_group: dict[str, list[Record]]
    numbers: dict[str, int]
    unplaced: list[Record]
    overlaps: list[tuple[Record, list[str]]]
    empty: list[str]  # groups whose selector matches no record at all (before a variant's selection)


def assign(records: Iterable[Record], groups: Sequence[Group], selection: Selection | None = None) -> Assignment:
    """Newest first within a group, ties in .bib order; numbers run on across groups.

    With a ``selection`` (a variant of the CV), each group keeps only what it selects, at most
    its count of the newest, and the numbers run over what is kept.  Which group an entry
    belongs to never depends on the selection, so the no-group and two-group problems are
    the full CV's.
    """
    by_group: dict[str, list[Record]] = {g.name: [] for g in groups}
    unplaced: list[Record] = []
    overlaps: list[tuple[Record, list[str]]] = []
    for record in records:
        hits = [g.name for g in groups if g.select(record)]
        if not hits:
            unplaced.append(record)
            continue
        if len(hits) > 1:
            overlaps.append((record, hits))
        by_group[hits[0]].append(record)
    empty = [name for name, members in by_group.items() if not members]
    numbers: dict[str, int] = {}
    counter = 0
    for group in groups:
        members = by_group[group.name]
        members.sort(key=lambda r: (-sort_year(r), r.index))
        if selection is not None:
            members[:] = [r for r in members if selection.keeps(r)]
            limit = selection.limit(group.name)
            if limit is not None:
                del members[limit:]
        for record in members:
            counter += 1
            numbers[record.key] = counter
    return Assignment(by_group, numbers, unplaced, overlaps, empty)


# -- An institute's list on the web: pages of their own --------------------------------------------


@dataclass(frozen=True)
class Page:
    """One page of a group's list: entries ``lo`` to ``hi`` (0-based, ``hi`` excluded) of the group."""

    lo: int
    hi: int
    years: str  # "2025", "2025–2019", or "" for entries without a year


def split_pages(years: Sequence[int | None], limit: int) -> list[Page]:
    """Pages of at most ``limit`` entries that end where a year ends, unless one year alone is more than a page.

    A reader looks for a paper by its year, so a page holds whole years; a list sorted newest first stays in
    order across pages."""
    bounds: list[tuple[int, int]] = []
    lo = i = 0
    while i < len(years):
        j = i
        while j < len(years) and years[j] == years[i]:
            j += 1  # the run of one year: entries i .. j-1
        if j - lo > limit and i > lo:
            bounds.append((lo, i))  # the page so far ends before this year
            lo = i
        while j - lo > limit:  # a year alone longer than a page: cut it
            bounds.append((lo, lo + limit))
            lo += limit
        i = j
    if lo < len(years):
        bounds.append((lo, len(years)))
    return [Page(a, b, _year_range(years[a:b])) for a, b in bounds]


def _year_range(years: Sequence[int | None]) -> str:
    known = [y for y in years if y is not None]
    if not known:
        return ""
    first, last = known[0], known[-1]
    return str(first) if first == last else f"{first}\u2013{last}"
