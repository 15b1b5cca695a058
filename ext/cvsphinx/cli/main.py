"""The ``cvsphinx`` command (``pip install .``): build, page, pdf, people, upgrade, version.

``bash cv.sh`` stays the front door of a CV project (it also installs TeX Live and the rest); this is what it
runs, and what a CV whose extension is installed as a package runs instead.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .._version import __version__
from .upgrade import upgrade


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
