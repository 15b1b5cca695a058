"""Never stale: whatever was built before and whatever changed since, the output equals a clean -E build.

Builds run as ``sphinx-build`` processes, as a user (or ``-M``, or sphinx-autobuild) runs them: html,
dirhtml and latex share one doctree directory, as ``-M`` does; "preview" is html with its own doctrees,
as sphinx-autobuild keeps them.  After every build its output is compared, byte for byte, with a clean
build (``-E``, fresh directories) of a copy of the same sources.

Sphinx itself decides by modification times, so the changes include files replaced by content with an
*older* mtime (``cp -p``, ``git checkout``, ``tar``), all set to the same instant so that a cache keyed on
mtime and size sees no change, and ``refs.bib`` as a symlink pointed at another file.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test

ROOT = Path(__file__).parents[1] / "roots" / "test-cv-fresh"
EXT = Path(__file__).parents[2] / "ext"
_EXT_COPY: list[Path] = []


@pytest.fixture(scope="module", autouse=True)
def _extension_snapshot(tmp_path_factory: pytest.TempPathFactory):
    """Every build of this module runs one copy of the extension, whatever is edited in ext/ meanwhile."""
    copy = tmp_path_factory.mktemp("ext") / "ext"
    shutil.copytree(EXT, copy, ignore=shutil.ignore_patterns("__pycache__"))
    _EXT_COPY.append(copy)
    yield
    _EXT_COPY.remove(copy)


def ext_path() -> str:
    return str(_EXT_COPY[-1] if _EXT_COPY else EXT)
PAST = 1_000_000_000  # 2001-09-09, older than any build: the mtime a `cp -p` or a checkout may give

# Same-length choices: an edit keeps the file's size, so only its content tells it apart.
SECTIONS = ("education.md", "publications.md")
HEADINGS = ("Education", "Schooling", "Studies!!", "Training!")
TEXTS = ("Newest is first.", "Oldest is first.", "Grouped by kind.", "Listed by years.")
TITLES = ("Glacier flow", "Tundra rains", "Frozen lakes", "Ice velocity")
PREFIXES = ("Supervised", "Advised", "Mentored")
PROJECTS = ("CV fresh", "CV renamed")


def sphinx_build(src: Path, builder: str, out: Path, doctrees: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", builder, "-d", str(doctrees), "-W", "--keep-going", "-q",
         *extra, str(src), str(out)],
        capture_output=True, text=True, cwd=src,
        env={"PYTHONPATH": ext_path(), "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONHASHSEED": "0"},
    )


def main_output(out: Path, builder: str, name: str) -> str:
    """The file a reader gets: index.html whole, or the whole .tex named for the project."""
    if builder == "latex":  # the date is the day of the build
        return re.sub(r"\\date\{[^}]*\}", r"\\date{}", (out / name).read_text(encoding="utf-8"))
    return (out / "index.html").read_text(encoding="utf-8")


def tex_name(out: Path) -> str:
    names = [p.name for p in out.glob("*.tex")]
    assert len(names) == 1, names
    return names[0]


def tree_digest(*roots: Path) -> str:
    """Every file's content (symlinks followed) and where each symlink points, under ``roots``."""
    digest = hashlib.sha256()
    for index, root in enumerate(roots):
        for path in sorted(root.rglob("*")):
            rel = f"{index}/{path.relative_to(root).as_posix()}"
            if {"_build", "__pycache__"} & set(path.relative_to(root).parts):
                continue
            if path.is_symlink():
                digest.update(f"link {rel} -> {os.readlink(path)}\n".encode())
            if path.is_file():
                digest.update(f"file {rel} {hashlib.sha256(path.read_bytes()).hexdigest()}\n".encode())
    return digest.hexdigest()


_CLEAN: dict[tuple[str, str], tuple[str, str]] = {}  # (builder, sources) -> (file name, output)


