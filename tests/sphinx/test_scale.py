"""An institute's list: the entries rendered by forked processes are the entries one process renders.

On TeX Live's tugboat.bib (4,839 real entries by many hands), every entry's HTML, LaTeX and text are the
same, in the same order, whether ``catalog.render_all`` renders them in one process or in several.  The
timing, memory and page size at 51,265 entries are measured in ``bash cv.sh bench``, not here.
"""

from __future__ import annotations

import re
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
    serial = [done for part in catalog.render_all(todo, ctx, "xelatex") for done, _, _ in part]
    monkeypatch.setattr(forks, "PARALLEL_MIN", 1)
    monkeypatch.setattr(forks.os, "cpu_count", lambda: 2)
    parts = list(catalog.render_all(todo, ctx, "xelatex"))
    forked = [done for part in parts for done, _, _ in part]
    assert len(parts) > 2  # sent a part at a time
    assert len(forked) == len(serial) == len(records)
    assert forked == serial
    assert sum("<strong>" in r.html for r in serial) > 30  # the owner is bold in his own papers


def test_forked_build_writes_the_same_page_and_exports(monkeypatch, tmp_path) -> None:
    """Rendering and the exports' records in forked workers (as for an institute's list), and the whole first
    reading in a process of its own (``store.APART_MIN``), give the same page, publications.json,
    publications.bib and warnings as one process."""
    import shutil
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp

    root = Path(__file__).parents[1] / "roots" / "test-cv-types"
    out = {}
    warned = {}
    children = []

    def in_child(produce):
        children.append(produce)
        return forks.in_child(produce)

    monkeypatch.setattr(catalog, "in_child", in_child)
    for name, least, apart in (("serial", 10**9, 10**12), ("forked", 1, 10**12), ("apart", 1, 0),
                               ("apart-serial", 10**9, 0)):
        monkeypatch.setattr(forks, "PARALLEL_MIN", least)
        monkeypatch.setattr(catalog, "APART_MIN", apart)
        monkeypatch.setattr(forks.os, "cpu_count", lambda: 2)
        src = tmp_path / name
        shutil.copytree(root, src)
        with open(src / "refs.bib", "a", encoding="utf-8") as bib:  # something to warn about
            bib.write("\n@article{nodate, author = {Doe, Jane}, title = {Undated}, journal = {J}, editors = {X}}\n")
        warnings = StringIO()
        app = SphinxTestApp("html", srcdir=src, builddir=src / "_build", freshenv=True, status=StringIO(),
                            warning=warnings)
        try:
            app.build()
        finally:
            app.cleanup()
        # each build's folder, however the warnings write it (relative to where the tests run)
        warned[name] = re.sub(rf"\S*/{re.escape(name)}/", "SRC/", warnings.getvalue())
        html = Path(app.outdir)
        out[name] = [(html / f).read_text(encoding="utf-8") for f in ("index.html", "publications.json",
                                                                        "publications.bib")]
    assert len(children) == 2  # the two builds "apart" read in a process of their own
    assert out["forked"] == out["serial"]
    assert out["apart"] == out["serial"]
    assert out["apart-serial"] == out["serial"]
    assert out["serial"][1].count('"id"') > 60
    assert warned["apart"] == warned["forked"] == warned["serial"]
    assert "WARNING" in warned["serial"]  # the root's problems, said from the reading's own process too


def test_a_new_copy_of_the_code_is_not_served_from_the_last_caches(monkeypatch, tmp_path) -> None:
    """``cvsphinx upgrade`` to a copy of the extension with the same version number (a development version):
    the lists and the exports are made again, not taken from the caches the code before wrote."""
    import shutil
    from io import StringIO

    from cvsphinx.core import catalog as core_catalog
    from cvsphinx.styles.registry import STYLES
    from sphinx.testing.util import SphinxTestApp

    src = tmp_path / "cv"
    shutil.copytree(Path(__file__).parents[1] / "roots" / "test-cv-types", src)

    def build() -> str:
        app = SphinxTestApp("html", srcdir=src, builddir=src / "_build", status=StringIO(), warning=StringIO())
        try:
            app.build()
        finally:
            app.cleanup()
        return (Path(app.outdir) / "index.html").read_text(encoding="utf-8")

    before = build()
    shown = STYLES["house"]

    def changed(*args, **kwargs):
        return shown(*args, **kwargs) + "NEWCODE"

    monkeypatch.setitem(STYLES, "house", changed)  # what a new copy of the code does differently
    assert build() == before  # the same code (as far as its digest says): the caches serve
    from cvsphinx.sphinxext import freshness

    # what the .bib files' signature, each rendering's key and each page's record of its sources hold
    for module in (core_catalog, catalog, freshness):
        monkeypatch.setattr(module, "code_digest", lambda: "another copy of the code")
    assert "NEWCODE" in build()
