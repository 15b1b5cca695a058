"""Every build tells the truth: a strict build fails on every run until the cause is fixed.

Plain ``sphinx-build`` processes on one output and doctree directory, as a user or a CI that keeps
``_build`` runs them: the second build reads nothing (it is cached), and still fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.builds import EXT, build

ROOT = Path(__file__).parents[1] / "roots" / "test-cv-basic"

BAD_ENTRY = "\n@article{noyear,\n  author = {Liu, Lin},\n  title = {A paper without a year},\n  journal = {J},\n}\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    src = tmp_path / "cv"
    shutil.copytree(ROOT, src)
    return src


def _fails_twice_then_passes(src: Path, expected: str, fix) -> None:
    for run in (1, 2):
        result = build(src)
        assert result.returncode != 0, f"run {run} passed: {result.stderr}"
        assert result.stderr.count(expected) == 1, f"run {run}: {result.stderr}"
    latex = build(src, "latex")  # another builder on the same doctrees: cached as well
    assert latex.returncode != 0 and expected in latex.stderr, latex.stderr
    fix()
    result = build(src)
    assert result.returncode == 0, result.stderr
    assert expected not in result.stderr
    again = build(src)
    assert again.returncode == 0 and again.stderr == "", again.stderr


def test_bibliography_warning_on_every_build(project: Path) -> None:
    bib = project / "refs.bib"
    good = bib.read_text(encoding="utf-8")
    bib.write_text(good + BAD_ENTRY, encoding="utf-8")
    _fails_twice_then_passes(project, "entry 'noyear': has no year", lambda: bib.write_text(good, encoding="utf-8"))


def test_document_warning_on_every_build(project: Path) -> None:
    page = project / "other.md"
    good = page.read_text(encoding="utf-8")
    page.write_text(good + "\n```{publications} nosuch\n```\n", encoding="utf-8")
    _fails_twice_then_passes(project, "unknown group 'nosuch'", lambda: page.write_text(good, encoding="utf-8"))


def test_consistency_warning_on_every_build(project: Path) -> None:
    """A group placed by no page is found by the consistency check, which Sphinx skips when nothing is read."""
    page = project / "other.md"
    good = page.read_text(encoding="utf-8")
    page.write_text(good.replace("```{publications} other\n```", ""), encoding="utf-8")
    assert page.read_text(encoding="utf-8") != good
    _fails_twice_then_passes(project, "publication group 'other' is never placed",
                             lambda: page.write_text(good, encoding="utf-8"))


def test_summary_counts_the_cached_build(project: Path) -> None:
    """The summary reads the warnings of the last build; a cached one has them all."""
    bib = project / "refs.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + BAD_ENTRY, encoding="utf-8")
    build(project)
    build(project)
    env = {**os.environ, "PYTHONPATH": str(EXT)}
    summary = subprocess.run([sys.executable, "-m", "cvsphinx.cli.new", "summary", str(project / "_build")],
                             capture_output=True, text=True, env=env, cwd=project, timeout=120)
    assert "Warnings: 1 new warning" in summary.stdout, summary.stdout
