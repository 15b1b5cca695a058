"""Read the Docs, run here: its own commands, its environment, the jobs of .readthedocs.yaml.

Read the Docs (readthedocs.org, ``readthedocs/doc_builder/director.py`` and
``backends/sphinx.py``) builds a version like this, in a clean checkout:

1. the ``pre_*``/``post_*`` jobs of ``build.jobs`` around its setup steps, then ``pre_build``;
2. HTML: ``python -m sphinx -T [-W --keep-going] -b html -d _build/doctrees -D language=<lang> .
   $READTHEDOCS_OUTPUT/html``, run where ``conf.py`` is (``build.jobs.build.html`` replaces it);
3. PDF, only if ``formats`` has ``pdf`` and the version is not a pull request (type ``external``):
   ``build.jobs.build.pdf`` if given, else ``python -m sphinx -T -b latex ... $READTHEDOCS_OUTPUT/pdf``
   and, in that folder, ``latexmk -r latexmkrc -pdf -f -dvi- -ps- -jobname=<slug>
   -interaction=nonstopmode``, a success whenever it prints "Output written on"; then it keeps
   ``<slug>.pdf`` alone in the folder;
4. ``post_build``; the build fails if ``_build/html`` exists, if ``html/index.html`` is missing, or if
   ``pdf/`` holds other than one file, which it then serves, renamed ``<slug>.pdf``, at
   ``/_/downloads/<lang>/<version>/pdf/``.

Each job command runs as ``/bin/sh -c '<command>'`` in the checkout, with the virtualenv first on PATH.
``run_read_the_docs`` below does all of that on a copy of this project, so these tests hold for
whatever CV the project holds.  Installing (apt, pip) is not repeated: the checks on
requirements and apt packages are static.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
import yaml
from bs4 import BeautifulSoup
from cvsphinx.core.bibfile import read_bib
from cvsphinx.core.people import plain
from packaging.requirements import Requirement
from sphinx.config import eval_config_file
from sphinx.util.tags import Tags

PROJECT = Path(__file__).parents[2]
SLUG = "my-cv"  # the Read the Docs project's slug: the PDF's job name there
HOST = f"{SLUG}.readthedocs.io"
TOOLS = ("pytest", "hypothesis", "playwright", "ruff", "sphinx-autobuild", "jsonschema", "citeproc-py",
         "sphinxcontrib-bibtex", "pytest-xdist")  # local work only (sphinxcontrib-bibtex: the benchmark's stock build)
SETUP_JOBS = ("post_checkout", "pre_system_dependencies", "post_system_dependencies", "pre_create_environment",
              "post_create_environment", "pre_install", "post_install", "pre_build")
PUA = "\ue000"  # a private-use character: no font has a glyph for it


# -- Read the Docs, emulated ------------------------------------------------------------


@dataclass
class Step:
    name: str
    command: str
    returncode: int
    output: str


@dataclass
class RTDBuild:
    src: Path
    out: Path  # $READTHEDOCS_OUTPUT
    env: dict[str, str]
    steps: list[Step] = field(default_factory=list)
    failed: Step | None = None  # what failed the build; None: a green build

    @property
    def log(self) -> str:
        return "\n".join(f"$ {s.command}  [{s.name}, exit {s.returncode}]\n{s.output[-3000:]}" for s in self.steps)

    @property
    def pdfs(self) -> list[Path]:
        return sorted((self.out / "pdf").glob("*")) if (self.out / "pdf").is_dir() else []

    def served(self, url: str) -> Path | None:
        """The file Read the Docs would serve at ``url``: pages from html/, the PDF at its download URL."""
        page = urljoin(self.env["READTHEDOCS_CANONICAL_URL"], "index.html")
        target = urlparse(urljoin(page, url))
        if target.netloc != HOST:
            return None
        lang, version = self.env["READTHEDOCS_LANGUAGE"], self.env["READTHEDOCS_VERSION"]
        if target.path == f"/_/downloads/{lang}/{version}/pdf/":
            pdf = self.out / "pdf" / f"{SLUG}.pdf"
            return pdf if pdf.is_file() else None
        prefix = f"/{lang}/{version}/"
        if target.path.startswith(prefix):
            file = self.out / "html" / target.path[len(prefix):]
            return file if file.is_file() else None
        return None


def copy_project(dest: Path) -> Path:
    """A clean checkout: what tests/conftest.py's _copy_project copies."""
    src = dest / "src"
    ignore = shutil.ignore_patterns("_build", "_readthedocs", ".venv", ".git", "tests", "bench", "__pycache__",
                                    ".pytest_cache")
    shutil.copytree(PROJECT, src, ignore=ignore)
    return src