def clean_output(src: Path, builder: str) -> tuple[str, str]:
    """The output of a clean build of a copy of ``src`` (symlinks kept), cached by the content of the
    sources and of the extension."""
    key = (builder, tree_digest(src, Path(ext_path())))
    if key not in _CLEAN:
        with tempfile.TemporaryDirectory(prefix="cv-clean-") as tmp:
            copy = Path(tmp) / "src"
            shutil.copytree(src, copy, symlinks=True, ignore=shutil.ignore_patterns("_build"))
            out = Path(tmp) / "out"
            run = sphinx_build(copy, builder, out, Path(tmp) / "doctrees", "-E")
            assert run.returncode == 0, run.stderr
            name = tex_name(out) if builder == "latex" else "index.html"
            _CLEAN[key] = (name, main_output(out, builder, name))
    return _CLEAN[key]


def first_difference(expected: str, got: str) -> str:
    diff = difflib.unified_diff(expected.splitlines(), got.splitlines(), "clean -E build", "incremental build", lineterm="", n=1)
    return "\n".join(list(diff)[:40])


# -- the project, as files -----------------------------------------------------


def bib_text(name: str, titles: list[str]) -> str:
    """Articles (the journal group); alt.bib holds misc entries (the other group)."""
    prefix = name.replace("/", "-").removesuffix(".bib")
    if name == "alt.bib":
        return "".join(f"@misc{{{prefix}{i},\n  author       = {{Liu, L.}},\n  title        = {{{title}}},\n"
                       f"  howpublished = {{CUHK Sustainable Campus}},\n  year         = {{{2015 - i}}}\n}}\n\n"
                       for i, title in enumerate(titles))
    return "".join(f"@article{{{prefix}{i},\n  author  = {{Chen, X. and Liu, L.}},\n  title   = {{{title}}},\n"
                   f"  journal = {{Remote Sensing of Environment}},\n  year    = {{{2019 - i}}}\n}}\n\n"
                   for i, title in enumerate(titles))


def section_text(name: str, heading: str, text: str) -> str:
    if name == "education.md":
        body = "```{cv-entries}\nPh.D. in Geophysics, University of Colorado | 2011\n```\n"
    else:
        body = "```{publication-legend}\n```\n\n```{publications}\n```\n"
    return f"## {heading}\n\n{text}\n\n{body}"


class Project:
    """A working copy of a small CV, and the values its files are written from."""

    def __init__(self, src: Path) -> None:
        self.src = src
        shutil.copytree(ROOT, src)
        self.conf_template = (src / "conf.py").read_text(encoding="utf-8")
        self.headings = {name: "Education" if name == "education.md" else "Publications" for name in SECTIONS}
        self.texts = dict.fromkeys(SECTIONS, TEXTS[0])
        self.bibs = {"refs.bib": ["Glacier flow", "Tundra rains"], "alt.bib": ["Frozen lakes"],
                     "bibs/a.bib": ["Ice velocity", "Glacier flow"], "bibs/b.bib": ["Frozen lakes", "Ice velocity"]}
        self.link: str | None = None  # where refs.bib points, when it is a symlink
        self.conf = {"project": PROJECTS[0], "cv_legend_prefix": PREFIXES[0], "cv_bibfiles": ["refs.bib"]}
        (src / "bibs").mkdir(exist_ok=True)
        for name in SECTIONS:
            self.write_section(name)
        for name in self.bibs:
            self.write_bib(name, past=name.startswith("bibs/"))
        self.write_conf()

    def write(self, rel: str, text: str, past: bool = False) -> None:
        """Write through a symlink, as an editor does; ``past`` gives the file an mtime older than any build."""
        path = self.src / rel
        path.write_text(text, encoding="utf-8")
        if past:
            os.utime(path, (PAST, PAST))

    def write_section(self, name: str, past: bool = False) -> None:
        self.write(f"sections/{name}", section_text(name, self.headings[name], self.texts[name]), past)

    def write_bib(self, name: str, past: bool = False) -> None:
        self.write(name, bib_text(name, self.bibs[name]), past)

    def write_conf(self, past: bool = False) -> None:
        text = self.conf_template
        for key, value in self.conf.items():
            text, count = re.subn(rf"^{key} = .*$", f"{key} = {value!r}", text, flags=re.M)
            assert count == 1, key
        self.write("conf.py", text, past)

    def retarget(self, target: str) -> None:
        """Point refs.bib at ``target`` in one step (a new symlink renamed over the old name)."""
        tmp = self.src / "refs.bib.new"
        tmp.unlink(missing_ok=True)
        os.symlink(target, tmp)
        os.replace(tmp, self.src / "refs.bib")
        self.link = target


