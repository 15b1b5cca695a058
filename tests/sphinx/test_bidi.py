"""Right-to-left scripts: each field isolated on the page, ordered, shaped and in a font that has it in the PDF.

Root ``test-cv-rtl``: Arabic, Hebrew and Persian names, titles and (italic) journals, and an English title
with one Arabic word.  The PDF is built with the real CV's fonts (``CV_PROJECT_CONF``).
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
from cvsphinx.core import bidi
from cvsphinx.styles.base import as_plain
from pybtex.richtext import Tag, Text

HERE = Path(__file__).parents[1]
PROJECT = HERE.parent
ROOT = HERE / "roots" / "test-cv-rtl"

ARABIC_TITLE = "دراسة الأنهار الجليدية في جبال الهيمالايا"
ARABIC_JOURNAL = "مجلة العلوم الجغرافية"
HEBREW_TITLE = "מחקר על קרחונים ושינויי אקלים"
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
PERSIAN_TITLE = "یخچال\u200cهای طبیعی ایران"


def tags(text) -> list[tuple[str, str]]:
    found = []

    def walk(part) -> None:
        if isinstance(part, Tag):
            found.append((part.name, as_plain(part)))
        for child in getattr(part, "parts", ()):
            walk(child)

    walk(text)
    return found


def test_left_to_right_text_is_left_alone() -> None:
    piece = Text("Journal of Glaciology")
    assert bidi.isolate(piece, as_plain) is piece


def test_a_right_to_left_field_is_one_block_with_its_latin_runs_marked() -> None:
    found = tags(bidi.isolate(Text("دراسة GPS في 2018 الهيمالايا"), as_plain))
    assert found[0] == ("cv-field-rtl-arab", "دراسة GPS في 2018 الهيمالايا")
    assert ("cv-run-ltr", "GPS") in found
    assert not any(name == "cv-run-ltr" and "2018" in text for name, text in found)  # digits go with the field


def test_a_left_to_right_field_marks_its_right_to_left_runs_by_script() -> None:
    found = tags(bidi.isolate(Text("Rivers ", Tag("em", "נהר ירדן"), " and نهر"), as_plain))
    assert found[0][0] == "cv-field-ltr"
    assert ("cv-run-rtl-hebr", "נהר ירדן") in found
    assert ("cv-run-rtl-arab", "نهر") in found


@pytest.mark.sphinx("html", testroot="cv-rtl", freshenv=True)
def test_the_page_isolates_each_field(app) -> None:
    app.build()
    soup = BeautifulSoup((Path(app.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser")
    items = {li.get_text(" ", strip=True)[:40]: li for li in soup.select("ol.cv-publication-list > li")}
    assert len(items) == 4
    rtl = [" ".join(b.get_text().split()) for b in soup.select('bdi[dir="rtl"]')]
    # title and journal apart, so that the browser cannot show the journal first
    assert ARABIC_TITLE in rtl and ARABIC_JOURNAL in rtl and HEBREW_TITLE in rtl
    assert PERSIAN_TITLE in rtl  # the Persian zero-width non-joiner stays
    arabic = next(li for li in soup.select("ol.cv-publication-list > li") if ARABIC_TITLE in li.get_text())
    title, journal = [b for b in arabic.select('bdi[dir="rtl"]') if b.get_text() in (ARABIC_TITLE, ARABIC_JOURNAL)]
    assert title.get_text() == ARABIC_TITLE and journal.get_text() == ARABIC_JOURNAL
    assert journal.find("em") is not None
    ltr = " ".join(b.get_text(" ") for b in soup.select('bdi[dir="ltr"]'))
    assert "InSAR observations of the نهر river" in ltr
    assert all(li.find("strong") and "Liu, L." in li.find("strong").get_text()
               for li in soup.select("ol.cv-publication-list > li"))


@pytest.mark.slow
def test_the_pdf_orders_shapes_and_has_a_font_for_them(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(PROJECT / "ext"), os.environ.get("PYTHONPATH", "")]),
           "CV_PROJECT_CONF": str(PROJECT / "conf.py")}
    run = subprocess.run([sys.executable, "-m", "cvsphinx.cli.variants", str(src), "--no-variants", "-W"],
                         capture_output=True, text=True, env=env, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    pdf = src / "_build" / "latex" / "rtl.pdf"
    log = pdf.with_suffix(".log").read_text(encoding="utf-8", errors="replace")
    assert "Missing character" not in log
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Amiri-Regular" in fonts and "Amiri-Slanted" in fonts  # the italic journal has an Arabic font too
    logical = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    squashed = " ".join(_BIDI_CONTROLS.sub("", logical).split())  # pdftotext marks the runs it reordered
    for text in (ARABIC_TITLE, ARABIC_JOURNAL, HEBREW_TITLE):
        assert text in squashed, text
    # the page as printed, left to right: the title's first word is its rightmost
    visual = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    line = next(line for line in visual.splitlines() if "الهيمالايا" in line)
    words = _BIDI_CONTROLS.sub("", line)
    assert words.index("الهيمالايا") < words.index("دراسة")
    assert "InSAR observations of the نهر river and GPS 2018 data" in " ".join(_BIDI_CONTROLS.sub("", visual).split())
    hebrew = next(line for line in visual.splitlines() if "קרחונים" in line)
    assert hebrew.index("אקלים") < hebrew.index("מחקר")
