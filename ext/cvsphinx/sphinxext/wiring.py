"""The Sphinx side of the extension, wired in one place: what each part adds, and every event in its order.

``cvsphinx/__init__.py`` imports this only when Sphinx loads the extension, so that the core (reading,
records, people, groups, checks, the style) imports without Sphinx or docutils.  No other module connects to
an event: ``events`` below is the whole order, and per-document state is the collector's (``collector.py``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from .._version import __version__
from ..core.lifetime import release
from . import accepted, config, directives, exports, i18n, meta, output, pages, report, store, streamed, tailor
from .collector import CVCollector
from .freshness import Freshness
from .ledger import Ledger, install_ledger
from .nodes import setup_nodes
from .stats import setup_stats

if TYPE_CHECKING:
    from sphinx.application import Sphinx

# Sphinx calls the listeners of one event by priority (lower first), then in the order connected.
Event = tuple[str, Callable[..., object], int]

# Checks of the whole build, run at env-check-consistency, and by the ledger when Sphinx skips that phase
# because nothing was read (so a cached build says what a fresh one says).
CHECKS = (directives.check_placements, tailor.check_sections)


def release_held(app: Sphinx, exception: BaseException | None) -> None:
    release()
    store.forget_signatures()  # the next build reads the .bib files' signature again
    store.FRESH_FACTS.clear()  # facts made beside the lists that no exports took (no page was read)


def events(ledger: Ledger, fresh: Freshness, preview: bool) -> list[Event]:
    """Every listener of the extension, event by event, in the order Sphinx runs them."""
    return [
        # -- the configuration: accepted warnings first, so that every warning after them is filtered
        ("config-inited", accepted.install, 300),
        ("config-inited", config.validate, 400),  # stops the build with one message per mistake
        ("config-inited", i18n.cjk_fonts, 420),  # a Chinese, Japanese or Korean CV's font
        ("config-inited", tailor.apply_variant, 450),  # the variant's PDF name, title and layout
        *([("config-inited", tailor.add_preview_script, 460)] if preview else []),
        ("config-inited", i18n.read_the_docs_language, 500),  # Read the Docs' -D language= over conf.py's
        ("config-inited", output.add_paths, 500),  # templates and static files
        ("config-inited", meta.configure, 800),  # the page's metadata, after the variant changed the title
        ("config-inited", fresh.config_inited, 999),  # after every handler that edits the configuration
        # -- the builder
        ("builder-inited", output.write_latex_support, 500),
        ("builder-inited", output.note_pdf_state, 500),
        ("builder-inited", output.drop_broken_buildinfo, 500),
        ("builder-inited", meta.no_search, 500),
        # -- reading
        ("env-get-outdated", fresh.outdated, 500),  # a document whose included files changed is read again
        ("env-before-read-docs", directives.preload, 500),  # the catalog: read, checked, numbered, rendered
        ("env-before-read-docs", exports.prepare, 600),  # after the catalog
        ("env-before-read-docs", store.write_pending, 700),  # the lists' cache, once the records are let go
        ("env-before-read-docs", fresh.before_read, 900),  # after any handler that edits the list
        ("env-before-read-docs", ledger.before_read, 950),  # after anything edits the list
        ("source-read", directives.check_starter_text, 500),
        ("include-read", directives.check_included_starter_text, 500),
        ("doctree-read", meta.note_code, 500),
        ("env-updated", fresh.updated, 500),
        ("env-get-updated", fresh.to_write, 500),
        ("env-check-consistency", ledger.consistency, 1),
        *[("env-check-consistency", check, 500) for check in CHECKS],
        # -- writing
        ("write-started", ledger.write_started, 1),  # the warnings of documents not read this time, again
        ("write-started", fresh.write_started, 500),
        ("doctree-resolved", output.hide_pdf_link_in_previews, 500),
        ("doctree-resolved", fresh.resolved, 500),
        ("doctree-resolved", exports.add_links, 500),
        ("html-page-context", meta.page_context, 400),  # before sphinxext-opengraph reads context["meta"]
        ("html-page-context", exports.head_links, 450),  # the export links before sphinxext-opengraph's tags (500)
        ("html-collect-pages", pages.collect, 500),  # an institute's list: pages of their own
        # -- after the build
        ("build-finished", accepted.record_seen, 500),
        ("build-finished", tailor.speed_up_latex, 500),
        ("build-finished", tailor.check_page_limit, 500),
        ("build-finished", output.copy_pdf, 500),
        ("build-finished", fresh.finished, 500),
        ("build-finished", exports.write_exports, 500),
        ("build-finished", report.write_summary, 500),  # what the build summary says of the publications
        ("build-finished", store.write_pending, 100),  # a cache made after reading began (load() elsewhere)
        ("build-finished", streamed.fill_lists, 400),  # the long lists into their pages, before anything reads them
        ("build-finished", meta.remove_unused_assets, 900),  # after furo's pygments.css
        ("build-finished", release_held, 999),  # what the build held goes back to the cycle collector
    ]


def setup(app: Sphinx) -> dict[str, object]:
    # what each part adds: configuration values, nodes, directives, transforms, assets
    config.setup_config(app)
    accepted.setup_accepted(app)
    setup_nodes(app)
    directives.setup_directives(app)
    tailor.setup_variants(app)
    output.setup_output(app)
    exports.setup_exports(app)
    meta.setup_meta(app)
    setup_stats(app)
    app.add_env_collector(CVCollector)
    ledger = install_ledger(app, CHECKS)  # every cv warning said on every build, cached or not
    for event, listener, priority in events(ledger, Freshness(app), bool(os.environ.get("CVSPHINX_PREVIEW"))):
        app.connect(event, listener, priority=priority)
    return {
        "version": __version__,
        "env_version": 3,  # 3: per-document state kept by one collector (cv_code_docs a dict)
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
