"""cvsphinx: an academic CV from MyST sections and one BibTeX file.

Importing the package imports nothing else: ``cvsphinx.core.records`` and the rest of the core work without Sphinx.
Sphinx calls ``setup``, which wires the extension in (``wiring.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._version import __version__

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["__version__", "setup"]


def setup(app: Sphinx) -> dict[str, object]:
    from .sphinxext.wiring import setup as wire

    return wire(app)
