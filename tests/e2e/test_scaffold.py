"""``bash cv.sh new``: a new CV project for another person, and the summary ``bash cv.sh build`` ends with.

The slow tests make whole projects and run their CI (``.ci/run``: ``cv.sh build``,
then ``cv.sh test``) as an adopter would, on their first push.  Making a Python
environment per project would take minutes, so they share this one: ``CV_VENV``
points cv.sh at a folder whose ``bin/`` holds this environment's tools and a
``python`` that runs this interpreter (and takes ``pip install`` as done).
"""

from __future__ import annotations

import datetime
import hashlib
import os
import random
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from cvsphinx.cli import new as scaffold
from cvsphinx.cli import newfiles
from cvsphinx.cli import summary as build_summary
from cvsphinx.core.labels import translated

ROOT = Path(__file__).resolve().parents[2]
TEXLIVE_EXAMPLES = Path("/usr/share/texlive/texmf-dist/bibtex/bib/biblatex/biblatex/biblatex-examples.bib")
# What must not be left of the CV the project was made from.
OLD_CV = re.compile(r"\bLiu\b|liulin|\bCUHK\b|cryocuhk", re.IGNORECASE)  # not "cliui"


# -- names, files ------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "bibtex", "slug"), [
    ("Marie Curie", "Curie, Marie", "marie-curie"),
    ("Marie Skłodowska-Curie", "Skłodowska-Curie, Marie", "marie-sklodowska-curie"),
    ("Curie, Marie", "Curie, Marie", "marie-curie"),
    ("Ludwig van Beethoven", "van Beethoven, Ludwig", "ludwig-van-beethoven"),
    ("Søren Kierkegaard", "Kierkegaard, Søren", "soren-kierkegaard"),
    ("刘林", "刘林", ""),
    ("Seán O'Brien", "O'Brien, Seán", "sean-o-brien"),
])
def test_owner_forms(name, bibtex, slug):
    owner = scaffold.make_owner(name)
    assert owner.bibtex == bibtex
    assert owner.slug == slug
    assert owner.pdf_tex == (f"{slug}-cv.tex" if slug else "cv.tex")
    assert "," not in owner.name


@pytest.mark.parametrize(("args", "complaint"), [
    ({"name": ""}, "--name"),
    ({"name": "  , "}, "--name"),
    ({"name": "Marie {Curie}"}, "LaTeX"),
    ({"name": "Marie Curie", "orcid": "1234"}, "ORCID"),
    ({"name": "Marie Curie", "email": "marie.curie"}, "e-mail"),
])
def test_bad_arguments_are_refused(args, complaint):
    with pytest.raises(scaffold.ScaffoldError, match=complaint):
        scaffold.make_owner(**args)


def _conf_values(text: str) -> dict:
    namespace: dict = {"__file__": str(ROOT / "conf.py")}
    path = list(sys.path)
    try:
        exec(compile(text, "conf.py", "exec"), namespace)
    finally:
        sys.path[:] = path
    return {k: v for k, v in namespace.items() if not k.startswith("__") and k not in ("sys", "Path")}


def test_conf_is_the_new_owners_and_keeps_the_rest():
    template = (ROOT / "conf.py").read_text(encoding="utf-8")
    owner = scaffold.make_owner("Marie Skłodowska-Curie")
    text = newfiles.make_conf(template, owner, year=2031)
    new, old = _conf_values(text), _conf_values(template)
    assert new["project"] == new["author"] == "Marie Skłodowska-Curie"
    assert new["copyright"] == "2031, Marie Skłodowska-Curie"
    assert new["html_title"] == "Marie Skłodowska-Curie — Curriculum Vitae"
    assert new["cv_owner"] == "Skłodowska-Curie, Marie"
    assert new["cv_roster"] == []
    assert "cv_publication_groups" not in new, "the extension's default groups apply"
    assert new["latex_documents"][0][1] == "marie-sklodowska-curie-cv.tex"
    assert new["latex_documents"][0][2] == new["project"]
    assert '# {"name": ' in text, "the roster has a commented example"
    replaced = {"project", "author", "copyright", "html_title", "latex_documents"}
    for key in set(old) - replaced:
        if key.startswith("cv_") and key not in newfiles.KEEP_CV:
            assert key in ("cv_owner", "cv_roles", "cv_roster") or key not in new, f"{key}: the old CV's, not kept"
        else:
            assert new[key] == old[key], f"{key}: the template's setting, kept"
    assert not OLD_CV.search(text), OLD_CV.search(text)


