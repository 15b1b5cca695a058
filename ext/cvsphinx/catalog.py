"""The bibliography as validated records: read once per process, checked once.

``load`` returns the same ``Catalog`` until a .bib file changes on disk.  It
is called before reading starts (``env-before-read-docs``), so parallel
readers inherit it instead of each reading and warning again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sphinx.util import logging

from .bibfile import Problem, Record, read_bib
from .config import CVConfig, cv_config
from .groups import Assignment, assign
from .warnings_ import warn_at

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)


@dataclass
class Catalog:
    records: list[Record]
    assignment: Assignment
    signature: tuple
    config_id: int
    problems: list[Problem] = field(default_factory=list)

    def record(self, key: str) -> Record | None:
        for record in self.records:
            if record.key == key:
                return record
        return None


def _signature(paths: list[str]) -> tuple:
    sig = []
    for path in paths:
        try:
            stat = os.stat(path)
            sig.append((path, stat.st_mtime_ns, stat.st_size))
        except OSError:
            sig.append((path, None, None))
    return tuple(sig)


def load(app: Sphinx) -> Catalog:
    cfg = cv_config(app)
    signature = _signature(cfg.bibfiles)
    cached: Catalog | None = getattr(app, "_cv_catalog", None)
    if cached is not None and cached.signature == signature and cached.config_id == id(cfg):
        return cached
    catalog = build_catalog(cfg, signature)
    for problem in catalog.problems:
        warn_at(problem.path, problem.line, problem.message, problem.subtype)
    app._cv_catalog = catalog  # type: ignore[attr-defined]
    return catalog


def build_catalog(cfg: CVConfig, signature: tuple = ()) -> Catalog:
    """Read every file, make keys unique, place every record in a group."""
    records: list[Record] = []
    problems: list[Problem] = []
    seen: dict[str, Record] = {}
    for path in cfg.bibfiles:
        found, file_problems = read_bib(path, start_index=len(records))
        problems.extend(file_problems)
        for record in found:
            first = seen.get(record.key.lower())
            if first is not None:
                original = record.key
                suffix = 2
                while f"{original}-{suffix}".lower() in seen:
                    suffix += 1
                record.key = f"{original}-{suffix}"
                problems.append(Problem(
                    "duplicate_key",
                    f"key {original!r} is used twice (first at {os.path.basename(first.path)}:{first.line}); "
                    f"both entries are shown, this one as {record.key!r}; give it a key of its own",
                    record.path, record.line, original,
                ))
            seen[record.key.lower()] = record
            records.append(record)
    assignment = assign(records, cfg.groups)
    for record in assignment.unplaced:
        problems.append(Problem(
            "no_group", f"entry {record.key!r} (@{record.type}) matches no publication group and is not shown; "
            "change its type or fields, or add a group to cv_publication_groups", record.path, record.line, record.key))
    for record, names in assignment.overlaps:
        problems.append(Problem(
            "two_groups", f"entry {record.key!r} matches the groups {', '.join(names)}; it is shown once, in "
            f"{names[0]!r}; make the selectors in cv_publication_groups exclusive", record.path, record.line, record.key))
    from .validate import check_records  # local: validation depends on style helpers

    problems.extend(check_records(records, cfg))
    return Catalog(records, assignment, signature, id(cfg), problems)