def rtd_language(src: Path) -> str:
    """The project's Language setting, set to the CV's own (cv.language warns otherwise), as Read the Docs writes
    it: lower case with a hyphen (zh-cn)."""
    return str(conf_values(src).get("language") or "en").lower().replace("_", "-")


def rtd_env(src: Path, version: str, version_type: str) -> dict[str, str]:
    lang = rtd_language(src)
    canonical = (f"https://{HOST}/{lang}/{version}/" if version_type != "external"
                 else f"https://{SLUG}--{version}.org.readthedocs.build/{lang}/{version}/")
    venv_bin = str(Path(sys.executable).parent)
    return {
        **os.environ,
        "PATH": venv_bin + os.pathsep + os.environ.get("PATH", ""),
        "PYTHONHASHSEED": "0",
        "NO_COLOR": "1",
        "READTHEDOCS": "True",
        "READTHEDOCS_PROJECT": SLUG,
        "READTHEDOCS_LANGUAGE": lang,
        "READTHEDOCS_VERSION": version,
        "READTHEDOCS_VERSION_NAME": version,
        "READTHEDOCS_VERSION_TYPE": version_type,
        "READTHEDOCS_OUTPUT": str(src / "_readthedocs") + "/",
        "READTHEDOCS_REPOSITORY_PATH": str(src),
        "READTHEDOCS_CANONICAL_URL": canonical,
        "READTHEDOCS_VIRTUALENV_PATH": str(Path(venv_bin).parent),
    }


