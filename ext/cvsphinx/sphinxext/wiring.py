"""The Sphinx side of the extension, wired in one place: which parts connect, in which order.

``cvsphinx/__init__.py`` imports this only when Sphinx loads the extension, so that the core (reading,
records, people, groups, checks, the style) imports without Sphinx or docutils.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._version import __version__
from .accepted import setup_accepted
from .config import setup_config
from .directives import setup_directives
from .exports import setup_exports
from .freshness import setup_freshness
from .ledger import setup_ledger
from .meta import setup_meta
from .nodes import setup_nodes
from .output import setup_output
from .pages import setup_pages
from .report import setup_report
from .stats import setup_stats
from .tailor import setup_variants

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> dict[str, object]:
    setup_config(app)
    setup_ledger(app)  # every cv warning said on every build, cached or not
    setup_accepted(app)  # first: the accepted warnings of a new CV are known before anything warns
    setup_nodes(app)
    setup_directives(app)
    setup_variants(app)  # variants of the CV and fast PDFs, whose sections and lines the directives filter
    setup_output(app)
    setup_freshness(app)
    setup_exports(app)
    setup_pages(app)  # an institute's list: pages of their own past cv_page_limit entries
    setup_report(app)  # what the build summary says of the publications
    setup_meta(app)
    setup_stats(app)
    return {
        "version": __version__,
        "env_version": 2,  # 2: a publication list names its group; its entries stay in the catalog
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
