"""``cvsphinx upgrade``: a CV made by ``cv.sh new`` takes this version of the extension and keeps its content.

The extension's folder is replaced whole.  Where the CV's own files name a module of the extension (its
``cv.sh``, ``.readthedocs.yaml``, ``.ci/run`` and the tests ``new`` copied run ``python -m cvsphinx.variants``
or import ``cvsphinx.catalog``), the names are rewritten to where the module is now (``MOVED``), and each
rewritten file is listed; nothing else of the CV changes.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path
from typing import Any

from .._version import __version__
from ..core.files import PACKAGE
from ..sphinxext.accepted import read
from .new import build_warnings

# 0.6.0 -> 0.7.0: the flat package became folders by data flow (core, styles, output, sphinxext, cli)
MOVED = {
    **{name: f"core.{name}" for name in ("bibfile", "latex", "journals", "records", "people", "groups", "identifiers",
                                         "links", "dates", "labels", "configerrors", "files", "forks", "glyphs",
                                         "bidi")},
    "validate": "core.checks", "style": "styles.house", "csl": "styles.csl",
    "formats": "output.formats", "pdftools": "output.pdftools",
    **{name: f"sphinxext.{name}" for name in ("wiring", "config", "directives", "nodes", "render", "tailor", "pages",
                                              "output", "ledger", "freshness", "warnings_", "i18n", "report",
                                              "stats", "meta", "exports", "accepted")},
    "catalog": "sphinxext.store", "cli": "cli.main", "variants": "cli.variants", "coauthors": "cli.people",
    "messages": "cli.messages", "scaffold": "cli.new",
}
# names that left the module they moved with for one of their own
MOVED_NAMES = {
    ("catalog", "read_records"): "core.catalog", ("catalog", "merge_preprints"): "core.catalog",
    ("catalog", "few_collections"): "core.lifetime", ("config", "CVConfig"): "core.settings",
    **{("tailor", name): "core.variants" for name in ("VARIANT_KEYS", "Variant", "build_variants", "known_tags",
                                                      "split_tags", "reaches", "picks_lines", "keeps_entry")},
    **{("tailor", name): "output.fastpdf" for name in ("replace_fonts", "layout_preamble", "ONE_PASS",
                                                       "ONE_PASS_PREAMBLE", "BOOKMARKS", "NO_CJK", "drop_xecjk",
                                                       "fast_tex")},
    **{("style", name): "styles.base" for name in ("DEFAULT_MARKS", "Marker", "MarkSign", "as_plain", "StyleContext",
                                                   "format_authors", "legend", "used_marks", "marks_legend")},
    **{("style", name): "styles.registry" for name in ("Formatter", "STYLES", "register_style", "style_digest",
                                                       "register_csl", "style_problem")},
    **{("scaffold", name): "cli.summary" for name in ("summary", "accepted_state", "todo_list", "conf_literal",
                                                      "suppressed_warnings")},
    **{("scaffold", name): "cli.newfiles" for name in ("SECTIONS", "make_conf", "make_index", "make_readme",
                                                       "adapt_cv_sh", "example_bib", "initials", "slugify")},
    ("scaffold", "STARTER_TEXT"): "core.labels",
    ("cli", "changes_since"): "cli.upgrade", ("cli", "installed_version"): "cli.upgrade",
    ("cli", "upgrade"): "cli.upgrade",
}
# the CV's files that run or import the extension
_NAMING = ("cv.sh", ".readthedocs.yaml", ".ci/run", "conf.py")
# ``cli`` and ``output`` were modules and are now packages: ``cvsphinx.cli.variants`` is the new layout already
_NOW_PACKAGES = ("cli", "output")
_OLD = "|".join(sorted((name for name in MOVED if name not in _NOW_PACKAGES), key=len, reverse=True)) \
    + "".join(rf"|{name}(?!\.\w)" for name in _NOW_PACKAGES)
# one pass, so that nothing is rewritten twice: ``from cvsphinx.X import …``, ``from cvsphinx import X``,
# any other ``cvsphinx.X`` (``python -m cvsphinx.variants``, a dotted name in a string), and a path
# ``cvsphinx/X.py``
_NAMED = re.compile(rf"^(?P<indent>[ \t]*)from cvsphinx\.(?P<old>{_OLD}) import (?P<names>\([^)]*\)|[^\n]*)"
                    rf"|^(?P<bindent>[ \t]*)from cvsphinx import (?P<bare>[^\n(]*)$"
                    rf"|(?<![\w.])cvsphinx\.(?P<dotted>{_OLD})\b(?![\w.]*\.py\b)"
                    rf"|(?<=cvsphinx/)(?P<file>{'|'.join(sorted(MOVED, key=len, reverse=True))})\.py\b", re.MULTILINE)
_NEW_MODULES = {"cli": {"main", "new", "people", "variants", "messages", "upgrade"}, "output": {"formats", "pdftools",
                                                                                                "fastpdf"}}


def _split(names: str) -> list[str]:
    return [n.strip() for n in names.strip("()").replace("\n", " ").split(",") if n.strip() and not
            n.strip().startswith("#")]


def _from_import(indent: str, old: str, names: str, whole: str) -> str:
    items = _split(names)
    if old in _NEW_MODULES and {item.split(" as ")[0].strip() for item in items} <= _NEW_MODULES[old] - {"main"}:
        return whole  # modules of the new package
    by_module: dict[str, list[str]] = {}
    for item in items:
        by_module.setdefault(MOVED_NAMES.get((old, item.split(" as ")[0].strip()), MOVED[old]), []).append(item)
    return "\n".join(f"{indent}from cvsphinx.{module} import {', '.join(items)}" for module, items in by_module.items())


def _bare(indent: str, names: str) -> str:
    lines, kept = [], []
    for item in _split(names):
        name = item.split(" as ")[0].strip()
        if name in MOVED and name not in _NOW_PACKAGES:
            package, module = MOVED[name].rsplit(".", 1)
            alias = item.split(" as ")[1].strip() if " as " in item else name
            lines.append(f"{indent}from cvsphinx.{package} import {module}" + (f" as {alias}" if alias != module else ""))
        else:
            kept.append(item)
    return "\n".join(([f"{indent}from cvsphinx import {', '.join(kept)}"] if kept else []) + lines)


def _one(match: re.Match[str]) -> str:
    if match["old"]:
        return _from_import(match["indent"], match["old"], match["names"], match[0])
    if match["dotted"]:
        return f"cvsphinx.{MOVED[match['dotted']]}"
    if match["file"]:  # a path: cv.sh's preview runs ext/cvsphinx/variants.py
        return MOVED[match["file"]].replace(".", "/") + ".py"
    return _bare(match["bindent"], match["bare"])


def rewrite_moved(text: str) -> str:
    """``text`` with every module of the old layout named as it is now (imports and ``python -m``)."""
    return _NAMED.sub(_one, text)


def rewrite_cv_files(cv: Path) -> list[str]:
    """Rewrite the CV's files that name a moved module; the paths rewritten, relative to the CV."""
    paths = [cv / name for name in _NAMING] + sorted((cv / "tests").rglob("*.py"))  # none when there is no tests/
    changed = []
    for path in paths:
        if not path.is_file() or "node_modules" in path.parts:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        new = rewrite_moved(text)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path.relative_to(cv).as_posix())
    return changed


