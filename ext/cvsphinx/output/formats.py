"""The export formats of a publication, from its record: BibTeX, CSL-JSON and COinS (the CSL-JSON item itself is
styles/cslitem.py's, which a CSL style reads too).

Sphinx-free: the exports (``exports.py``), JSON-LD (``meta.py``), the statistics and the build summary read
what is made here, and so can any other program that has the records.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ..core.bibfile import BIBTEX_TYPES
from ..core.compact import pack, unpack
from ..core.links import bibtex as written_bibtex
from ..core.records import Record
from ..styles.cslitem import OWNER, csl_item, head_roles
from .jsonld import work_text

if TYPE_CHECKING:
    from ..core.groups import Group
    from ..core.settings import CVConfig


_BIBTEX_NAMES = {"journaltitle": "journal", "location": "address"}


# -- The facts per shown publication --------------------------------------------------------------


@dataclass(slots=True)
class Pub:
    """One shown publication, as every export and the statistics see it."""

    key: str
    group: str
    number: int
    anchor: str
    year: int | None
    first_author: bool  # the owner heads the author list
    roles: tuple[tuple[int, str, str], ...]  # (1-based position, "owner" or a role key, the name as shown)
    # the texts are kept packed (core/compact.py): they live for the whole build
    csl_packed: str | bytes  # the CSL-JSON item as publications.json writes it: a fifth of the memory of its dict
    bibtex_packed: str | bytes
    made_from: str = ""  # the record's digest: a Pub of the same entry at the same place is reused (exports.py)
    coins: str = ""  # the COinS span's title (OpenURL, ASCII), made with the rest, kept for every page that shows it
    ld_packed: str | bytes = ""  # its schema.org work as JSON text, its address still to be placed (output/jsonld.py)

    @classmethod
    def made(cls, key: str, group: str, number: int, anchor: str, year: int | None, first_author: bool,
             roles: tuple[tuple[int, str, str], ...], csl: dict[str, Any], bibtex: str, made_from: str = "") -> Pub:
        return cls(key, group, number, anchor, year, first_author, roles, pack(json.dumps(csl, ensure_ascii=False)),
                   pack(bibtex), made_from, coins(csl), pack(work_text(csl, roles)))

    @property
    def csl_text(self) -> str:
        return unpack(self.csl_packed)

    @property
    def bibtex(self) -> str:
        return unpack(self.bibtex_packed)

    @property
    def ld(self) -> str:
        return unpack(self.ld_packed)

    @property
    def csl(self) -> dict[str, Any]:
        return json.loads(self.csl_text)


def pub_key(pub: Pub) -> tuple:
    """What a Pub is the facts of: an entry as it was (its digest) at one place (group, number, anchor)."""
    return (pub.key, pub.group, pub.number, pub.anchor, pub.made_from)


def pub_of(record: Record, cfg: CVConfig, group: Group, number: int, anchor: str) -> Pub:
    """The facts of one shown entry, at its place in the CV: made where it is rendered (store.py), or later for
    what the rendering kept but the exports have not (exports.py)."""
    roles = head_roles(record, cfg.owner, cfg.roster, group.markers)
    csl = csl_item(record, roles, cfg.roster.labels(), group.name, group.shown_title, number)
    return Pub.made(record.key, group.name, number, anchor, record.year,
                    any(pos == 1 and role == OWNER for pos, role, _ in roles), roles, csl,
                    bibtex_entry(record, roles, cfg.bibtex_fields), record.digest)


# -- BibTeX ------------------------------------------------------------------------------------


def bibtex_entry(record: Record, roles: tuple[tuple[int, str, str], ...], keep: frozenset[str]) -> str:
    """The entry as the page's BibTeX disclosure shows it, under its unique key, with the roles as ``author+an``."""
    text = written_bibtex(record, keep)
    head, _, body = text.partition("\n")
    head = f"@{record.type}{{{record.key},"
    lines = body.split("\n")[:-1]  # without the closing brace
    if "crossref" in record.written or "xdata" in record.written:
        # stand-alone: the inherited fields written out, the references to entries that may not be exported dropped
        lines = [line for line in lines if not re.match(r"\s*(crossref|xdata)\s*=", line)]
        have = {m.group(1) for m in (re.match(r"\s*([^\s=]+)\s*=", line) for line in lines) if m}
        classic = record.type in BIBTEX_TYPES  # its fields keep BibTeX's names when written out whole
        for name, value in record.fields.items():
            if classic:
                name = {**_BIBTEX_NAMES, **({"institution": "school"} if "thesis" in record.type else {})}.get(name, name)
            if name not in have and name not in ("crossref", "xdata") and not name.endswith("+an"):
                lines.append(f"  {name} = {{{value}}},")
    if roles:
        role_field = "author" if record.persons.get("author") else "editor"
        value = "; ".join(f"{pos}={role}" for pos, role, _ in roles)
        lines.append(f"  {role_field}+an = {{{value}}},")
    return "\n".join([head, *lines, "}"])


