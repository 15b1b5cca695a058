"""Files the build keeps for itself (caches, stamps, status): written whole or not at all."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

# the installed package: its static files, templates, catalogs and CHANGELOG
PACKAGE = Path(__file__).resolve().parent.parent


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename, so that a reader never sees half a file
    and two builds sharing a folder do not mix theirs.  On a full disk or a read-only folder the OSError is
    raised for the caller to report, and the temporary file is gone."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError:
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