def run_read_the_docs(src: Path, version: str = "latest", version_type: str = "branch") -> RTDBuild:
    config = yaml.safe_load((src / ".readthedocs.yaml").read_text(encoding="utf-8"))
    jobs = (config.get("build") or {}).get("jobs") or {}
    overrides = jobs.get("build") or {}
    env = rtd_env(src, version, version_type)
    build = RTDBuild(src, src / "_readthedocs", env)
    confdir = (src / config["sphinx"]["configuration"]).parent
    python = str(Path(sys.executable).parent / "python")

    def run(name: str, command: str | list[str], cwd: Path = src, lenient: bool = False) -> bool:
        if isinstance(command, str):
            args, shown = ["/bin/sh", "-c", command], command
        else:
            args, shown = command, " ".join(command)
        done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
        step = Step(name, shown, done.returncode, done.stdout + done.stderr)
        build.steps.append(step)
        ok = done.returncode == 0 or (lenient and "Output written on" in step.output)
        if not ok:
            build.failed = step
        return ok

    def job(name: str, commands: list[str] | None) -> bool:
        return all(run(name, command) for command in commands or [])

    def sphinx(builder: str, outdir: str, strict: bool) -> list[str]:
        return [python, "-m", "sphinx", "-T", *(["-W", "--keep-going"] if strict else []), "-b", builder,
                "-d", "_build/doctrees", "-D", f"language={env['READTHEDOCS_LANGUAGE']}", ".", outdir]

    def default_pdf() -> bool:
        outdir = build.out / "pdf"
        if not run("pdf", sphinx("latex", str(outdir), strict=False), cwd=confdir):
            return False
        latexmk = ["latexmk", "-r", "latexmkrc", "-pdf", "-f", "-dvi-", "-ps-", f"-jobname={SLUG}",
                   "-interaction=nonstopmode"]
        if not run("pdf", latexmk, cwd=outdir, lenient=True):
            return False
        pdf = outdir / f"{SLUG}.pdf"
        if pdf.is_file():  # Read the Docs keeps the PDF alone in the folder
            kept = pdf.read_bytes()
            shutil.rmtree(outdir)
            outdir.mkdir()
            pdf.write_bytes(kept)
        return True

    def artifacts() -> bool:
        problems = []
        if (src / "_build" / "html").exists():
            problems.append("_build/html exists (Read the Docs fails such builds)")
        if not (build.out / "html" / "index.html").is_file():
            problems.append("html/index.html is missing")
        if (build.out / "pdf").is_dir():
            files = list((build.out / "pdf").iterdir())
            if len(files) != 1:
                problems.append(f"pdf/ must hold one file, not {sorted(f.name for f in files)}")
            else:
                files[0].rename(build.out / "pdf" / f"{SLUG}.pdf")
        if problems:
            build.failed = Step("artifacts", "(Read the Docs' output checks)", 1, "; ".join(problems))
        return not problems

    if not all(job(name, jobs.get(name)) for name in SETUP_JOBS):
        return build
    if overrides.get("html"):
        if not job("build.html", overrides["html"]):
            return build
    elif not run("html", sphinx("html", str(build.out / "html"), config["sphinx"].get("fail_on_warning", False)),
                 cwd=confdir):
        return build
    if "pdf" in (config.get("formats") or []) and version_type != "external":
        if overrides.get("pdf"):
            if not job("build.pdf", overrides["pdf"]):
                return build
        elif not default_pdf():
            return build
    if job("post_build", jobs.get("post_build")):
        artifacts()
    return build


# -- Helpers ----------------------------------------------------------------------------------


def conf_values(src: Path) -> dict:
    return eval_config_file(src / "conf.py", Tags())


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def letters(text: str) -> str:
    """Only letters and digits, accents and case folded: line breaks, hyphenation and LaTeX markup compare equal."""
    folded = unicodedata.normalize("NFKD", text)
    return "".join(c for c in folded if c.isalnum()).casefold()


def article_text(html: Path) -> str:
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    return " ".join(soup.find("article").get_text(" ").split())


def pdf_links(html: Path) -> list[str]:
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    return [a["href"] for a in soup.select("a.cv-pdf-link")]


