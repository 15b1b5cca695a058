"""Shared fixtures: sphinx.testing roots, and one real build of the whole CV per session."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest_plugins = ("sphinx.testing.fixtures",)

HERE = Path(__file__).parent
PROJECT = HERE.parent
SEED = PROJECT.parent / "shared" / "seed" / "000_03cdf1e49243721f.txt"


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return HERE / "roots"


@pytest.fixture(scope="session")
def seed_text() -> str:
    """The seed CV; a copy is kept in tests/data so the suite runs from any clone."""
    copy = HERE / "data" / "seed.txt"
    return copy.read_text(encoding="utf-8")


def _copy_project(dest: Path) -> Path:
    src = dest / "src"
    ignore = shutil.ignore_patterns("_build", ".venv", ".git", "tests", "bench", "__pycache__", ".pytest_cache")
    shutil.copytree(PROJECT, src, ignore=ignore)
    return src


def _sphinx(src: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "sphinx", *args]
    return subprocess.run(cmd, cwd=src, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})


@pytest.fixture(scope="session")
def cv_build(tmp_path_factory) -> dict[str, Path | str]:
    """The real CV, built like the README does: PDF first, then HTML with -W --keep-going."""
    src = _copy_project(tmp_path_factory.mktemp("cv"))
    pdf_run = _sphinx(src, "-M", "latexpdf", ".", "_build", "-W", "--keep-going", "-q")
    assert pdf_run.returncode == 0, pdf_run.stdout[-3000:] + pdf_run.stderr[-3000:]
    html_run = _sphinx(src, "-M", "html", ".", "_build", "-W", "--keep-going", "-q")
    assert html_run.returncode == 0, html_run.stderr[-3000:]
    pdf = src / "_build" / "latex" / "lin-liu-cv.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    raw = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return {
        "src": src,
        "html": src / "_build" / "html" / "index.html",
        "pdf": pdf,
        "pdf_text": text,
        "pdf_raw_text": raw,
        "latex_log": (src / "_build" / "latex" / "lin-liu-cv.log").read_text(encoding="utf-8", errors="replace"),
        "warnings": html_run.stderr + pdf_run.stderr,
    }
