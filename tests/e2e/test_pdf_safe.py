"""PDFs fail safe: long unbreakable words typeset, the LaTeX step has a time limit and names the entry it
stopped at, and a PDF whose LaTeX run failed is never put beside the page or linked from it.

Root ``test-cv-pdf-safe``: a 1,200-letter DNA sequence (it once hung xelatex) and a 1,000-letter chemical
name (it crashed xdvipdfmx); with ``CV_TEST_HANG=<key>`` its preamble makes TeX loop for ever at that entry.
Every build is real: ``python -m cvsphinx.cli.variants`` (the PDF step of ``bash cv.sh build``), then
``sphinx-build -b html``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

HERE = Path(__file__).parents[1]
PROJECT = HERE.parent
ROOT = HERE / "roots" / "test-cv-pdf-safe"

pytestmark = pytest.mark.slow


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(PROJECT / "ext"), os.environ.get("PYTHONPATH", "")]),
            "CV_PROJECT_CONF": str(PROJECT / "conf.py"), **extra}


def pdf_step(src: Path, out: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cvsphinx.cli.variants", str(src), "--builddir", str(out),
                           "--no-variants", "-W", *args], capture_output=True, text=True, env=_env(**env),
                          timeout=600)


def html_step(src: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", str(src),
                           str(out / "html"), "-d", str(out / "doctrees-html")],
                          capture_output=True, text=True, env=_env(), timeout=600)


def pdf_paragraph(out: Path) -> BeautifulSoup:
    soup = BeautifulSoup((out / "html" / "index.html").read_text(encoding="utf-8"), "html.parser")
    return soup.select_one("p.cv-pdf")


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, Path]:
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    return src, tmp_path / "out"


def test_long_unbreakable_words_typeset(project) -> None:
    src, out = project
    run = pdf_step(src, out)
    assert run.returncode == 0, run.stdout + run.stderr
    pdf = out / "latex" / "safe.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    joined = re.sub(r"\s+", "", text)
    bib = (src / "refs.bib").read_text(encoding="utf-8")
    dna = re.search(r"sequence ([ACGT]+) in", bib)[1]
    chem = re.search(r"Synthesis of ([a-z]+)\}", bib)[1]
    assert len(dna) == 1200 and len(chem) == 1000
    assert dna in joined and chem in joined
    # broken over lines, not run off the page: no line of the PDF's text holds the whole sequence
    assert max(len(line) for line in text.splitlines()) < 200


def test_a_hanging_latex_run_is_stopped_and_names_its_entry(project) -> None:
    src, out = project
    run = pdf_step(src, out, "--latex-timeout", "15", CV_TEST_HANG="slow2019")
    assert run.returncode == 1
    assert "took longer than 15 s" in run.stderr, run.stderr
    assert "while typesetting entry 'slow2019'" in run.stderr, run.stderr
    assert not (out / "latex" / "safe.pdf").exists()
    assert "FAILED" in run.stdout


def test_a_failed_pdf_is_never_published(project) -> None:
    src, out = project
    page_pdf = out / "html" / "safe.pdf"

    good = pdf_step(src, out)
    assert good.returncode == 0, good.stderr
    html = html_step(src, out)
    assert html.returncode == 0, html.stderr
    assert page_pdf.is_file()
    assert pdf_paragraph(out).select_one("a.cv-pdf-link")["href"] == "safe.pdf"

    # the next LaTeX run fails: the old copy beside the page goes, the page says so, and -W fails, every time
    bad = pdf_step(src, out, "--latex-timeout", "15", CV_TEST_HANG="slow2019")
    assert bad.returncode == 1
    for _ in range(2):
        html = html_step(src, out)
        assert html.returncode != 0
        assert "cv.pdf_failed" in html.stderr and "safe.log" in html.stderr, html.stderr
        assert "stopped after 15 s while typesetting entry 'slow2019'" in html.stderr, html.stderr
        assert not page_pdf.exists()
        paragraph = pdf_paragraph(out)
        assert paragraph.select_one("a") is None
        assert "not available" in paragraph.get_text()

    # fixed: the link and the PDF come back without -E, because the page depends on the PDF's state
    good = pdf_step(src, out)
    assert good.returncode == 0, good.stderr
    html = html_step(src, out)
    assert html.returncode == 0, html.stderr
    assert page_pdf.is_file()
    assert pdf_paragraph(out).select_one("a.cv-pdf-link") is not None


def test_a_plain_latexpdf_failure_is_not_published(project) -> None:
    """Sphinx's own ``-M latexpdf`` (latexmk) with an error: the cut-off PDF stays in _build/latex, unpublished."""
    src, out = project
    (src / "index.md").write_text((src / "index.md").read_text(encoding="utf-8")
                                  + "\n```{raw} latex\n\\undefinedcommandofthistest\n```\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "sphinx", "-M", "latexpdf", str(src), str(out)],
                         capture_output=True, text=True, env=_env(), timeout=600)
    assert run.returncode != 0
    html = html_step(src, out)
    assert "cv.pdf_failed" in html.stderr and "Undefined control sequence" in html.stderr, html.stderr
    assert not (out / "html" / "safe.pdf").exists()


def _latex_processes(under: Path) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "comm").read_text().strip() in ("xelatex", "xdvipdfmx", "latexmk") \
                    and Path(os.readlink(entry / "cwd")).is_relative_to(under):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent's death is told by Linux (prctl)")
def test_a_build_killed_outright_leaves_no_latex_running(project) -> None:
    """A CI's time limit or ``kill -9`` ends the build: its LaTeX run, in a session of its own and looping on an
    entry, used to run on at 99 % CPU with nobody left to stop it."""
    import signal
    import time

    src, out = project
    build = subprocess.Popen([sys.executable, "-m", "cvsphinx.cli.variants", str(src), "--builddir", str(out),
                              "--no-variants", "--latex-timeout", "300"], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, env=_env(CV_TEST_HANG="slow2019"))
    try:
        deadline = time.monotonic() + 120
        while not _latex_processes(out) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _latex_processes(out), "xelatex never started"
        time.sleep(1)
        build.kill()
        build.wait()
        deadline = time.monotonic() + 10
        while _latex_processes(out) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _latex_processes(out) == []
    finally:
        build.kill()
        for pid in _latex_processes(out):
            os.kill(pid, signal.SIGKILL)