@pytest.mark.parametrize("name", ["Seán O'Brien", 'Jean "Johnny" Dupont', "刘林"])
def test_conf_with_quotes_and_other_scripts(name):
    owner = scaffold.make_owner(name)
    new = _conf_values(newfiles.make_conf((ROOT / "conf.py").read_text(encoding="utf-8"), owner))
    assert new["project"] == name
    assert new["cv_owner"] == owner.bibtex


def test_readme_has_the_reference_and_nothing_of_the_old_cv():
    owner = scaffold.make_owner("Marie Curie")
    text = newfiles.make_readme(owner, (ROOT / "README.md").read_text(encoding="utf-8"))
    assert text.startswith("# Marie Curie — Curriculum Vitae")
    for title in newfiles.README_SECTIONS:
        assert f"\n## {title}\n" in text, title
    found = [line for line in text.splitlines() if OLD_CV.search(line)]
    assert not found, ("README.md's configuration reference is copied into every new project: give its examples "
                       "no name of the seed CV's (e.g. Marie Curie's):\n" + "\n".join(found))
    # PDF before HTML: the HTML build copies the PDF beside the page
    assert text.index("-M latexpdf") < text.index("-M html")


def test_readme_sections_ignore_headings_in_code():
    text = "## A\n\n````markdown\n## Not a heading\n````\n\ntext\n\n## B\nb\n"
    found = newfiles._sections_by_heading(text)
    assert list(found) == ["A", "B"]
    assert "## Not a heading" in found["A"]


def test_cv_sh_without_the_benchmark():
    text = (ROOT / "cv.sh").read_text(encoding="utf-8")
    adapted = newfiles.adapt_cv_sh(text)
    assert not re.search(r"^\s*bench\)", adapted, flags=re.M), "no bench command: the project has no bench/"
    assert not re.search(r"^#.*cv\.sh bench", adapted, flags=re.M)
    assert not re.search(r"ruff.* check .*\bbench\b", adapted), "ruff is not asked to check a missing bench/"
    assert "[build|test|preview|people|new|upgrade]" in adapted or "usage:" not in text


# -- the summary -------------------------------------------------------------------------------

def _page_counts(html: Path) -> tuple[int, Counter, Counter]:
    """Entries, markers and papers with a marker per role, counted in the built HTML (the CV's page and the
    pages of its own that it links to): what the summary must say."""
    from bs4 import BeautifulSoup

    index = BeautifulSoup((html / "index.html").read_text(encoding="utf-8"), "html.parser")
    soups = [index] + [BeautifulSoup((html / a["href"]).read_text(encoding="utf-8"), "html.parser")
                       for a in index.select("ul.cv-pages a")]
    items = [li for soup in soups for li in soup.select("ol.cv-publication-list > li")]
    markers, papers = Counter(), Counter()
    for li in items:
        roles = [c[len("cv-marker-"):] for sup in li.p.select("sup.cv-marker") for c in sup["class"]
                 if c.startswith("cv-marker-")]
        markers.update(roles)
        papers.update(set(roles))
    return len(items), markers, papers


@pytest.mark.parametrize("limit", [0, 10], ids=["one-page", "pages-of-their-own"])
def test_summary_says_what_the_build_placed(tmp_path, limit):
    """The summary reads the catalog's account of the build: the same numbers as the page shows, whether the
    lists are on the CV's page or on pages of their own."""
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp

    src = tmp_path / "src"
    shutil.copytree(ROOT / "tests" / "roots" / "test-cv-types", src)
    build = src / "_build"
    app = SphinxTestApp("html", srcdir=src, builddir=build, freshenv=True, confoverrides={"cv_page_limit": limit},
                        status=StringIO(), warning=StringIO())
    try:
        app.build()
    finally:
        app.cleanup()
    entries, markers, papers = _page_counts(Path(app.outdir))
    assert entries > 30 and markers["student"] > 0
    text = build_summary.summary(build, src)
    assert f"Publications: {entries} in 1 group" in text, text
    assert re.search(rf"all\s+{entries}\s+\(1–{entries}\)", text), text
    assert (f"graduate student *: {markers['student']} marker{'s' if markers['student'] != 1 else ''} on "
            f"{papers['student']} paper") in text, text
    assert "silenced in conf.py: cv.owner_absent, cv.duplicate_doi" in text
    assert f"HTML: {Path(app.outdir) / 'index.html'}" in text


