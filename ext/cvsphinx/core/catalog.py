"""The catalog: every .bib file read into records once per change, checked, and placed in its group.

Each consumer (the publication lists, the exports, the statistics, the build summary) starts from
``build_catalog``; the records of one reading are shared within a process (``build_catalog``).  Nothing here
knows Sphinx: ``sphinxext/store.py`` renders the catalog and keeps it between builds.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import latex, people
from . import names as name_parsing
from .bibfile import BibText, Entry, Problem, read_bib
from .checks import check_records, preprint_pairs, preprint_problems
from .groups import Assignment, assign, selector_fields
from .identifiers import doi_of
from .latex import preamble_macros
from .records import BIBTEX_NAMES, Record, RecordCache, build_records
from .settings import CVConfig


@dataclass
class Catalog:
    """Records in their groups, numbered, with every problem found on the way."""

    records: list[Record]
    assignment: Assignment
    problems: list[Problem]


_LAST_CATALOG: dict[tuple, Catalog] = {}  # this process's last catalog: the lists and the exports share it


def build_catalog(cfg: CVConfig, files: tuple | None = None, cache: RecordCache | None = None) -> Catalog:
    """Read (or reuse this process's reading), pair preprints, place each entry in one group, check; made once
    per content and configuration in a process, whoever asks first."""
    key = (tuple(cfg.bibfiles), files or signature(cfg.bibfiles), cfg.digest)
    found = _LAST_CATALOG.get(key)
    if found is None:
        _LAST_CATALOG.clear()
        found = _LAST_CATALOG[key] = _build_catalog(cfg, key[1], cache)
    return Catalog(found.records, found.assignment, list(found.problems))


def forget_catalog() -> None:
    """Everything that reads the records has read them: their memory goes to what comes next (the pages).

    The reading's memos go with them: the names parsed and the fields decoded, by their text, held the
    records' people and texts past their release (70 MB of an institute's list)."""
    _LAST_CATALOG.clear()
    for memo in (latex._decode, latex._plain, name_parsing._parse_names, name_parsing._parse_name, people._name_key,
                 people._fold, people._surname_key):
        memo.cache_clear()


def _build_catalog(cfg: CVConfig, files: tuple, cache: RecordCache | None) -> Catalog:
    records, problems = read_records(cfg, files, cache)
    pairs = preprint_pairs(records)
    problems.extend(preprint_problems(pairs, cfg.merge_preprints))
    if cfg.merge_preprints and pairs:
        records = merge_preprints(records, pairs)
    # a variant of the CV keeps less of each group and numbers what it keeps
    assignment = assign(records, cfg.groups, cfg.variant.selection if cfg.variant else None)
    blamed = _empty_selectors(records, cfg, assignment) if assignment.unplaced else {}
    for name, message in blamed.items():
        problems.append(Problem("empty_group", message, cfg.confpath, _conf_line(cfg.confpath, name)))
    hint = (f" (see the warning about the selector of {', '.join(map(repr, blamed))} in conf.py)" if blamed else "")
    for record in assignment.unplaced:
        problems.append(Problem(
            "no_group", f"entry {record.key!r} (@{record.type}) matches no publication group and is not shown; "
            f"change its type or fields, or add a group to cv_publication_groups{hint}",
            record.path, record.line, record.key))
    for record, names in assignment.overlaps:
        problems.append(Problem(
            "two_groups", f"entry {record.key!r} matches the groups {', '.join(names)}; it is shown once, in "
            f"{names[0]!r}; make the selectors in cv_publication_groups exclusive", record.path, record.line, record.key))
    problems.extend(check_records(records, cfg, cache.checks if cache is not None else None))
    return Catalog(records, assignment, problems)


def signature(paths: list[str]) -> tuple:
    """The content of every .bib file, and of the extension's code: an edit is seen whatever the file's
    modification time, and so is a new copy of the extension with the same version number (``cvsphinx upgrade``
    while it is developed), whose lists and exports were taken from the caches of the one before."""
    sig = []
    for path in paths:
        try:
            with open(path, "rb") as handle:
                sig.append((path, hashlib.sha256(handle.read()).hexdigest()))
        except OSError:
            sig.append((path, None))
    sig.append(("code", code_digest()))
    return tuple(sig)


@lru_cache(maxsize=1)
def code_digest() -> str:
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def read_records(cfg: CVConfig, files: tuple | None = None, cache: RecordCache | None = None
                 ) -> tuple[list[Record], list[Problem]]:
    """Every record of every file, keys made unique (a repeat is shown, renamed, and warned about); ``cache``: the
    records of the last reading, reused where an entry is as it was.  ``build_catalog`` keeps one reading per
    process; ``files`` is the caller's ``signature`` of the files, unused here."""
    return read_files(cfg.bibfiles, cfg.journal_names, cache)


