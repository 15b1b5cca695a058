"""The bibliography as validated records and formatted entries, kept in the environment.

The catalog is pickled with the environment: a rebuild in which no .bib file
changed neither parses nor formats anything, and a rebuild after one entry
changed parses and formats that entry alone.  It is (re)built before reading
starts (``env-before-read-docs``), in the main process, so parallel readers
inherit it instead of each reading and warning again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from docutils import nodes

from .bibfile import Problem, Record, read_bib
from .config import CVConfig, cv_config
from .groups import Assignment, Group, assign
from .render import to_nodes
from .style import StyleContext, format_entry
from .warnings_ import warn_at

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment


@dataclass
class Catalog:
    records: list[Record]
    assignment: Assignment
    signature: tuple
    config_digest: str
    problems: list[Problem] = field(default_factory=list)
    # (digest, markers, show_year) -> the entry's formatted paragraph
    paragraphs: dict[tuple, nodes.paragraph] = field(default_factory=dict)

    def paragraph(self, record: Record, group: Group, ctx: StyleContext) -> nodes.paragraph:
        """A fresh copy of the entry's paragraph, formatted only if not cached."""
        cache_key = (record.digest, group.markers, group.show_year)
        para = self.paragraphs.get(cache_key) if record.digest is not None else None
        if para is None:
            text = format_entry(record, ctx, markers=group.markers, show_year=group.show_year)
            para = nodes.paragraph("", "", *to_nodes(text))
            if record.digest is not None:
                self.paragraphs[cache_key] = para
        return para.deepcopy()

    def format_all(self, cfg: CVConfig) -> None:
        ctx = StyleContext(cfg.owner, cfg.roster)
        for group in cfg.groups:
            for record in self.assignment.by_group[group.name]:
                self.paragraph(record, group, ctx)


def _signature(paths: list[str]) -> tuple:
    sig = []
    for path in paths:
        try:
            stat = os.stat(path)
            sig.append((path, stat.st_mtime_ns, stat.st_size))
        except OSError:
            sig.append((path, None, None))
    return tuple(sig)


def load(env: BuildEnvironment) -> Catalog:
    """The current catalog; re-reads only what changed, warns about what it re-read."""
    cfg = cv_config(env.config)
    signature = _signature(cfg.bibfiles)
    cached: Catalog | None = getattr(env, "cv_catalog", None)
    if cached is not None and cached.signature == signature and cached.config_digest == cfg.digest:
        return cached
    same_config = cached is not None and cached.config_digest == cfg.digest
    reuse = {r.digest: r for r in cached.records if r.digest is not None} if same_config else {}
    catalog = build_catalog(cfg, signature, reuse)
    if same_config:
        live = {r.digest for r in catalog.records}
        catalog.paragraphs = {k: v for k, v in cached.paragraphs.items() if k[0] in live}
    for problem in catalog.problems:
        warn_at(problem.path, problem.line, problem.message, problem.subtype)
    env.cv_catalog = catalog  # type: ignore[attr-defined]
    return catalog


def build_catalog(cfg: CVConfig, signature: tuple = (), reuse: dict[int, Record] | None = None) -> Catalog:
    """Read every file, make keys unique, place every record in a group, check the data."""
    records: list[Record] = []
    problems: list[Problem] = []
    seen: dict[str, Record] = {}
    for path in cfg.bibfiles:
        found, file_problems = read_bib(path, start_index=len(records), reuse=reuse)
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
    return Catalog(records, assignment, signature, cfg.digest, problems)
