"""A new CV project for another person (``cvsphinx new``); ``summary`` is cli/summary.py's.

``python -m cvsphinx.cli.new new DIR --name "Marie Curie" [--bib FILE] [--email ...] [--orcid ...]``
copies this project's machinery (the extension, the build script, the generic
tests, CI and Read the Docs files) into DIR and writes that person's own
content: conf.py, index.md, starter sections and refs.bib.  Nothing of the
CV it was made from is copied: its sections, roster, bibliography and the
tests tied to its text stay behind, so the new project builds and tests clean
at once.

``python -m cvsphinx.cli.new summary [BUILD_DIR]`` reads the built page and
PDF and says what they hold: ``bash cv.sh build`` ends with it.

The summary reads the built HTML with the standard library's parser (the
test tools may not be installed where the CV is built); ``new`` reads the
.bib file with the extension's own reader, as the build will.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import textwrap
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..core.labels import is_english, po_file
from ..core.names import is_cjk_name, read_name
from .newfiles import (
    _LATEX_SPECIAL,
    SECTIONS,
    NewOwner,
    adapt_cv_sh,
    example_bib,
    make_conf,
    make_favicon,
    make_index,
    make_readme,
    make_section,
    slugify,
)
from .summary import _n, summary

HERE = Path(__file__).resolve().parent.parent  # the package
ROOT = HERE.parent.parent  # the project this extension lives in

# -- what a new project gets -----------------------------------------------------------------

# Copied as they are (when present).  Not copied: bench/ (benchmarks of this
# CV), the tests of the extension itself (tests/roots and their tests) and the
# tests that compare the output with this CV's source text (tests/data/seed.txt).
COPY_FILES = (".gitignore", ".readthedocs.yaml", "pyproject.toml", "cv.sh", ".ci/run")
COPY_GLOBS = ("requirements*.txt",)
COPY_TREES = ("ext", "_static")
# The tests that hold for any CV (test_rtd.py: Read the Docs' own commands publish what the build makes;
# test_quality.py: axe-core and Lighthouse, whose npm pins cv.sh installs from tests/quality).
GENERIC_TESTS = ("tests/conftest.py", "tests/cv/test_cv_invariants.py", "tests/cv/test_browser.py",
                 "tests/cv/test_quality.py", "tests/e2e/test_rtd.py", "tests/quality/package.json",
                 "tests/quality/package-lock.json")
_SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache", ".ruff_cache")


class ScaffoldError(Exception):
    """A mistake in the command line: said in one line, nothing is created."""


def make_owner(name: str, email: str = "", orcid: str = "", website: str = "", affiliation: list[str] | None = None,
               bibtex: str = "", language: str = "en") -> NewOwner:
    name = " ".join((name or "").split())
    if not name or not any(c.isalpha() for c in name):
        raise ScaffoldError("--name must be a person's name, e.g. --name \"Marie Curie\"")
    bad = sorted(_LATEX_SPECIAL & set(name + bibtex))
    if bad:
        raise ScaffoldError(f"the name may not hold {' '.join(bad)}: they are LaTeX syntax; write the letters themselves "
                            "(é, not \\'e)")
    person = read_name(bibtex or name)  # as the build reads it: 小山 翔一 is family name first
    given = " ".join(person.first_names + person.middle_names)
    surname = " ".join(person.prelast_names + person.last_names)
    lineage = " ".join(person.lineage_names)
    if "," in name:  # given as "Curie, Marie": show it as "Marie Curie" (a CJK name family name first)
        name = " ".join(p for p in ((surname, given) if is_cjk_name(name) else (given, surname, lineage)) if p)
    if not bibtex:
        bibtex = ", ".join(p for p in (surname, lineage, given) if p) if given else name
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise ScaffoldError(f"--email {email!r} is not an e-mail address")
    orcid = re.sub(r"^https?://orcid\.org/", "", orcid or "")
    if orcid and not re.fullmatch(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]", orcid):
        raise ScaffoldError(f"--orcid {orcid!r} is not an ORCID iD; write e.g. 0000-0002-1825-0097")
    if website and not re.match(r"https?://", website):
        website = "https://" + website
    return NewOwner(name, bibtex, slugify(name), email, orcid, website, list(affiliation or []),
                 language=check_language(language))


def check_language(language: str) -> str:
    """Sphinx's spelling of a language Babel knows (``zh-cn`` -> ``zh_CN``), or one line saying what to write."""
    from babel import Locale, UnknownLocaleError

    code = (language or "en").strip().replace("-", "_")
    try:
        locale = Locale.parse(code)
    except (ValueError, UnknownLocaleError):
        raise ScaffoldError(f"--language {language!r} is not a language code; write e.g. de, fr, es, pt_BR, it, "
                            "zh_CN or ja (Sphinx's 'language')") from None
    return f"{locale.language}_{locale.territory}" if locale.territory and "_" in code else locale.language


