"""Files the build keeps for itself (caches, stamps, status): written whole or not at all."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

# the installed package: its static files, templates, catalogs and CHANGELOG
PACKAGE = Path(__file__).resolve().parent.parent


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` as ``open_atomic`` does."""
    with open_atomic(path) as handle:
        handle.write(data)


@contextlib.contextmanager
def open_atomic(path: Path) -> Iterator[BinaryIO]:
    """A file to write ``path`` through: a temporary file renamed over it when the block ends, so that a reader
    never sees half a file and two builds sharing a folder do not mix theirs.  On a full disk or a read-only
    folder the OSError is raised for the caller to report, and the temporary file is gone."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as handle:
            yield handle
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise


# The build's own account of what it placed (sphinxext/report.py writes it, cli/summary.py reads it), in the doctrees
SUMMARY_FILE = "cvsphinx-summary.json"


def read_summary(build: Path) -> dict | None:
    """The last web build's summary under ``build`` (``-M html``'s doctrees, or ``-b html``'s)."""
    import json

    for folder in (build / "doctrees", build / "html" / ".doctrees"):
        try:
            return json.loads((folder / SUMMARY_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
    return None