def build_and_compare(project: Project, builder: str, out: str | None = None, doctrees: str = "doctrees") -> str:
    """Build into the project's out/ directory, assert the result equals a clean build's, return it.

    The clean build runs at the same time, in a thread: both only read the sources.
    """
    base = project.src.parent / "out"
    outdir = base / (out or builder)
    with ThreadPoolExecutor(max_workers=1) as pool:
        clean = pool.submit(clean_output, project.src, builder)
        run = sphinx_build(project.src, builder, outdir, base / doctrees)
        name, expected = clean.result()
    assert run.returncode == 0, run.stderr
    got = main_output(outdir, builder, name)
    assert got == expected, f"{builder} output differs from a clean build:\n{first_difference(expected, got)}"
    return got


# -- the state machine -----------------------------------------------------------


class Change(NamedTuple):
    """One edit; ``old_mtime`` gives the written file the same mtime, older than any build."""

    kind: str
    where: str
    value: Any
    old_mtime: bool = False

    def apply(self, project: Project) -> None:
        if self.kind == "text":
            project.texts[self.where] = self.value
            project.write_section(self.where, self.old_mtime)
        elif self.kind == "heading":
            project.headings[self.where] = self.value
            project.write_section(self.where, self.old_mtime)
        elif self.kind == "title":  # refs.bib, or the file it points to (an editor writes through the symlink)
            name = (project.link or self.where) if self.where == "refs.bib" else self.where
            index, title = self.value
            project.bibs[name][index % len(project.bibs[name])] = title
            project.write_bib(name, self.old_mtime)
        elif self.kind == "symlink":
            project.retarget(self.value)
        else:  # a conf.py value
            project.conf[self.where] = self.value
            project.write_conf(self.old_mtime)


CHANGES = st.one_of(
    st.builds(Change, st.just("text"), st.sampled_from(SECTIONS), st.sampled_from(TEXTS), st.booleans()),
    st.builds(Change, st.just("heading"), st.sampled_from(SECTIONS), st.sampled_from(HEADINGS), st.booleans()),
    st.builds(Change, st.just("title"), st.sampled_from(("refs.bib", "alt.bib")),
              st.tuples(st.integers(0, 1), st.sampled_from(TITLES)), st.booleans()),
    st.builds(Change, st.just("symlink"), st.just("refs.bib"), st.sampled_from(("bibs/a.bib", "bibs/b.bib"))),
    st.builds(Change, st.just("conf"), st.just("cv_bibfiles"),
              st.sampled_from((["refs.bib"], ["refs.bib", "alt.bib"], ["alt.bib", "refs.bib"])), st.booleans()),
    st.builds(Change, st.just("conf"), st.just("cv_legend_prefix"), st.sampled_from(PREFIXES), st.booleans()),
    st.builds(Change, st.just("conf"), st.just("project"), st.sampled_from(PROJECTS), st.booleans()),
)

# html, dirhtml and latex share one doctree directory, as sphinx-build -M does;
# preview is sphinx-autobuild's way: html into its own directory, with the doctrees inside it.
BUILDS = {"html": ("html", "html", "doctrees"), "dirhtml": ("dirhtml", "dirhtml", "doctrees"),
          "latex": ("latex", "latex", "doctrees"), "preview": ("html", "preview", "preview/.doctrees")}


