"""An institute's list: the entries rendered by forked processes are the entries one process renders.

On TeX Live's tugboat.bib (4,839 real entries by many hands), every entry's HTML, LaTeX and text are the
same, in the same order, whether ``catalog.render_all`` renders them in one process or in several.  The
timing, memory and page size at 51,265 entries are measured in ``bash cv.sh bench``, not here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cvsphinx.core import forks
from cvsphinx.core.bibfile import read_bib
from cvsphinx.core.people import DEFAULT_ROLES, build_owner, build_roles, build_roster
from cvsphinx.core.records import build_records
from cvsphinx.sphinxext import store as catalog
from cvsphinx.styles.base import StyleContext

TUGBOAT = Path("/usr/share/texlive/texmf-dist/bibtex/bib/beebe/tugboat.bib")


@pytest.mark.skipif(not TUGBOAT.is_file(), reason="TeX Live's tugboat.bib is not installed")
def test_forked_rendering_is_the_same_as_serial(monkeypatch) -> None:
    entries, _ = read_bib(TUGBOAT)
    records, _ = build_records(entries)
    assert len(records) > 4000
    ctx = StyleContext(build_owner("Beebe, Nelson H. F."), build_roster([], build_roles(DEFAULT_ROLES)))
    todo = [(r, True, True) for r in records]
    monkeypatch.setattr(forks, "PARALLEL_MIN", len(todo) + 1)
    serial = [done for done, _, _ in catalog.render_all(todo, ctx, "xelatex")]
    monkeypatch.setattr(forks, "PARALLEL_MIN", 1)
    monkeypatch.setattr(forks.os, "cpu_count", lambda: 2)
    forked = [done for done, _, _ in catalog.render_all(todo, ctx, "xelatex")]
    assert len(forked) == len(serial) == len(records)
    assert forked == serial
    assert sum("<strong>" in r.html for r in serial) > 30  # the owner is bold in his own papers


def test_forked_build_writes_the_same_page_and_exports(monkeypatch, tmp_path) -> None:
    """Rendering and the exports' records in forked workers (as for an institute's list) give the same page,
    publications.json and publications.bib as one process."""
    import shutil
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp

    root = Path(__file__).parents[1] / "roots" / "test-cv-types"
    out = {}
    for name, least in (("serial", 10**9), ("forked", 1)):
        monkeypatch.setattr(forks, "PARALLEL_MIN", least)
        monkeypatch.setattr(forks.os, "cpu_count", lambda: 2)
        src = tmp_path / name
        shutil.copytree(root, src)
        app = SphinxTestApp("html", srcdir=src, builddir=src / "_build", freshenv=True, status=StringIO(),
                            warning=StringIO())
        try:
            app.build()
        finally:
            app.cleanup()
        html = Path(app.outdir)
        out[name] = [(html / f).read_text(encoding="utf-8") for f in ("index.html", "publications.json",
                                                                        "publications.bib")]
    assert out["forked"] == out["serial"]
    assert out["serial"][1].count('"id"') > 60
