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
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.osutil import relative_uri

from .._version import __version__
from ..core.catalog import build_catalog, forget_catalog
from ..core.files import open_atomic
from ..core.forks import map_in_forks
from ..core.groups import Group
from ..core.labels import N_
from ..core.lifetime import few_collections, hold, loading
from ..core.settings import CVConfig
from ..output.formats import Pub, bib_file, csl_json, pub_key, pub_of
from .config import cv_config
from .elements import cv_publication_list
from .nodes import entries
from .store import FRESH_FACTS, dump_groups, load, load_groups
from .streamed import FILLERS, marker, note_pending, streams

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

FACTS_VERSION = 7  # 2: COinS made when a page is written, not kept; 3: each Pub says what it was made from;
# 4: each Pub keeps its CSL-JSON as text and its COinS, made once with it; 5: and its JSON-LD work; 6: written in
# pieces; 7: its texts packed (core/compact.py)
BIB_NAME = "publications.bib"
JSON_NAME = "publications.json"
STAMP_NAME = ".cvsphinx-exports.json"
INDEX_NAME = "cvsphinx-exports-index.pickle"  # beside the facts: their key, each entry's place and digest, the charts
WEB_BUILDERS = ("html", "dirhtml", "singlehtml")  # not epub, whose reader has no use for them
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
    """The facts for the current bibliography: from memory, from the pickle, or made again for what changed.

    What changed is known from the last facts' index (their key and each entry's place and digest), so the new
    entries' facts are made while the records are in memory, and the records are let go before the last facts
    are loaded: the two are never held at once (a one-entry edit of 5,000 entries peaked 10 MB higher)."""
    cfg = cv_config(env.config)
    store = load(env)
    key = (store.signature, store.config_digest, FACTS_VERSION, __version__)
    path = _facts_path(env)
    found = _MEMO.get(str(path))
    if found is not None and found.key == key:
        return found
    with few_collections():
        index = _read(path.with_name(INDEX_NAME), tuple)
        found = _read(path) if index is not None and index[0] == key else None
        if found is None or found.key != key:
            found = _renew(cfg, store, key, index, path)
            save(env, found)
    _MEMO[str(path)] = found
    hold()  # lives until the build ends (core/lifetime.py)
    return found


def save(env: BuildEnvironment, built: Facts) -> None:
    """The facts, then their index (``facts``): an index never names facts that were not written before it."""
    path = _facts_path(env)
    # only a cache; the bibliography's own cache beside it says when the folder cannot be written
    with contextlib.suppress(OSError), open_atomic(path) as handle:  # pickled as it goes: never held whole in memory
        dump_groups(handle, built)  # in pieces: the pickler remembers every object of one pickle (30 MB, 51,265 entries)
    index = (built.key, {pub_key(p) for p in built.pubs()}, built.charts)
    with contextlib.suppress(OSError), open_atomic(path.with_name(INDEX_NAME)) as handle:
        pickle.dump(index, handle, pickle.HIGHEST_PROTOCOL)


def _read(path: Path, kind: type = Facts) -> Any:
    try:
        with open(path, "rb") as handle, loading():
            found = pickle.load(handle)
            if isinstance(found, Facts) and found.version == FACTS_VERSION:
                load_groups(handle, found)
    except Exception:  # missing, damaged or from another version: derived again, nothing to report
        return None
    if kind is tuple:
        return found if isinstance(found, tuple) and len(found) == 3 and found[0][2:3] == (FACTS_VERSION,) else None
    return found if isinstance(found, Facts) and found.version == FACTS_VERSION else None


def _renew(cfg: CVConfig, store: Any, key: tuple, index: tuple | None, path: Path) -> Facts:
    """Facts for every shown entry: those of the last facts where an entry is as it was at the same place (the
    same configuration), the rest made from the records."""
    labels = cfg.roster.labels()
    titles = {g.name: g.shown_title for g in cfg.groups}
    jobs = [(group, store.starts[group.name] + offset, item) for group in cfg.groups
            for offset, item in enumerate(store.groups.get(group.name, []))]

    def job_key(job: tuple[Group, int, Any]) -> tuple:
        group, number, item = job
        return (item.key, group.name, number, item.anchor, item.digest)

    same = index is not None and index[0][1:] == key[1:]
    known = index[1] if same else set()
    needed = [job for job in jobs if job_key(job) not in known]
    # those the rendering made beside each entry it rendered (store.py): most of them, one pass over the records
    made = {k: pub for k in map(job_key, needed) if (pub := FRESH_FACTS.pop(k, None)) is not None}
    FRESH_FACTS.clear()
    made.update(_made(cfg, [job for job in needed if job_key(job) not in made]))
    forget_catalog()  # the records are not needed past here: their memory goes to the last facts
    old = _read(path) if same and len(made) < len(jobs) else None
    kept = {pub_key(p): p for p in old.pubs()} if old is not None and old.key[1:] == key[1:] else {}
    missing = [job for job in jobs if job_key(job) not in made and job_key(job) not in kept]
    if missing:  # the last facts were not what their index said (a file lost or cut): made again
        made.update(_made(cfg, missing))
    groups: dict[str, list[Pub]] = {g.name: [] for g in cfg.groups}
    for job in jobs:
        done = made.get(job_key(job)) or kept[job_key(job)]
        groups[done.group].append(done)
    return Facts(key, groups, titles, labels, index[2] if index is not None else {})