def test_summary_without_a_web_build(tmp_path):
    (tmp_path / "conf.py").write_text("", encoding="utf-8")
    text = build_summary.summary(tmp_path / "_build", tmp_path)
    assert "Publications: not known (no web build in" in text
    assert "PDF:  none" in text


# -- whole projects ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def venv(tmp_path_factory) -> Path:
    """This environment under another name: cv.sh honours CV_VENV, and nothing is installed into it."""
    here = Path(sys.prefix) / "bin"
    fake = tmp_path_factory.mktemp("venv")
    (fake / "bin").mkdir()
    for tool in here.iterdir():
        if not tool.name.startswith(("python", "activate", "Activate")):
            (fake / "bin" / tool.name).symlink_to(tool)
    python = fake / "bin" / "python"
    python.write_text(
        "#!/bin/sh\n"
        '# pip: this environment is the test run\'s, already complete\n'
        'if [ "$1" = "-m" ] && [ "$2" = "pip" ]; then exit 0; fi\n'
        f'exec "{sys.executable}" "$@"\n', encoding="utf-8")
    python.chmod(0o755)
    return fake


def _env(venv: Path, tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    # the inner pytest keeps its temporary folders apart from this run's
    env.update(CV_VENV=str(venv), PYTEST_DEBUG_TEMPROOT=str(tmp), PYTHONDONTWRITEBYTECODE="1")
    return env


def cv_new(where: Path, venv: Path, *args: str) -> subprocess.CompletedProcess:
    """``bash cv.sh new ...`` run from ``where``, as a user would type it."""
    return subprocess.run(["bash", str(ROOT / "cv.sh"), "new", *args], cwd=where, capture_output=True, text=True,
                          env=_env(venv, where))


def run(cmd: list[str], cwd: Path, venv: Path, tmp: Path) -> subprocess.CompletedProcess:
    tmp.mkdir(parents=True, exist_ok=True)
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=_env(venv, tmp))


def _tail(proc: subprocess.CompletedProcess) -> str:
    return f"--- stdout\n{proc.stdout[-6000:]}\n--- stderr\n{proc.stderr[-6000:]}"


_NPM: dict[str, Path | None] = {}


def _npm_tools(scratch: Path) -> Path | None:
    """The page-quality tools (tests/quality's npm pins) installed once for this run, stamped as cv.sh stamps them.

    Never this project's own node_modules: ``npm ci`` in a new project would empty it through the link.
    """
    lock = ROOT / "tests" / "quality" / "package-lock.json"
    if "tools" not in _NPM:
        _NPM["tools"] = None
        if lock.is_file() and shutil.which("npm"):
            where = scratch / "npm-tools"
            where.mkdir(parents=True, exist_ok=True)
            for name in ("package.json", "package-lock.json"):
                shutil.copy2(ROOT / "tests" / "quality" / name, where / name)
            done = subprocess.run(["npm", "ci", "--prefix", str(where), "--no-audit", "--no-fund", "--loglevel=error"],
                                  capture_output=True, text=True)
            if done.returncode == 0:  # otherwise each project runs npm ci itself (and says why it fails)
                digest = hashlib.sha256(lock.read_bytes()).hexdigest()
                (where / "node_modules" / ".lock.sha").write_text(digest + "\n", encoding="utf-8")
                _NPM["tools"] = where / "node_modules"
    return _NPM["tools"]


def assert_green(project: Path, venv: Path, tmp: Path) -> str:
    """The project's own CI: ``cv.sh build`` (strict) then ``cv.sh test``; the output."""
    tools = _npm_tools(tmp.parent)
    if tools is not None and (project / "tests" / "quality").is_dir():
        (project / "tests" / "quality" / "node_modules").symlink_to(tools)  # npm ci done once per run
    ci = run(["bash", ".ci/run"], project, venv, tmp / "ci")
    assert ci.returncode == 0, _tail(ci)
    assert re.search(r"\d+ passed", ci.stdout) and " failed" not in ci.stdout, _tail(ci)
    # a generic test does not skip itself in a new project; only what needs the extension's own test roots does
    skipped = [x for x in re.findall(r"^SKIPPED .*$", ci.stdout, flags=re.M) if "roots are not in this project" not in x]
    assert not skipped, "\n".join(skipped)
    return ci.stdout


