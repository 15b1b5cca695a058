"""Accepted warnings: a CV made from someone's existing .bib file builds strict from its first day.

A stranger's .bib file comes with problems of its own (a missing year, a placeholder, an
unknown macro), and ``-W`` would turn each into a failed build with no page.  ``cv.sh new``
records the warnings of the first build in ``accepted-warnings.txt`` (``cv_accepted_warnings``):
a warning listed there is reported as a to-do line, not as a warning, so ``-W`` passes; any
other warning still fails the build.  Once a listed problem is fixed, ``bash cv.sh build``
deletes its line, so the list only shrinks, and a project without the file (this one) is
strict.

A warning is matched by its subtype, its file and its text with line numbers left out, so
editing other entries does not make an accepted warning new.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

HEADER = """\
# Warnings this CV accepts for now (cv_accepted_warnings in conf.py), one per line.
# The build reports each as a to-do line and passes; any other warning fails it.
# Fix the problem a line names, and `bash cv.sh build` deletes the line.
# Written by `bash cv.sh new` from the first build of your .bib file.
"""
SEEN_FILE = "cv-warnings-{builder}.txt"  # in the doctree folder: every cv warning of the last build, accepted or not

_LINE_NUMBER = re.compile(r"(?<=\bline )\d+|(?<=\blines )\d+(?:[–-]\d+)?|(?<=\.bib:)\d+|(?<=\.md:)\d+")


def identity(subtype: str, where: str, message: str) -> str:
    """One line of the accepted list: ``[cv.missing_field] refs.bib: entry 'x': has no year…``."""
    text = " ".join(_LINE_NUMBER.sub("N", message).split())
    return f"[cv.{subtype}] {where}: {text}" if where else f"[cv.{subtype}] {text}"


def _where(location: object, srcdir: str) -> str:
    """The file a warning is about, relative to the project and without its line: ``refs.bib``, ``index``."""
    if location is None:
        return ""
    if isinstance(location, tuple):
        return str(location[0] or "")
    if isinstance(location, str):
        path = re.sub(r":\d+$", "", location)
    else:
        path = re.sub(r":\d+$", "", getattr(location, "source", None) or "")
    if not path:
        return ""
    return Path(os.path.relpath(os.path.abspath(path), srcdir)).as_posix()


def read(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def write(path: Path, lines: list[str]) -> None:
    path.write_text(HEADER + "".join(f"{line}\n" for line in dict.fromkeys(lines)), encoding="utf-8")


class _Accept(logging.Filter):
    """On Sphinx's warning handler, before it counts: an accepted cv warning becomes a to-do line."""

    def __init__(self, app: Sphinx) -> None:
        super().__init__()
        self.app = app
        self.accepted: set[str] = set()
        self.seen: list[tuple[str, str, bool, str]] = []  # (identity, file:line, accepted, message) of each one

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "type", "") != "cv" or record.levelno < logging.WARNING:
            return True
        location = getattr(record, "location", None)
        ident = identity(getattr(record, "subtype", ""), _where(location, str(self.app.srcdir)), record.getMessage())
        accepted = ident in self.accepted
        self.seen.append((ident, self._at(location), accepted, " ".join(record.getMessage().split())))
        if not accepted:
            return True
        from sphinx.util import logging as sphinx_logging

        sphinx_logging.getLogger("cvsphinx").info(f"to do (accepted): {record.getMessage()}",
                                                 location=getattr(record, "location", None))
        return False


    def _at(self, location: object) -> str:
        if isinstance(location, tuple):
            try:
                return f"{os.path.relpath(self.app.env.doc2path(location[0]))}:{location[1] or 1}"
            except Exception:
                return str(location[0])
        if location is not None and not isinstance(location, str):
            from sphinx.util.nodes import get_node_location

            return get_node_location(location) or ""
        return location or ""


def install(app: Sphinx, config: Config) -> None:
    name = config.cv_accepted_warnings
    handler = next((h for h in logging.getLogger("sphinx").handlers if type(h).__name__ == "WarningStreamHandler"), None)
    if handler is None:
        return
    for old in [f for f in handler.filters if isinstance(f, _Accept)]:
        handler.removeFilter(old)
    accept = _Accept(app)
    if isinstance(name, str) and name:
        accept.accepted = set(read(Path(app.confdir) / name))
    handler.filters.insert(0, accept)  # before WarningSuppressor, which counts the warnings -W fails on
    app._cv_accept = accept  # type: ignore[attr-defined]


def record_seen(app: Sphinx, exception: Exception | None) -> None:
    accept = getattr(app, "_cv_accept", None)
    if accept is None or exception is not None:
        return
    try:
        path = Path(app.doctreedir) / SEEN_FILE.format(builder=app.builder.name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(f"{'accepted' if ok else 'new'}\t{at}\t{ident}\t{message}\n"
                                for ident, at, ok, message in dict.fromkeys(accept.seen)), encoding="utf-8")
    except OSError:
        pass  # only a record for the build summary


def setup_accepted(app: Sphinx) -> None:
    app.add_config_value("cv_accepted_warnings", "accepted-warnings.txt", "", types=frozenset({str}))


def last_build(doctrees: Path) -> list[tuple[str, str, bool, str]]:
    """(identity, file:line, accepted, message) of every cv warning of the last html and latex builds in ``doctrees``."""
    found: dict[str, tuple[str, str, bool, str]] = {}
    for builder in ("html", "latex"):
        try:
            text = (doctrees / SEEN_FILE.format(builder=builder)).read_text(encoding="utf-8")
        except OSError:
            continue
        for line in text.splitlines():
            state, at, ident, message = [*line.split("\t"), "", "", ""][:4]
            if ident:
                found.setdefault(ident, (ident, at, state == "accepted", message or ident))
    return list(found.values())
