"""What a publication links to, and the BibTeX a visitor can copy: data only, no markup.

The title links to the paper (the DOI through https://doi.org/, else the
``url``); small labelled links follow for the keys academic sites already
use: biblatex's ``eprint`` (arXiv), and al-folio's ``arxiv``, ``pdf``,
``code``, ``data``, ``slides``, ``poster``, ``video``, ``html``/``website``,
``blog``, ``supp``.  Only web addresses become links; a relative path (al-folio
keeps files beside the site) is linked as written, relative to the page.
Private fields (a local ``file``, ``abstract``, reference-manager bookkeeping)
are left out of the BibTeX shown on the page unless ``cv_bibtex_fields``
keeps them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .compact import pack, unpack
from .exporters import private
from .identifiers import paper_url
from .labels import N_
from .records import Record

_SAFE = re.compile(r"^(?:https?|ftp)://[^\s<>\"'`]+$", re.IGNORECASE)
_RELATIVE = re.compile(r"^(?![a-z][a-z0-9+.-]*:)(?!//)[^\s<>\"'`]+$", re.IGNORECASE)

# (field, label), in the order they are shown
LINK_FIELDS = (
    ("pdf", N_("PDF")), ("code", N_("Code")), ("data", N_("Data")), ("slides", N_("Slides")), ("poster", N_("Poster")),
    ("video", N_("Video")), ("supp", N_("Supplement")), ("html", N_("Website")), ("website", N_("Website")),
    ("blog", N_("Blog")),
)
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_.:-]*")


def anchor(key: str) -> str:
    """``pub-`` and the key, stable and unique per key: letters, digits, ``-_.:`` stay; anything else
    (and ``~``) becomes ``~hex~``, so no two keys share an anchor (``2016a:meder_dfd`` -> ``pub-2016a:meder_dfd``)."""
    if _PLAIN_KEY.fullmatch(key):
        return "pub-" + key
    out = []
    for char in key:
        if char.isascii() and (char.isalnum() or char in "-_.:"):
            out.append(char)
        else:
            out.append(f"~{ord(char):x}~")
    return "pub-" + "".join(out)


def web_url(value: str) -> str | None:
    """A link target: a web address, or a relative path (a file beside the page)."""
    value = value.strip()
    if _SAFE.match(value):
        return value
    if _RELATIVE.match(value) and not value.startswith("\\"):
        return value
    return None


def title_url(record: Record) -> str | None:
    """Where the title links: the DOI, else an http(s) url (identifiers.paper_url, the style's own)."""
    return paper_url(record)


@dataclass(frozen=True, slots=True)
class Extras:
    """Per publication, beyond the formatted line: labelled links, an award, the BibTeX to copy."""

    links: tuple[tuple[str, str], ...] = ()
    award: str = ""
    bibtex_packed: str | bytes = ""  # kept packed (core/compact.py): it lives for the whole build

    @property
    def bibtex(self) -> str:
        return unpack(self.bibtex_packed)


def extras(record: Record, keep_fields: frozenset[str] = frozenset()) -> Extras:
    links: list[tuple[str, str]] = []
    seen: set[str] = set()
    if record.arxiv:
        identifier = record.arxiv[0]
        links.append(("arXiv", f"https://arxiv.org/abs/{identifier}"))
        seen.add(links[-1][1])
    for name, label in LINK_FIELDS:
        target = web_url(record.get(name))
        if target and target not in seen and not local_path(record.get(name)):
            links.append((label, target))
            seen.add(target)
    award = " ".join(str(record.text("award_name") or record.text("award")).split())
    return Extras(tuple(links), award, pack(bibtex(record, keep_fields)))


def local_path(value: str) -> bool:
    """A path on the author's own machine, in any link field: Zotero/JabRef ``file`` syntax (``:path/x.pdf:PDF``),
    an absolute path, a home folder, a Windows drive, or a relative path that climbs out of the site (``../``).
    Never linked: it would point nowhere on the page, or at files it must not name."""
    value = value.strip()
    if value.startswith(("/", "~", ":", "\\")) or re.match(r"^[A-Za-z]:[\\/]", value) or value.lower().startswith("file:"):
        return True
    return ".." in re.split(r"[/\\]", value)


def bibtex(record: Record, keep_fields: frozenset[str] = frozenset()) -> str:
    """The entry as a copyable BibTeX block: its type and key as written, @strings expanded, private fields out."""
    lines = [f"@{record.type}{{{record.source_key},"]
    for name, value in record.written.items():
        if private(name) and name not in keep_fields:
            continue
        lines.append(f"  {name} = {{{value}}},")
    lines.append("}")
    return "\n".join(lines)
