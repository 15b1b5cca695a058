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
# each entry's facts made, and where: beside its rendering (store.py) or after it, from the records (exports.py)
COUNT = ("import cvsphinx.sphinxext.exports as e, cvsphinx.sphinxext.store as s\n"
         "def counted(where, real):\n"
         "    def made(*a):\n"
         "        print('MADE', where, flush=True); return real(*a)\n"
         "    return made\n"
         "s.pub_of = counted('beside', s.pub_of); e.pub_of = counted('after', e.pub_of)\n")


def build(src: Path, patch: str = "") -> str:
    """An HTML build in a process of its own, counting the facts made; ``patch``: code run before it."""
    out = src / "_build"
    args = ["-b", "html", "-d", str(out / "doctrees"), "-q", str(src), str(out / "html")]
    code = f"import sys\n{COUNT}{patch}from sphinx.cmd.build import main\nsys.exit(main({args!r}))"
    done = subprocess.run([sys.executable, "-c", code], cwd=src, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(EXT)})
    assert done.returncode == 0, done.stderr
    return done.stdout


def made(stdout: str) -> dict[str, int]:
    lines = [line.split()[1] for line in stdout.splitlines() if line.startswith("MADE")]
    return {where: lines.count(where) for where in ("beside", "after")}


def exports(src: Path) -> tuple[bytes, bytes]:
    html = src / "_build" / "html"
    return (html / "publications.json").read_bytes(), (html / "publications.bib").read_bytes()


def test_an_edit_makes_the_facts_of_its_entry_alone(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    first = made(build(src))
    assert first["beside"] > 3 and first["after"] == 0  # every entry, the first time, as it is rendered
    bib = src / "refs.bib"
    text = bib.read_text(encoding="utf-8")
    at = text.index("title")
    bib.write_text(text[:at] + "note = {An edited note}, " + text[at:], encoding="utf-8")
    assert made(build(src)) == {"beside": 1, "after": 0}
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
    # the edited one beside its rendering, then the rest from the records when the facts were missing
    assert again == {"beside": 1, "after": first["beside"] - 1}
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


def test_facts_made_beside_the_rendering_are_those_made_after_it(tmp_path: Path) -> None:
    """One pass over the records for the lists and the exports gives the page and exports that two passes give."""
    outputs = []
    for name, patch in (("one", ""), ("two", "real = s.build_store\n"
                                              "s.build_store = lambda *a, **k: real(*a, **{**k, 'facts': False})\n")):
        src = tmp_path / name
        shutil.copytree(Path(__file__).parents[1] / "roots" / "test-cv-types", src)
        counted = made(build(src, patch))
        outputs.append((counted, *exports(src), (src / "_build" / "html" / "index.html").read_bytes()))
    (one, *one_files), (two, *two_files) = outputs
    assert one["after"] == 0 and two["beside"] == 0 and one["beside"] == two["after"] > 50
    assert one_files == two_files