def read_files(paths: list[str], journal_names: str = "abbreviated", cache: RecordCache | None = None
               ) -> tuple[list[Record], list[Problem]]:
    """The .bib files read as the build reads them, for every program that reads them (the build, ``cvsphinx
    people``): ``@string`` macros carry over from one file to the next, ``@preamble`` macros are expanded,
    repeated keys are renamed and warned about, invisible characters removed and warned about."""
    entries: list[Entry] = []
    problems: list[Problem] = []
    seen: dict[str, Entry] = {}
    macros: dict[str, str] = {}  # @string definitions carry over from one file to the next, as for biber
    extra = BibText()  # the @preamble of every file: its argument-free macros are expanded in fields
    for path in paths:
        found, file_problems = read_bib(path, start_index=len(entries), macros=macros, extra=extra,
                                        known=cache.chunks_old if cache else None,
                                        found=cache.chunks_new if cache else None)
        problems.extend(file_problems)
        problems.extend(_invisible_problem(found))
        for entry in found:
            first = seen.get(entry.key.lower())
            if first is not None and first.type == entry.type and first.fields == entry.fields:
                # the same entry twice, field for field (a merge conflict kept both sides): shown once
                problems.append(Problem(
                    "duplicate_key",
                    f"key {entry.key!r} is used twice for the same entry, field for field (first at "
                    f"{os.path.basename(first.path)}:{first.line}); it is shown once: delete this one",
                    entry.path, entry.line, entry.key,
                ))
                continue
            if first is not None:
                original = entry.key
                suffix = 2
                while f"{original}-{suffix}".lower() in seen:
                    suffix += 1
                entry.key = f"{original}-{suffix}"
                problems.append(Problem(
                    "duplicate_key",
                    f"key {original!r} is used twice (first at {os.path.basename(first.path)}:{first.line}); "
                    f"both entries are shown, this one as {entry.key!r}; give it a key of its own",
                    entry.path, entry.line, original,
                ))
            seen[entry.key.lower()] = entry
            entries.append(entry)
    records, record_problems = build_records(entries, preamble_macros("\n".join(extra.preamble)), journal_names,
                                             cache)
    problems.extend(record_problems)
    return records, problems


def _invisible_problem(entries: list[Entry]) -> list[Problem]:
    """One warning per file for the invisible characters the reader removed, naming where the first ones were."""
    import unicodedata

    found = [(entry, name, char, pos) for entry in entries for name, char, pos in entry.invisible]
    if not found:
        return []
    shown = "; ".join(f"entry {entry.key!r}, field {name!r}, character {pos}: U+{ord(char):04X} "
                      f"{unicodedata.name(char, 'invisible')}" for entry, name, char, pos in found[:3])
    more = f" and {len(found) - 3} more" if len(found) > 3 else ""
    first = found[0][0]
    return [Problem("bad_char", f"holds {len(found)} invisible character{'s' if len(found) > 1 else ''} (text copied "
                    f"from a web page or a PDF): {shown}{more}; they were removed so names and titles match; delete "
                    "them from the file", first.path, first.line, first.key)]


def merge_preprints(records: list[Record], pairs: list) -> list[Record]:
    """cv_merge_preprints: each paired preprint gives its arXiv link to the published version and is not listed.

    The published versions are changed copies: the records ``build_catalog`` keeps are shared within a process."""
    dropped = {id(pre) for pre, _, _ in pairs}
    changed: dict[int, Record] = {}
    for pre, pub, _ in pairs:
        merged = changed.get(id(pub), pub)
        arxiv, preprint_doi = merged.arxiv, merged.preprint_doi
        pre_doi = doi_of(pre.get("doi"))
        if arxiv is None and pre.arxiv is not None:
            arxiv = pre.arxiv
        elif pre.arxiv is None and pre_doi and pre_doi != doi_of(pub.get("doi")):
            preprint_doi = (pre.preprint, pre_doi)
        digest = hashlib.sha256((pub.digest + repr((arxiv, preprint_doi))).encode()).hexdigest()
        changed[id(pub)] = dataclasses.replace(merged, arxiv=arxiv, preprint_doi=preprint_doi, digest=digest)
    return [changed.get(id(r), r) for r in records if id(r) not in dropped]


def _empty_selectors(records: list[Record], cfg: CVConfig, assignment: Assignment) -> dict[str, str]:
    """The groups that select nothing because their selector reads a field no entry has (a misspelt
    ``journl``): then it is the selector that is wrong, not the entries left without a group."""
    present = {name for record in records for name in record.fields}
    present |= {BIBTEX_NAMES[name] for name in present if name in BIBTEX_NAMES}  # journal for journaltitle
    blamed: dict[str, str] = {}
    for group in cfg.groups:
        if group.name not in assignment.empty:
            continue
        absent = sorted(f for f in selector_fields(group.source) if not any(r.get(f) for r in records))
        if absent:
            close = [m for f in absent for m in difflib.get_close_matches(f, sorted(present), n=1, cutoff=0.7)]
            hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
            blamed[group.name] = (
                f"publication group {group.name!r} selects no entry: its selector {group.source!r} reads "
                f"{', '.join(map(repr, absent))}, a field none of the {len(records)} entries has{hint} "
                f"(cv_publication_groups in conf.py)")
    return blamed


def _conf_line(confpath: str, group: str) -> int:
    """The line of conf.py that names the group, for the warning's location."""
    try:
        lines = Path(confpath).read_text(encoding="utf-8").splitlines()
    except OSError:
        return 1
    pattern = re.compile(rf"""["']name["']\s*:\s*["']{re.escape(group)}["']""")
    return next((n for n, text in enumerate(lines, 1) if pattern.search(text)), 1)
