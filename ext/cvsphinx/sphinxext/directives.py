"""The CV's directives; all of them render while reading, so doctrees keep the result.

* ``publications [group ...]``: headed, numbered lists of configured groups.
* ``publication-legend``: the marker legend, from the configured roles.
* ``supervised-people``: the roster, one line per role that has a heading.
* ``cv-entries``: lines of ``text | date`` with the date right-aligned.
* ``cv-pdf-link``: the HTML page's link to the PDF (and to each variant's PDF).

In a variant of the CV (``-D cv_variant=<name>``), ``publications`` shows what the
variant keeps and ``cv-entries`` drops lines tagged for other variants (``[rgc]``)
or dated before the variant's window.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from pybtex.richtext import Text
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from ..core.groups import Group, split_pages
from ..core.labels import N_
from ..core.variants import keeps_entry, known_tags, picks_lines, split_tags
from ..output import pdftools
from ..styles.base import DEFAULT_MARKS, legend, marks_legend
from .collector import doc_state
from .config import cv_config
from .elements import cv_date, cv_entry, cv_publication_list
from .render import to_nodes
from .store import Item, load, load_fresh, warn_problems
from .tailor import PUBLISH_DIR
from .warnings_ import Subtype, logger

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment


def _placements(env: BuildEnvironment) -> dict[str, list[str]]:
    return doc_state(env, "cv_placements")


@dataclass(frozen=True)
class SplitPage:
    """A page of its own for part of a long list (``cv_page_limit``)."""

    pagename: str
    group: str
    title: str
    lo: int
    hi: int
    years: str
    part: int
    parts: int
    first: int  # the number of its first entry


def _pages(env: BuildEnvironment) -> dict[str, list[SplitPage]]:
    return doc_state(env, "cv_pages")


def split_pages_of(env: BuildEnvironment) -> dict[str, list[SplitPage]]:
    """Per group, the pages of its own its entries are on (empty when every list is on its document)."""
    found: dict[str, list[SplitPage]] = {}
    for pages in _pages(env).values():
        for page in pages:
            found.setdefault(page.group, []).append(page)
    return found


def page_of(split: dict[str, list[SplitPage]], group: str, number: int) -> str | None:
    """The page of its own that shows entry ``number`` of ``group``, if the group's list is cut into pages."""
    return next((p.pagename for p in split.get(group, ()) if p.first <= number < p.first + p.hi - p.lo), None)


class PublicationsDirective(SphinxDirective):
    """Numbers come from the whole bibliography, so lists in any document agree."""

    optional_arguments = 20
    has_content = False
    option_spec: ClassVar[dict] = {}

    def run(self) -> list[nodes.Node]:
        cfg = cv_config(self.config)
        store = load(self.env)
        for path in cfg.bibfiles:
            self.env.note_dependency(path)
        known = {g.name: g for g in cfg.groups}
        names = self.arguments or list(known)
        unknown = [n for n in names if n not in known]
        if unknown:
            logger.warning(
                f"publications: unknown group {', '.join(map(repr, unknown))}, nothing is shown for it; "
                f"the groups in cv_publication_groups are: {', '.join(known)}",
                location=self.get_location(), type="cv", subtype=Subtype.directive.value,
            )
            names = [n for n in names if n in known]
        _placements(self.env).setdefault(self.env.docname, []).extend(names)
        limit = self.config.cv_page_limit
        split = bool(limit) and sum(len(store.groups.get(name, [])) for name in names) > limit
        result: list[nodes.Node] = []
        for name in names:
            group = known[name]
            items = store.groups.get(name, [])
            if not items:
                continue  # an empty group prints nothing, not even its title
            container = nodes.container(classes=["cv-publications", f"cv-group-{name}"])
            if group.title:
                # a real heading for screen readers, but not a section: no sidebar entry, no PDF bookmark
                container += nodes.rubric(group.title, group.title, classes=["cv-group-title"], **{"heading-level": 3})
            # the entries stay in the catalog, which every build holds: the doctree names the group only
            container += cv_publication_list(group=name, count=len(items),
                                             pages=self._pages(group, items) if split else [])
            result.append(container)
        return result

    def _pages(self, group: Group, items: list[Item]) -> list[tuple[str, int, int, str]]:
        """Past ``cv_page_limit`` entries the web page links to pages of their own, each group's cut by year
        (the PDF keeps the whole list); ``pages.collect`` writes them."""
        title = group.shown_title
        where = posixpath.join(posixpath.dirname(self.env.docname), "publications")
        cut = split_pages([i.year for i in items], self.config.cv_page_limit)
        start = load(self.env).starts[group.name]
        found = []
        for part, page in enumerate(cut, 1):
            pagename = posixpath.join(where, f"{group.name}-{part}")
            if pagename in self.env.found_docs:  # a document of the project has the name already
                pagename += "-entries"
            found.append((pagename, page.lo, page.hi, page.years))
            _pages(self.env).setdefault(self.env.docname, []).append(
                SplitPage(pagename, group.name, title, page.lo, page.hi, page.years, part, len(cut), start + page.lo))
        return found


