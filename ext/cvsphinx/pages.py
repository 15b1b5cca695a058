"""An institute's list on the web: past ``cv_page_limit`` entries, each group's list on pages of its own.

A page of 51,000 entries is 120 MB that no browser opens comfortably; the CV's page keeps each group's
heading and a link to each of its pages (numbers and years), and the pages, cut by ``groups.split_pages``,
are written here from the catalog, in the theme's own page template.  The PDF keeps the whole list.
"""

from __future__ import annotations

from collections.abc import Iterator
from html import escape
from typing import TYPE_CHECKING, Any

from .catalog import load
from .directives import SplitPage, _pages
from .exports import WEB_BUILDERS, coins_html, facts
from .nodes import list_html

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def collect(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    if app.builder.name not in WEB_BUILDERS:
        return
    found = _pages(app.env)
    if not found:
        return
    store = load(app.env)
    by_key = {p.key: p for p in facts(app.env).pubs()} if app.config.cv_exports else {}
    for docname in sorted(found):
        for page in found[docname]:
            items = store.groups.get(page.group, [])[page.lo : page.hi]
            yield (
                page.pagename,
                {"title": _title(page), "body": _body(app, docname, page, items, store, by_key), "toc": "", "display_toc": False},
                "page.html",
            )


def _title(page: SplitPage) -> str:
    years = f" ({page.years})" if page.years else ""
    return f"{page.title}{years}, page {page.part} of {page.parts}"


def _body(app: Sphinx, docname: str, page: SplitPage, items: list, store: Any, by_key: dict) -> str:
    uri = app.builder.get_relative_uri
    siblings = [p for p in _pages(app.env)[docname] if p.group == page.group]
    nav = [f'<a class="reference internal" href="{escape(uri(page.pagename, docname), quote=True)}">Back to the CV</a>']
    if page.part > 1:
        prev = siblings[page.part - 2].pagename
        nav.append(
            f'<a class="reference internal" rel="prev" href="{escape(uri(page.pagename, prev), quote=True)}">Previous page</a>'
        )
    if page.part < page.parts:
        nxt = siblings[page.part].pagename
        nav.append(f'<a class="reference internal" rel="next" href="{escape(uri(page.pagename, nxt), quote=True)}">Next page</a>')
    start = store.starts[page.group] + page.lo
    entries = list_html(start, [(i.anchor, i.rendered.html) for i in items], [i.extras for i in items], store.numbered)
    coins = coins_html([by_key[i.key] for i in items if i.key in by_key])
    return (
        f'<section id="cv-{escape(page.group, quote=True)}-{page.part}">\n<h1>{escape(_title(page))}</h1>\n'
        f'<p class="cv-pages-nav">{" · ".join(nav)}</p>\n'
        f'<div class="cv-publications cv-group-{escape(page.group, quote=True)}">\n{entries}</div>\n'
        + (f'<div class="cv-coins">{coins}</div>\n' if coins else "")
        + f'<p class="cv-pages-nav">{" · ".join(nav)}</p>\n</section>\n'
    )


def setup_pages(app: Sphinx) -> None:
    app.connect("html-collect-pages", collect)
