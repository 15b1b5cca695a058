"""Inline math in a .bib field: a rich-text element that keeps its LaTeX source for the PDF and shows its
decoded characters on the page and in text."""

from __future__ import annotations

from pybtex.richtext import BaseMultipartText, Text


class Math(BaseMultipartText):
    """Inline math: the LaTeX source, for the PDF, and its decoded children, for everything else.

    Backends with ``format_cv_math(latex_source, rendered_children)`` choose; others get the
    children.  Math is atomic: case changes leave it alone (δ is not Δ), and a slice that
    takes its first character takes all of it while other slices take none, so the pieces
    of a sliced text (``capitalize()``, ``text[:1] + text[1:]``) hold the formula once, whole.
    """

    def __init__(self, source: str, *parts) -> None:
        self.source = source
        self.info = (source,)
        super().__init__(*parts)

    def __repr__(self) -> str:
        return f"Math({self.source!r}, {', '.join(repr(p) for p in self.parts)})"

    def _typeinfo(self):
        # a falsy class: two formulas side by side are never merged into one
        return None, ("math", self.source)

    def _create_similar(self, parts):
        return Math(self.source, *parts)

    def __getitem__(self, key):
        if isinstance(key, int):
            start = key + len(self) if key < 0 else key
            stop = start + 1
        else:
            start, stop, _ = key.indices(len(self))
        return self if start == 0 and stop > 0 else Text()

    def capfirst(self):
        return self

    def capitalize(self):
        return self

    def lower(self):
        return self

    def upper(self):
        return self

    def split(self, sep=None, keep_empty_parts=None):
        return [self]

    def render(self, backend):
        rendered = super().render(backend)
        formatter = getattr(backend, "format_cv_math", None)
        return formatter(self.source, rendered) if formatter is not None else rendered
