"""The bibliography cache (``_build/doctrees/cvsphinx.pickle``): damaged, foreign or unreadable files.

Each case builds a small root, damages the cache, builds again in a fresh
process and checks: one ``cv.cache`` warning naming the file, the build goes
on, and the page is the same as before.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1] / "roots" / "test-cv-basic"
EXT = Path(__file__).parents[2] / "ext"


def build(src: Path, *extra: str) -> subprocess.CompletedProcess:
    out = src / "_build"
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-d", str(out / "doctrees"), "-q", *extra, ".", str(out / "html")],
        cwd=src, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(EXT)},
    )


def article(src: Path) -> str:
    html = (src / "_build" / "html" / "journal.html").read_text(encoding="utf-8")
    return html[html.index('<div class="body"'):html.index('<div class="footer"')]


@pytest.fixture
def built(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    first = build(src)
    assert first.returncode == 0 and first.stderr == "", first.stderr
    return src


def damage_truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def damage_flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-20] ^= 0xFF
    path.write_bytes(bytes(data))


def damage_version(path: Path) -> None:
    data = path.read_bytes()
    header, _, rest = data.partition(b"\n")
    path.write_bytes(header.rsplit(b" ", 1)[0] + b" 0.0.1\n" + rest)


def damage_garbage(path: Path) -> None:
    path.write_bytes(b"\x80\x04not a pickle at all")


def damage_directory(path: Path) -> None:
    path.unlink()
    path.mkdir()  # open() fails with "Is a directory", as for an unreadable file (tests run as root)


CASES = {
    "truncated": (damage_truncate, "is truncated or corrupted"),
    "corrupted": (damage_flip, "is truncated or corrupted"),
    "not ours": (damage_garbage, "is not a cvsphinx cache"),
    "unreadable": (damage_directory, "cannot be read"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_damaged_cache_is_discarded_with_one_warning(built: Path, case: str) -> None:
    damage, why = CASES[case]
    before = article(built)
    cache = built / "_build" / "doctrees" / "cvsphinx.pickle"
    assert cache.is_file()
    damage(cache)
    again = build(built, "-E")
    assert again.returncode == 0, again.stderr
    lines = [line for line in again.stderr.splitlines() if "[cv.cache]" in line]
    assert len(lines) == 1, again.stderr
    assert str(cache) in lines[0] and why in lines[0]
    assert re.sub(r"\x1b\[[0-9;]*m", "", again.stderr).count("WARNING") == 1
    assert article(built) == before
    if case != "unreadable":
        third = build(built, "-E")  # the cache was written anew
        assert third.stderr == "", third.stderr


@pytest.mark.parametrize("case", sorted(CASES))
def test_damaged_records_file_is_discarded_with_one_warning(built: Path, case: str) -> None:
    """The records of the last reading (``cvsphinx-records.pickle``, read when a .bib file changed): damaged, they
    are made again from the .bib file, with one warning, and the page shows the edit."""
    damage, why = CASES[case]
    records = built / "_build" / "doctrees" / "cvsphinx-records.pickle"
    assert records.is_file()
    damage(records)
    bib = built / "refs.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace("Detecting soil", "Sensing soil"), encoding="utf-8")
    again = build(built)
    assert again.returncode == 0, again.stderr
    lines = [line for line in again.stderr.splitlines() if "[cv.cache]" in line]
    assert len(lines) == 1 and str(records) in lines[0] and why in lines[0], again.stderr
    assert re.sub(r"\x1b\[[0-9;]*m", "", again.stderr).count("WARNING") == 1
    assert "Sensing soil" in article(built) and "Detecting soil" not in article(built)
    if case != "unreadable":
        bib.write_text(bib.read_text(encoding="utf-8").replace("Sensing soil", "Detecting soil"), encoding="utf-8")
        third = build(built)  # the records were written anew
        assert third.stderr == "", third.stderr
        assert "Detecting soil" in article(built)


def test_a_cache_of_another_version_is_rebuilt_without_a_warning(built: Path) -> None:
    """After an upgrade every cache is from another version: the first strict build must not fail for it."""
    before = article(built)
    cache = built / "_build" / "doctrees" / "cvsphinx.pickle"
    damage_version(cache)
    again = build(built, "-E")
    assert again.returncode == 0, again.stderr
    assert "WARNING" not in again.stderr, again.stderr
    assert article(built) == before
    assert b" 0.0.1\n" not in cache.read_bytes()[:60]  # written anew, by this version


def test_cache_is_reused_when_nothing_changed(built: Path) -> None:
    cache = built / "_build" / "doctrees" / "cvsphinx.pickle"
    stamp = cache.stat().st_mtime_ns
    again = build(built, "-E")
    assert again.returncode == 0 and again.stderr == ""
    assert cache.stat().st_mtime_ns == stamp  # read, not rebuilt