def local_build(src: Path) -> None:
    """What `bash cv.sh build` runs: PDF first, then HTML, both with -W --keep-going."""
    for target in ("latexpdf", "html"):
        done = subprocess.run([sys.executable, "-m", "sphinx", "-M", target, ".", "_build", "-W", "--keep-going", "-q"],
                              cwd=src, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def rtd_config() -> dict:
    return yaml.safe_load((PROJECT / ".readthedocs.yaml").read_text(encoding="utf-8"))


def pins(path: Path) -> dict[str, str]:
    """name -> version of one requirements file, following ``-r``."""
    found: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("-r "):
            found.update(pins(path.parent / line[3:].strip()))
            continue
        name, sep, version = line.partition("==")
        assert sep and version and re.fullmatch(r"[\w.!+-]+", version), f"{path.name}: {raw!r} is not an exact pin"
        found[_norm(name)] = version.strip()
    return found


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower().strip()


def closure(roots: list[str], environments: list[dict[str, str]]) -> set[str]:
    """Every distribution the roots need on Linux, on any of the environments' Python versions."""
    seen: set[str] = set()
    stack = [_norm(r) for r in roots]
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        for text in distribution(name).requires or []:
            req = Requirement(text)
            if req.marker is None or any(req.marker.evaluate({**env, "extra": ""}) for env in environments):
                stack.append(_norm(req.name))
    return seen


LINUX = [{"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix", "python_version": v,
          "python_full_version": f"{v}.0", "implementation_name": "cpython", "platform_python_implementation": "CPython"}
         for v in ("3.11", "3.12", "3.13")]


# -- Fast: the configuration as written ------------------------------------------------------------


def test_config_builds_html_and_pdf_strictly() -> None:
    config = rtd_config()
    assert config["version"] == 2
    assert config["sphinx"]["configuration"] == "conf.py"
    assert config["sphinx"]["fail_on_warning"] is True
    assert "pdf" in config["formats"]
    pdf_job = config["build"]["jobs"]["build"]["pdf"]
    assert any("-W" in command and "latexpdf" in command for command in pdf_job)
    assert any("Missing character" in command for command in pdf_job)
    # what Read the Docs' own validation of the file asks (readthedocs/config/config.py)
    assert set(config["build"]["jobs"]["build"]) - {"html"} <= set(config["formats"])
    assert all(re.fullmatch(r"[a-zA-Z0-9][a-zA-Z0-9.+-]*", p) for p in config["build"]["apt_packages"])


def test_job_commands_survive_read_the_docs_quoting() -> None:
    """Read the Docs runs each job as /bin/sh -c '<command>': a single quote in it would end the string."""
    jobs = rtd_config()["build"]["jobs"]
    commands = [c for name, value in jobs.items() if name != "build" for c in value or []]
    commands += [c for value in jobs.get("build", {}).values() for c in value]
    assert commands
    assert not [c for c in commands if "'" in c]


def test_apt_packages_provide_every_font_the_pdf_names() -> None:
    """Each font conf.py's fontpkg asks for comes, on this machine, from a package build.apt_packages installs."""
    if not shutil.which("fc-list") or not shutil.which("dpkg"):
        pytest.skip("needs fontconfig and dpkg")
    fontpkg = conf_values(PROJECT).get("latex_elements", {}).get("fontpkg", "")
    families = re.findall(r"\\set(?:main|sans|mono|CJKmain|CJKsans|CJKmono)font\{([^}]+)\}", fontpkg)
    assert families, "conf.py names no fonts"
    apt = set(rtd_config()["build"]["apt_packages"])
    for family in families:
        files = subprocess.run(["fc-list", "-f", "%{file}\n", family], capture_output=True, text=True).stdout.split()
        assert files, f"font {family!r} is not installed here"
        owner = subprocess.run(["dpkg", "-S", files[0]], capture_output=True, text=True).stdout.split(":")[0]
        assert owner in apt, f"{family} comes from {owner}, which .readthedocs.yaml's apt_packages does not install"


def test_read_the_docs_installs_only_the_build_requirements() -> None:
    assert rtd_config()["python"]["install"] == [{"requirements": "requirements.txt"}]
    runtime = pins(PROJECT / "requirements.txt")
    assert not set(TOOLS) & set(runtime)
    assert set(TOOLS) <= set(pins(PROJECT / "requirements-dev.txt"))


@pytest.mark.parametrize("name", ["requirements.txt", "requirements-dev.txt"])
def test_requirements_are_exact_and_complete(name: str) -> None:
    """What `pip check` checks, without installing: every dependency of every pin is pinned in the same
    file, on Linux with Python 3.11 to 3.13, and the pins are what this environment runs."""
    pinned = pins(PROJECT / name)
    for dist, version in pinned.items():
        try:
            installed = distribution(dist).version
        except PackageNotFoundError:
            pytest.fail(f"{dist} is pinned in {name} but not installed: run bash cv.sh setup")
        assert installed == version, f"{dist}: {name} pins {version}, the environment has {installed}"
    needed = closure(list(pinned), LINUX)
    assert needed <= set(pinned), f"{name} lacks pins for {sorted(needed - set(pinned))}"


def test_dev_requirements_hold_only_the_tools_and_their_own_dependencies() -> None:
    runtime = pins(PROJECT / "requirements.txt")
    extra = set(pins(PROJECT / "requirements-dev.txt")) - set(runtime)
    assert extra == closure(list(TOOLS), LINUX) - closure(list(runtime), LINUX)
    assert set(runtime) == closure(list(runtime), LINUX), "requirements.txt pins a package the build does not need"


# -- Slow: the build, as Read the Docs runs it ------------------------------------------------------


@pytest.fixture(scope="module")
def rtd(tmp_path_factory) -> RTDBuild:
    build = run_read_the_docs(copy_project(tmp_path_factory.mktemp("rtd")))
    assert build.failed is None, build.log
    return build


@pytest.fixture(scope="module")
def local(tmp_path_factory) -> Path:
    src = copy_project(tmp_path_factory.mktemp("local"))
    local_build(src)
    return src


@pytest.mark.slow
def test_read_the_docs_build_is_green_and_publishes_html_and_one_pdf(rtd: RTDBuild) -> None:
    assert (rtd.out / "html" / "index.html").is_file()
    assert [p.name for p in rtd.pdfs] == [f"{SLUG}.pdf"]
    assert rtd.pdfs[0].read_bytes().startswith(b"%PDF")
    latex_log = next((rtd.src / "_build" / "latex").glob("*.log")).read_text(encoding="utf-8", errors="replace")
    assert "Missing character" not in latex_log


@pytest.mark.slow
def test_published_pdf_has_the_name_and_every_publication(rtd: RTDBuild) -> None:
    conf = conf_values(rtd.src)
    page_numbers = re.compile(r"^\s*\d+\s*$", re.MULTILINE)  # a title can run on past a page's number
    text = letters(page_numbers.sub("", pdf_text(rtd.pdfs[0])))
    assert letters(conf["project"]) in text
    macros: dict[str, str] = {}
    titles = [entry.get("title") for bib in conf.get("cv_bibfiles", ["refs.bib"])
              for entry in read_bib(rtd.src / bib, macros=macros)[0]]
    assert titles
    missing = [t for t in titles if t and letters(plain(t))[:60] not in text]
    assert not missing


@pytest.mark.slow
def test_published_pdf_is_the_local_pdf(rtd: RTDBuild, local: Path) -> None:
    local_pdf = local / "_build" / "latex" / Path(conf_values(local)["latex_documents"][0][1]).with_suffix(".pdf").name
    assert pdf_text(rtd.pdfs[0]) == pdf_text(local_pdf)


@pytest.mark.slow
def test_published_html_is_the_local_html(rtd: RTDBuild, local: Path) -> None:
    assert article_text(rtd.out / "html" / "index.html") == article_text(local / "_build" / "html" / "index.html")


@pytest.mark.slow
def test_pdf_link_points_at_the_pdf_read_the_docs_serves(rtd: RTDBuild) -> None:
    links = pdf_links(rtd.out / "html" / "index.html")
    assert links == [f"/_/downloads/{rtd_language(rtd.src)}/latest/pdf/"]
    assert rtd.served(links[0]) == rtd.out / "pdf" / f"{SLUG}.pdf"
    assert rtd.served("index.html") == rtd.out / "html" / "index.html"  # the emulation serves pages too
    assert rtd.served(f"/_/downloads/{rtd_language(rtd.src)}/stable/pdf/") is None


@pytest.mark.slow
def test_pull_request_preview_has_no_pdf_and_no_pdf_link(tmp_path: Path) -> None:
    build = run_read_the_docs(copy_project(tmp_path), version="42", version_type="external")
    assert build.failed is None, build.log
    assert build.pdfs == []
    assert not [s for s in build.steps if s.name.startswith("build.pdf")]
    html = build.out / "html" / "index.html"
    assert pdf_links(html) == []
    assert "cv-pdf" not in html.read_text(encoding="utf-8")


def _break(src: Path, how: str) -> None:
    """A PDF that cannot be right: a font that is not installed, a LaTeX error, a glyph in no font."""
    conf = src / "conf.py"
    if how == "font":
        conf.write_text(conf.read_text(encoding="utf-8") + '\nlatex_elements["fontpkg"] = latex_elements.get("fontpkg", "") '
                        '+ r"\\setmainfont{NoSuchFont Cvsphinx Test}"\n', encoding="utf-8")
    elif how == "latex-error":
        conf.write_text(conf.read_text(encoding="utf-8") + '\nlatex_elements["preamble"] = latex_elements.get("preamble", "") '
                        '+ r"\\undefinedcvsphinxmacro"\n', encoding="utf-8")
    else:
        values = conf_values(src)
        root = src / (values.get("root_doc", "index") + ".md")
        root.write_text(root.read_text(encoding="utf-8") + f"\n\nA glyph no font has: {PUA}\n", encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("how", ["font", "latex-error", "missing-character"])
def test_a_broken_pdf_fails_the_read_the_docs_build(tmp_path: Path, how: str) -> None:
    src = copy_project(tmp_path)
    _break(src, how)
    build = run_read_the_docs(src)
    assert build.failed is not None, f"the build passed with a broken PDF ({how})\n{build.log}"
    assert build.failed.name == "build.pdf", build.log
    assert build.pdfs == []
    if how == "missing-character":
        assert "Missing character" in build.failed.output


@pytest.mark.slow
@pytest.mark.parametrize("how", ["font", "latex-error"])
def test_read_the_docs_own_pdf_step_would_publish_a_broken_pdf(tmp_path: Path, how: str) -> None:
    """Why .readthedocs.yaml replaces the PDF step: Read the Docs' own one is green on the same mistakes."""
    src = copy_project(tmp_path)
    _break(src, how)
    config = yaml.safe_load((src / ".readthedocs.yaml").read_text(encoding="utf-8"))
    del config["build"]["jobs"]["build"]["pdf"]
    (src / ".readthedocs.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    build = run_read_the_docs(src)
    assert build.failed is None, build.log
    assert [p.name for p in build.pdfs] == [f"{SLUG}.pdf"]


# -- Slow: stale output ---------------------------------------------------------------------------


@pytest.mark.slow
def test_renamed_pdf_leaves_no_old_pdf(local: Path, tmp_path: Path) -> None:
    """latex_documents names another file: the old PDF goes from _build/html and _build/latex, the old
    .tex from _build/latex (Sphinx's Makefile would typeset it again)."""
    src = tmp_path / "src"
    shutil.copytree(local, src)
    old = Path(conf_values(src)["latex_documents"][0][1]).stem
    conf = src / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + '\nlatex_documents = [(d[0], "renamed-cv.tex", *d[2:]) '
                    "for d in latex_documents]\n", encoding="utf-8")
    assert (src / "_build" / "html" / f"{old}.pdf").is_file()
    (src / "_build" / "html" / "kept.pdf").write_bytes(b"%PDF-1.5\n")  # html_extra_path puts this one there
    (src / "extra").mkdir()
    (src / "extra" / "kept.pdf").write_bytes(b"%PDF-1.5\n")
    conf.write_text(conf.read_text(encoding="utf-8") + '\nhtml_extra_path = ["extra"]\nexclude_patterns += ["extra"]\n',
                    encoding="utf-8")
    local_build(src)
    assert sorted(p.name for p in (src / "_build" / "html").glob("*.pdf")) == ["kept.pdf", "renamed-cv.pdf"]
    assert sorted(p.name for p in (src / "_build" / "latex").glob("*.pdf")) == ["renamed-cv.pdf"]
    assert not list((src / "_build" / "latex").glob(f"{old}.*"))
    assert pdf_links(src / "_build" / "html" / "index.html") == ["renamed-cv.pdf"]