def assert_layout(project: Path) -> None:
    for rel in ("conf.py", "index.md", "refs.bib", "_static/cv.css", "ext/cvsphinx/__init__.py", "tests/conftest.py",
                "tests/cv/test_cv_invariants.py", "tests/cv/test_browser.py", "requirements.txt", "cv.sh", "README.md",
                ".readthedocs.yaml", ".ci/run", "pyproject.toml", ".gitignore"):
        assert (project / rel).is_file(), rel
    for file, _, _ in newfiles.SECTIONS:
        assert (project / "sections" / f"{file}.md").is_file(), file
    for rel in scaffold.GENERIC_TESTS:
        assert (project / rel).is_file() or not (ROOT / rel).is_file(), rel
    # only the generic tests: nothing tied to the seed CV, nor the extension's own tests
    assert not (project / "tests" / "data").exists()
    assert not (project / "tests" / "roots").exists()
    assert not (project / "tests" / "seed.py").exists()
    assert not (project / "tests" / "test_full_cv.py").exists()
    assert not (project / "bench").exists()
    log = subprocess.run(["git", "log", "--oneline"], cwd=project, capture_output=True, text=True, check=True).stdout
    assert len(log.splitlines()) == 1, log
    status = subprocess.run(["git", "status", "--porcelain"], cwd=project, capture_output=True, text=True, check=True)
    assert status.stdout == "", status.stdout


def leftovers(project: Path) -> list[str]:
    """Lines that mention the old CV: anywhere outside ext/, and in ext/ anything but a comment."""
    found = []
    for path in sorted(project.rglob("*")):
        rel = path.relative_to(project)
        if not path.is_file() or rel.parts[0] in (".git", "_build", ".pytest_cache", ".ruff_cache") \
                or "__pycache__" in rel.parts:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            if OLD_CV.search(line) and not (rel.parts[0] == "ext" and line.lstrip().startswith("#")):
                found.append(f"{rel}:{number}: {line.strip()[:120]}")
    return found


@pytest.fixture(scope="module")
def marie(tmp_path_factory, venv) -> tuple[Path, subprocess.CompletedProcess]:
    """A new project made by ``cv.sh new``, typed in the folder above it; and what the command said."""
    where = tmp_path_factory.mktemp("new")
    made = cv_new(where, venv, "marie", "--name", "Marie Curie", "--email", "marie.curie@example.org",
                  "--orcid", "0000-0002-1825-0097", "--affiliation", "Institut du Radium", "--affiliation", "Paris")
    assert made.returncode == 0, _tail(made)
    return where / "marie", made  # DIR is relative to where the command was typed


def test_new_project_is_the_new_owners(marie):
    project, made = marie
    assert "refs.bib: one example entry" in made.stdout
    assert "PDF: marie-curie-cv.pdf" in made.stdout
    assert_layout(project)
    index = (project / "index.md").read_text(encoding="utf-8")
    assert index.startswith("---\nhide-toc: true\n---\n\n# Marie Curie\n")
    for line in ("Institut du Radium\\\nParis\n", "Email: [marie.curie@example.org](mailto:marie.curie@example.org)",
                 "ORCID: [0000-0002-1825-0097](https://orcid.org/0000-0002-1825-0097)"):
        assert line in index, line
    for file, heading, _ in newfiles.SECTIONS:
        assert f"sections/{file}.md" in index
        assert (project / "sections" / f"{file}.md").read_text(encoding="utf-8").startswith(f"## {heading}\n")
    assert "author  = {Curie, Marie and Doe, Jane}" in (project / "refs.bib").read_text(encoding="utf-8")
    if (ROOT / "_static" / "favicon.svg").is_file():  # the template's icon has its owner's initials
        assert ">MC</text>" in (project / "_static" / "favicon.svg").read_text(encoding="utf-8")


@pytest.mark.parametrize(("name", "letters"), [("Marie Curie", "MC"), ("Marie Skłodowska-Curie", "MS"),
                                               ("Ludwig van Beethoven", "LB"), ("刘林", "刘")])
def test_initials(name, letters):
    assert newfiles.initials(name) == letters


def test_nothing_of_the_old_cv_is_left(marie):
    found = leftovers(marie[0])
    assert not found, ("a new project must hold nothing of the CV it was made from (a comment in ext/ may): "
                       "make these examples neutral, e.g. Marie Curie's:\n" + "\n".join(found))