class NeverStale(RuleBasedStateMachine):
    """Edits and builds in any order; after every build, its output equals a clean build's."""

    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="cv-fresh-"))
        self.project = Project(self.tmp / "src")

    def teardown(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    @initialize()
    def build_everything(self) -> None:
        """Every output exists from the start, so any edit then any build can find a stale one."""
        self.build(sorted(BUILDS))

    @rule(change=CHANGES)
    def edit(self, change: Change) -> None:
        change.apply(self.project)

    @rule(builds=st.lists(st.sampled_from(sorted(BUILDS)), min_size=1, max_size=2))
    def build(self, builds: list[str]) -> None:
        for name in builds:
            builder, out, doctrees = BUILDS[name]
            build_and_compare(self.project, builder, out, doctrees)


@pytest.mark.slow
def test_any_edits_any_builders_equal_a_clean_build() -> None:
    run_state_machine_as_test(NeverStale, settings=settings(
        max_examples=12, stateful_step_count=6, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    ))


# -- the known cases, one each, fast -----------------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path / "src")


def test_heading_edited_between_latex_and_html_builds(project: Project) -> None:
    """-M latexpdf then -M html share the doctrees: the LaTeX build reads the edit, the HTML page must show it too."""
    build_and_compare(project, "latex")
    build_and_compare(project, "html")
    project.headings["education.md"] = "Schooling"
    project.write_section("education.md")
    assert "Schooling" in build_and_compare(project, "latex")
    assert "Schooling" in build_and_compare(project, "html")


def test_bib_title_edited_between_latex_and_html_builds(project: Project) -> None:
    build_and_compare(project, "latex")
    build_and_compare(project, "html")
    project.bibs["refs.bib"][0] = "Ice velocity"
    project.write_bib("refs.bib")
    assert "Ice velocity" in build_and_compare(project, "latex")
    assert "Ice velocity" in build_and_compare(project, "html")


def test_preamble_macro_edited_renders_its_entries_again(project: Project) -> None:
    """An entry whose journal is a @preamble macro: editing the macro alone (the entry as it was) shows the new
    journal, on the page and in the exports (the rendering is keyed by what the record is made from)."""
    def write(journal: str) -> None:
        text = bib_text("refs.bib", project.bibs["refs.bib"]).replace("{Remote Sensing of Environment}", "{\\myj}")
        project.write("refs.bib", f'@preamble{{"\\newcommand{{\\myj}}{{{journal}}}"}}\n\n' + text)

    write("Journal Alpha")
    assert "Journal Alpha" in build_and_compare(project, "html")
    write("Journal Beta")
    page = build_and_compare(project, "html")
    assert "Journal Beta" in page and "Journal Alpha" not in page


def test_section_replaced_by_one_with_an_older_mtime(project: Project) -> None:
    build_and_compare(project, "html")
    project.texts["education.md"] = "Oldest is first."
    project.write_section("education.md", past=True)
    assert "Oldest is first." in build_and_compare(project, "html")


def test_refs_symlink_pointed_at_another_file(project: Project) -> None:
    """Both targets are older than the build, and of equal size: only their content differs."""
    project.retarget("bibs/a.bib")
    build_and_compare(project, "html")
    project.retarget("bibs/b.bib")
    assert "Frozen lakes" in build_and_compare(project, "html")


def test_bib_replaced_with_same_size_and_same_old_mtime(project: Project) -> None:
    """Two edits of refs.bib a build apart, each of the same size and given the same old mtime."""
    project.write_bib("refs.bib", past=True)
    build_and_compare(project, "html")
    project.bibs["refs.bib"][0] = "Ice velocity"
    project.write_bib("refs.bib", past=True)
    assert "Ice velocity" in build_and_compare(project, "html")


def test_cv_pdf_url_changed(project: Project) -> None:
    """cv_pdf_url is read by a directive while reading, though Sphinx only rewrites the HTML for it."""
    build_and_compare(project, "html")
    (project.src / "index.md").write_text(
        (project.src / "index.md").read_text(encoding="utf-8") + "\n```{cv-pdf-link}\n```\n", encoding="utf-8")
    build_and_compare(project, "html")
    project.write("conf.py", (project.src / "conf.py").read_text(encoding="utf-8") + "cv_pdf_url = 'https://example.org/cv.pdf'\n")
    assert "https://example.org/cv.pdf" in build_and_compare(project, "html")


def test_switching_builders_reads_nothing_again(project: Project) -> None:
    """Content checks cost no re-reading: furo adds configuration values only when the HTML builder starts."""
    base = project.src.parent / "out"
    for builder in ("html", "latex", "html", "dirhtml", "latex"):
        run = subprocess.run(
            [sys.executable, "-m", "sphinx", "-b", builder, "-d", str(base / "doctrees"), "-D", "html_theme=furo",
             str(project.src), str(base / builder)],
            capture_output=True, text=True, env={**os.environ, "PYTHONPATH": ext_path()},
        )
        assert run.returncode == 0, run.stderr
        summary = re.search(r"updating environment: .*?(\d+) added, (\d+) changed, (\d+) removed", run.stdout)
        assert summary is not None, run.stdout
        if builder == "html" and not (base / "latex").exists():
            assert summary.groups() == ("1", "0", "0")  # the first build reads the page
        else:
            assert summary.groups() == ("0", "0", "0"), (builder, run.stdout)


FAIL_WHILE_WRITING = """
import os


def _fail(app, pagename, *args):
    if os.environ.get("CV_FAIL_WRITING"):
        raise RuntimeError("failing while writing " + pagename)


def setup(app):
    app.connect("html-page-context", _fail)
"""


def test_build_failing_while_writing_leaves_no_stamp(project: Project) -> None:
    """Pages written by a build that then failed are vouched for by no stamp: the next build writes them again."""
    project.conf_template += FAIL_WHILE_WRITING
    project.write_conf()
    build_and_compare(project, "html")
    stamp = project.src.parent / "out" / "html" / ".cvsphinx-sources.json"
    assert stamp.is_file()
    project.texts["education.md"] = "Oldest is first."
    project.write_section("education.md", past=True)
    failed = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-d", str(stamp.parents[1] / "doctrees"), "-q",
         str(project.src), str(stamp.parent)],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": ext_path(), "CV_FAIL_WRITING": "1"},
    )
    assert "failing while writing" in failed.stderr
    assert not stamp.exists()
    assert "Oldest is first." in build_and_compare(project, "html")
    assert stamp.is_file()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("latexmk") is None or shutil.which("pdftotext") is None, reason="needs TeX Live")