def language_note(owner: NewOwner) -> str | None:
    """What ``new`` says about a language whose words the extension does not have (they stay English)."""
    if is_english(owner.language) or po_file(owner.language) is not None:
        return None
    from babel import Locale

    name = Locale.parse(owner.language).get_display_name("en")
    return (f"language = {owner.language!r}: dates and CSL styles are in {name}, but the extension's own words "
            f"(headings, 'ed. by', 'Download as PDF') have no {name} translation yet and stay English; give yours "
            "in conf.py as cv_labels (README, 'Languages')")


# -- conf.py ---------------------------------------------------------------------------------


# -- index.md, sections, refs.bib, README ----------------------------------------------------


# -- new ---------------------------------------------------------------------------------------


@dataclass
class BibReport:
    path: Path
    entries: int
    skipped: list[str]  # "file:line: message" of each entry that could not be read
    other: list[str]  # problems with entries that were kept
    without_owner: list[str]  # keys of entries whose authors (or editors) do not name the owner
    aliases: Counter = field(default_factory=Counter)  # other spellings of the owner found there -> entries


def check_bib(path: Path, owner: NewOwner) -> BibReport:
    """What the build will find in the .bib file, said once, before anything is built; names are read as the build
    reads them (core/names.py), and spellings that are probably the owner's are gathered for cv_owner_aliases."""
    from ..core.bibfile import BibText, read_bib
    from ..core.latex import preamble_macros
    from ..core.people import NameKey, build_owner, highlighted, partly_same
    from ..core.records import build_records

    extra = BibText()
    entries, problems = read_bib(path, extra=extra)
    records, _ = build_records(entries, preamble_macros("\n".join(extra.preamble)))
    shown = path.name
    skipped = [f"{shown}:{p.line}: {p.message}" for p in problems if p.subtype == "bib_syntax"]
    other = [f"{shown}:{p.line}: {p.message}" for p in problems if p.subtype != "bib_syntax"]
    me = build_owner(owner.bibtex, [])
    without = []
    aliases: Counter = Counter()
    for record in records:
        role = "author" if record.persons.get("author") else "editor"
        people = [p for p in record.persons.get(role, []) if str(p).strip().lower() != "others"]
        if not people or record.get("contribution"):
            continue
        keys = [NameKey.from_person(p) for p in people]
        editors = [NameKey.from_person(p) for p in record.persons.get("editor", [])]
        if any(me.is_owner(k) for k in keys + editors) or highlighted(record.get(f"{role}+an")):
            continue
        like = [p for p, k in zip(people, keys, strict=True) if any(partly_same(mine, k) for mine in me.keys)]
        if like:
            aliases[_bibtex_name(like[0])] += 1
        else:
            without.append(record.key)
    return BibReport(path, len(entries), skipped, other, without, aliases)


def _bibtex_name(person) -> str:
    """A decoded name as conf.py writes it: "Surname, Given"."""
    surname = " ".join(person.prelast_names + person.last_names)
    given = " ".join(person.first_names + person.middle_names)
    return f"{surname}, {given}" if given else surname


def _say_bib(report: BibReport, owner: NewOwner, out) -> None:
    def listing(items: list[str], limit: int = 20) -> None:
        for item in items[:limit]:
            print(f"    {item}", file=out)
        if len(items) > limit:
            print(f"    … and {len(items) - limit} more", file=out)

    print(f"refs.bib: {_n(report.entries, 'entry')} read from {report.path}", file=out)
    if report.skipped:
        print(f"  {_n(len(report.skipped), 'entry')} could not be read; each is missing from the CV until it is "
              "fixed (the build warns about each):", file=out)
        listing(report.skipped)
    else:
        print("  every entry could be read", file=out)
    if report.other:
        print(f"  {_n(len(report.other), 'other problem')} (those entries are kept; the build warns about each):",
              file=out)
        listing(report.other)
    if report.aliases:
        print(f"  {_n(sum(report.aliases.values()), 'entry')} spell your name otherwise; the CV bolds these spellings "
              "too (cv_owner_aliases in conf.py: delete any that is not you):", file=out)
        listing([f"{name!r} ({_n(count, 'entry')})" for name, count in report.aliases.most_common()])
    if report.without_owner:
        print(f"  {_n(len(report.without_owner), 'entry')} without {owner.bibtex} among the authors (the build warns "
              "cv.owner_absent; add the other names you published under to cv_owner_aliases in conf.py):", file=out)
        keys = ", ".join(report.without_owner[:40]) + (", …" if len(report.without_owner) > 40 else "")
        print(textwrap.fill(keys, width=100, initial_indent="    ", subsequent_indent="    "), file=out)


