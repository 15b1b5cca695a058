"""Messages that say what to fix, and faults that leave nothing behind.

* a selector that matches nothing is blamed, not the entries it leaves without a group;
* text the LaTeX decoder drops (an unknown environment, a macro that expands into itself) is warned;
* local paths in any link field are treated alike: not linked, warned;
* arXiv identifiers are checked against arXiv's own forms;
* a cache that cannot be written (full disk, read-only folder) is one warning, and no temporary file stays;
* a full disk and a read-only build folder end in one line naming the path, and the next build is healthy
  (a real small file system, when this machine lets the test mount one).
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cvsphinx.core.bibfile import BibText, read_bib
from cvsphinx.core.checks import _latex_problems
from cvsphinx.core.identifiers import arxiv_problem
from cvsphinx.core.latex import preamble_macros
from cvsphinx.core.links import extras, local_path
from cvsphinx.core.records import build_records
from cvsphinx.sphinxext import store as catalog

HERE = Path(__file__).parents[1]
PROJECT = HERE.parent
ROOTS = HERE / "roots"


def cv_warnings(app) -> list[str]:
    return [line for line in app._warning.getvalue().splitlines() if "[cv." in line]


# -- A selector that selects nothing ------------------------------------------------------------------

_MISSPELT = [
    {"name": "journal", "title": "Journal Articles", "select": "journl == 'Journal J'"},
    {"name": "conference", "title": "Conference Papers", "select": "type == 'inproceedings'"},
    {"name": "talks", "title": "Talks", "select": "type == 'unpublished'"},
]


@pytest.mark.sphinx("html", testroot="cv-vchecks", srcdir="msg-empty-group", freshenv=True,
                    confoverrides={"cv_publication_groups": _MISSPELT})
def test_a_selector_on_a_missing_field_is_blamed(app) -> None:
    app.build()
    warnings = cv_warnings(app)
    blamed = [w for w in warnings if "[cv.empty_group]" in w]
    assert len(blamed) == 1, warnings
    (line,) = blamed
    assert "publication group 'journal' selects no entry" in line
    assert "\"journl == 'Journal J'\"" in line and "'journl'" in line
    assert "did you mean 'journal'?" in line
    assert re.search(r"conf\.py:\d+: WARNING", line)
    unplaced = [w for w in warnings if "[cv.no_group]" in w]
    assert unplaced and all("see the warning about the selector of 'journal'" in w for w in unplaced)


@pytest.mark.sphinx("html", testroot="cv-vchecks", srcdir="msg-group-for-later", freshenv=True,
                    confoverrides={"cv_publication_groups": [
                        {"name": "all", "title": "Publications", "select": "type != 'patent'"},
                        {"name": "patents", "title": "Patents", "select": "type == 'patent' or patentnumber"}]})
def test_a_group_kept_for_later_is_no_problem(app) -> None:
    """A group that selects nothing while every entry has a place (patents to come) is not warned."""
    app.build()
    assert not [w for w in cv_warnings(app) if "[cv.empty_group]" in w]


# -- Dropped LaTeX --------------------------------------------------------------------------------------

def records_of(tmp_path: Path, text: str):
    path = tmp_path / "refs.bib"
    path.write_text(text, encoding="utf-8")
    extra = BibText()
    entries, _problems = read_bib(path, extra=extra)
    records, _ = build_records(entries, preamble_macros("\n".join(extra.preamble)))
    return records


def test_an_unknown_environment_and_a_recursive_macro_are_warned(tmp_path: Path) -> None:
    records = records_of(tmp_path, r"""
@preamble{"\newcommand{\loopy}{a\loopy}"}
@article{env2020, author = {Liu, Lin}, journal = {J}, year = {2020},
  title = {Steps: \begin{enumerate}\item one \item two\end{enumerate} done}}
@article{emph2020, author = {Liu, Lin}, journal = {J}, year = {2020},
  title = {A \begin{em}big\end{em} word}}
