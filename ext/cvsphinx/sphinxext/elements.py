"""The extension's docutils nodes: a supervisee's marker, a cv-entries line and its date, a publication list.
Their HTML, LaTeX and text are ``nodes.py``'s; the directives and the renderer make them."""

from __future__ import annotations

from docutils import nodes


class cv_marker(nodes.Inline, nodes.TextElement):  # noqa: N801  (docutils naming)
    """Attributes: ``role`` (key) and ``label`` (its meaning)."""


class cv_entry(nodes.General, nodes.Element):  # noqa: N801
    """One dated line; attribute ``sub`` indents it under the line before."""


class cv_date(nodes.Inline, nodes.TextElement):  # noqa: N801
    pass


class cv_publication_list(nodes.General, nodes.Element):  # noqa: N801
    """A numbered list of pre-rendered entries.

    Attributes: ``group`` (its name), ``count`` and ``pages`` (``cv_page_limit``).  The entries are the
    catalog's, read when the list is written (``entries``): a doctree does not hold a second copy of an
    institute's list.  Builders other than HTML and LaTeX get an ordinary ``enumerated_list`` instead
    (``ExpandPublicationLists``).
    """
