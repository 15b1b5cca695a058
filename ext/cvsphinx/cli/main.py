"""The ``cvsphinx`` command (``pip install .``): build, page, pdf, people, upgrade, version.

``bash cv.sh`` stays the front door of a CV project (it also installs TeX Live and the rest); this is what it
runs, and what a CV whose extension is installed as a package runs instead.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

from .._version import __version__
from ..core.files import PACKAGE

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
    staging = target.with_name("cvsphinx.new")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(PACKAGE, staging, ignore=_SKIP)
    if target.exists():
        shutil.rmtree(target)
    staging.rename(target)  # the CV's other files are never touched
    print(f"{cv}: the extension is now version {__version__} (it was {old or 'unknown'}); "
          "your conf.py, sections and .bib files are as they were.", file=out)
    news = changes_since(old or "0")
    if news:
        print(f"\nWhat changed since {old or 'then'}:\n\n{news}\n", file=out)
    print(f"Next: cd {cv} && bash cv.sh build, then commit ext/ (git add ext && git commit)", file=out)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cvsphinx", description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", action="version", version=f"cvsphinx {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("version", help="print the version")
    for name, helptext in (("build", "every PDF and the page, strict (as bash cv.sh build, without installing)"),
                           ("pdf", "every PDF (the full CV's and its variants')"),
                           ("page", "the full CV's HTML page")):
        sub = commands.add_parser(name, help=helptext)
        sub.add_argument("folder", nargs="?", default=".", help="the CV's folder (conf.py); default: here")
    people = commands.add_parser("people", help="every co-author and whom the roster makes of them")
    people.add_argument("folder", nargs="?", default=".")
    up = commands.add_parser("upgrade", help="put this version of the extension into a CV made by cv.sh new")
    up.add_argument("folder", type=Path, help="the CV's folder")
    args, rest = parser.parse_known_args(argv)
    if args.command == "version":
        print(__version__)
        return 0
    if args.command == "upgrade":
        return upgrade(args.folder)
    if args.command == "people":
        from .people import main as people_main

        return people_main([args.folder, *rest])
    from .variants import main as variants_main

    if args.command == "pdf":
        return variants_main([args.folder, "-W", "-E", *rest])
    if args.command == "page":
        return variants_main([args.folder, "--page", "-W", "-E", *rest])
    code = variants_main([args.folder, "-W", "-E", *rest])
    return variants_main([args.folder, "--page", "-W", "-E", *rest]) or code


if __name__ == "__main__":
    sys.exit(main())
