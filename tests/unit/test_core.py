"""The core imports without Sphinx or docutils: reading, records, people, groups, checks, the style.

A fresh interpreter with both made unimportable imports each core module, reads a real .bib file (TeX Live's
tugboat.bib when it is installed, else a small one) into records and formats one; every module of ``core/``,
``styles/`` and ``output/`` is imported, found on disk; ``sphinxext/`` is the only folder that may import
Sphinx (see the README's layout).
"""

from __future__ import annotations

import functools
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



RANK = {"core": 0, "styles": 1, "output": 2, "sphinxext": 3, "cli": 4}


@functools.cache
def _imports() -> dict[str, set[str]]:
    """Module -> the package's modules it imports (``cvsphinx.core.records`` form), from the source."""
    import ast

    found: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        here = parts[:-1]
        targets = found.setdefault(name, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = here[: len(here) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
                for alias in node.names:
                    sub = f"{module}.{alias.name}"
                    targets.add(sub if (PACKAGE.parent / sub.replace(".", "/")).with_suffix(".py").is_file() else module)
    return found


def test_the_folders_import_only_downwards() -> None:
    """core <- styles <- output <- sphinxext <- cli: no module imports one of a folder above its own."""
    wrong = []
    for module, targets in _imports().items():
        folder = module.split(".")[1] if module.count(".") >= 1 else ""
        for target in targets:
            other = target.split(".")[1] if target.count(".") >= 1 else ""
            if folder in RANK and other in RANK and RANK[other] > RANK[folder]:
                wrong.append(f"{module} -> {target}")
    assert wrong == []


def test_no_two_modules_import_each_other() -> None:
    found = _imports()
    graph = {m: {t for t in ts if t in found and t != m} for m, ts in found.items()}
    seen: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        seen[node] = 1
        stack.append(node)
        for nxt in graph.get(node, ()):
            if seen.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt):], nxt])
            elif nxt not in seen:
                visit(nxt)
        stack.pop()
        seen[node] = 2

    for node in sorted(graph):
        if node not in seen:
            visit(node)
    # the package's own __init__ is Sphinx's entry point and imports the wiring lazily, inside setup()
    assert [c for c in cycles if "cvsphinx" not in c] == []