def _made(cfg: CVConfig, jobs: list) -> dict[tuple, Pub]:
    """The facts of these entries, from their records (the catalog, read again if it was let go)."""
    if not jobs:
        return {}
    by_key = {r.key: r for r in build_catalog(cfg).records}  # as the lists show them (a merged preprint too)

    def pub(job: tuple[Group, int, Any]) -> Pub:
        group, number, item = job
        return pub_of(by_key[item.key], cfg, group, number, item.anchor)

    made = map_in_forks(pub, jobs)  # an institute's list: one forked process per core
    return {pub_key(p): p for p in made}


def coins_html(pubs: list[Pub]) -> str:
    return "".join(f'<span class="Z3988" title="{escape(p.coins, quote=True)}"></span>' for p in pubs)


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
        streamed = streams(self.env._builder_cls)  # type: ignore[attr-defined]
        by_key = {p.key: p for p in facts(self.env).pubs()}
        for node in lists:
            if node.get("pages"):
                continue  # the entries are on pages of their own, with their spans (pages.py)
            keys = [item.key for item in entries(self.env, node)]
            if not any(k in by_key for k in keys):
                continue
            if streamed:  # written into the page when the build ends (streamed.py)
                spans = marker(node["group"], len(keys), "coins")
                note_pending(self.env.doctreedir, self.env.docname)
            else:
                spans = coins_html([by_key[k] for k in keys if k in by_key])
            node.parent.insert(node.parent.index(node) + 1, nodes.raw("", spans, format="html", classes=["cv-coins"]))


def _streamed_coins(app: Sphinx, group: str, count: int) -> Iterator[str]:
    by_key = {p.key: p for p in facts(app.env).pubs()}
    for item in entries(app.env, {"group": group, "count": count}):  # type: ignore[arg-type]
        if item.key in by_key:
            yield coins_html([by_key[item.key]])


FILLERS["coins"] = _streamed_coins


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
    for path, pieces in ((files[0], bib_file(pubs, person_name(app), found.role_labels)), (files[1], csl_json(pubs))):
        with open(path, "w", encoding="utf-8") as handle:
            handle.writelines(pieces)
    stamp.write_text(wanted, encoding="utf-8")


def add_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Under the last publication list of a page: links to the two files."""
    if app.builder.name not in WEB_BUILDERS or not app.config.cv_exports:
        return
    lists = [n for n in doctree.findall(nodes.container) if "cv-publications" in n["classes"]]
    if not lists:
        return
    here = app.builder.get_target_uri(docname)
    bib, csl = (escape(relative_uri(here, name), quote=True) for name in (BIB_NAME, JSON_NAME))
    words = cv_config(app.config).labels
    sentence = escape(words("Export this list: {bibtex} · {csl}, for reference managers such as Zotero, Mendeley or "
                            "JabRef."))
    sentence = sentence.replace("{bibtex}", f'<a href="{bib}" type="application/x-bibtex" download>BibTeX '
                                            '(publications.bib)</a>')
    sentence = sentence.replace("{csl}", f'<a href="{csl}" type="application/vnd.citationstyles.csl+json" download>'
                                         'CSL-JSON (publications.json)</a>')
    html = f'<p class="cv-exports">{sentence}</p>\n'
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
    words = cv_config(app.config).labels
    tags = "".join(
        f'<link rel="alternate" type="{kind}" href="{escape(relative_uri(here, name), quote=True)}" '
        f'title="{escape(words(label), quote=True)}">\n'
        for kind, name, label in (("application/x-bibtex", BIB_NAME, N_("Publications (BibTeX)")),
                                  ("application/vnd.citationstyles.csl+json", JSON_NAME, N_("Publications (CSL-JSON)"))))
    context["metatags"] = context.get("metatags", "") + tags


def prepare(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Derive the facts in the main process, before parallel readers fork (the stats directive reads them)."""
    if docnames:
        facts(env)
    forget_catalog()  # the lists and the facts are made: the records need not outlive them into the writing


def setup_exports(app: Sphinx) -> None:
    app.add_post_transform(AddCoins)
