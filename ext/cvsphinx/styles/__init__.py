"""How an entry reads: the house style and the CSL styles, each a plug-in registered by name.

What a CV's own style needs, in one place (``conf.py``: ``from cvsphinx.styles import register_style``)::

    register_style("mine", my_format_entry)   # then cv_citation_style = "mine"
"""

from .base import StyleContext, as_plain, format_authors
from .house import format_entry
from .registry import STYLES, register_style

__all__ = ["STYLES", "StyleContext", "as_plain", "format_authors", "format_entry", "register_style"]
