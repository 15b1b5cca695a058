"""Long publication lists are written into their page after it is written, entry by entry.

Sphinx holds a page's HTML several times over while it writes it (the translator's body, the parts it
assembles, the template's output, the encoded bytes): 5,000 entries made a 12 MB page (6 MB of lists, 3 MB of
JSON-LD, 3 MB of COinS) and about 75 MB of such copies.  The HTML builders write a short marker in the place of
each list, its COinS and the page's JSON-LD instead (``marker``), and a page with markers is named in a file
beside the doctrees; when the build ends each marker is replaced by what it stands for, streamed from the
catalog the build holds into a new copy of the page that then replaces it.  A build that
stops before that leaves the file behind, and the next one fills the page in.  The page is byte for byte what
writing the list in place made.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.files import open_atomic
from .warnings_ import logger

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from sphinx.application import Sphinx

STREAMED_BUILDERS = ("html", "dirhtml")  # one output file per document, named by get_outfilename
PENDING_NAME = "cvsphinx-pending-lists.txt"
# what each kind of marker stands for, registered by the module that writes it: (app, value, count) -> pieces
FILLERS: dict[str, Callable[[Sphinx, str, int], Iterator[str]]] = {}
_MARKER = re.compile(r"<!--cvsphinx-(list|coins|jsonld) ([0-9a-f]*) (\d+)-->")


def streams(builder: object) -> bool:
    """Whether this builder's pages get their long parts when the build ends."""
    return getattr(builder, "name", "") in STREAMED_BUILDERS


def marker(group: str, count: int, kind: str = "list") -> str:
    """A place in the page: what goes there, for which group (or, for the JSON-LD, its address and description;
    hex, so that no text can end the comment), and the group's length."""
    return f"<!--cvsphinx-{kind} {group.encode('utf-8').hex()} {count}-->"


def note_pending(doctreedir: str | os.PathLike, docname: str) -> None:
    """The page of ``docname`` holds markers.  Appended by whichever process writes the page (``-j``)."""
    with open(Path(doctreedir) / PENDING_NAME, "a", encoding="utf-8") as handle:
        handle.write(docname + "\n")


def fill_lists(app: Sphinx, exception: BaseException | None) -> None:
    """Every page with markers gets its lists; then nothing is pending."""
    pending = Path(app.doctreedir) / PENDING_NAME
    if not streams(app.builder) or not pending.is_file():
        return
    docnames = dict.fromkeys(pending.read_text(encoding="utf-8").split())
    for docname in docnames:
        path = Path(app.builder.get_outfilename(docname))  # type: ignore[attr-defined]
        try:
            _fill(app, path)
        except OSError as err:  # a full disk, a read-only folder: the note stays, and the next build fills the page
            logger.warning(f"the publication lists could not be written into this page ({err.strerror or err}); "
                           "it shows none until a build can write it: free some space, or make the folder writable",
                           location=f"{path}:1", type="cv", subtype="cache")
            return
    pending.unlink(missing_ok=True)


def _fill(app: Sphinx, path: Path) -> None:
    encoding = app.config.html_output_encoding
    try:
        page = path.read_text(encoding=encoding)
    except FileNotFoundError:
        return
    parts = _MARKER.split(page)
    if len(parts) == 1:
        return

    def pieces() -> Iterator[str]:
        yield parts[0]
        for at in range(1, len(parts), 4):
            yield from FILLERS[parts[at]](app, bytes.fromhex(parts[at + 1]).decode("utf-8"), int(parts[at + 2]))
            yield parts[at + 3]

    with open_atomic(path) as handle:
        for piece in pieces():
            handle.write(piece.encode(encoding, "xmlcharrefreplace"))
