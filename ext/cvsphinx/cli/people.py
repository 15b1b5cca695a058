"""Every co-author in the .bib files, and whom the roster makes of them: ``bash cv.sh people``.

How an adopter fills in ``cv_roster``: one line per co-author (spellings that are
probably one person grouped), with the number of papers, the years, and the roster
person and role each paper gets; then the roster people who match no author, with the
author names closest to theirs (a typo, or initials that do not fit).

Run from the project folder: ``PYTHONPATH=ext python -m cvsphinx.cli.people [FOLDER]``.
It reads conf.py and the ``.bib`` files as the build does (the same name matching,
``author+an`` annotations included) and needs no Sphinx build.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pybtex.bibtex.utils import split_name_list
from pybtex.database import Person as BibPerson

from ..core.bibfile import Problem
from ..core.catalog import read_files
from ..core.configerrors import ConfigError
from ..core.people import (
    DEFAULT_ROLES,
    Member,
    NameKey,
    Owner,
    Roster,
    build_owner,
    build_roles,
    build_roster,
    parse_annotation,
)
from ..core.records import Record

_YEAR = re.compile(r"\d{4}")


# -- Reading -----------------------------------------------------------------


@dataclass
class Settings:
    folder: Path
    bibfiles: list[str]
    owner: Owner
    roster: Roster


def load_settings(folder: Path) -> Settings:
    """conf.py's values, as Sphinx reads them; the extension's defaults where conf.py is silent.

    Raises ConfigError with every mistake the build would stop on.
    """
    from sphinx.config import eval_config_file
    from sphinx.errors import ConfigError as SphinxConfigError
    from sphinx.util.tags import Tags

    try:
        conf = eval_config_file(folder / "conf.py", Tags())
    except (OSError, SphinxConfigError) as err:
        raise ConfigError(f"conf.py cannot be read: {err}") from None
    bibfiles = conf.get("cv_bibfiles", ["refs.bib"])
    if not isinstance(bibfiles, (list, tuple)) or not all(isinstance(b, str) for b in bibfiles):
        raise ConfigError(f"cv_bibfiles must be a list of file names, not {bibfiles!r}; e.g. ['refs.bib']")
    problems: list[str] = []
    roles = roster = owner = None
    try:
        roles = build_roles(conf.get("cv_roles", DEFAULT_ROLES))
    except ConfigError as err:
        problems.extend(err.problems)
    try:
        if roles is not None:
            roster = build_roster(conf.get("cv_roster", []), roles, conf.get("cv_role_lag_years", 2))
    except ConfigError as err:
        problems.extend(err.problems)
    try:
        owner = build_owner(conf.get("cv_owner", ""), conf.get("cv_owner_aliases", []))
    except ConfigError as err:
        problems.extend(err.problems)
    if problems or roster is None or owner is None:
        raise ConfigError(*problems)
    return Settings(folder, list(bibfiles), owner, roster)


def read_entries(folder: Path, bibfiles: list[str]) -> tuple[list[Record], list[Problem]]:
    """Every record of every file, read as the build reads them (``core/catalog.read_files``)."""
    return read_files([str(folder / name) for name in bibfiles])


def author_names(record: Record) -> list[tuple[str, NameKey] | None]:
    """Each author of a record as written (LaTeX decoded, marks off) with its key; None for "others".
    The names are the build's own (core/names.py), so the report matches whom the build marks."""
    persons = record.persons.get("author", [])
    parts = split_name_list(record.get("author"))
    if len(parts) != len(persons):  # a list the build had to mend (outer braces): one form for all
        parts = [record.get("author")] * len(persons)
    names: list[tuple[str, NameKey] | None] = []
    for person, part in zip(persons, parts, strict=True):
        if str(person).strip().lower() == "others":
            names.append(None)
            continue
        names.append((_spelling(person, part), NameKey.from_person(person)))
    return names


def _spelling(person: BibPerson, written: str) -> str:
    """"Surname, Given" when the name is written with a comma, else "Given Surname"."""
    last = " ".join(person.prelast_names + person.last_names + person.lineage_names)
    given = " ".join(person.first_names + person.middle_names)
    if not given:
        return last
    return f"{last}, {given}" if "," in written or "=" in written else f"{given} {last}"


# -- Grouping ----------------------------------------------------------------


@dataclass
class Paper:
    key: str
    year: int | None
    role: str  # the marker's role label in that paper, or why there is none