def _git(dest: Path, *args: str, owner: NewOwner) -> None:
    """git in the new project; without a configured identity, the commit is the owner's."""
    identity: list[str] = []
    for key, value in (("user.name", owner.name), ("user.email", owner.email or "cv@example.invalid")):
        probe = subprocess.run(["git", "config", key], cwd=dest, capture_output=True, text=True)
        if not probe.stdout.strip():
            identity += ["-c", f"{key}={value}"]
    subprocess.run(["git", *identity, *args], cwd=dest, check=True, capture_output=True, text=True)


def build_warnings(dest: Path) -> list[str] | None:
    """Every cv warning of one build of the project (page and LaTeX, no PDF, none accepted), as the lines of
    ``accepted-warnings.txt``; None when Sphinx could not run."""
    import tempfile

    lines: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for builder in ("html", "latex"):
            run = subprocess.run([sys.executable, "-m", "sphinx", "-b", builder, "-E", "-q", "-d", f"{tmp}/doctrees",
                                  "-D", "cv_accepted_warnings=", str(dest), f"{tmp}/{builder}"],
                                 capture_output=True, text=True, stdin=subprocess.DEVNULL, cwd=dest)
            seen = Path(tmp) / "doctrees" / f"cv-warnings-{builder}.txt"
            if run.returncode != 0 or not seen.is_file():
                return None
            lines += [line.split("\t")[2] for line in seen.read_text(encoding="utf-8").splitlines()
                      if line.count("\t") >= 2]
    return list(dict.fromkeys(lines))


def first_warnings(dest: Path) -> list[str] | None:
    """Build the new project once and accept every warning it gives, so that its own first ``bash cv.sh build``,
    its CI and its Read the Docs build pass; None when Sphinx could not run."""
    from ..sphinxext.accepted import write

    lines = build_warnings(dest)
    if lines:
        write(dest / "accepted-warnings.txt", lines)
    return lines


