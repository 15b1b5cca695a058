"""``{publication-stats}``: publications per year, stacked by group, as a chart and as tables.

The chart is drawn here, as vector graphics, without a plotting library: inline
SVG in HTML (its text and axes take the page's colour, its bars colours that
read on furo's light and dark backgrounds, from cvsphinx.css) and a LaTeX
``picture`` in the PDF (no package beyond xcolor, which Sphinx loads).  The
same numbers follow as tables with header cells, for screen readers and for
anyone who wants the figures: per year and group, and per group the totals,
the first-author papers and the papers with supervisees among the authors,
one column per role (as the markers show them: a group with ``markers`` off
counts none).

Drawing is cached by the numbers it shows, in the facts pickle (exports.py):
a rebuild that reads the page again draws nothing unless a number changed,
and a rebuild that reads nothing does not run the directive at all.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import texescape
from sphinx.util.docutils import SphinxDirective

from ..core.labels import N_, Labels
from .config import cv_config
from .exports import facts, save
from .warnings_ import Subtype, logger

if TYPE_CHECKING:
    from sphinx.application import Sphinx

CHART_VERSION = 1
SERIES = 6  # colours, light and dark, in cvsphinx.css (.cv-series-0 ...); more groups reuse them
LIGHT = ("#0072b2", "#c85200", "#00795a", "#a3418f", "#5d6b00", "#7a5c3e")  # on white: 3:1 or more each
RENDERS = {"count": 0}  # how often a chart was drawn in this process (the tests read it)


class cv_chart(nodes.General, nodes.Element):  # noqa: N801  (docutils naming)
    """A drawn chart: ``svg`` for HTML, ``latex`` for the PDF, ``caption``."""


@dataclass(frozen=True)
class Numbers:
    """Everything the chart and the tables show."""

    groups: tuple[tuple[str, str], ...]  # (name, title), in CV order
    years: tuple[int, ...]  # every year from the first to the last, ascending
    per_year: tuple[tuple[int, ...], ...]  # per year, per group
    undated: tuple[int, ...]  # per group
    totals: tuple[int, ...]  # per group
    first_author: tuple[int, ...]  # per group
    roles: tuple[tuple[str, str], ...]  # (key, label) of every configured role
    with_role: tuple[tuple[int, ...], ...]  # per group, per role

    def digest(self) -> str:
        return hashlib.sha256(repr((CHART_VERSION, self)).encode()).hexdigest()


def count(pubs_by_group: dict[str, list[Any]], titles: dict[str, str], roles: dict[str, str]) -> Numbers:
    names = [n for n, pubs in pubs_by_group.items() if pubs]
    years = sorted({p.year for n in names for p in pubs_by_group[n] if p.year is not None})
    span = tuple(range(years[0], years[-1] + 1)) if years else ()
    per_year = tuple(tuple(sum(1 for p in pubs_by_group[n] if p.year == y) for n in names) for y in span)
    role_keys = list(roles)
    return Numbers(
        groups=tuple((n, titles[n]) for n in names),
        years=span,
        per_year=per_year,
        undated=tuple(sum(1 for p in pubs_by_group[n] if p.year is None) for n in names),
        totals=tuple(len(pubs_by_group[n]) for n in names),
        first_author=tuple(sum(1 for p in pubs_by_group[n] if p.first_author) for n in names),
        roles=tuple((k, roles[k]) for k in role_keys),
        with_role=tuple(tuple(sum(1 for p in pubs_by_group[n] if any(r == k for _, r, _ in p.roles)) for k in role_keys)
                        for n in names),
    )


# -- Drawing -----------------------------------------------------------------------------------

_STEP, _BAR, _LEFT, _RIGHT, _TOP, _PLOT, _AXIS = 34, 22, 40, 12, 8, 170, 22
_FONT, _LEGEND_ROW, _CHAR = 12, 20, 6.8


def _ticks(top: int) -> tuple[int, int]:
    """A round step and the axis maximum, at most six gridlines."""
    top = max(top, 1)
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if math.ceil(top / step) <= 6:
            return step, math.ceil(top / step) * step
    step = 10 ** math.ceil(math.log10(top / 6))
    return step, math.ceil(top / step) * step


@dataclass
class _Shape:
    kind: str  # "rect", "hline", "text", "swatch"
    x: float
    y: float
    w: float = 0
    h: float = 0
    text: str = ""
    anchor: str = "middle"  # "start", "middle", "end"
    series: int = -1
    tip: str = ""


def _layout(numbers: Numbers) -> tuple[float, float, list[_Shape]]:
    """The chart as shapes, in SVG coordinates (y down); both outputs draw from this one list."""
    years = numbers.years
    width = max(_LEFT + len(years) * _STEP + _RIGHT, 320)
    shapes: list[_Shape] = []
    # legend rows above the plot
    x, y = _LEFT, _TOP + _FONT
    for index, (_name, title) in enumerate(numbers.groups):
        item = 16 + len(title) * _CHAR + 18
        if x + item > width and x > _LEFT:
            x, y = _LEFT, y + _LEGEND_ROW
        shapes.append(_Shape("swatch", x, y - 10, 11, 11, series=index % SERIES))
        shapes.append(_Shape("text", x + 16, y, text=title, anchor="start"))
        x += item
    plot_top = y + 14
    bottom = plot_top + _PLOT
    step, top = _ticks(max((sum(row) for row in numbers.per_year), default=1))
    scale = _PLOT / top
    for value in range(0, top + 1, step):
        gy = bottom - value * scale
        shapes.append(_Shape("hline", _LEFT, gy, width - _RIGHT - _LEFT))
        shapes.append(_Shape("text", _LEFT - 6, gy + 4, text=str(value), anchor="end"))
    for i, (year, row) in enumerate(zip(years, numbers.per_year, strict=True)):
        bx = _LEFT + i * _STEP + (_STEP - _BAR) / 2
        base = bottom
        for series, ((_name, title), value) in enumerate(zip(numbers.groups, row, strict=True)):
            if value:
                h = value * scale
                shapes.append(_Shape("rect", bx, base - h, _BAR, h, series=series % SERIES, tip=f"{year}: {value} {title}"))
                base -= h
        label = str(year) if len(years) <= 16 or i % 2 == 0 or i == len(years) - 1 else ""
        if label:
            shapes.append(_Shape("text", bx + _BAR / 2, bottom + 16, text=label))
    return width, bottom + _AXIS, shapes


def render_svg(numbers: Numbers, ident: str, title: str) -> str:
    width, height, shapes = _layout(numbers)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="cv-chart" viewBox="0 0 {width:g} {height:g}" '
           f'width="{width:g}" height="{height:g}" role="img" aria-labelledby="{ident}-title" '
           f'font-size="{_FONT}" fill="currentColor">',
           f'<title id="{ident}-title">{escape(title)}</title>']
    for s in shapes:
        if s.kind == "hline":
            out.append(f'<line class="cv-grid" x1="{s.x:g}" x2="{s.x + s.w:g}" y1="{s.y:g}" y2="{s.y:g}" '
                       'stroke="currentColor" stroke-opacity="0.25"/>')
        elif s.kind == "text":
            out.append(f'<text x="{s.x:g}" y="{s.y:g}" text-anchor="{s.anchor}">{escape(s.text)}</text>')
        else:
            colour = LIGHT[s.series]
            tip = f"<title>{escape(s.tip)}</title>" if s.tip else ""
            out.append(f'<rect class="cv-series-{s.series}" x="{s.x:g}" y="{s.y:.2f}" width="{s.w:g}" '
                       f'height="{s.h:.2f}" fill="{colour}">{tip}</rect>')
    out.append("</svg>")
    return "".join(out)


def tex_escape(text: str, engine: str = "xelatex") -> str:
    texescape.init()  # Sphinx fills its escape tables only when a LaTeX builder starts
    return texescape.escape(text, engine)


def render_latex(numbers: Numbers, engine: str = "xelatex") -> str:
    """A ``picture`` scaled to the line width; fonts stay the document's."""
    width, height, shapes = _layout(numbers)
    out = ["\\begin{center}\\begingroup",
           # the line width, but no more than 0.9pt a unit: a chart of few years stays chart-sized
           f"\\setlength{{\\unitlength}}{{\\dimexpr\\linewidth/{math.ceil(width)}\\relax}}%",
           "\\ifdim\\unitlength>0.9pt\\setlength{\\unitlength}{0.9pt}\\fi",
           f"\\begin{{picture}}({width:g},{height:g})%"]
    for s in shapes:
        y = height - s.y
        if s.kind == "hline":
            out.append(f"\\put({s.x:g},{y:.2f}){{\\textcolor[gray]{{0.75}}{{\\rule{{{s.w:g}\\unitlength}}{{0.3pt}}}}}}%")
        elif s.kind == "text":
            align = {"start": "[l]", "middle": "", "end": "[r]"}[s.anchor]
            out.append(f"\\put({s.x:g},{y + 3:.2f}){{\\makebox(0,0){align}{{\\footnotesize {tex_escape(s.text, engine)}}}}}%")
        else:
            colour = LIGHT[s.series].lstrip("#").upper()
            out.append(f"\\put({s.x:g},{y - s.h:.2f}){{\\textcolor[HTML]{{{colour}}}"
                       f"{{\\rule{{{s.w:g}\\unitlength}}{{{s.h:.2f}\\unitlength}}}}}}%")
    out.append("\\end{picture}\\endgroup\\end{center}")
    return "\n".join(out) + "\n"