def test_new_refuses_a_folder_in_use(marie, venv):
    project, _ = marie
    before = (project / "conf.py").read_text(encoding="utf-8")
    again = cv_new(project.parent, venv, "marie", "--name", "Pierre Curie")
    assert again.returncode == 2 and "not an empty folder" in again.stderr, _tail(again)
    assert (project / "conf.py").read_text(encoding="utf-8") == before


@pytest.mark.slow
def test_new_project_builds_and_tests_green(marie, venv, tmp_path):
    project, _ = marie
    out = assert_green(project, venv, tmp_path)
    # cv.sh build ends with the summary
    assert "Publications: 1 in 1 group" in out, out
    assert re.search(r"PDF:  \S+/marie-curie-cv\.pdf \(1 page, also copied to _build/html/marie-curie-cv\.pdf\)", out), out
    assert f"HTML: {project / '_build' / 'html' / 'index.html'}" in out
    # the starter sections' example lines: accepted for now, listed to do, so the build is green
    assert re.search(r"Warnings: \d+ accepted warnings to fix \(accepted-warnings\.txt\)", out), out
    assert "starter_text (6)" in out and "sections/education.md:4: this line still holds the example text" in out
    page = (project / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    assert "<title>Marie Curie — Curriculum Vitae</title>" in page
    assert f"{datetime.date.today().year}, Marie Curie" in page


# -- a CV in another language (cv.sh new --language) -------------------------------------------


def test_language_refused_or_noted():
    assert scaffold.make_owner("Marie Curie", language="zh-cn").language == "zh_CN"
    assert scaffold.make_owner("Marie Curie", language="pt_BR").language == "pt_BR"
    with pytest.raises(scaffold.ScaffoldError, match=r"--language 'german' is not a language code; write e\.g\. de"):
        scaffold.make_owner("Marie Curie", language="german")
    assert scaffold.language_note(scaffold.make_owner("Marie Curie", language="de")) is None
    note = scaffold.language_note(scaffold.make_owner("Maria Skłodowska", language="pl"))
    assert note and "language = 'pl'" in note and "no Polish translation yet" in note and "cv_labels" in note


def test_new_project_in_german_has_german_headings(tmp_path):
    owner = scaffold.make_owner("Lise Meitner", language="de")
    scaffold.create(tmp_path / "cv", owner, out=open(os.devnull, "w"))  # noqa: SIM115
    project = tmp_path / "cv"
    conf = _conf_values((project / "conf.py").read_text(encoding="utf-8"))
    assert conf["language"] == "de"
    assert conf["html_title"] == "Lise Meitner — Lebenslauf"
    headings = [(project / "sections" / f"{file}.md").read_text(encoding="utf-8").split("\n")[0]
                for file, _, _ in newfiles.SECTIONS]
    assert headings == ["## Ausbildung", "## Berufliche Stationen", "## Veröffentlichungen", "## Betreuung", "## Lehre",
                        "## Gremien und Gutachtertätigkeit", "## Preise und Auszeichnungen"]
    assert "```{cv-pdf-link} Diesen Lebenslauf als PDF herunterladen\n" in (project / "index.md").read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize(("name", "pdf", "language", "heading"), [
    ("Marie Skłodowska-Curie", "marie-sklodowska-curie-cv.pdf", "en", "Publications"),
    ("刘林", "cv.pdf", "zh_CN", None)])
def test_names_with_accents_or_in_chinese(tmp_path, venv, name, pdf, language, heading):
    """Chinese in its own language: headings and the extension's words from the catalog, in the page and the PDF."""
    made = cv_new(tmp_path, venv, "cv", "--name", name, "--language", language)
    assert made.returncode == 0, _tail(made)
    assert ("set the project's Language (Admin > Settings) to zh_CN" in made.stdout) == (language == "zh_CN"), made.stdout
    project = tmp_path / "cv"
    assert_layout(project)
    out = assert_green(project, venv, tmp_path)
    assert f"/{pdf} (1 page" in out, out
    text = subprocess.run(["pdftotext", str(project / "_build" / "latex" / pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert text.lstrip().startswith(name), text[:200]
    page = (project / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    assert name in page
    heading = heading or translated(language)("Publications")
    assert heading != "Publications" or language == "en"
    assert f"{heading}<a class=\"headerlink\"" in page and heading in text, heading


# -- bibliographies ---------------------------------------------------------------------------

TYPES = {  # type -> fields besides author, title, year (the venue each type needs)
    "article": {"journal": "Journal of {Radioactivity}", "volume": "3", "number": "2", "pages": "101--117"},
    "book": {"publisher": "Gauthier-Villars", "address": "Paris"},
    "booklet": {"howpublished": "Printed privately"},
    "inbook": {"publisher": "Hermann", "chapter": "4", "booktitle": "Trait{\\'e} de radioactivit{\\'e}"},
    "incollection": {"booktitle": "Collected Lectures", "publisher": "Springer", "pages": "1--20"},
    "inproceedings": {"booktitle": "Proceedings of the {Solvay} Conference", "pages": "5--9"},
    "conference": {"booktitle": "Congr{\\`e}s international de radiologie"},
    "manual": {"organization": "Institut du Radium"},
    "mastersthesis": {"school": "Universit{\\'e} de Paris"},
    "phdthesis": {"school": "Facult{\\'e} des sciences de Paris"},
    "techreport": {"institution": "Acad{\\'e}mie des sciences", "number": "TR-7"},
    "misc": {"howpublished": "Lecture notes"},
    "unpublished": {"note": "Manuscript"},
    "online": {"url": "https://example.org/radium"},
    "report": {"institution": "Bureau of Standards", "type": "Technical report"},
    "thesis": {"institution": "Sorbonne", "type": "Habilitation thesis"},
    "dataset": {"publisher": "Zenodo", "url": "https://example.org/data"},
    "software": {"publisher": "GitHub", "url": "https://example.org/code"},
    "patent": {"number": "FR 123456", "holder": "Curie, Pierre"},
    "collection": {"publisher": "Masson"},
    "proceedings": {"publisher": "Soci{\\'e}t{\\'e} fran{\\c{c}}aise de physique"},
    "periodical": {"issuetitle": "Radioactivity today"},
    "mvbook": {"publisher": "Gauthier-Villars", "volumes": "2"},
    "reference": {"publisher": "Larousse"},
    "inreference": {"booktitle": "Grand dictionnaire", "publisher": "Larousse"},
    "suppbook": {"booktitle": "Oeuvres", "publisher": "PWN"},
    "electronic": {"url": "https://example.org/e"},
    "www": {"url": "https://example.org/w"},
}
COAUTHORS = ["Curie, Pierre", "Debierne, Andr{\\'e}", "Becquerel, Henri", "Joliot-Curie, Ir{\\`e}ne",
             "Perey, Marguerite", "Rutherford, Ernest", "Soddy, F.", "Hahn, Otto", "Meitner, Lise",
             "{\\O}rsted, Hans Christian", "Ehrenfest, Paul", "Sk{\\l}odowska, Bronis{\\l}awa", "Zhang, E.", "刘, 洋"]
WORDS = ["radium", "polonium", "emanation", "activity", "induced", "uranium", "thorium", "salts", "measurement",
         "electrometer", "atomic", "weight", "spectrum", "isolation", "chloride", "bromide", "rays", "heat", "decay"]


def generated_bib(owner: str, count: int, seed: int = 7) -> str:
    """``count`` entries of every BibTeX and biblatex type, the owner an author (or editor) of each."""
    rng = random.Random(seed)
    out = ["% generated for tests/e2e/test_scaffold.py\n@string{jrad = {Le Radium}}\n"]
    types = list(TYPES)
    for n in range(count):
        kind = types[n % len(types)]
        people = rng.sample(COAUTHORS, rng.randint(0, 4))
        people.insert(rng.randint(0, len(people)), owner)
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 9))).capitalize()
        if n % 11 == 0:
            title += " in {$\\alpha$}-rays of {U}ranium"
        fields = {"title": title, "year": str(rng.randint(1895, 1934))}
        names = " and ".join(people) + (" and others" if n % 17 == 0 else "")
        fields["editor" if kind in ("collection", "proceedings", "periodical") else "author"] = names
        fields.update(TYPES[kind])
        if kind == "article" and n % 3 == 0:
            fields["doi"] = f"10.5555/radium.{n}"
        if kind == "article" and n % 5 == 0:
            fields["journal"] = "jrad"  # an @string
        if kind == "article" and n % 7 == 0:
            fields["pubstate"] = "submitted"
        body = ",\n".join(f"  {k} = {v}" if v == "jrad" else f"  {k} = {{{v}}}" for k, v in fields.items())
        out.append(f"@{kind}{{gen{n},\n{body},\n}}\n")
    return "\n".join(out)


def with_owner(text: str, owner: str) -> str:
    """TeX Live's biblatex-examples.bib with the owner added to each author and editor list."""
    out, pos = [], 0
    for m in re.finditer(r"\n\s*(?:author|editor)\s*=\s*\{", text):
        if m.start() < pos:
            continue
        depth, end = 1, m.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(text[end], 0)
            end += 1
        out.append(text[pos:end - 1] + f" and {owner}}}")
        pos = end
    out.append(text[pos:])
    return "".join(out)


@pytest.mark.slow
def test_hundreds_of_entries_of_every_type(tmp_path, venv):
    owner = "Curie, Marie"
    parts = [generated_bib(owner, 300)]
    if TEXLIVE_EXAMPLES.is_file():  # real-world entries: crossref, xdata, sets, dates, math...
        parts.append(with_owner(TEXLIVE_EXAMPLES.read_text(encoding="utf-8"), owner))
    bib = tmp_path / "mine.bib"
    bib.write_text("\n".join(parts), encoding="utf-8")
    made = cv_new(tmp_path, venv, "cv", "--name", "Marie Curie", "--bib", str(bib))
    assert made.returncode == 0, _tail(made)
    entries = 300 + (92 if TEXLIVE_EXAMPLES.is_file() else 0)
    assert f"refs.bib: {entries} entries read from {bib}" in made.stdout, made.stdout
    assert "every entry could be read" in made.stdout
    assert "without Curie, Marie" not in made.stdout, made.stdout
    project = tmp_path / "cv"
    assert (project / "refs.bib").read_bytes() == bib.read_bytes()
    out = assert_green(project, venv, tmp_path)
    shown = int(re.search(r"Publications: (\d+) in (\d+) groups", out).group(1))
    assert shown >= 300, out  # every generated entry (biblatex's @set and @xdata are not publications)
    pages = int(re.search(r"\((\d+) pages", out).group(1))
    assert pages > 10, out


BROKEN = r"""@article{good1,
  author = {Curie, Marie}, title = {Good one}, journal = {Nature}, year = {1903},
}

@article{unclosed,
  author = {Curie, Marie}, title = {A brace {never closed}, journal = {Nature}, year = {1904},
}

@article{good2,
  author = {Curie, Marie and Curie, Pierre}, title = {Good two}, journal = {Nature}, year = {1905},
}

@article{nocomma
  author = {Curie, Marie}, title = {No comma after the key}, journal = {Nature}, year = {1906},
}

@book{twice,
  author = {Curie, Marie}, title = {Title}, title = {Title again}, publisher = {Hermann}, year = {1910},
}

@article{undefined,
  author = {Curie, Marie}, title = {An undefined string}, journal = nojournal, year = {1911},
}

@article{notmine,
  author = {Rutherford, Ernest}, title = {Not hers}, journal = {Phil. Mag.}, year = {1911},
}
"""


@pytest.mark.slow
def test_bib_with_errors(tmp_path, venv):
    bib = tmp_path / "broken.bib"
    bib.write_text(BROKEN, encoding="utf-8")
    made = cv_new(tmp_path, venv, "cv", "--name", "Marie Curie", "--bib", "broken.bib")  # relative to where typed
    assert made.returncode == 0, _tail(made)
    out = made.stdout
    assert "refs.bib: 5 entries read from broken.bib" in out, out
    assert "2 entries could not be read" in out, out
    assert re.search(r"broken\.bib:\d+: .*'unclosed'", out) and re.search(r"broken\.bib:\d+: .*nocomma", out), out
    assert "'nojournal'" in out, out
    assert "1 entry without Curie, Marie among the authors" in out and "notmine" in out, out
    project = tmp_path / "cv"
    build = run(["bash", "cv.sh", "build"], project, venv, tmp_path / "build")
    # the file's problems were accepted by cv.sh new: the strict build passes and lists each one to do
    assert build.returncode == 0, _tail(build)
    said = build.stdout + build.stderr
    for key in ("unclosed", "nocomma", "twice", "nojournal", "notmine"):
        assert key in said, f"{key}: {said[-3000:]}"
    assert "To do: " in build.stdout
    # The invariants hold: what is missing, an accepted warning explains, and no warning is left unaccepted.
    tests = run([str(venv / "bin" / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider",
                 "tests/cv/test_cv_invariants.py"], project, venv, tmp_path / "tests")
    failed = re.findall(r"^FAILED \S+::(\w+)", tests.stdout, flags=re.M)
    assert failed == [] and tests.returncode == 0, _tail(tests)
    # without the list, the same build is strict again and fails
    (project / "accepted-warnings.txt").unlink()
    build = run(["bash", "cv.sh", "build"], project, venv, tmp_path / "build2")
    assert build.returncode != 0, "with -W and nothing accepted, a .bib with errors fails the build"


TROUBLED_BIB = """\
@article{curie1898a, author = {Curie, M. and Curie, P.}, title = {Sur une substance nouvelle}, journal = {\\apj},
  year = {1898}, pages = {null}, volume = {0}}
@inproceedings{curie1903, author = {Curie, Marie}, title = {Recherches}, journal = {Proc. Radium}, year = {1903}}
@article{curie1910, author = {Curie, M.}, title = {Trait{\\'e}}, journal = {Comptes rendus}}
"""


@pytest.mark.slow
def test_a_bib_with_problems_builds_green_and_its_list_only_shrinks(tmp_path, venv):
    """A stranger's file: warnings about their data are accepted by cv.sh new, so the first build, CI and the
    project's own tests pass; a fixed problem leaves the list; a new one fails the build but the page is built."""
    bib = tmp_path / "mine.bib"
    bib.write_text(TROUBLED_BIB, encoding="utf-8")
    made = cv_new(tmp_path, venv, "cv", "--name", "Marie Curie", "--bib", "mine.bib")
    assert made.returncode == 0, _tail(made)
    assert "are in accepted-warnings.txt" in made.stdout
    project = tmp_path / "cv"
    accepted = (project / "accepted-warnings.txt").read_text(encoding="utf-8")
    for kind, key in (("placeholder", "curie1898a"), ("venue_field", "curie1903"), ("missing_field", "curie1910")):
        assert re.search(rf"^\[cv\.{kind}\] refs\.bib: entry '{key}'", accepted, flags=re.M), accepted
    assert "\\apj" not in accepted  # a journal macro of ADS is known
    assert "accepted-warnings.txt" in subprocess.run(["git", "ls-files"], cwd=project, capture_output=True,
                                                     text=True).stdout
    out = assert_green(project, venv, tmp_path)
    assert "To do: " in out and "refs.bib:3: entry 'curie1903': @inproceedings reads its venue from 'booktitle'" in out
    # fix one problem: its line goes, the others stay
    text = (project / "refs.bib").read_text(encoding="utf-8").replace("journal = {Proc. Radium}", "booktitle = {Proc. Radium}")
    (project / "refs.bib").write_text(text, encoding="utf-8")
    built = run(["bash", "cv.sh", "build"], project, venv, tmp_path / "b2")
    assert built.returncode == 0, _tail(built)
    assert "Fixed: 1 accepted warning no longer given" in built.stdout
    assert "curie1903" not in (project / "accepted-warnings.txt").read_text(encoding="utf-8")
    # a new problem fails the build, and the page and the PDF are built all the same
    (project / "refs.bib").write_text(text + "@article{curie1911, author = {Curie, M.}, title = {Nobel}, journal = {J}}\n",
                                      encoding="utf-8")
    (project / "_build" / "html" / "index.html").unlink()
    built = run(["bash", "cv.sh", "build"], project, venv, tmp_path / "b3")
    assert built.returncode == 1
    assert "entry 'curie1911': has no year" in built.stderr and "1 new warning" in built.stdout
    assert (project / "_build" / "html" / "index.html").is_file()


def test_a_cjk_name_is_family_name_first_in_conf_py() -> None:
    """``--name "小山 翔一"``: cv_owner as the build reads the same name in refs.bib (family name first), not
    BibTeX's given-name-first reading ('翔一, 小山'), which left the owner unbold in 106 entries of a real file."""
    assert scaffold.make_owner("小山 翔一", language="ja").bibtex == "小山, 翔一"
    assert scaffold.make_owner("小山, 翔一", language="ja").name == "小山 翔一"
    assert scaffold.make_owner("Curie, Marie").name == "Marie Curie"
