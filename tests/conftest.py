"""Shared fixtures: sphinx.testing roots, one real build of the whole CV per session, and Chromium.

The same file serves every CV: ``cv.sh new`` copies it, with the generic tests
(test_cv_invariants.py, test_browser.py), into a new project.  What belongs to
one CV's source text (tests/data/seed.txt) is used only while the project holds
that file: ``seed_text`` skips otherwise.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest_plugins = ("sphinx.testing.fixtures",)

HERE = Path(__file__).parent
PROJECT = HERE.parent
SEED_DATA = HERE / "data" / "seed.txt"
# The checks against the seed CV's source text run only while the project holds that CV.
HOLDS_SEED_CV = SEED_DATA.is_file()
requires_seed_cv = pytest.mark.skipif(not HOLDS_SEED_CV, reason="not the seed CV: tests/data/seed.txt is absent")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return HERE / "roots"


@pytest.fixture(scope="session")
def seed_text() -> str:
    """The seed CV; a copy is kept in tests/data so the suite runs from any clone."""
    if not HOLDS_SEED_CV:
        pytest.skip("not the seed CV: tests/data/seed.txt is absent")
    return SEED_DATA.read_text(encoding="utf-8")


def _copy_project(dest: Path) -> Path:
    src = dest / "src"
    ignore = shutil.ignore_patterns("_build", ".venv", ".git", "tests", "bench", "__pycache__", ".pytest_cache")
    shutil.copytree(PROJECT, src, ignore=ignore)
    return src


def _sphinx(src: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "sphinx", *args]
    return subprocess.run(cmd, cwd=src, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})


def _pdf_of(src: Path) -> Path:
    """The PDF named by conf.py's latex_documents (the only PDF of a fresh build)."""
    pdfs = sorted((src / "_build" / "latex").glob("*.pdf"))
    assert len(pdfs) == 1, f"expected one PDF in _build/latex, found {[p.name for p in pdfs]}"
    return pdfs[0]


@pytest.fixture(scope="session")
def cv_build(tmp_path_factory) -> dict[str, Path | str]:
    """The real CV, built as the README does it: PDF first, then HTML, with --keep-going.

    Without -W, so that a warning leaves an output to check (the invariants say
    when an entry may be missing: a warning names it); test_no_warnings fails
    on any warning, as ``bash cv.sh build`` (with -W) would.
    """
    src = _copy_project(tmp_path_factory.mktemp("cv"))
    pdf_run = _sphinx(src, "-M", "latexpdf", ".", "_build", "--keep-going", "-q")
    assert pdf_run.returncode == 0, pdf_run.stdout[-3000:] + pdf_run.stderr[-3000:]
    html_run = _sphinx(src, "-M", "html", ".", "_build", "--keep-going", "-q")
    assert html_run.returncode == 0, html_run.stderr[-3000:]
    pdf = _pdf_of(src)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    raw = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return {
        "src": src,
        "html": src / "_build" / "html" / "index.html",
        "pdf": pdf,
        "pdf_text": text,
        "pdf_raw_text": raw,
        "latex_log": pdf.with_suffix(".log").read_text(encoding="utf-8", errors="replace"),
        "warnings": html_run.stderr + pdf_run.stderr + _accepted(src),
    }


def _accepted(src: Path) -> str:
    """The warnings the build accepted (accepted-warnings.txt of a new CV): said as to-do lines, not warnings, but
    they explain an entry that is missing as well as a warning does."""
    lines = []
    for seen in sorted((src / "_build" / "doctrees").glob("cv-warnings-*.txt")):
        for line in seen.read_text(encoding="utf-8").splitlines():
            state, at, ident, message = [*line.split("\t"), "", "", ""][:4]
            if state == "accepted":
                lines.append(f"{at}: accepted: {message or ident}\n")
    return "".join(lines)


@pytest.fixture(scope="session")
def cv_data(cv_build, tmp_path_factory):
    """The built CV's validated configuration and its records, read by the extension as the build read them."""
    from cvsphinx.core.catalog import read_records
    from cvsphinx.sphinxext.config import cv_config
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace

    src = Path(cv_build["src"])
    out = tmp_path_factory.mktemp("cv-config")
    with docutils_namespace():  # the directives and roles it registers do not outlive it
        app = Sphinx(str(src), str(src), str(out / "html"), str(out / "doctrees"), "html", status=None, warning=None)
        cfg = cv_config(app.config)
        records, problems = read_records(cfg)
    return {"config": app.config, "cv": cfg, "records": records, "problems": problems}


# -- the page in Chromium ----------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serve(root: Path) -> Iterator[str]:
    """``root`` served on a free port of 127.0.0.1 from a background thread, for the browser's tests."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def server(cv_build):
    """Base URL of _build/html, served on a free port of 127.0.0.1 from a background thread."""
    with serve(Path(cv_build["html"]).parent) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


LOCAL_ONLY = re.compile(r"^(?!http://127\.0\.0\.1:).*")


def open_page(browser, server: str, width: int, height: int, scheme: str):
    """A new context and page showing the CV at this size and colour scheme; nothing may leave the machine."""
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
    context.route(LOCAL_ONLY, lambda route: route.abort())
    page = context.new_page()
    page.goto(server + "index.html", wait_until="load")
    # furo keeps the theme in body[data-theme] (and in localStorage); pin it to the scheme.
    page.evaluate("(s) => { localStorage.setItem('theme', s); document.body.dataset.theme = s; }", scheme)
    return context, page