def draw(numbers: Numbers, title: str, engine: str) -> tuple[str, str]:
    RENDERS["count"] += 1
    return render_svg(numbers, "@ID@", title), render_latex(numbers, engine)


# -- The directive -----------------------------------------------------------------------------


def _table(caption: str, header: list[str], rows: list[list[str]], classes: list[str]) -> nodes.table:
    """A table whose first row and first column are header cells."""
    table = nodes.table(classes=["cv-stats-table", *classes])
    table += nodes.title(caption, caption)
    tgroup = nodes.tgroup(cols=len(header))
    table += tgroup
    for index in range(len(header)):
        # character widths for the text builder, proportions for LaTeX; long headers wrap
        widest = max(len(row[index]) for row in [header, *rows])
        spec = nodes.colspec(colwidth=min(max(widest, 4), 18))
        if index == 0:
            spec["stub"] = 1
        tgroup += spec
    thead = nodes.thead()
    tgroup += thead
    thead += _row(header)
    tbody = nodes.tbody()
    tgroup += tbody
    for row in rows:
        tbody += _row(row)
    return table


def _row(cells: list[str]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        entry = nodes.entry()
        entry += nodes.paragraph(cell, cell)
        row += entry
    return row


class StatsDirective(SphinxDirective):
    """``{publication-stats} [group ...]``: the chart, then the numbers as two tables."""

    optional_arguments = 20
    has_content = False
    option_spec: ClassVar[dict] = {"caption": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        cfg = cv_config(self.config)
        for path in cfg.bibfiles:
            self.env.note_dependency(path)
        found = facts(self.env)
        known = [g.name for g in cfg.groups]
        names = self.arguments or known
        unknown = [n for n in names if n not in known]
        if unknown:
            logger.warning(f"publication-stats: unknown group {', '.join(map(repr, unknown))}; the groups in "
                           f"cv_publication_groups are: {', '.join(known)}", location=self.get_location(),
                           type="cv", subtype=Subtype.directive.value)
        chosen = {n: found.groups.get(n, []) for n in known if n in names}
        numbers = count(chosen, found.titles, found.role_labels)
        if not numbers.groups:
            return []
        words = cfg.labels
        caption = self.options.get("caption") or words("Publications per year, by group")
        engine = self.config.latex_engine
        digest = hashlib.sha256(f"{numbers.digest()} {engine} {caption}".encode()).hexdigest()
        drawn = found.charts.get(digest)
        if drawn is None:
            drawn = (*draw(numbers, caption, engine), caption)
            found.charts[digest] = drawn
            save(self.env, found)
        ident = f"cv-stats-{self.env.new_serialno('cv-stats')}"
        svg, latex, _ = drawn
        result = nodes.container(classes=["cv-stats"])
        result += cv_chart(svg=svg.replace("@ID@", ident), latex=latex, caption=caption)
        titles = [t for _, t in numbers.groups]
        per_year = [[str(y), *map(str, row), str(sum(row))] for y, row in zip(numbers.years, numbers.per_year, strict=True)]
        if any(numbers.undated):
            per_year.append([words("No year"), *map(str, numbers.undated), str(sum(numbers.undated))])
        per_year.append([words("All years"), *map(str, numbers.totals), str(sum(numbers.totals))])
        result += _table(caption, [words("Year"), *titles, words("All")], per_year, ["cv-stats-years"])
        role_heads = [words("With a {role}", role=label) for _, label in numbers.roles]
        summary = []
        for index, title in enumerate(titles):
            summary.append([title, str(numbers.totals[index]), str(numbers.first_author[index]),
                            *map(str, numbers.with_role[index])])
        summary.append([words("All"), str(sum(numbers.totals)), str(sum(numbers.first_author)),
                        *(str(sum(column)) for column in zip(*numbers.with_role, strict=True))])
        result += _table(words("Publications by group: first-author, and with supervisees among the authors"),
                         [words("Group"), words("Publications"), words("First-author"), *role_heads], summary,
                         ["cv-stats-summary"])
        return [result]


# -- Builders ----------------------------------------------------------------------------------


_TABLES_BELOW = N_("{caption}; the same numbers are in the tables below.")


def _words(translator: Any) -> Labels:
    return cv_config(translator.builder.config).labels


def visit_chart_html(self: Any, node: cv_chart) -> None:
    self.body.append(f'<figure class="cv-stats-chart">{node["svg"]}'
                     f'<figcaption>{escape(_words(self)(_TABLES_BELOW, caption=node["caption"]))}</figcaption>'
                     "</figure>\n")
    raise nodes.SkipNode


def visit_chart_latex(self: Any, node: cv_chart) -> None:
    caption = tex_escape(node["caption"], self.config.latex_engine)
    self.body.append("\n" + node["latex"] + f"\\begin{{center}}\\small {caption}\\end{{center}}\n")
    raise nodes.SkipNode


def skip(self: Any, node: cv_chart) -> None:
    raise nodes.SkipNode


class cv_scroll(nodes.General, nodes.Element):  # noqa: N801
    """HTML only: a table's scrolling box that a keyboard can reach (``label``: the table's caption)."""


def visit_scroll_html(self: Any, node: cv_scroll) -> None:
    classes = " ".join(node["classes"])
    self.body.append(f'<div class="{classes}" tabindex="0" role="region" aria-label="{escape(node["label"], quote=True)}">')


def depart_scroll_html(self: Any, node: cv_scroll) -> None:
    self.body.append("</div>\n")


class ScrollableTables(SphinxPostTransform):
    """furo wraps each table in a box that scrolls sideways on a phone: a keyboard must reach it
    (WCAG 2.1.1), and the box must not repeat the table's id."""

    default_priority = 501  # after furo's WrapTableAndMathInAContainerTransform (500)
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for table in list(self.document.findall(nodes.table)):
            if "cv-stats-table" not in table["classes"]:
                continue
            wrapper = table.parent
            title = next(iter(table.findall(nodes.title)), None)
            label = title.astext() if title is not None else cv_config(self.config).labels("Table")
            box = cv_scroll(classes=["table-wrapper", *table["classes"]], label=label)
            if isinstance(wrapper, nodes.container) and "table-wrapper" in wrapper["classes"]:
                wrapper.replace_self(box)
            else:
                table.replace_self(box)
            box += table


def setup_stats(app: Sphinx) -> None:
    app.add_post_transform(ScrollableTables)
    app.add_node(cv_scroll, html=(visit_scroll_html, depart_scroll_html))
    app.add_node(cv_chart, html=(visit_chart_html, None), latex=(visit_chart_latex, None),
                 text=(skip, None), man=(skip, None), texinfo=(skip, None))
    app.add_directive("publication-stats", StatsDirective)