class LegendDirective(SphinxDirective):
    has_content = False

    def run(self) -> list[nodes.Node]:
        cfg = cv_config(self.config)
        held = {s.role.key for person in cfg.roster.people for s in person.stints}
        roles = {key: role for key, role in cfg.roster.roles.items() if key in held}  # a role nobody holds: no line
        result: list[nodes.Node] = []
        if roles:
            text = legend(roles, cfg.legend_prefix, cfg.labels)
            result.append(nodes.paragraph("", "", *to_nodes(Text("(", text, ")")), classes=["cv-legend"]))
        marks = marks_legend(cfg.author_marks or DEFAULT_MARKS, load(self.env).marks_used)
        if len(marks):  # only when some shown entry carries an authorship mark
            for path in cfg.bibfiles:
                self.env.note_dependency(path)
            result.append(nodes.paragraph("", "", *to_nodes(Text("(", marks, ")")), classes=["cv-legend", "cv-marks-legend"]))
        return result


class SupervisedDirective(SphinxDirective):
    """One paragraph per role with a heading, names in roster order."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        cfg = cv_config(self.config)
        result: list[nodes.Node] = []
        for role in cfg.roster.roles.values():
            if not role.heading:
                continue
            names = []
            for person in cfg.roster.people:
                stints = [s for s in person.stints if s.role.key == role.key]
                if not stints:
                    continue
                if role.show_periods:
                    periods = ", ".join(s.period.display(cfg.labels) for s in stints)
                    names.append(f"{person.name} ({periods})")
                else:
                    names.append(person.name)
            if names:
                para = nodes.paragraph(classes=["cv-supervised", f"cv-supervised-{role.key}"])
                para += nodes.strong(f"{role.heading}:", f"{role.heading}:")
                para += nodes.Text(" " + ", ".join(names))
                result.append(para)
        return result


class EntriesDirective(SphinxDirective):
    """``text | date`` per line; an indented line hangs under the one before."""

    has_content = True
    option_spec: ClassVar[dict] = {"list": lambda arg: directives.choice(arg, ("none", "bullet", "enumerated"))}

    def run(self) -> list[nodes.Node]:
        style = self.options.get("list", "none")
        cfg = cv_config(self.config)
        known = known_tags(cfg.variants or {})
        entries: list[nodes.Node] = []
        messages: list[nodes.Node] = []
        lines: list[tuple[int, bool, str, str, tuple[str, ...]]] = []
        for offset, raw in enumerate(self.content):
            if not raw.strip():
                continue
            lineno = self.content_offset + offset + 1
            line, tags = split_tags(raw.strip(), known)  # "Award | 2016 [short]": a line picked for the variant short
            what, sep, when = line.rpartition(" | ")
            if not sep:
                what, when = line, ""
            if what.endswith(" |") or not what:
                logger.warning(f"cv-entries: line {raw.strip()!r} has no text before ' | '; write 'what | when'",
                               location=(self.env.docname, lineno), type="cv", subtype=Subtype.directive.value)
                continue
            lines.append((lineno, raw[:1].isspace(), what, when, tags))
        picked = picks_lines(cfg.variant, [tags for _, sub, _, _, tags in lines if not sub])
        parent_kept = True
        for lineno, sub, what, when, tags in lines:
            if sub:  # a hanging line goes with the line it hangs under
                if not parent_kept:
                    continue
            else:
                parent_kept = keeps_entry(cfg.variant, tags, picked)
                if not parent_kept:
                    continue
            entry = cv_entry(sub=sub)
            what_nodes, what_msgs = self.state.inline_text(what, lineno)
            entry += nodes.inline("", "", *what_nodes, classes=["cv-what"])
            messages.extend(what_msgs)
            if when:
                when_nodes, when_msgs = self.state.inline_text(when.strip(), lineno)
                entry += cv_date("", "", *when_nodes)
                messages.extend(when_msgs)
            self.set_source_info(entry)
            entries.append(entry)
        if style == "none":
            block = nodes.container(classes=["cv-entries"])
            block.extend(entries)
        else:
            block = nodes.bullet_list(bullet="-") if style == "bullet" else nodes.enumerated_list(
                enumtype="arabic", prefix="", suffix=".")
            block["classes"].append("cv-entries")
            for entry in entries:
                block += nodes.list_item("", entry)
        return [block, *messages]


class PdfLinkDirective(SphinxDirective):
    """HTML only: the PDF lives beside the page (or at ``cv_pdf_url``)."""

    required_arguments = 0
    final_argument_whitespace = True
    optional_arguments = 1

    def run(self) -> list[nodes.Node]:
        cfg = cv_config(self.config)
        words = cfg.labels
        # the label a new CV's index.md writes is a message too: it follows the language like the default
        label = words(self.arguments[0] if self.arguments else "Download as PDF")
        url = pdf_url(self.config)
        only = addnodes.only(expr="html")
        if not self.config.cv_pdf_url:
            self.env.note_dependency(str(Path(self.env.doctreedir) / PDF_STATE))
        if getattr(self.env, "cvsphinx_pdf_problem", None):  # its last LaTeX run failed: no link to a cut-off PDF
            only += nodes.paragraph("", words("{label}: the PDF is not available at the moment.", label=label),
                                    classes=["cv-pdf", "cv-pdf-missing"])
        else:
            ref = nodes.reference(label, label, refuri=url, classes=["cv-pdf-link"])
            only += nodes.paragraph("", "", ref, classes=["cv-pdf"])
        if cfg.variant is None and cfg.variants:
            # the full CV's page links to every variant's PDF, which the variants' build puts in variants/<name>/
            para = nodes.paragraph("", words("Also as PDF: "), classes=["cv-pdf", "cv-pdf-variants"])
            for index, variant in enumerate(cfg.variants.values()):
                if index:
                    para += nodes.Text(" · ")
                text = variant.label or variant.title or variant.name
                para += nodes.reference(text, text, refuri=f"{PUBLISH_DIR}/{variant.name}/{variant.pdf}",
                                        classes=["cv-pdf-variant"])
            only += para
        return [only]


N_("Download this CV as PDF")  # the label cv.sh new writes into index.md

PDF_STATE = "cvsphinx-pdf-state.txt"  # in the doctree folder (output.note_pdf_state); the PDF link depends on it


def pdf_url(config: Config) -> str:
    return config.cv_pdf_url or pdf_name(config)


def pdf_name(config: Config) -> str:
    return pdftools.pdf_name(config.latex_documents)


def check_placements(app: Sphinx, env: BuildEnvironment) -> None:
    """Every group placed exactly once, so every entry appears exactly once."""
    placed: dict[str, list[str]] = {}
    for docname, names in _placements(env).items():
        for name in names:
            placed.setdefault(name, []).append(docname)
    if not placed:
        return  # a project without publications is fine
    first_doc = min(d for docs in placed.values() for d in docs)
    for group in cv_config(app.config).groups:
        where = placed.get(group.name, [])
        if not where:
            logger.warning(f"publication group {group.name!r} is never placed, so its entries are missing; add "
                           f"```{{publications}} {group.name}``` to a page", type="cv",
                           subtype=Subtype.group_unplaced.value, location=first_doc)
        elif len(where) > 1:
            logger.warning(f"publication group {group.name!r} is placed {len(where)} times (in "
                           f"{', '.join(sorted(where))}), so its entries appear more than once", type="cv",
                           subtype=Subtype.group_unplaced.value, location=sorted(where)[1])


def preload(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Read the bibliography in the main process, before any parallel reader forks.

    Its problems are said on every build, once: a cached build that reads nothing says them
    too, so ``-W`` fails until they are fixed.
    """
    store, rebuilt = load_fresh(env, reread=True)
    if not rebuilt:
        warn_problems(store, env.config.suppress_warnings)


def _starter_text(path: str, text: str) -> None:
    """Example lines ``cv.sh new`` wrote and nobody replaced would be published as they are."""
    from ..core.labels import STARTER_TEXT

    for number, line in enumerate(text.splitlines(), start=1):
        found = [phrase for phrase in STARTER_TEXT if phrase in line]
        if found:
            logger.warning(f"this line still holds the example text {found[0]!r} of a new CV: replace it with your "
                           "own, or delete the line", location=f"{path}:{number}", type="cv",
                           subtype=Subtype.starter_text.value)


def check_starter_text(app: Sphinx, docname: str, source: list[str]) -> None:
    _starter_text(os.path.relpath(app.env.doc2path(docname)), source[0])


def check_included_starter_text(app: Sphinx, path: Path, parent: str, content: list[str]) -> None:
    _starter_text(os.path.relpath(Path(app.srcdir) / path), content[0])


def setup_directives(app: Sphinx) -> None:
    app.add_directive("publications", PublicationsDirective)
    app.add_directive("publication-legend", LegendDirective)
    app.add_directive("supervised-people", SupervisedDirective)
    app.add_directive("cv-entries", EntriesDirective)
    app.add_directive("cv-pdf-link", PdfLinkDirective)
