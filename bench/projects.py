"""Temporary Sphinx projects for the benchmark, made from the repository's own files.

Every project has the real CV's ``index.md``, ``_static`` and sections; only the
publications section and the bibliography differ.  Two variants:

* **ours**: the repository's ``conf.py`` (cvsphinx from ``<repo>/ext``), the
  repository's ``sections/publications.md``;
* **stock**: no cvsphinx; sphinxcontrib-bibtex with the ``unsrt`` style, one
  ``{bibliography}`` per publication group with the same selection, and the
  CV directives stock lacks (``cv-entries``, ``supervised-people``,
  ``cv-pdf-link``, ``publication-legend``) replaced by plain Markdown.
"""

from __future__ import annotations

import ast
import re
import runpy
import shutil
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXT = REPO / "ext"

_SYS_PATH_LINE = re.compile(r"^sys\.path\.insert\(.*$", re.MULTILINE)
_FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})\{(?P<name>[\w:-]+)\}(?P<args>[^\n]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$\n?",
                    re.MULTILINE | re.DOTALL)


@dataclass
class Project:
    name: str      # e.g. "gen-5000"
    variant: str   # "ours" or "stock"
    root: Path     # source directory (conf.py, index.md, sections/, refs.bib)

    @property
    def build(self) -> Path:
        return self.root / "_build"


def repo_conf() -> dict:
    """The repository's configuration values (conf.py is settings only, so running it is harmless)."""
    return runpy.run_path(str(REPO / "conf.py"))


# -- ours ------------------------------------------------------------------------------------------

def ours_conf_text(extra: str = "") -> str:
    """conf.py as in the repository, cvsphinx taken from <repo>/ext, the bibliography in refs.bib."""
    text = (REPO / "conf.py").read_text(encoding="utf-8")
    line = f"sys.path.insert(0, {str(EXT)!r})"
    found = _SYS_PATH_LINE.search(text)
    text = _SYS_PATH_LINE.sub(lambda m: line, text, count=1) if found else f"import sys\n{line}\n{text}"
    return text + "\n\n# -- Benchmark (bench/projects.py) --\ncv_bibfiles = [\"refs.bib\"]\n" + extra


def _copy_common(root: Path) -> None:
    if root.exists():
        shutil.rmtree(root)
    (root / "sections").mkdir(parents=True)
    shutil.copy2(REPO / "index.md", root / "index.md")
    shutil.copytree(REPO / "_static", root / "_static")
    for md in sorted((REPO / "sections").glob("*.md")):
        if md.name != "publications.md":
            shutil.copy2(md, root / "sections" / md.name)


def make_ours(root: Path, name: str, bib_text: str, extra_conf: str = "",
              publications_md: str | None = None) -> Project:
    _copy_common(root)
    pubs = publications_md if publications_md is not None else (REPO / "sections" / "publications.md").read_text(
        encoding="utf-8")
    (root / "sections" / "publications.md").write_text(pubs, encoding="utf-8")
    (root / "conf.py").write_text(ours_conf_text(extra_conf), encoding="utf-8")
    (root / "refs.bib").write_text(bib_text, encoding="utf-8")
    return Project(name, "ours", root)


def make_seed(root: Path) -> Project:
    """The repository's CV as it is (conf.py, index.md, sections, refs.bib, _static)."""
    return make_ours(root, "seed-cv", (REPO / "refs.bib").read_text(encoding="utf-8"))


# -- stock -----------------------------------------------------------------------------------------

STOCK_CONF = '''

# -- Benchmark (bench/projects.py): the same CV with stock tools only --
extensions = ["myst_parser", "sphinxcontrib.bibtex"]
bibtex_bibfiles = ["refs.bib"]
bibtex_default_style = "unsrt"
html_sidebars = {}  # the repository's sidebar template comes from cvsphinx
'''


def stock_filter(selector: str) -> str:
    """A cvsphinx selector as a sphinxcontrib-bibtex :filter: (sets instead of tuples, double quotes)."""

    class ToSet(ast.NodeTransformer):
        def visit_Tuple(self, node: ast.AST) -> ast.AST:
            return ast.copy_location(ast.Set(elts=[self.visit(e) for e in node.elts]), node)

        visit_List = visit_Tuple  # noqa: N815  (the NodeTransformer naming)

    tree = ToSet().visit(ast.parse(selector.strip(), mode="eval"))
    text = ast.unparse(tree).replace("'", '"')
    if text.startswith(('"', "'")):  # MyST drops every option when a value starts with a quote
        text = f"({text})"
    return text


def _md_escape(text: str) -> str:
    return text.replace("*", "\\*").replace("_", "\\_")


def stock_legend(conf: dict) -> str:
    roles = conf.get("cv_roles", {})
    parts = [f"{r['label']}{_md_escape(str(r['symbol']))}" for r in roles.values()]
    if not parts:
        return ""
    body = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + ", and " + parts[-1]
    return f"({conf.get('cv_legend_prefix', 'Supervised')} {body})"


