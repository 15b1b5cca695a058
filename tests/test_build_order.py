"""HTML first, then LaTeX, sharing one doctree directory (as ``sphinx-build -M`` does).

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

ROOT = Path(__file__).parent / "roots" / "test-cv-hostile"


def _build(src: Path, builder: str) -> subprocess.CompletedProcess:
    out = src / "_build"
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", builder, "-d", str(out / "doctrees"), "-q", ".", str(out / builder)],
        cwd=src, capture_output=True, text=True,
        env={"PYTHONPATH": str(Path(__file__).parents[1] / "ext"), "PATH": "/usr/bin:/bin"},
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
