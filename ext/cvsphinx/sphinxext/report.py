"""What the build summary of ``bash cv.sh build`` says about the publications, from the catalog itself.

The summary (``cli/summary.py``) runs after the build, outside Sphinx; it reads this file instead of the
finished HTML, so it counts what the catalog placed, on the CV's page or on pages of their own.
"""

from __future__ import annotations

import contextlib
import json
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._version import __version__
from ..core.files import SUMMARY_FILE, write_atomic
from ..styles.cslitem import OWNER
from .config import cv_config
from .exports import WEB_BUILDERS, facts, placed_groups
from .store import load

if TYPE_CHECKING:
    from sphinx.application import Sphinx

def summary_data(app: Sphinx) -> dict[str, Any]:
    cfg = cv_config(app.config)
    store = load(app.env)
    names = [n for n in placed_groups(app.env) if store.groups.get(n)]  # an empty group prints nothing
    titles = {g.name: g.title or "" for g in cfg.groups}
    groups = [{"name": n, "title": titles.get(n, ""), "entries": len(store.groups[n]), "start": store.starts[n]}
              for n in names]
    markers: Counter = Counter()
    papers: Counter = Counter()
    for pub in facts(app.env).pubs(names):
        held = [role for _pos, role, _name in pub.roles if role != OWNER]
        markers.update(held)
        papers.update(set(held))
    roles = {key: {"label": role.label, "symbol": role.symbol, "markers": markers[key], "papers": papers[key]}
             for key, role in cfg.roster.roles.items() if markers[key]}
    return {"groups": groups, "roles": roles}


def write_summary(app: Sphinx, exception: Exception | None) -> None:
    """Written again only when the lists changed: counting the markers loads every exported entry (about 20 MB
    at 5,000 entries), which a build with nothing changed does not need."""
    if exception is not None or app.builder.name not in WEB_BUILDERS:
        return
    store = load(app.env)
    path = Path(app.doctreedir) / SUMMARY_FILE
    # as JSON reads it back (tuples as lists), to compare with the one kept
    made_from = json.loads(json.dumps([store.signature, store.config_digest, placed_groups(app.env), __version__]))
    with contextlib.suppress(OSError, ValueError):
        if json.loads(path.read_text(encoding="utf-8")).get("made_from") == made_from:
            return
    data = json.dumps({**summary_data(app), "made_from": made_from}, ensure_ascii=False, indent=1).encode("utf-8")
    # on a full disk the summary says it does not know; the build itself said why the folder failed
    with contextlib.suppress(OSError):
        write_atomic(path, data)
