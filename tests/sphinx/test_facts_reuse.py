"""The exports' facts (exports.py) after a one-entry edit: the edited entry's facts are made from its record
while the records are in memory, the others are kept from the last facts, and the result is what a build from
nothing makes.  A facts file lost behind its index is made again, not trusted."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1] / "roots" / "test-cv-basic"
EXT = Path(__file__).parents[2] / "ext"
COUNT = ("import cvsphinx.sphinxext.exports as e; real = e._made\n"
         "def counted(cfg, jobs, *a):\n"
         "    print('MADE', len(jobs), flush=True); return real(cfg, jobs, *a)\n"
         "e._made = counted\n")


def build(src: Path) -> str:
    out = src / "_build"
    args = ["-b", "html", "-d", str(out / "doctrees"), "-q", str(src), str(out / "html")]
    code = f"import sys\n{COUNT}from sphinx.cmd.build import main\nsys.exit(main({args!r}))"
    done = subprocess.run([sys.executable, "-c", code], cwd=src, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(EXT)})
    assert done.returncode == 0, done.stderr
    return done.stdout


def made(stdout: str) -> list[int]:
    return [int(line.split()[1]) for line in stdout.splitlines() if line.startswith("MADE")]


def exports(src: Path) -> tuple[bytes, bytes]:
    html = src / "_build" / "html"
    return (html / "publications.json").read_bytes(), (html / "publications.bib").read_bytes()


def test_an_edit_makes_the_facts_of_its_entry_alone(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    first = made(build(src))
    assert first and first[0] > 3  # every entry, the first time
    bib = src / "refs.bib"
    text = bib.read_text(encoding="utf-8")
    at = text.index("title")
    bib.write_text(text[:at] + "note = {An edited note}, " + text[at:], encoding="utf-8")
    assert made(build(src)) == [1]
    edited = exports(src)
    assert b"An edited note" in edited[0]
    fresh = tmp_path / "fresh"
    shutil.copytree(src, fresh, ignore=shutil.ignore_patterns("_build"))
    build(fresh)
    assert exports(fresh) == edited
    # the facts lost, their index kept: every entry made again, the same result
    (src / "_build" / "doctrees" / "cvsphinx-exports.pickle").unlink()
    bib.write_text(bib.read_text(encoding="utf-8").replace("An edited note", "A second note"), encoding="utf-8")
    again = made(build(src))
    assert again[0] == 1 and sum(again) == first[0]  # the edited one, then the rest when the facts were missing
    assert b"A second note" in exports(src)[0]


def test_a_build_with_nothing_changed_does_not_load_the_facts(tmp_path: Path) -> None:
    """The build summary is written again only when the lists changed: a rebuild with nothing changed loads no
    exported entry (about 20 MB at 5,000 entries), and the summary stays what it was."""
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    build(src)
    summary = src / "_build" / "doctrees" / "cvsphinx-summary.json"
    before = summary.read_bytes()
    loads = ("import cvsphinx.sphinxext.exports as e; real_read = e._read\n"
             "def read(path, *a):\n"
             "    print('LOADED', path.name, flush=True); return real_read(path, *a)\n"
             "e._read = read\n")
    out = src / "_build"
    args = ["-b", "html", "-d", str(out / "doctrees"), "-q", str(src), str(out / "html")]
    done = subprocess.run([sys.executable, "-c", f"import sys\n{loads}from sphinx.cmd.build import main\n"
                           f"sys.exit(main({args!r}))"], cwd=src, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(EXT)})
    assert done.returncode == 0, done.stderr
    assert "LOADED" not in done.stdout
    assert summary.read_bytes() == before