def test_latexpdf_then_html_after_an_edit(project: Project) -> None:
    """The README's commands, exactly: -M latexpdf then -M html into _build, an edit, the same two again."""
    src = project.src

    def make(target: str) -> None:
        run = subprocess.run(
            [sys.executable, "-m", "sphinx", "-M", target, ".", "_build", "-W", "--keep-going", "-q"],
            capture_output=True, text=True, cwd=src,
            env={**os.environ, "PYTHONPATH": ext_path()},
        )
        assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]

    def pdf_text() -> str:
        pdf = next((src / "_build" / "latex").glob("*.pdf"))
        return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout

    def html_text() -> str:
        return (src / "_build" / "html" / "index.html").read_text(encoding="utf-8")

    make("latexpdf")
    make("html")
    assert "Education" in pdf_text() and "Education" in html_text()
    project.headings["education.md"] = "Schooling"
    project.write_section("education.md")
    project.bibs["refs.bib"][0] = "Ice velocity"
    project.write_bib("refs.bib", past=True)
    make("latexpdf")
    make("html")
    for text in (pdf_text(), html_text()):
        assert "Schooling" in text and "Education" not in text
        assert "Ice velocity" in text and "Glacier flow" not in text
    _name, clean = clean_output(src, "html")
    assert html_text() == clean