def stock_publications_md(groups: list[dict], legend: str, catch_all: bool = False) -> str:
    out = ["## Publications", ""]
    if legend:
        out += [legend, ""]
    if catch_all:
        return "\n".join([*out, "```{bibliography}", ":list: enumerated", ":all:", "```", ""])
    for index, group in enumerate(groups):
        if group.get("title"):
            out += [f"```{{rubric}} {group['title']}", "```", ""]
        out += ["```{bibliography}", ":list: enumerated", f":filter: {stock_filter(group['select'])}"]
        if index:
            out.append(":start: continue")
        out += ["```", ""]
    return "\n".join(out)


def entries_to_markdown(body: str) -> str:
    """``text | date`` lines as a plain Markdown list: ``- text — date``; indented lines nest."""
    style = "none"
    lines = []
    for raw in body.splitlines():
        option = re.match(r"^:list:\s*(\w+)\s*$", raw.strip())
        if option and not lines:
            style = option.group(1)
            continue
        if not raw.strip():
            continue
        lines.append(raw)
    bullet = "1." if style == "enumerated" else "-"
    out = []
    for raw in lines:
        what, sep, when = raw.strip().rpartition(" | ")
        text = f"{what} — {when.strip()}" if sep else raw.strip()
        if raw[:1].isspace():
            out.append(" " * (len(bullet) + 1) + f"- {text}")
        else:
            out.append(f"{bullet} {text}")
    return "\n".join(out) + "\n"


def supervised_markdown(conf: dict) -> str:
    paras = []
    for key, role in conf.get("cv_roles", {}).items():
        if not role.get("heading"):
            continue
        names = []
        for person in conf.get("cv_roster", []):
            period = person.get("roles", {}).get(key)
            if period is None:
                continue
            names.append(f"{person['name']} ({period})" if role.get("show_periods") else person["name"])
        if names:
            paras.append(f"**{role['heading']}:** " + ", ".join(names))
    return "\n\n".join(paras) + "\n"


def to_stock_markdown(text: str, conf: dict) -> str:
    """Replace the blocks of CV directives by what stock Sphinx + MyST can render."""

    def replace(match: re.Match) -> str:
        name, body, args = match["name"], match["body"], match["args"].strip()
        if name == "cv-entries":
            return entries_to_markdown(body)
        if name == "supervised-people":
            return supervised_markdown(conf)
        if name == "cv-pdf-link":
            label = args or "Download as PDF"
            pdf = conf.get("latex_documents", [("", "cv.tex")])[0][1].rsplit(".", 1)[0] + ".pdf"
            return f'```{{raw}} html\n<p class="cv-pdf"><a class="cv-pdf-link" href="{pdf}">{label}</a></p>\n```\n'
        if name == "publication-legend":
            return stock_legend(conf) + "\n"
        return match.group(0)

    return _FENCE.sub(replace, text)


def make_stock(root: Path, name: str, bib_text: str, conf: dict, catch_all: bool = False) -> Project:
    _copy_common(root)
    for md in [root / "index.md", *sorted((root / "sections").glob("*.md"))]:
        md.write_text(to_stock_markdown(md.read_text(encoding="utf-8"), conf), encoding="utf-8")
    pubs = stock_publications_md(conf.get("cv_publication_groups", []), stock_legend(conf), catch_all)
    (root / "sections" / "publications.md").write_text(pubs, encoding="utf-8")
    (root / "conf.py").write_text(ours_conf_text() + STOCK_CONF, encoding="utf-8")
    (root / "refs.bib").write_text(bib_text, encoding="utf-8")
    return Project(name, "stock", root)


def drop_repeated_fields(text: str) -> tuple[str, int]:
    """The .bib text without the second occurrence of a field inside one entry, and how many went.

    pybtex (so sphinxcontrib-bibtex) stops reading a file at the first repeated
    field and silently drops every later entry; stock gets this cleaned copy so
    that both variants render the same entries.
    """
    removed = 0
    out = []
    for chunk in re.split(r"(?m)^(?=@)", text):
        seen: set[str] = set()
        keep = True
        lines = []
        for line in chunk.splitlines(keepends=True):
            start = re.match(r"^[ \t]+([A-Za-z][\w+:-]*)\s*=", line)
            if start:
                name = start.group(1).lower()
                keep = name not in seen
                removed += not keep
                seen.add(name)
            elif re.match(r"^[ \t]*\}[ \t]*$", line):
                keep = True
            if keep:
                lines.append(line)
        out.append("".join(lines))
    return "".join(out), removed


# -- real-world bibliography -----------------------------------------------------------------------

# the lists on one page, as stock sphinxcontrib-bibtex makes it: the same page, compared (the scale check splits)
ONE_PAGE_CONF = "cv_page_limit = 0\n"

CATCH_ALL_CONF = ONE_PAGE_CONF + '''
cv_publication_groups = [{"name": "all", "title": None, "select": "type != ''"}]
suppress_warnings = ["cv"]  # thousands of entries without the owner, by design of the data
'''