# what a CV made by ``cv.sh new`` holds of the extension: this package's files, nothing else
_SKIP = shutil.ignore_patterns("__pycache__", "*.pyc")


_VERSION = re.compile(r"""__version__\s*=\s*["']([^"']+)["']""")


_HEADING = re.compile(r"^## (\d+(?:\.\d+)*)\b.*$", re.MULTILINE)


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", version))


def changes_since(old: str, changelog: str | None = None) -> str:
    """The CHANGELOG's sections newer than ``old``, newest first, as they are written."""
    text = changelog if changelog is not None else (PACKAGE / "CHANGELOG.md").read_text(encoding="utf-8")
    heads = list(_HEADING.finditer(text))
    out = []
    for head, after in zip(heads, [*heads[1:], None], strict=True):
        if _key(head[1]) > _key(old):
            out.append(text[head.start():after.start() if after else len(text)].rstrip())
    return "\n\n".join(out)


def installed_version(cv: Path) -> str | None:
    found = _VERSION.search((cv / "ext" / "cvsphinx" / "_version.py").read_text(encoding="utf-8")) \
        if (cv / "ext" / "cvsphinx" / "_version.py").is_file() else None
    return found[1] if found else None


def _accept_new_findings(cv: Path, accepted: Path, before: list[str], old: str | None, out: Any) -> None:
    """A check this version adds must not turn a CV's green build red the day it upgrades: the warnings it gives
    that the version before did not are added to the accepted list, as ``new`` accepts a first build's, and shown.
    A warning the version before gave already and the list does not hold still fails the build: it is the CV's."""
    after = build_warnings(cv)
    if after is None:
        print("The build after the upgrade could not run here, so no new warning is accepted: run bash cv.sh build",
              file=out)
        return
    have = set(read(accepted))
    found = [line for line in after if line not in before and line not in have]
    if not found:
        return
    text = accepted.read_text(encoding="utf-8")
    text += ("" if text.endswith("\n") else "\n") + f"# Found first by version {__version__} (it was {old or 'unknown'}):\n"
    accepted.write_text(text + "".join(f"{line}\n" for line in found), encoding="utf-8")
    print(f"\nThis version finds {len(found)} problem{'s' if len(found) != 1 else ''} in your data that the last did "
          "not; they are added to accepted-warnings.txt, so the build lists them as to-dos and passes:", file=out)
    for line in found:
        print(f"  {line}", file=out)


