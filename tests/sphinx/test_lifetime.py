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


def test_a_process_that_ends_after_a_build_skips_the_last_walk(tmp_path) -> None:
    """The interpreter's last collection would walk everything the build made (0.7 s of a 3.4 s one-entry edit of
    5,000 entries); a build's process freezes what is left as it exits.  A handler registered before the build
    runs after the extension's (atexit runs last-in, first-out) and sees what is frozen."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).parent.parent / "roots" / "test-cv-basic"
    script = f"""
import atexit, gc, sys
atexit.register(lambda: print("frozen at exit:", gc.get_freeze_count()))
from sphinx.cmd.build import main
rc = main(["-b", "html", "-q", {str(root)!r}, {str(tmp_path / "out")!r}, "-d", {str(tmp_path / "doctrees")!r}])
print("frozen after build:", gc.get_freeze_count())
sys.exit(rc)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                          env={**__import__("os").environ, "PYTHONPATH": str(Path(lifetime.__file__).parents[2])})
    assert done.returncode == 0, done.stderr
    after = int(done.stdout.split("frozen after build:")[1].split()[0])
    at_exit = int(done.stdout.split("frozen at exit:")[1].split()[0])
    assert after == 0  # given back when the build ended, as above
    assert at_exit > 10_000  # Sphinx, the extension and the catalog: out of the last walk


def test_loading_a_cache_runs_no_collection_and_holds_what_it_loaded() -> None:
    import pickle

    data = pickle.dumps([{"n": i, "s": [str(i)]} for i in range(200_000)])
    runs: list[int] = []

    def seen(phase: str, info: dict) -> None:
        if phase == "start":
            runs.append(info["generation"])

    gc.collect()
    gc.callbacks.append(seen)
    try:
        with lifetime.loading():
            loaded = pickle.loads(data)
        during = list(runs)
    finally:
        gc.callbacks.remove(seen)
    try:
        assert during == []  # 600,000 new containers: at the default thresholds, hundreds of collections
        assert gc.get_freeze_count() > len(loaded) * 2
        assert gc.isenabled()
    finally:
        lifetime.release()
    assert gc.get_freeze_count() == 0
