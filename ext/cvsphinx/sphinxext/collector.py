"""Per-document state in the environment, kept by one collector.

Each kind is a dict ``docname -> value`` stored on the environment under one of ``KINDS``: the collector
forgets a document's share when Sphinx reads it again (``clear_doc``) and takes the share of each document a
parallel reader read (``merge_other``).  A module reaches its kind through ``doc_state``; none purges or merges
by hand.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sphinx.environment.collectors import EnvironmentCollector

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

# attribute of the environment: what it holds per document, and who writes it
KINDS = {
    "cvsphinx_ledger": "the cv warnings given while the document was read (ledger.py says them again)",
    "cv_placements": "the publication groups the document places (directives.py: each group placed once)",
    "cv_pages": "the pages of their own a long group gets (directives.py, written by pages.py)",
    "cv_variant_sections": "the section names a variant's `sections` matched (tailor.py)",
    "cv_code_docs": "True where the document has a code block (meta.py keeps Pygments' CSS only then)",
    "cvsphinx_sources": "what the document was read from, hashed (freshness.py)",
}


def doc_state(env: BuildEnvironment, kind: str) -> dict[str, Any]:
    if kind not in KINDS:
        raise KeyError(f"{kind} is not a kind of per-document state (collector.KINDS)")
    found = getattr(env, kind, None)
    if found is None:
        found = {}
        setattr(env, kind, found)
    return found


class CVCollector(EnvironmentCollector):
    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        for kind in KINDS:
            getattr(env, kind, {}).pop(docname, None)

    def merge_other(self, app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
        for kind in KINDS:
            theirs = getattr(other, kind, {})
            mine = doc_state(env, kind)
            for docname in docnames:
                if docname in theirs:
                    mine[docname] = theirs[docname]

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        pass  # each kind is written where it is found (a directive, a transform, a log record)
