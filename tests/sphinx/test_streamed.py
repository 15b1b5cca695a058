"""Publication lists, their COinS and the JSON-LD are streamed into their page when the build ends (streamed.py).

The page must be what writing them in place made, for ``-j`` writers and for ``dirhtml``, and a build that
stops before it fills them in leaves no page with markers behind: the next build fills it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1] / "roots" / "test-cv-basic"
EXT = Path(__file__).parents[2] / "ext"
SKIP_FILL = "import cvsphinx.sphinxext.streamed as s; s.fill_lists = lambda app, exc: None; "


def build(src: Path, builder: str = "html", *extra: str, prelude: str = "") -> subprocess.CompletedProcess:
    out = src / "_build"
    args = ["-b", builder, "-d", str(out / "doctrees"), "-q", *extra, str(src), str(out / builder)]
    code = f"import sys\n{prelude}\nfrom sphinx.cmd.build import main\nsys.exit(main({args!r}))"
    done = subprocess.run([sys.executable, "-c", code], cwd=src, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(EXT)})
    assert done.returncode == 0, done.stderr
    return done


def pages(src: Path, builder: str = "html") -> dict[str, bytes]:
    out = src / "_build" / builder
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*.html"))}


@pytest.fixture
def src(tmp_path: Path) -> Path:
    dest = tmp_path / "src"
    shutil.copytree(ROOT, dest)
    return dest


def _inline(src: Path, builder: str, tmp: Path) -> dict[str, bytes]:
    """The same build with nothing streamed: the lists, COinS and JSON-LD written in place, as before."""
    copy = tmp / f"inline-{builder}"
    shutil.copytree(src, copy, ignore=shutil.ignore_patterns("_build"))
    build(copy, builder, prelude="import cvsphinx.sphinxext.streamed as s; s.STREAMED_BUILDERS = (); ")
    return pages(copy, builder)


@pytest.mark.parametrize("builder", ["html", "dirhtml"])
def test_a_streamed_page_is_the_page_written_in_place(src: Path, tmp_path: Path, builder: str) -> None:
    build(src, builder)
    streamed = pages(src, builder)
    assert not any(b"<!--cvsphinx-" in page for page in streamed.values())
    assert any(b'class="arabic cv-publication-list"' in page for page in streamed.values())
    assert any(b"application/ld+json" in page and b"ScholarlyArticle" in page for page in streamed.values())
    assert any(b'class="Z3988"' in page for page in streamed.values())
    assert streamed == _inline(src, builder, tmp_path)
    assert not (src / "_build" / "doctrees" / "cvsphinx-pending-lists.txt").exists()


def test_parallel_writers_name_their_pages(src: Path, tmp_path: Path) -> None:
    build(src, "html", "-j", "2")
    assert pages(src) == _inline(src, "html", tmp_path)


def test_a_build_that_stops_before_filling_leaves_the_next_one_to_fill(src: Path, tmp_path: Path) -> None:
    build(src, prelude=SKIP_FILL)  # as if killed after the pages were written
    pending = src / "_build" / "doctrees" / "cvsphinx-pending-lists.txt"
    assert pending.is_file()
    assert any(b"<!--cvsphinx-list " in page for page in pages(src).values())
    build(src)  # nothing changed: no page is written again, but the markers are filled
    assert not pending.exists()
    assert pages(src) == _inline(src, "html", tmp_path)


def test_a_page_that_cannot_be_filled_is_one_warning_and_filled_next_time(src: Path, tmp_path: Path) -> None:
    """A full disk or a read-only folder while the lists are written into the page: one warning naming the
    page, no traceback; the note stays, and the next build that can write fills the page."""
    failing = ("import errno, cvsphinx.sphinxext.streamed as s\n"
               "def refuse(path):\n"
               "    raise OSError(errno.ENOSPC, 'No space left on device')\n"
               "s.open_atomic = refuse\n")
    done = build(src, prelude=failing)
    said = [line for line in done.stderr.splitlines() if "[cv.cache]" in line]
    assert len(said) == 1 and "No space left on device" in said[0] and "index.html" in said[0], done.stderr
    assert "Traceback" not in done.stderr
    assert (src / "_build" / "doctrees" / "cvsphinx-pending-lists.txt").is_file()
    build(src)
    assert pages(src) == _inline(src, "html", tmp_path)
