"""Builds in a row sharing one doctree directory (as ``sphinx-build -M`` does) and its cache.

Rendered entries are cached between builds; the LaTeX strings made during the
HTML build must be escaped as a LaTeX build would escape them.  Run in fresh
processes: Sphinx's escape tables are process-wide and filled by the first
LaTeX builder, which would hide the bug inside one pytest process.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1] / "roots" / "test-cv-hostile"


def _build(src: Path, builder: str, *extra: str) -> subprocess.CompletedProcess:
    out = src / "_build"
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", builder, "-d", str(out / "doctrees"), "-q", *extra, ".", str(out / builder)],
        cwd=src, capture_output=True, text=True,
        env={"PYTHONPATH": str(Path(__file__).parents[2] / "ext"), "PATH": "/usr/bin:/bin"},
    )


def test_latex_after_html_is_escaped(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    assert _build(src, "html").returncode == 0
    latex = _build(src, "latex")
    assert latex.returncode == 0, latex.stderr
    tex = next((src / "_build" / "latex").glob("*.tex")).read_text(encoding="utf-8")
    body = tex[tex.index(r"\begin{enumerate}"):]
    assert r"AT\&T 50\% \$5 \#1 snake\_case" in body
    assert "AT&T" not in body


def test_cached_lists_repeat_their_warnings_on_every_build(tmp_path):
    """Every build says the lists' warnings once: a cached one that reads nothing, a fresh environment (-E)
    and an edited page alike, so that -W fails on each of them."""
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    first = _build(src, "html")
    bad_url = [line for line in first.stderr.splitlines() if "[cv.bad_url]" in line]
    assert len(bad_url) == 4, first.stderr
    cached = _build(src, "html")  # nothing read, the same said
    assert [line for line in cached.stderr.splitlines() if "[cv.bad_url]" in line] == bad_url
    assert (src / "_build" / "doctrees" / "cvsphinx.pickle").is_file()
    fresh = _build(src, "html", "-E")
    assert [line for line in fresh.stderr.splitlines() if "[cv.bad_url]" in line] == bad_url
    (src / "index.md").write_text((src / "index.md").read_text() + "\nMore text.\n")
    edited = _build(src, "html")
    assert [line for line in edited.stderr.splitlines() if "[cv.bad_url]" in line] == bad_url