def upgrade(cv: Path, out=sys.stdout) -> int:
    """Put this version of the extension into ``cv/ext/cvsphinx``: the CV's conf.py, sections, refs.bib and
    everything else stay as they are; the build cache goes (every cache key has the version in it anyway)."""
    cv = cv.resolve()
    if not (cv / "conf.py").is_file():
        print(f"cvsphinx upgrade: {cv} has no conf.py; give the folder of a CV made by cv.sh new", file=sys.stderr)
        return 2
    target = cv / "ext" / "cvsphinx"
    if target.resolve() == PACKAGE:
        print(f"cvsphinx upgrade: {cv} is where this extension lives; nothing to do", file=sys.stderr)
        return 2
    old = installed_version(cv)
    if old is not None and _key(old) > _key(__version__):
        print(f"cvsphinx upgrade: {cv} has version {old}, newer than this {__version__}; nothing changed",
              file=sys.stderr)
        return 2
    # the CV's warnings with the version it has: those the new one gives besides are its new findings (below)
    accepted = cv / "accepted-warnings.txt"
    before = build_warnings(cv) if accepted.is_file() else None
    staging = target.with_name("cvsphinx.new")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(PACKAGE, staging, ignore=_SKIP)
    if target.exists():
        shutil.rmtree(target)
    staging.rename(target)
    rewritten = rewrite_cv_files(cv)
    print(f"{cv}: the extension is now version {__version__} (it was {old or 'unknown'}); "
          "your conf.py, sections and .bib files are as they were.", file=out)
    if rewritten:
        print(f"These files named modules of the extension that have moved, and now name them where they are: "
              f"{', '.join(rewritten)}", file=out)
    if before is not None:
        _accept_new_findings(cv, accepted, before, old, out)
    elif accepted.is_file():
        print("The CV could not be built with its old version here, so warnings this version gives for the first "
              "time are not told from the CV's own: if bash cv.sh build fails on one, fix it, or add its line to "
              "accepted-warnings.txt", file=out)
    news = changes_since(old or "0")
    if news:
        print(f"\nWhat changed since {old or 'then'}:\n\n{news}\n", file=out)
    print(f"Next: cd {cv} && bash cv.sh build, then commit ext/ (git add ext && git commit)", file=out)
    return 0
