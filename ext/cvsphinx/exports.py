"""The shown publications for reuse: ``publications.bib``, ``publications.json`` (CSL-JSON), COinS.

A reader who wants the list in a reference manager gets it three ways: the two
files beside the page (linked under the last publication list, and from the
page's ``<head>``), and a COinS span per entry, which the Zotero connector
reads to import the whole list from the page.  All three carry the same
entries, in the CV's order, with the roles the CV shows: the owner, and each
supervisee's role (``author+an`` in the BibTeX, ``custom`` in the CSL-JSON).

The per-publication facts behind them (group, number, anchor, year, roles,
the CSL item) are also what ``meta.py`` (JSON-LD) and ``stats.py`` read.  They
are derived from the records once per change of the ``.bib`` files or of the
configuration and kept in ``cvsphinx-exports.pickle`` beside the environment;
the two files are written again only when their content would change.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import pickle
import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.osutil import relative_uri

from ._version import __version__
from .catalog import few_collections, load, read_records
from .config import CVConfig, cv_config
from .files import write_atomic
from .forks import map_in_forks
from .groups import Group
from .identifiers import doi_url, export_url
from .latex import decode_plain
from .links import bibtex as written_bibtex
from .nodes import cv_publication_list, entries
from .people import NameKey, highlighted
from .records import Record
from .style import as_plain

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

FACTS_VERSION = 2  # 2: COinS made when a page is written, not kept
BIB_NAME = "publications.bib"
JSON_NAME = "publications.json"
STAMP_NAME = ".cvsphinx-exports.json"
WEB_BUILDERS = ("html", "dirhtml", "singlehtml")  # not epub, whose reader has no use for them
OWNER = "owner"  # the role name the exports give the CV owner

# biblatex type (Record.kind) -> CSL type
CSL_TYPES = {
    "article": "article-journal", "suppperiodical": "article-journal", "periodical": "periodical",
    "inproceedings": "paper-conference", "proceedings": "book", "mvproceedings": "book",
    "book": "book", "mvbook": "book", "bookinbook": "chapter", "collection": "book", "mvcollection": "book",
    "reference": "book", "mvreference": "book", "inbook": "chapter", "incollection": "chapter",
    "suppbook": "chapter", "suppcollection": "chapter", "inreference": "entry-encyclopedia",
    "thesis": "thesis", "report": "report", "dataset": "dataset", "software": "software", "online": "webpage",
    "patent": "patent", "unpublished": "manuscript", "manual": "report", "booklet": "pamphlet", "misc": "document",
}
_IN_BOOK = {"chapter", "paper-conference", "entry-encyclopedia"}
_THESIS_GENRE = {"phdthesis": "PhD thesis", "mathesis": "Master's thesis", "mastersthesis": "Master's thesis"}
_PUBSTATE = {"inpress": "in press", "submitted": "submitted", "inreview": "in review", "forthcoming": "forthcoming",
             "inpreparation": "in preparation", "prepublished": "prepublished"}
_SEASONS = {21: "1", 22: "2", 23: "3", 24: "4"}
# BibTeX's own entry types, whose fields keep BibTeX's names when an entry is written out whole
_BIBTEX_TYPES = {"article", "book", "booklet", "inbook", "incollection", "inproceedings", "conference", "manual",
                 "mastersthesis", "misc", "phdthesis", "proceedings", "techreport", "unpublished"}
_BIBTEX_NAMES = {"journaltitle": "journal", "location": "address"}


# -- The facts per shown publication --------------------------------------------------------------


@dataclass
class Pub:
    """One shown publication, as every export and the statistics see it."""

    key: str
    group: str
    number: int
    anchor: str
    year: int | None
    first_author: bool  # the owner heads the author list
    roles: tuple[tuple[int, str, str], ...]  # (1-based position, "owner" or a role key, the name as shown)
    csl: dict[str, Any]
    bibtex: str


@dataclass
class Facts:
    key: tuple
    groups: dict[str, list[Pub]]  # in CV order, every configured group
    titles: dict[str, str]  # group name -> its title (or its name, readable)
    role_labels: dict[str, str]  # role key -> label
    charts: dict[str, Any] = field(default_factory=dict)  # stats.py: data digest -> rendered chart
    version: int = FACTS_VERSION

    def pubs(self, names: list[str] | None = None) -> list[Pub]:
        return [p for name, pubs in self.groups.items() if names is None or name in names for p in pubs]


_MEMO: dict[str, Facts] = {}


def _facts_path(env: BuildEnvironment) -> Path:
    return Path(env.doctreedir) / "cvsphinx-exports.pickle"


def facts(env: BuildEnvironment) -> Facts:
    """The facts for the current bibliography: from memory, from the pickle, or derived again."""
    cfg = cv_config(env.config)
    store = load(env)
    key = (store.signature, store.config_digest, FACTS_VERSION, __version__)
    path = _facts_path(env)
    found = _MEMO.get(str(path))
    if found is None or found.key != key:
        found = _read(path)
    if found is not None and found.key == key:
        _MEMO[str(path)] = found
        return found
    charts = found.charts if found is not None else {}
    with few_collections():
        built = _derive(cfg, store, key, charts)
    _MEMO[str(path)] = built
    save(env, built)
    return built


def save(env: BuildEnvironment, built: Facts) -> None:
    path = _facts_path(env)
    # only a cache; the bibliography's own cache beside it says when the folder cannot be written
    with contextlib.suppress(OSError):
        write_atomic(path, pickle.dumps(built, pickle.HIGHEST_PROTOCOL))


def _read(path: Path) -> Facts | None:
    try:
        found = pickle.loads(path.read_bytes())
    except Exception:  # missing, damaged or from another version: derived again, nothing to report
        return None
    return found if isinstance(found, Facts) and found.version == FACTS_VERSION else None


def _derive(cfg: CVConfig, store: Any, key: tuple, charts: dict[str, Any]) -> Facts:
    records, _problems = read_records(cfg)  # the catalog reported the problems already
    by_key = {r.key: r for r in records}
    labels = {k: r.label for k, r in cfg.roster.roles.items()}
    titles = {g.name: g.title or g.name.replace("-", " ").replace("_", " ").capitalize() for g in cfg.groups}
    jobs = [(group, store.starts[group.name] + offset, item.anchor, by_key[item.key]) for group in cfg.groups
            for offset, item in enumerate(store.groups.get(group.name, [])) if item.key in by_key]

    def pub(job: tuple[Group, int, str, Record]) -> Pub:
        group, number, anchor, record = job
        roles = head_roles(record, cfg, group.markers)
        csl = csl_item(record, roles, labels, group.name, titles[group.name], number)
        return Pub(record.key, group.name, number, anchor, record.year,
                   any(pos == 1 and role == OWNER for pos, role, _ in roles), roles, csl,
                   bibtex_entry(record, roles, cfg.bibtex_fields))

    groups: dict[str, list[Pub]] = {g.name: [] for g in cfg.groups}
    for done in map_in_forks(pub, jobs):  # an institute's list: one forked process per core
        groups[done.group].append(done)
    return Facts(key, groups, titles, labels, charts)


def head_roles(record: Record, cfg: CVConfig, markers: bool) -> tuple[tuple[int, str, str], ...]:
    """The owner and the marked supervisees among the names that head the entry, as style.py marks them."""
    role_field = "author" if record.persons.get("author") else "editor"
    people = record.persons.get(role_field) or []
    overrides = cfg.roster.overrides(record.get(f"{role_field}+an")) if markers else {}
    highlights = highlighted(record.get(f"{role_field}+an"))
    found: list[tuple[int, str, str]] = []
    for position, person in enumerate(people, start=1):
        if str(person).strip().lower() == "others":
            continue
        name = _name_text(person)
        key = NameKey.from_person(person)
        if cfg.owner.is_owner(key) or position in highlights:
            found.append((position, OWNER, name))
            continue
        held = cfg.roster.marker(position, key, overrides, record.year if markers else None)
        if held is not None:
            found.append((position, held.key, name))
    return tuple(found)


def _name_text(person: Any) -> str:
    family = " ".join(person.prelast_names + person.last_names + person.lineage_names)
    given = " ".join(person.first_names + person.middle_names)
    return f"{family}, {given}" if given else family


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
        classic = record.type in _BIBTEX_TYPES
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


def bib_file(pubs: list[Pub], name: str, role_labels: dict[str, str]) -> str:
    roles = ", ".join(f"{key} ({label})" for key, label in role_labels.items())
    header = (
        f"% Publications of {name} as the CV shows them ({len(pubs)} entries), written by cvsphinx.\n"
        "% author+an (editor+an for edited works) gives roles by 1-based name position, as biblatex's\n"
        f"% data annotations do: owner (the CV's owner){', ' + roles if roles else ''}.\n"
    )
    return _no_at(header) + "\n" + "\n\n".join(p.bibtex for p in pubs) + "\n"


def _no_at(text: str) -> str:
    """BibTeX reads an ``@`` anywhere outside an entry as the start of one."""
    return text.replace("@", "(at)")


# -- CSL-JSON ----------------------------------------------------------------------------------


def _plain(record: Record, name: str) -> str:
    if not record.get(name):
        return ""
    value = record.text(name)
    return " ".join(as_plain(value).split()) if len(value) else ""


def csl_name(person: Any) -> dict[str, str]:
    family = " ".join(person.last_names)
    given = " ".join(person.first_names + person.middle_names)
    name: dict[str, str] = {}
    if not given and " " in family:
        return {"literal": family}  # an organisation, written in braces
    name["family"] = family
    if given:
        name["given"] = given
    if person.prelast_names:
        name["non-dropping-particle"] = " ".join(person.prelast_names)
    if person.lineage_names:
        name["suffix"] = " ".join(person.lineage_names)
    return name


def _names(record: Record, role: str) -> list[dict[str, str]]:
    return [csl_name(p) for p in record.persons.get(role) or [] if str(p).strip().lower() != "others"]


def _date(record: Record) -> dict[str, Any] | None:
    date = record.date
    if date is None:
        return None
    first: list[int] = [date.year]
    out: dict[str, Any] = {}
    if date.month is not None and date.month in _SEASONS:
        out["season"] = _SEASONS[date.month]
    elif date.month is not None:
        first.append(date.month)
        if date.day is not None:
            first.append(date.day)
    parts = [first]
    if date.end_year is not None and date.end_year != date.year:
        parts.append([date.end_year] + ([date.end_month] if date.end_month and date.end_month <= 12 else []))
    out["date-parts"] = parts
    if date.circa or date.uncertain:
        out["circa"] = True
    return out


def csl_item(record: Record, roles: tuple[tuple[int, str, str], ...], labels: dict[str, str],
             group: str, group_title: str, number: int) -> dict[str, Any]:
    """One CSL-JSON item (CSL 1.0.2 input schema); what CSL has no variable for goes into ``custom``."""
    kind = CSL_TYPES.get(record.kind) or CSL_TYPES.get(record.type) or "document"
    item: dict[str, Any] = {"id": record.key, "citation-key": record.key, "type": kind}
    title = _plain(record, "title")
    subtitle = _plain(record, "subtitle")
    if title:
        item["title"] = f"{title}: {subtitle}" if subtitle else title
    for role, csl_role in (("author", "author"), ("editor", "editor"), ("translator", "translator")):
        names = _names(record, role)
        if names:
            item[csl_role] = names
    issued = _date(record)
    if issued:
        item["issued"] = issued
    container = (_plain(record, "journaltitle") if kind in ("article-journal", "periodical") else "") or \
        (_plain(record, "booktitle") if kind in _IN_BOOK or record.get("booktitle") else "") or \
        (_plain(record, "howpublished") if kind in ("document", "webpage", "pamphlet") else "")
    if container:
        item["container-title"] = container
    simple = {"volume": "volume", "edition": "edition", "version": "version", "series": "collection-title",
              "eventtitle": "event-title", "venue": "event-place", "location": "publisher-place",
              "language": "language", "chapter": "chapter-number", "pagetotal": "number-of-pages",
              "isbn": "ISBN", "issn": "ISSN"}
    for source, target in simple.items():
        value = _plain(record, source) if source not in ("isbn", "issn") else decode_plain(record.get(source)).strip()
        if value:
            item[target] = value
    number_value = _plain(record, "number") or _plain(record, "issue")
    if number_value:
        item["issue" if kind in ("article-journal", "periodical") else "number"] = number_value
    pages = _plain(record, "pages")
    if pages:
        item["page"] = pages.replace("–", "-")
    publisher = _plain(record, "publisher") or (_plain(record, "institution") if kind in ("thesis", "report") else "") \
        or _plain(record, "organization")
    if kind == "dataset" and not publisher:
        publisher = _plain(record, "howpublished")
    if publisher:
        item["publisher"] = publisher
    genre = _THESIS_GENRE.get(record.get("type").strip().lower()) or _plain(record, "type")
    if genre and kind in ("thesis", "report", "document", "dataset", "software", "webpage", "manuscript"):
        item["genre"] = genre
    pubstate = record.get("pubstate").strip().lower()
    if pubstate:
        item["status"] = _PUBSTATE.get(pubstate, decode_plain(pubstate))
    notes = [n for n in (_plain(record, "note"), _plain(record, "addendum")) if n]
    if notes:
        item["note"] = ". ".join(notes)
    doi = doi_url(record)
    if doi:
        item["DOI"] = doi.removeprefix("https://doi.org/")
    url = export_url(record)
    if url and not url.startswith("https://doi.org/"):
        item["URL"] = url
    elif not url and record.arxiv:
        item["URL"] = f"https://arxiv.org/abs/{record.arxiv[0]}"
    keywords = decode_plain(record.get("keywords")).strip()
    if keywords:
        item["keyword"] = keywords
    custom: dict[str, Any] = {"cv-group": group, "cv-group-title": group_title, "cv-number": number}
    if roles:
        custom["cv-roles"] = [{"position": pos, "name": name, "role": role,
                               "label": "CV owner" if role == OWNER else labels.get(role, role)}
                              for pos, role, name in roles]
    if record.arxiv:
        custom["arxiv"] = record.arxiv[0]
    item["custom"] = custom
    return item


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


def coins_html(pubs: list[Pub]) -> str:
    return "".join(f'<span class="Z3988" title="{escape(coins(p.csl), quote=True)}"></span>' for p in pubs)


class AddCoins(SphinxPostTransform):
    """HTML only: after each publication list, one empty COinS span per entry (invisible, read by Zotero)."""

    default_priority = 6
    builders = WEB_BUILDERS

    def run(self, **kwargs: Any) -> None:
        if not self.config.cv_exports:
            return
        lists = list(self.document.findall(cv_publication_list))
        if not lists:
            return
        by_key = {p.key: p for p in facts(self.env).pubs()}
        for node in lists:
            if node.get("pages"):
                continue  # the entries are on pages of their own, with their spans (pages.py)
            keys = [item.key for item in entries(self.env, node)]
            spans = coins_html([by_key[k] for k in keys if k in by_key])
            if spans:
                node.parent.insert(node.parent.index(node) + 1, nodes.raw("", spans, format="html", classes=["cv-coins"]))


# -- The files and the links to them -----------------------------------------------------------


def placed_groups(env: BuildEnvironment) -> list[str]:
    """The groups some page shows, in CV order."""
    placed = {name for names in getattr(env, "cv_placements", {}).values() for name in names}
    return [g.name for g in cv_config(env.config).groups if g.name in placed]


def _sources_digest(cfg: CVConfig) -> str:
    digest = hashlib.sha256()
    for path in cfg.bibfiles:
        try:
            digest.update(Path(path).read_bytes())
        except OSError:
            digest.update(b"\0missing\0" + path.encode())
    return digest.hexdigest()


def person_name(app: Sphinx) -> str:
    person = app.config.cv_person or {}
    return (person.get("name") or app.config.author or app.config.project or "").strip()


def write_exports(app: Sphinx, exception: Exception | None) -> None:
    """Beside the page: the shown publications as BibTeX and CSL-JSON; skipped when nothing they hold changed."""
    if exception is not None or app.builder.name not in WEB_BUILDERS:
        return
    outdir = Path(app.outdir)
    files = [outdir / BIB_NAME, outdir / JSON_NAME]
    stamp = outdir / STAMP_NAME
    names = placed_groups(app.env) if app.config.cv_exports else []
    if not names:
        for path in (*files, stamp):
            path.unlink(missing_ok=True)
        return
    cfg = cv_config(app.config)
    wanted = json.dumps([FACTS_VERSION, __version__, _sources_digest(cfg), cfg.digest, names, person_name(app)])
    try:
        if stamp.read_text(encoding="utf-8") == wanted and all(p.is_file() for p in files):
            return
    except OSError:
        pass
    found = facts(app.env)
    pubs = found.pubs(names)
    files[0].write_text(bib_file(pubs, person_name(app), found.role_labels), encoding="utf-8")
    files[1].write_text(csl_json(pubs), encoding="utf-8")
    stamp.write_text(wanted, encoding="utf-8")


def csl_json(pubs: list[Pub]) -> str:
    """One entry per line: a diff of two versions shows the entries that changed, and Python's C encoder writes
    it (with ``indent`` it falls back to the pure-Python one, 5 s of a 51,265-entry build)."""
    if not pubs:
        return "[]\n"
    return "[\n" + ",\n".join(json.dumps(p.csl, ensure_ascii=False) for p in pubs) + "\n]\n"


def add_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Under the last publication list of a page: links to the two files."""
    if app.builder.name not in WEB_BUILDERS or not app.config.cv_exports:
        return
    lists = [n for n in doctree.findall(nodes.container) if "cv-publications" in n["classes"]]
    if not lists:
        return
    here = app.builder.get_target_uri(docname)
    bib, csl = (escape(relative_uri(here, name), quote=True) for name in (BIB_NAME, JSON_NAME))
    html = (f'<p class="cv-exports">Export this list: <a href="{bib}" type="application/x-bibtex" download>BibTeX '
            f'(publications.bib)</a> · <a href="{csl}" type="application/vnd.citationstyles.csl+json" download>'
            'CSL-JSON (publications.json)</a>, for reference managers such as Zotero, Mendeley or JabRef.</p>\n')
    last = lists[-1]
    last.parent.insert(last.parent.index(last) + 1, nodes.raw("", html, format="html"))


def head_links(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """``<link rel="alternate">`` to both files from every page that shows publications."""
    if app.builder.name not in WEB_BUILDERS or not app.config.cv_exports or doctree is None:
        return
    if pagename not in getattr(app.env, "cv_placements", {}):
        return
    if not any("cv-publications" in n["classes"] for n in doctree.findall(nodes.container)):
        return
    here = app.builder.get_target_uri(pagename)
    tags = "".join(
        f'<link rel="alternate" type="{kind}" href="{escape(relative_uri(here, name), quote=True)}" title="{label}">\n'
        for kind, name, label in (("application/x-bibtex", BIB_NAME, "Publications (BibTeX)"),
                                  ("application/vnd.citationstyles.csl+json", JSON_NAME, "Publications (CSL-JSON)")))
    context["metatags"] = context.get("metatags", "") + tags


def prepare(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Derive the facts in the main process, before parallel readers fork (the stats directive reads them)."""
    if docnames:
        facts(env)


def setup_exports(app: Sphinx) -> None:
    app.add_post_transform(AddCoins)
    app.connect("env-before-read-docs", prepare, priority=600)  # after directives.preload
    app.connect("doctree-resolved", add_links)
    app.connect("html-page-context", head_links)
    app.connect("build-finished", write_exports)
