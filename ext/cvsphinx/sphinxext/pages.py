"""An institute's list on the web: past ``cv_page_limit`` entries, each group's list on pages of its own.

A page of 51,000 entries is 120 MB that no browser opens comfortably; the CV's page keeps each group's
heading and a link to each of its pages (numbers and years), and the pages, cut by ``groups.split_pages``,
are written here from the catalog, in the theme's own page template.  The PDF keeps the whole list.
"""

from __future__ import annotations

from collections.abc import Iterator
from html import escape
from typing import TYPE_CHECKING, Any

from ..core.labels import N_, Labels
from .config import cv_config
from .directives import SplitPage, _pages
from .exports import WEB_BUILDERS, coins_html, facts
from .nodes import list_html
from .store import load

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
    words = cv_config(app.config).labels
    for docname in sorted(found):
        for page in found[docname]:
            items = store.groups.get(page.group, [])[page.lo : page.hi]
            yield (
                page.pagename,
                {"title": _title(page, words), "body": _body(app, docname, page, items, store, by_key, words), "toc": "",
                 "display_toc": False},
                "page.html",
            )


def _title(page: SplitPage, words: Labels) -> str:
    title = f"{page.title} ({page.years})" if page.years else page.title
    return words("{title}, page {part} of {parts}", title=title, part=page.part, parts=page.parts)


def _body(app: Sphinx, docname: str, page: SplitPage, items: list, store: Any, by_key: dict, words: Labels) -> str:
    uri = app.builder.get_relative_uri
    siblings = [p for p in _pages(app.env)[docname] if p.group == page.group]

    def link(target: str, text: str, rel: str = "") -> str:
        rel = f' rel="{rel}"' if rel else ""
        return (f'<a class="reference internal"{rel} href="{escape(uri(page.pagename, target), quote=True)}">'
                f'{escape(words(text))}</a>')

    nav = [link(docname, N_("Back to the CV"))]
    if page.part > 1:
        nav.append(link(siblings[page.part - 2].pagename, N_("Previous page"), "prev"))
    if page.part < page.parts:
        nav.append(link(siblings[page.part].pagename, N_("Next page"), "next"))
    start = store.starts[page.group] + page.lo
    entries = list_html(start, items, store.numbered, words)
    coins = coins_html([by_key[i.key] for i in items if i.key in by_key])
    return (
        f'<section id="cv-{escape(page.group, quote=True)}-{page.part}">\n<h1>{escape(_title(page, words))}</h1>\n'
        f'<p class="cv-pages-nav">{" · ".join(nav)}</p>\n'
        f'<div class="cv-publications cv-group-{escape(page.group, quote=True)}">\n{entries}</div>\n'
        + (f'<div class="cv-coins">{coins}</div>\n' if coins else "")
        + f'<p class="cv-pages-nav">{" · ".join(nav)}</p>\n</section>\n'
    )
