"""The catalog is held out of the cycle collector's walks during a build, and given back when it ends.

Held (``gc.freeze``) it costs nothing to later collections; not given back, every build in one process (a test
session, a preview server) would keep its cycles for good.
"""

from __future__ import annotations

import gc

import pytest
from cvsphinx.core import lifetime
from cvsphinx.core.forks import map_in_forks


@pytest.mark.sphinx("html", testroot="cv-basic", srcdir="cv-basic-lifetime")
def test_a_build_holds_the_catalog_and_gives_it_back(app) -> None:
    seen: list[int] = []
    # a listener that runs after the catalog is made and before the build gives it back (priority 999)
    app.connect("build-finished", lambda app, exc: seen.append(gc.get_freeze_count()), priority=100)
    assert gc.get_freeze_count() == 0
    app.build()
    assert seen and seen[0] > 1000  # the catalog, the rendered lists and what Sphinx had made by then
    assert gc.get_freeze_count() == 0


def test_forked_workers_do_not_end_a_hold() -> None:
    gc.collect()
    lifetime.hold()
    try:
        held = gc.get_freeze_count()
        assert map_in_forks(lambda x: x * 2, list(range(50)), minimum=2) == list(range(0, 100, 2))
        assert gc.get_freeze_count() >= held  # still held after the workers
    finally:
        lifetime.release()
    assert gc.get_freeze_count() == 0
    # and without a hold, the workers' freeze ends with them
    assert map_in_forks(lambda x: x + 1, list(range(50)), minimum=2) == list(range(1, 51))
    assert gc.get_freeze_count() == 0
