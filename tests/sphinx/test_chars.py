"""Characters that break builds elsewhere: control characters, glyphs no font has, huge fields.

Built to a real PDF with the project's engine and fonts (``test-cv-chars-pdf``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parents[1]
PROJECT = HERE.parent


@pytest.fixture(scope="module")
def chars_build(tmp_path_factory) -> dict:
    src = tmp_path_factory.mktemp("chars") / "src"
    shutil.copytree(HERE / "roots" / "test-cv-chars-pdf", src)
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "ext"), "CV_PROJECT_CONF": str(PROJECT / "conf.py")}
    runs = {}
    for builder in ("latexpdf", "html"):
        runs[builder] = subprocess.run([sys.executable, "-m", "sphinx", "-M", builder, ".", "_build", "--keep-going"],
                                       cwd=src, capture_output=True, text=True, env=env, timeout=900)
    pdf = src / "_build" / "latex" / "chars.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout if pdf.is_file() else ""
    log = src / "_build" / "latex" / "chars.log"
    return {"runs": runs, "pdf_text": " ".join(text.split()), "log": log.read_text(errors="replace") if log.is_file() else "",
            "html": (src / "_build" / "html" / "index.html").read_text(encoding="utf-8")}


def warnings_of(run: subprocess.CompletedProcess) -> list[str]:
    return [line for line in re.sub(r"\x1b\[[0-9;]*m", "", run.stderr).splitlines() if "WARNING" in line]


@pytest.mark.slow
def test_control_characters_are_removed_with_one_warning_per_field(chars_build) -> None:
    found = [w for w in warnings_of(chars_build["runs"]["latexpdf"]) if "control characters" in w]
    assert len(found) == 2, found  # pasted2021: title and journal
    assert all("refs.bib:3:" in w and "'pasted2021'" in w and "[cv.bad_char]" in w for w in found)
    title = next(w for w in found if "field 'title'" in w)
    for name in ("U+001B (ESCAPE)", "U+0007 (BELL)", "U+0000 (NULL)", "U+007F (DELETE)", "U+0008 (BACKSPACE)"):
        assert name in title
    assert "U+000C (FORM FEED)" in next(w for w in found if "field 'journal'" in w)
    assert "Glacier [1m velocity from radar data and more" in chars_build["pdf_text"]
    assert "Glacier [1m velocity from radar data and more" in chars_build["html"]


@pytest.mark.slow
def test_a_glyph_no_font_has_is_one_warning_and_the_pdf_builds(chars_build) -> None:
    runs = chars_build["runs"]
    assert runs["latexpdf"].returncode == 0, runs["latexpdf"].stdout[-2000:] + runs["latexpdf"].stderr[-2000:]
    missing = [w for w in warnings_of(runs["latexpdf"]) if "none of the PDF's fonts" in w]
    assert len(missing) == 1 and "'emoji2020'" in missing[0] and "U+1F9CA" in missing[0], missing
    assert "Missing character" not in chars_build["log"]
    assert "Ice is nice and cold" in chars_build["pdf_text"]
    assert "Ice is nice \U0001F9CA and cold" in chars_build["html"]  # the web page has it
    assert not [w for w in warnings_of(runs["html"]) if "fonts" in w]  # a PDF matter, not the page's


@pytest.mark.slow
def test_a_field_of_hundreds_of_kilobytes_builds_in_html_and_pdf(chars_build) -> None:
    assert chars_build["runs"]["html"].returncode == 0
    for out in (chars_build["pdf_text"], chars_build["html"]):
        assert "start permafrost0 permafrost1" in out
        assert "permafrost29999 finish" in out