def create(dest: Path, owner: NewOwner, bib: Path | None = None, source: Path = ROOT, out=sys.stdout) -> BibReport | None:
    """Write the new project into ``dest`` (new or empty) and commit it."""
    dest = dest.resolve()
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise ScaffoldError(f"{dest} exists and is not an empty folder; choose a new one")
    if bib is not None and not bib.is_file():
        raise ScaffoldError(f"--bib {bib}: no such file")
    if shutil.which("git") is None:
        raise ScaffoldError("git is not installed; install it (apt-get install git) and run this again")
    report = check_bib(bib, owner) if bib is not None else None
    if report is not None:
        owner.aliases = [name for name, _ in report.aliases.most_common()]
    dest.mkdir(parents=True, exist_ok=True)
    for rel in COPY_FILES + GENERIC_TESTS:
        src = source / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    for pattern in COPY_GLOBS:
        for src in sorted(source.glob(pattern)):
            shutil.copy2(src, dest / src.name)
    for rel in COPY_TREES:
        if (source / rel).is_dir():
            shutil.copytree(source / rel, dest / rel, ignore=_SKIP)
    ignore = dest / ".gitignore"
    if (dest / "tests" / "quality").is_dir() and ignore.is_file() and "node_modules" not in ignore.read_text(encoding="utf-8"):
        with ignore.open("a", encoding="utf-8") as file:  # npm ci puts the page-quality tools there: not for git
            file.write("node_modules/\n")
    icons = sorted((dest / "_static").glob("favicon.*"))
    if icons:  # the template's icon shows its owner's initials: the new owner's instead
        for icon in icons:
            icon.unlink()
        (dest / "_static" / "favicon.svg").write_text(make_favicon(owner), encoding="utf-8")
    if (dest / "cv.sh").is_file() and not (dest / "bench").exists():
        (dest / "cv.sh").write_text(adapt_cv_sh((dest / "cv.sh").read_text(encoding="utf-8")), encoding="utf-8")
    (dest / "conf.py").write_text(make_conf((source / "conf.py").read_text(encoding="utf-8"), owner), encoding="utf-8")
    (dest / "index.md").write_text(make_index(owner), encoding="utf-8")
    (dest / "sections").mkdir()
    for file, heading, body in SECTIONS:
        (dest / "sections" / f"{file}.md").write_text(make_section(owner.words(heading), body), encoding="utf-8")
    if bib is not None:
        shutil.copyfile(bib, dest / "refs.bib")  # as it is, bytes and all: the build says what is wrong with it
    else:
        (dest / "refs.bib").write_text(example_bib(owner), encoding="utf-8")
    readme = source / "README.md"
    people = (dest / "cv.sh").is_file() and "people)" in (dest / "cv.sh").read_text(encoding="utf-8")
    source_readme = readme.read_text(encoding="utf-8") if readme.is_file() else ""
    (dest / "README.md").write_text(make_readme(owner, source_readme, people), encoding="utf-8")
    accepted = first_warnings(dest)
    _git(dest, "init", "-q", owner=owner)
    _git(dest, "add", "-A", owner=owner)
    _git(dest, "commit", "-q", "-m", f"New CV of {owner.name}, made with cv.sh new", owner=owner)
    print(f"New CV project for {owner.name} in {dest} (a git repository with one commit).", file=out)
    if report is not None:
        _say_bib(report, owner, out)
    else:
        print("refs.bib: one example entry; replace it with your publications", file=out)
    if accepted is None:
        print("The first build could not be run here, so no warnings are accepted: the first `bash cv.sh build` "
              "is strict", file=out)
    elif accepted:
        print(f"{_n(len(accepted), 'warning')} of the first build (your data, and the starter sections' example lines) "
              "are in accepted-warnings.txt: the build lists them as a to-do and passes; any new warning fails it",
              file=out)
    print(f"PDF: {owner.pdf_tex.replace('.tex', '.pdf')}; the owner in refs.bib: cv_owner = {owner.bibtex!r} in conf.py",
          file=out)
    note = language_note(owner)
    if note:
        print(note, file=out)
    if not is_english(owner.language):  # its build passes -D language=<the project's setting>, English by default
        print(f"On Read the Docs, set the project's Language (Admin > Settings) to {owner.language}: its build "
              "overrides conf.py's, and warns (cv.language) until they agree", file=out)
    print(f"Next: cd {dest} && bash cv.sh build", file=out)
    return report


# -- summary ---------------------------------------------------------------------------------


# -- command line ----------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cv.sh", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    new = commands.add_parser("new", help="create a new CV project for another person",
                              description="Create a new CV project in DIR: a git repository with one commit.")
    new.add_argument("dir", type=Path, help="a new or empty folder")
    new.add_argument("--name", required=True, help='the name as the CV shows it, e.g. "Marie Curie"')
    new.add_argument("--bib", type=Path, help="your publications: a .bib file, copied to refs.bib")
    new.add_argument("--email", default="")
    new.add_argument("--orcid", default="", help="e.g. 0000-0002-1825-0097")
    new.add_argument("--website", default="")
    new.add_argument("--affiliation", action="append", default=[],
                     help="a line of the contact block (repeat it for more lines)")
    new.add_argument("--owner", default="", help='the name as refs.bib spells it, if not "Surname, Given" of --name')
    new.add_argument("--language", default="en",
                     help="the CV's language (Sphinx's 'language'): de, fr, es, pt_BR, it, zh_CN, ja, ...; default en")
    done = commands.add_parser("summary", help="what the last build holds (bash cv.sh build ends with it)")
    done.add_argument("build", type=Path, nargs="?", default=Path("_build"))
    done.add_argument("--prune", action="store_true",
                      help="delete accepted warnings the last build no longer gave (after a build that read everything)")
    args = parser.parse_args(argv)
    try:
        if args.command == "new":
            owner = make_owner(args.name, args.email, args.orcid, args.website, args.affiliation, args.owner,
                               args.language)
            create(args.dir, owner, args.bib)
        else:
            print(summary(args.build, prune=args.prune))
    except ScaffoldError as err:
        print(f"cv.sh {args.command}: {err}", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as err:
        print(f"cv.sh {args.command}: {' '.join(err.cmd)} failed: {err.stderr or err.stdout}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
