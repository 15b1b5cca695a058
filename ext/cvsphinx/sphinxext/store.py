"""The bibliography as numbered, rendered publication lists, cached between builds.

``load`` reads and checks the .bib files only when they (or the configuration)
changed, and renders only entries whose source text is new.  The result is
kept in ``cvsphinx.pickle`` beside the environment, not inside it: a build in
which nothing changed never loads it, and a build that re-reads the page with
the publications loads rendered strings, not 5,000 docutils trees.  It runs
before reading starts (``env-before-read-docs``), in the main process, so
parallel readers inherit it instead of each reading and warning again.

A large bibliography read for the first time (``APART_MIN``) is read, checked and rendered in a forked process
of its own, which hands back only the plan of the lists and the rendered entries: Python keeps the memory of
freed records in pieces that the results cannot use, and an institute's list peaked at 746 MB, against 460 MB
now.  Its problems come back with the plan and are said here, as always.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from sphinx.util.logging import is_suppressed_warning

from .._version import __version__
from ..core.bibfile import Problem
from ..core.catalog import build_catalog, code_digest, forget_catalog, signature
from ..core.files import open_atomic
from ..core.forks import can_fork, in_child, parts_in_forks
from ..core.groups import Group
from ..core.lifetime import few_collections, hold, loading
from ..core.links import Extras, extras
from ..core.links import anchor as link_anchor
from ..core.records import Record, RecordCache
from ..core.settings import CVConfig
from ..output.formats import Pub, pub_key, pub_of
from ..styles.base import DEFAULT_MARKS, StyleContext, used_marks
from ..styles.registry import STYLES
from .config import cv_config
from .render import Rendered, render
from .warnings_ import Subtype, logger, warn_at

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from sphinx.environment import BuildEnvironment

STORE_VERSION = 19  # 14: the records written in pieces; 15: and the entries read, by their text; 16: Item.digest;
# 17: dates with slots, a record's fields as written shared with its entry; 18: each item its render key, the items
# written in pieces; 19: the texts packed (core/compact.py)


@dataclass(slots=True)
class Item:
    anchor: str
    key: str
    rendered: Rendered
    where: str = ""  # "refs.bib:12", for warnings about this entry at output time
    extras: Extras = field(default_factory=Extras)  # links, award and BibTeX shown with the entry on the web page
    year: int | None = None  # where a long list is cut into pages (groups.split_pages)
    digest: str = ""  # the record's: the exports' facts of an entry as it was are kept (exports.py)
    render_key: str = ""  # what its rendering was made from (_render_key): reused by the next build where it matches


@dataclass
class Store:
    """What the directives need: per group, its first number and its rendered items."""

    signature: tuple
    config_digest: str
    groups: dict[str, list[Item]]
    starts: dict[str, int]
    problems: list[Problem] = field(default_factory=list)  # said again whenever the lists are read again
    marks_used: set[str] = field(default_factory=set)  # written authorship marks on shown entries, for the legend
    numbered: bool = True  # the lists carry numbers (cv_numbered, or as the citation style does)
    version: int = STORE_VERSION


_MEMO: dict[str, Store] = {}  # per doctree directory, for this process
_MAGIC = b"cvsphinx-cache"


RECORDS_NAME = "cvsphinx-records.pickle"  # beside the store: the records of the last reading (records.RecordCache)
ADDED_NAME = "cvsphinx-records-added.pickle"  # beside it: those made since it was written (_save_records)
ADDED_MIN = 200


def _store_path(env: BuildEnvironment) -> Path:
    return Path(env.doctreedir) / "cvsphinx.pickle"


def _header() -> bytes:
    return _MAGIC + f" {STORE_VERSION} {__version__}\n".encode()


def _cache_warning(path: Path, why: str) -> None:
    logger.warning(f"this bibliography cache {why}; it is discarded and the .bib files are read again",
                   location=f"{path}:1", type="cv", subtype=Subtype.cache.value)


def _read_store(path: Path, kind: type = Store) -> Any:
    """The saved store (or the saved records, ``kind`` dict), or None; a damaged or foreign file is discarded
    with one warning.  Checked, then loaded, from the file: never held whole in memory (an institute's list
    holds 130 MB of it)."""
    try:
        with open(path, "rb") as handle, loading():
            return _load_checked(path, handle, kind)
    except FileNotFoundError:
        return None
    except OSError as err:
        _cache_warning(path, f"cannot be read ({err.strerror})")
        return None


def _load_checked(path: Path, handle: BinaryIO, kind: type) -> Any:
    header = handle.readline(200).rstrip(b"\n")
    if not header.startswith(_MAGIC):
        _cache_warning(path, "is not a cvsphinx cache (or is damaged)")
        return None
    if header + b"\n" != _header():
        # an upgrade of the extension (cvsphinx upgrade): expected, not a problem to report; rebuilt quietly
        logger.info(f"cvsphinx: {path} was written by another version "
                    f"({header[len(_MAGIC):].decode(errors='replace').strip()}); the bibliography is read again")
        return None
    checksum = handle.read(64)
    start = handle.tell()
    if hashlib.file_digest(handle, "sha256").hexdigest().encode() != checksum:
        _cache_warning(path, "is truncated or corrupted")
        return None
    handle.seek(start)
    try:
        store = _load_payload(handle, kind)
    except Exception:  # a checksum-valid payload that still does not load: treat as corrupted
        _cache_warning(path, "cannot be loaded")
        return None
    return store if isinstance(store, kind) else None


# A mapping is written in pieces of this many items, each a pickle of its own: the pickler remembers every
# object of one pickle, and the records of an institute's list held 190 MB of such memory while written whole.
CHUNK = 2000


def _load_payload(handle: BinaryIO, kind: type) -> Any:
    if kind is not dict:
        store = pickle.load(handle)
        return load_groups(handle, store) if isinstance(store, Store) else store
    found: dict = {}
    while (chunk := pickle.load(handle)) is not None:  # a new unpickler for each piece, as each had its own pickler
        found.update(chunk)
    return found


def _dump_payload(handle: Any, store: Store | dict[str, Any]) -> None:
    if not isinstance(store, dict):  # the lists' items in pieces too: 77 MB of the pickler's memory, written whole
        dump_groups(handle, store)
        return
    items = list(store.items())
    for start in range(0, len(items), CHUNK):
        pickle.dump(items[start:start + CHUNK], handle, pickle.HIGHEST_PROTOCOL)
    pickle.dump(None, handle, pickle.HIGHEST_PROTOCOL)


def dump_groups(handle: Any, held: Any) -> None:
    """A dataclass whose ``groups`` map names to long lists (the lists' items, the exports' facts): its head, then
    each group's items a piece at a time, then None (``load_groups``)."""
    pickle.dump(replace(held, groups={name: [] for name in held.groups}), handle, pickle.HIGHEST_PROTOCOL)
    for name, items in held.groups.items():
        for start in range(0, len(items), CHUNK):
            pickle.dump((name, items[start:start + CHUNK]), handle, pickle.HIGHEST_PROTOCOL)
    pickle.dump(None, handle, pickle.HIGHEST_PROTOCOL)