@article{loop2020, author = {Liu, Lin}, journal = {J}, year = {2020}, title = {Round \loopy{} and round}}
""")
    messages: dict[str, str] = {}
    for problem in _latex_problems(records):
        messages[problem.key] = messages.get(problem.key, "") + problem.message + "\n"
    assert "\\begin{enumerate} is not known" in messages["env2020"] and "only its content is shown" in messages["env2020"]
    assert "emph2020" not in messages  # a declaration as an environment: its text is kept as it is
    assert "\\loopy" in messages["loop2020"] and "expands into itself" in messages["loop2020"]
    by_key = {r.key: r for r in records}
    assert "done" in str(by_key["env2020"].text("title"))


# -- Local paths, arXiv identifiers --------------------------------------------------------------------

@pytest.mark.parametrize("value", ["/etc/passwd", "../../../etc/passwd", "~/papers/a.pdf", r"C:\Users\me\a.pdf",
                                   "file:///home/me/a.pdf", ":home/me/a.pdf:PDF", r"\\server\share\a.pdf",
                                   "assets/../../secret.pdf"])
def test_local_paths_are_never_linked(tmp_path: Path, value: str) -> None:
    assert local_path(value)
    (record,) = records_of(tmp_path, f"@article{{a, author = {{Liu, Lin}}, title = {{T}}, journal = {{J}}, "
                                     f"year = {{2020}}, code = {{{value}}}, pdf = {{{value}}}, data = {{{value}}}}}")
    assert extras(record).links == ()


@pytest.mark.parametrize("value", ["assets/pdf/paper.pdf", "paper.pdf", "https://github.com/me/code"])
def test_files_beside_the_page_and_web_addresses_are_linked(tmp_path: Path, value: str) -> None:
    assert not local_path(value)
    (record,) = records_of(tmp_path, f"@article{{a, author = {{Liu, Lin}}, title = {{T}}, journal = {{J}}, "
                                     f"year = {{2020}}, code = {{{value}}}}}")
    assert extras(record).links == (("Code", value),)


@pytest.mark.parametrize("ident", ["2101.01234", "2101.01234v3", "1305.1234", "0704.0001", "hep-th/9901001",
                                   "math.AG/0101001v2", "astro-ph/0612001"])
def test_real_arxiv_identifiers_pass(ident: str) -> None:
    assert arxiv_problem(ident) is None


@pytest.mark.parametrize(("ident", "why"), [("1913.01234", "no month 13"), ("2101.0123", "5"),
                                            ("0612.1234", "April 2007"), ("see the paper", "not of the form"),
                                            ("hep-th/9913001", "no month 13")])
def test_wrong_arxiv_identifiers_are_named(tmp_path: Path, ident: str, why: str) -> None:
    assert why in arxiv_problem(ident)
    (record,) = records_of(tmp_path, f"@article{{a, author = {{Liu, Lin}}, title = {{T}}, journal = {{J}}, "
                                     f"year = {{2020}}, eprint = {{{ident}}}, eprinttype = {{arxiv}}}}")
    assert record.arxiv is None
    assert [s for s, _ in record.advice] == ["bad_arxiv"]


def test_arxiv_addresses_in_an_eprint_field_are_read(tmp_path: Path) -> None:
    (record,) = records_of(tmp_path, "@article{a, author = {Liu, Lin}, title = {T}, journal = {J}, year = {2020}, "
                                     "eprint = {https://arxiv.org/abs/2101.01234v2}, archiveprefix = {arXiv}}")
    assert record.arxiv[0] == "2101.01234v2"


# -- A cache that cannot be written ---------------------------------------------------------------------

@pytest.mark.sphinx("html", testroot="cv-validation", srcdir="msg-cache-enospc", freshenv=True)
def test_a_full_disk_under_the_cache_is_one_warning_and_leaves_no_temporary_file(app, monkeypatch) -> None:
    real_replace = os.replace

    def full_disk(src, dst, *args, **kwargs):
        if str(src).endswith(".tmp") and "cvsphinx" in Path(src).name:
            raise OSError(errno.ENOSPC, "No space left on device", str(src))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(catalog.os, "replace", full_disk)
    app.build()
    said = [w for w in cv_warnings(app) if "[cv.cache]" in w]
    assert len(said) == 1, cv_warnings(app)
    assert "No space left on device" in said[0] and "could not be written" in said[0]
    assert not list(Path(app.doctreedir).glob("*.tmp"))


# -- A real full disk and a read-only build folder -------------------------------------------------------

@pytest.fixture
def small_disk(tmp_path: Path):
    """A 600 kB file system; skipped where this machine does not let the test mount one."""
    mount = tmp_path / "small"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(mount)],
                                           capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _page(src: Path, builddir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(PROJECT / "ext"), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-m", "cvsphinx.cli.variants", str(src), "--builddir", str(builddir),
                           "--page", "-W", "-E"], capture_output=True, text=True, env=env, timeout=600)


def test_a_full_disk_and_a_read_only_folder_end_in_one_line(tmp_path: Path, small_disk: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(PROJECT, src, ignore=shutil.ignore_patterns("_build", ".venv", ".git", "tests", "bench",
                                                                "__pycache__", ".pytest_cache"))
    full = _page(src, small_disk)
    assert full.returncode == 1
    assert "Traceback" not in full.stderr, full.stderr
    errors = [line for line in full.stderr.splitlines() if line.startswith("ERROR:")]
    assert len(errors) == 1 and "No space left on device" in errors[0] and str(small_disk) in errors[0], full.stderr
    assert not list(small_disk.rglob("*.tmp"))

    # space freed: the next build is healthy, although the cut-off one left an empty .buildinfo
    subprocess.run(["mount", "-o", "remount,size=20m", str(small_disk)], check=True)
    again = _page(src, small_disk)
    assert again.returncode == 0, again.stderr
    assert (small_disk / "html" / "index.html").is_file()
    assert "config:" in (small_disk / "html" / ".buildinfo").read_text(encoding="utf-8")

    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    read_only = _page(src, small_disk)
    assert read_only.returncode == 1
    assert "Traceback" not in read_only.stderr, read_only.stderr
    errors = [line for line in read_only.stderr.splitlines() if line.startswith("ERROR:")]
    assert len(errors) == 1 and "Read-only file system" in errors[0] and str(small_disk) in errors[0]