@dataclass
class Coauthor:
    """One probable person: the spellings, the papers, the roster people they match."""

    keys: list[NameKey] = field(default_factory=list)
    spellings: Counter[str] = field(default_factory=Counter)
    papers: dict[str, Paper] = field(default_factory=dict)
    roster: list[Member] = field(default_factory=list)
    could_be: list[str] = field(default_factory=list)  # a short spelling that fits several people

    @property
    def name(self) -> str:
        return self.spellings.most_common(1)[0][0]

    @property
    def years(self) -> list[int]:
        return sorted({p.year for p in self.papers.values() if p.year is not None})


def _specificity(key: NameKey) -> tuple[int, int]:
    """Full given names first: they found the groups that initials then join."""
    return sum(len(t) > 1 for t in key.given), sum(map(len, key.given))


def group_names(keys: list[NameKey]) -> tuple[list[list[NameKey]], dict[int, list[int]]]:
    """Names that are probably one person, grouped: a group holds only names that match each other.

    A name that fits more than one group (``Zhang, B.`` beside ``Bao Zhang`` and ``Bo Zhang``)
    becomes a group of its own; the second value maps its index to those groups' indexes.
    """
    groups: list[list[NameKey]] = []
    ambiguous: dict[int, list[int]] = {}
    for key in sorted(set(keys), key=lambda k: (k.last, *(-n for n in _specificity(k)), k.given)):
        fits = [i for i, group in enumerate(groups) if i not in ambiguous and all(key.matches(k) for k in group)]
        if len(fits) == 1:
            groups[fits[0]].append(key)
            continue
        if len(fits) > 1:
            ambiguous[len(groups)] = fits
        groups.append([key])
    return groups, ambiguous


@dataclass
class Report:
    settings: Settings
    entries: int
    coauthors: list[Coauthor]
    unmatched: list[tuple[Member, list[str]]]  # a roster person no author matches, and the closest names
    problems: list[Problem]


def collect(entries: list[Record], settings: Settings) -> list[Coauthor]:
    roster, owner = settings.roster, settings.owner
    seen: list[tuple[Record, int, str, NameKey]] = []
    for entry in entries:
        for position, name in enumerate(author_names(entry), start=1):
            if name is not None and not owner.is_owner(name[1]):
                seen.append((entry, position, *name))
    groups, ambiguous = group_names([key for *_, key in seen])
    by_key = {key: index for index, group in enumerate(groups) for key in group}
    people = [Coauthor(keys=group, roster=_roster_people(group, roster)) for group in groups]
    for entry, position, shown, key in seen:
        person = people[by_key[key]]
        person.spellings[shown] += 1
        year = entry.year  # year, or date, as the build reads them
        person.papers.setdefault(entry.key, Paper(entry.key, year, _role_in(entry, position, year, person, roster)))
    for index, fits in ambiguous.items():
        people[index].could_be = [people[i].name for i in fits]
    return sorted(people, key=lambda p: (-len(p.papers), p.keys[0].last, p.name))


def _roster_people(keys: list[NameKey], roster: Roster) -> list[Member]:
    found: list[Member] = []
    for key in keys:
        found.extend(p for p in roster.find(key) if p not in found)
    return found


def _role_in(entry: Record, position: int, year: int | None, person: Coauthor, roster: Roster) -> str:
    """What the build marks this author with in this entry, in words."""
    annotation = entry.get("author+an")
    if annotation:
        try:
            said = parse_annotation(annotation, roster.roles)
        except ValueError:
            said = {}
        if position in said:
            role = said[position]
            return f"{roster.roles[role].label} (author+an)" if role else "none (author+an)"
    if not person.roster:
        return ""
    if len(person.roster) > 1:
        return "ambiguous"
    if year is None:
        return "no year"
    role = person.roster[0].role_in(year, roster.lag)
    return role.label if role else "outside their periods"