def load_groups(handle: BinaryIO, head: Any) -> Any:
    """The items ``dump_groups`` wrote after ``head``, put back into its groups."""
    while (chunk := pickle.load(handle)) is not None:
        name, items = chunk
        head.groups.setdefault(name, []).extend(items)
    return head


class _Hashing:
    """A file that hashes what is written to it: the cache's checksum without the payload held in memory."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.sha = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.sha.update(data)
        return self.handle.write(data)


def _write_store(path: Path, store: Store | dict[str, Record], quiet: bool = False) -> None:
    """``quiet``: the file could not even be opened, and that was said; not said twice.  Pickled into the file as
    it goes, the checksum written last into its place in the header."""
    try:
        with open_atomic(path) as handle:
            handle.write(_header())
            at = handle.tell()
            handle.write(b"0" * 64)
            hashing = _Hashing(handle)
            _dump_payload(hashing, store)
            handle.seek(at)
            handle.write(hashing.sha.hexdigest().encode())
    except OSError as err:  # a full disk, a read-only folder: only a cache, but said, and nothing left behind
        if quiet:
            return
        logger.warning(f"the bibliography cache could not be written ({err.strerror or err}); the next build reads "
                       f"the .bib files again: free some space, or make {path.parent} writable",
                       location=f"{path}:1", type="cv", subtype=Subtype.cache.value)


def load(env: BuildEnvironment) -> Store:
    return load_fresh(env)[0]


# the .bib files' signature as the build's reading found them (``load_fresh(..., reread=True)``, before reading
# starts), until the build ends (``forget_signatures``): the lists are asked for 40 times in a build of 5,000
# entries, and hashing 2 MB each time took 0.07 s
_SIGNATURES: dict[str, tuple] = {}


def forget_signatures() -> None:
    _SIGNATURES.clear()


def warn_problems(store: Store, suppressed: Sequence[str] = ()) -> None:
    """Every problem, except those ``suppress_warnings`` silences: those are not sent through Sphinx's logging
    at all (TUGboat's 4,949, silenced, took 0.6 s of every build)."""
    silent: dict[str, bool] = {}
    for problem in store.problems:
        quiet = silent.get(problem.subtype)
        if quiet is None:
            quiet = silent[problem.subtype] = is_suppressed_warning("cv", problem.subtype, suppressed)
        if not quiet:
            warn_at(problem.path, problem.line, problem.message, problem.subtype)


def load_fresh(env: BuildEnvironment, reread: bool = False) -> tuple[Store, bool]:
    """The current lists (from memory, the file, or the .bib files), and whether they were just rebuilt.

    A rebuild warns about every problem it found.  What is loaded or made lives until the build ends, so it is
    held out of the cycle collector's walks (``core/lifetime.py``).
    """
    cfg = cv_config(env.config)
    path = _store_path(env)
    key = str(path)
    files = None if reread else _SIGNATURES.get(key)
    if files is None:
        files = signature(cfg.bibfiles)
        if reread:
            _SIGNATURES[key] = files
    store = _MEMO.get(key)
    if store is not None and store.signature == files and store.config_digest == cfg.digest:
        return store, False
    with few_collections():
        store, rebuilt = _load_or_build(env, cfg, files, path, store)
    _MEMO[key] = store
    hold()
    return store, rebuilt


def _load_or_build(env: BuildEnvironment, cfg: CVConfig, files: tuple, path: Path, store: Store | None
                   ) -> tuple[Store, bool]:
    unopened = False
    if store is None:
        store = _read_store(path)
        unopened = store is None and path.exists() and not path.is_file()
    if store is not None and store.signature == files and store.config_digest == cfg.digest:
        return store, False
    # the records of the last reading, in a file of their own: only a changed .bib file reads them, a build
    # with nothing changed loads the store alone (5,000 entries: 1.1 s, against 1.8 s with them inside)
    records_path = path.with_name(RECORDS_NAME)
    base = _read_store(records_path, dict) if store is not None else None
    cache = RecordCache(_with_added(records_path, base))

    def save_reading() -> None:  # then let it go: the records may go before the rendering is done (build_store)
        _save_records(records_path, cache.saved(), base)
        cache.forget()
        if base is not None:
            base.clear()

    store = build_store(cfg, files, store, env.config.latex_engine, cache, done_reading=save_reading)
    warn_problems(store, env.config.suppress_warnings)
    _UNWRITTEN[str(path)] = (path, store, unopened)  # once the records are let go (write_pending)
    return store, True


# The lists made in this build, written once the records they were made from are let go (after the exports'
# facts, wiring.py), and at the latest when the build ends: the pickler's memory of 5,000 items, added to the
# records still held, was the peak of a one-entry edit.
_UNWRITTEN: dict[str, tuple[Path, Store, bool]] = {}


def write_pending(app: object = None, *_args: object) -> None:
    while _UNWRITTEN:
        _key, (path, store, quiet) = _UNWRITTEN.popitem()
        _write_store(path, store, quiet=quiet)


def _with_added(path: Path, base: dict | None) -> dict | None:
    """The last full file of records and what was added to it since (``_save_records``)."""
    if base is None:
        return None
    added = _read_store(path.with_name(ADDED_NAME), dict)
    return {**base, **added} if added else base


def _save_records(path: Path, saved: dict, base: dict | None) -> None:
    """The records of this reading for the next one.  An edit adds a few to the last full file, in a small file of
    its own beside it (rewriting 5,000 records took 0.15 s of a one-entry edit); once the additions, or the records
    no longer used, pass a tenth of the whole, the full file is written again.  What kept either file from being
    written was said with the store."""
    added_path = path.with_name(ADDED_NAME)
    if base is not None:
        added = {key: value for key, value in saved.items() if key not in base}
        unused = len(base) - (len(saved) - len(added))
        if len(added) + unused <= max(ADDED_MIN, len(saved) // 10):
            _write_store(added_path, added, quiet=True)
            return
    _write_store(path, saved, quiet=True)
    added_path.unlink(missing_ok=True)


def _render_key(record: Record, group_markers: bool, show_year: bool, cfg: CVConfig, latex_engine: str,
                formatted: str = "") -> str:
    """A strong hash of everything an entry's rendering depends on (``cfg.digest`` holds the style's own code;
    ``formatted`` is what a style that formats the whole list at once made of the entry, CSL's "2019a")."""
    parts = (__version__, STORE_VERSION, code_digest(), cfg.digest, latex_engine, record.digest, group_markers, show_year,
             formatted)
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _render_one(record: Record, markers: bool, show_year: bool, ctx: StyleContext, latex_engine: str,
                style: str = "house") -> Rendered:
    return render(STYLES[style](record, ctx, markers=markers, show_year=show_year, link_title=True), latex_engine)


def render_all(todo: list[tuple[Record, bool, bool]], ctx: StyleContext, latex_engine: str,
               style: str = "house", places: list[tuple[Group, int, str]] | None = None,
               cfg: CVConfig | None = None, forked: Callable[[], None] | None = None, pickled: bool = False
               ) -> Iterator[Any]:
    """Every entry not rendered before, in order, in parts (``parts_in_forks``); an institute's list by one forked
    process per core.  With the configuration, what is shown beside each entry (its links and BibTeX) too, and
    with its ``places`` (group, number, anchor) its exports' facts: by the same worker, one pass over the records.
    Each result is ``(Rendered, Extras | None, Pub | None)``."""

    def one(i: int) -> tuple[Rendered, Extras | None, Pub | None]:
        record = todo[i][0]
        return (_render_one(*todo[i], ctx, latex_engine, style),
                extras(record, cfg.bibtex_fields) if cfg is not None else None,
                pub_of(record, cfg, *places[i]) if places is not None and cfg is not None else None)

    return parts_in_forks(one, range(len(todo)), forked=forked, pickled=pickled)


# The exports' facts of the entries rendered in this process, made beside them (exports.py takes them): the
# records are read once for both, not once per output (an institute's list: a second pass of 5 s).
FRESH_FACTS: dict[tuple, Pub] = {}


# A first reading of a bibliography this large (its .bib files, in bytes) is made in a process of its own
# (``core/forks.in_child``): an institute's list peaked at 746 MB with its records read in the build's process.
APART_MIN = 1_000_000


@dataclass
class _Plan:
    """What the lists need of a reading, without its records: each group's entries (render key, then
    ``Item``'s fields but the rendering), the render keys to render now, in order, and the rest."""

    problems: list[Problem]
    lists: dict[str, list[tuple[str, tuple]]]
    todo: list[str]
    starts: dict[str, int]
    marks_used: set[str]
    everything: bool  # every entry shown is rendered now, with its facts: the records are not needed after


def build_store(cfg: CVConfig, signature: tuple, before: Store | None, latex_engine: str = "xelatex",
                made: RecordCache | None = None, facts: bool = True,
                done_reading: Callable[[], None] | None = None) -> Store:
    """Read, check, group, number and render; what the last store rendered of an entry as it was is reused, and
    the records ``made`` holds from the last reading (it keeps this reading's for the next).  ``facts``: make the
    exports' facts of what is rendered now, beside it (``FRESH_FACTS``).

    ``done_reading`` (the caller's: it saves the reading for the next) is called once the records are no longer
    needed here.  When every entry is rendered now, with its facts, nothing after needs them: they are let go
    while the workers render.  A large bibliography read for the first time is read and rendered in a process
    of its own, and only the results come back."""
    old: dict[str, Rendered] = {}  # render key -> what the last store made of it, reused
    old_extras: dict[str, Extras] = {}
    for items in (before.groups.values() if before is not None else ()):
        for item in items:
            old[item.render_key] = item.rendered
            old_extras[item.render_key] = item.extras
    if not old and facts and _large(cfg.bibfiles) and can_fork():
        stream = in_child(lambda: _plan_and_render(cfg, signature, made, old, old_extras, latex_engine, facts,
                                                   done_reading, pickled=True))
        plan = next(stream)
        made_now = [result for part in stream for result in pickle.loads(part)]
    else:
        stream = _plan_and_render(cfg, signature, made, old, old_extras, latex_engine, facts, done_reading)
        plan = next(stream)
        made_now = [result for part in stream for result in part]
    fresh = {key: done for key, (done, _, _) in zip(plan.todo, made_now, strict=True)}
    fresh_extras = {key: beside for key, (_, beside, _) in zip(plan.todo, made_now, strict=True)}
    FRESH_FACTS.clear()
    FRESH_FACTS.update((pub_key(pub), pub) for _, _, pub in made_now if pub is not None)
    del made_now
    groups: dict[str, list[Item]] = {}
    for name, pairs in plan.lists.items():
        groups[name] = [Item(anchor, key, old.get(cache_key) or fresh[cache_key], where,
                             beside or fresh_extras[cache_key], year, digest, cache_key)
                        for cache_key, (anchor, key, where, beside, year, digest) in pairs]
    formatter = STYLES[cfg.citation_style]
    numbered = cfg.numbered if cfg.numbered is not None else getattr(formatter, "numbered", True)
    return Store(signature, cfg.digest, groups, plan.starts, plan.problems, plan.marks_used, numbered)


def _large(paths: Sequence[str]) -> bool:
    try:
        return sum(os.path.getsize(path) for path in paths) >= APART_MIN
    except OSError:
        return False


def _plan_and_render(cfg: CVConfig, signature: tuple, made: RecordCache | None, old: dict[str, Rendered],
                     old_extras: dict[str, Extras], latex_engine: str, facts: bool,
                     done_reading: Callable[[], None] | None, pickled: bool = False) -> Iterator[Any]:
    """The plan (``_Plan``), then the results of the entries to render, a part at a time (``render_all``)."""
    catalog = build_catalog(cfg, signature, made)
    problems, numbers = catalog.problems, catalog.assignment.numbers
    shown = [(group, catalog.assignment.by_group[group.name]) for group in cfg.groups]
    del catalog

    ctx = StyleContext(cfg.owner, cfg.roster, dict(cfg.author_marks or DEFAULT_MARKS), cfg.show_isbn, cfg.language,
                       cfg.labels)
    formatter = STYLES[cfg.citation_style]
    prepared: dict[str, str] = {}
    if hasattr(formatter, "prepare"):  # a CSL style: the whole list through citeproc at once
        prepared = formatter.prepare([(record, group.markers, group.show_year) for group, records in shown
                                      for record in records], ctx)
    lists: dict[str, list[tuple[str, tuple]]] = {}
    todo: dict[str, tuple[Record, bool, bool]] = {}
    places: list[tuple[Group, int, str]] = []
    marks_used: set[str] = set()
    for group, records in shown:
        items = lists[group.name] = []
        for record in records:
            cache_key = _render_key(record, group.markers, group.show_year, cfg, latex_engine,
                                    prepared.get(record.key, ""))
            anchor = link_anchor(record.key)  # unique: keys are (renamed as duplicates otherwise)
            beside = old_extras.get(cache_key)
            if cache_key not in old:
                if cache_key not in todo:
                    todo[cache_key] = (record, group.markers, group.show_year)
                    places.append((group, numbers[record.key], anchor))
            elif beside is None:
                beside = extras(record, cfg.bibtex_fields)
            items.append((cache_key, (anchor, record.key, f"{os.path.relpath(record.path)}:{record.line}", beside,
                                      record.year, record.digest)))
            marks_used |= used_marks([record])
    starts = {name: numbers[items[0][1][1]] if items else 0 for name, items in lists.items()}
    everything = facts and len(todo) == sum(len(items) for items in lists.values())
    del shown, prepared, numbers
    jobs = list(todo.values())
    yield _Plan(problems, lists, list(todo), starts, marks_used, everything)
    del lists, todo

    def let_go() -> None:
        jobs.clear()
        if done_reading is not None:
            done_reading()
        if everything:
            forget_catalog()

    yield from render_all(jobs, ctx, latex_engine, cfg.citation_style, places if facts else None, cfg,
                          forked=let_go if everything else None, pickled=pickled)
    if not everything:
        let_go()
