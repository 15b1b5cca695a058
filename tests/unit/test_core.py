"""The core imports without Sphinx or docutils: reading, records, people, groups, checks, the style.

A fresh interpreter with both made unimportable imports each core module, reads a real .bib file (TeX Live's
tugboat.bib when it is installed, else a small one) into records and formats one; every module of ``core/``,
``styles/`` and ``output/`` is imported, found on disk; ``sphinxext/`` is the only folder that may import
Sphinx (see the README's layout).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parents[1]
PROJECT = HERE.parent
PACKAGE = PROJECT / "ext" / "cvsphinx"
# Every module of the folders that promise not to need Sphinx, found on disk so that a new one is held to it too.
SPHINX_FREE = ("core", "styles", "output")
CORE = tuple(f"{folder}.{path.stem}" for folder in SPHINX_FREE
             for path in sorted((PACKAGE / folder).glob("*.py")) if path.stem != "__init__")

PROGRAM = f"""
import importlib, sys
from pathlib import Path

class NoSphinx:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("sphinx", "docutils", "myst_parser"):
            raise ImportError(f"{{name}} imported by the core")
        return None

sys.meta_path.insert(0, NoSphinx())
for name in {CORE!r}:
    importlib.import_module("cvsphinx." + name)
from cvsphinx.core.bibfile import read_bib
from cvsphinx.core.people import DEFAULT_ROLES, build_owner, build_roles, build_roster
from cvsphinx.core.records import build_records
from cvsphinx.styles.house import StyleContext, as_plain, format_entry
tugboat = Path("/usr/share/texlive/texmf-dist/bibtex/bib/beebe/tugboat.bib")
path = tugboat if tugboat.is_file() else Path({str(HERE / "roots" / "test-cv-basic" / "refs.bib")!r})
entries, problems = read_bib(path)
records, _ = build_records(entries)
ctx = StyleContext(build_owner("Knuth, Donald E."), build_roster([], build_roles(DEFAULT_ROLES)))
print(len(records), as_plain(format_entry(records[0], ctx)))
print(sorted(m for m in sys.modules if m.split(".")[0] in ("sphinx", "docutils")))
"""


def test_the_core_imports_and_works_without_sphinx() -> None:
    run = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True, timeout=300,
                         env={"PYTHONPATH": str(PROJECT / "ext"), "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stderr
    first, loaded = run.stdout.splitlines()
    count, formatted = first.split(" ", 1)
    assert int(count) > 0 and formatted.strip(), first
    assert loaded == "[]"


def test_the_sphinx_free_folders_hold_the_core() -> None:
    """The promise is not empty: the reader, the records and the style are among what is imported."""
    for name in ("core.bibfile", "core.records", "core.latex", "core.people", "core.groups", "core.checks",
                 "core.catalog", "styles.house", "output.formats"):
        assert name in CORE, name