def unmatched_roster(coauthors: list[Coauthor], roster: Roster) -> list[tuple[Member, list[str]]]:
    """Roster people no author matches, each with up to three authors whose names are closest."""
    matched = {id(p) for c in coauthors for p in c.roster}
    names = {c.name: c for c in coauthors}
    folded = {f"{c.keys[0].last} {' '.join(c.keys[0].given)}": c.name for c in coauthors}
    result = []
    for person in roster.people:
        if id(person) in matched:
            continue
        same_surname = [c.name for c in coauthors if any(k.last == person.key.last for k in c.keys)]
        target = f"{person.key.last} {' '.join(person.key.given)}"
        similar = [folded[f] for f in difflib.get_close_matches(target, list(folded), n=3, cutoff=0.6)]
        closest = list(dict.fromkeys(same_surname + similar))[:3]
        result.append((person, [f"{n} ({len(names[n].papers)} paper{'s' * (len(names[n].papers) != 1)})"
                                for n in closest]))
    return result


def build_report(folder: Path) -> Report:
    settings = load_settings(folder)
    entries, problems = read_entries(folder, settings.bibfiles)
    coauthors = collect(entries, settings)
    return Report(settings, len(entries), coauthors, unmatched_roster(coauthors, settings.roster), problems)


# -- Printing ----------------------------------------------------------------


def years_text(years: list[int]) -> str:
    """2015, 2017–2019, 2021"""
    if not years:
        return "—"
    runs: list[list[int]] = [[years[0], years[0]]]
    for year in years[1:]:
        if year == runs[-1][1] + 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)


def _spellings(person: Coauthor) -> str:
    if len(person.spellings) == 1:
        return person.name
    return " · ".join(f"{s} ×{n}" for s, n in person.spellings.most_common())


def _roles(person: Coauthor) -> str:
    counts = Counter(p.role for p in person.papers.values())
    roles = ", ".join(f"{role} ×{n}" for role, n in counts.most_common() if role)
    if not person.roster:
        return roles
    if len(person.roster) > 1:
        return f"ambiguous: {' or '.join(p.name for p in person.roster)} (say who with author+an)"
    return f"{person.roster[0].name}: {roles}"


def format_report(report: Report) -> str:
    settings = report.settings
    lines = [f"{len(report.coauthors)} co-authors in {report.entries} entries of {', '.join(settings.bibfiles)} "
             f"(the owner, {settings.owner.name}, left out); roster: {len(settings.roster.people)} people", ""]
    for problem in report.problems:
        lines.append(f"{problem.path}:{problem.line}: {problem.message}")
    if report.problems:
        lines.append("")
    width = min(max([len(_spellings(c)) for c in report.coauthors] + [18]), 40)
    years_width = min(max([len(years_text(c.years)) for c in report.coauthors] + [5]), 16)
    on, off = [c for c in report.coauthors if c.roster], [c for c in report.coauthors if not c.roster]
    for title, people, last_column in (("On the roster", on, "roster person: role in those papers"),
                                       ("Not on the roster", off, "")):
        lines.append(f"{title} ({len(people)}):")
        if people:
            lines.append(f"  {'papers':>6}  {'years':<{years_width}}  {'author (spellings)':<{width}}  {last_column}".rstrip())
        for person in people:
            note = _roles(person)
            if person.could_be:
                note = (note + "; " if note else "") + f"could be {' or '.join(person.could_be)}"
            lines.append(f"  {len(person.papers):>6}  {years_text(person.years):<{years_width}}  "
                         f"{_spellings(person):<{width}}  {note}".rstrip())
        lines.append("")
    lines.append(f"Roster people no author matches ({len(report.unmatched)}):")
    for person, closest in report.unmatched:
        periods = ", ".join(f"{s.role.key} {s.period.display()}" for s in person.stints)
        hint = f"closest: {'; '.join(closest)}" if closest else "no similar author name"
        fine = " (expect_papers False)" if not person.expect_papers else ""
        lines.append(f"  {person.name} ({periods}){fine}: {hint}")
    if not report.unmatched:
        lines.append("  none")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="bash cv.sh people",
        description="Every co-author in the CV's .bib files, with papers, years and the roster person and role "
                    "they match; then the roster people that match no author, with the closest names.")
    parser.add_argument("folder", nargs="?", default=".", help="the project folder (with conf.py); default: here")
    args = parser.parse_args(argv)
    folder = Path(args.folder).resolve()
    try:
        report = build_report(folder)
    except ConfigError as err:
        print(f"{folder / 'conf.py'}: fix these first (bash cv.sh build shows them with line numbers):", file=sys.stderr)
        for problem in err.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    try:
        print(format_report(report))
    except BrokenPipeError:  # `bash cv.sh people | head`
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (Python flushes stdout again at exit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