def bib_file(pubs: list[Pub], name: str, role_labels: dict[str, str]) -> Iterator[str]:
    """The file in pieces, written as they come: an institute's list is 20 MB of it."""
    roles = ", ".join(f"{key} ({label})" for key, label in role_labels.items())
    header = (
        f"% Publications of {name} as the CV shows them ({len(pubs)} entries), written by cvsphinx.\n"
        "% author+an (editor+an for edited works) gives roles by 1-based name position, as biblatex's\n"
        f"% data annotations do: owner (the CV's owner){', ' + roles if roles else ''}.\n"
    )
    yield _no_at(header) + "\n"
    for i, pub in enumerate(pubs):
        yield ("\n\n" if i else "") + pub.bibtex
    yield "\n"


def _no_at(text: str) -> str:
    """BibTeX reads an ``@`` anywhere outside an entry as the start of one."""
    return text.replace("@", "(at)")


# -- CSL-JSON ----------------------------------------------------------------------------------


# -- COinS -------------------------------------------------------------------------------------


def coins(item: dict[str, Any]) -> str:
    """The ``title`` of a COinS span (OpenURL 1.0 KEV): what Zotero's connector reads from the page."""
    kind = item["type"]
    pairs: list[tuple[str, str]] = [("ctx_ver", "Z39.88-2004")]
    title = item.get("title", "")
    container = item.get("container-title", "")
    if kind in ("article-journal", "periodical"):
        pairs += [("rft_val_fmt", "info:ofi/fmt:kev:mtx:journal"), ("rft.genre", "article"), ("rft.atitle", title),
                  ("rft.jtitle", container)]
    elif kind in ("book", "chapter", "paper-conference", "report", "entry-encyclopedia"):
        genre = {"chapter": "bookitem", "paper-conference": "proceeding", "report": "report",
                 "entry-encyclopedia": "bookitem"}.get(kind, "book")
        pairs += [("rft_val_fmt", "info:ofi/fmt:kev:mtx:book"), ("rft.genre", genre)]
        pairs += [("rft.atitle", title), ("rft.btitle", container)] if container else [("rft.btitle", title)]
    elif kind == "thesis":
        pairs += [("rft_val_fmt", "info:ofi/fmt:kev:mtx:dissertation"), ("rft.title", title),
                  ("rft.inst", item.get("publisher", "")), ("rft.degree", item.get("genre", ""))]
    else:
        pairs += [("rft_val_fmt", "info:ofi/fmt:kev:mtx:dc"), ("rft.type", kind), ("rft.title", title),
                  ("rft.source", container)]
    for name in item.get("author", []):
        pairs.append(("rft.au", name.get("literal") or ", ".join(
            filter(None, (" ".join(filter(None, (name.get("non-dropping-particle"), name.get("family")))),
                          name.get("given"))))))
    date = item.get("issued", {}).get("date-parts", [[]])[0]
    if date:
        pairs.append(("rft.date", "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(date))))
    for source, target in (("volume", "rft.volume"), ("issue", "rft.issue"), ("page", "rft.pages"),
                           ("publisher", "rft.pub"), ("publisher-place", "rft.place"), ("ISBN", "rft.isbn"),
                           ("ISSN", "rft.issn")):
        if item.get(source) and not (kind == "thesis" and source == "publisher"):
            pairs.append((target, str(item[source])))
    if "DOI" in item:
        pairs.append(("rft_id", f"info:doi/{item['DOI']}"))
    if "URL" in item:
        pairs.append(("rft_id", item["URL"]))
    return "&".join(f"{k}={_quote(str(v))}" for k, v in pairs if v != "")


# urllib's quote(value, safe="") for ASCII text, in one str.translate: an institute's list quotes 800,000 values
_ASCII_QUOTED = {c: f"%{c:02X}" for c in range(128)
                 if not (chr(c).isascii() and (chr(c).isalnum() or chr(c) in "_.-~"))}


def _quote(value: str) -> str:
    return value.translate(_ASCII_QUOTED) if value.isascii() else quote(value, safe="")


def csl_json(pubs: list[Pub]) -> Iterator[str]:
    """One entry per line: a diff of two versions shows the entries that changed, and Python's C encoder writes
    it (with ``indent`` it falls back to the pure-Python one, 5 s of a 51,265-entry build).  In pieces, written
    as they come (37 MB for an institute's list)."""
    if not pubs:
        yield "[]\n"
        return
    yield "[\n"
    for i, pub in enumerate(pubs):
        yield (",\n" if i else "") + pub.csl_text
    yield "\n]\n"
