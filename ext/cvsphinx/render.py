"""Rich text to docutils nodes: the only step that knows about node types."""

from __future__ import annotations

from docutils import nodes
from pybtex.richtext import Text
from pybtex_docutils import Backend

from .nodes import cv_marker
from .people import Role


class NodeBackend(Backend):
    """pybtex-docutils, plus markers as ``cv_marker`` nodes."""

    def format_cv_marker(self, role: Role) -> list[nodes.Node]:
        return [cv_marker(role.symbol, role.symbol, role=role.key, label=role.label)]

    def format_href(self, url: str, text: list[nodes.Node], external: bool = False) -> list[nodes.Node]:
        return [nodes.reference("", "", *text, refuri=url, classes=["cv-link"])]


_BACKEND = NodeBackend()


def to_nodes(text: Text) -> list[nodes.Node]:
    return text.render(_BACKEND)
