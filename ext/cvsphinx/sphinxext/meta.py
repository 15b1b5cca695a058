"""What the page and the PDF say about themselves: for search engines, link previews and PDF readers.

From ``project``/``author``, ``language`` and three values of our own (``cv_person``,
``cv_description``, ``cv_keywords``), every HTML page gets a meta description and
OpenGraph tags (sphinxext-opengraph), a canonical URL (``html_baseurl``, or on
Read the Docs its ``READTHEDOCS_CANONICAL_URL``, so /latest/ and /stable/ do not
compete), a favicon, and the root page schema.org JSON-LD: a ``ProfilePage``
whose ``Person`` has the affiliation, e-mail and profiles, and the shown
publications (``ScholarlyArticle`` and kin, with DOIs).  Pages with nothing of
their own are not built (the general index, the search page when no sidebar
offers search) or carry ``noindex``; assets no page uses (``pygments.css`` without
code, ``sphinx_highlight.js``, the search scripts) are not shipped.  The PDF gets
title, author, subject, keywords and language through hyperref's ``\\hypersetup``.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.util import texescape

from ..core.files import PACKAGE
from ..output.formats import Pub
from ..output.jsonld import dumps, inside, place
from .collector import doc_state
from .config import _ORCID, _SCHOLAR, cv_config
from .directives import page_of, split_pages_of
from .exports import facts, placed_groups
from .streamed import FILLERS, marker, note_pending, streams

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

LIMIT = 160  # search engines show about this many characters of a description
NOINDEX = '<meta name="robots" content="noindex">\n'
GENERATED_PAGES = ("genindex", "search", "py-modindex", "np-modindex")
# static files only the search page or highlighted code use
SEARCH_ASSETS = ("searchtools.js", "language_data.js", "sphinx_highlight.js")
CODE_ASSETS = ("pygments.css", "pygments_dark.css")


# -- The person --------------------------------------------------------------------------------


def person(config: Config) -> dict[str, Any]:
    """``cv_person`` with its name filled in (``author``, else ``project``) and its profiles as addresses."""
    raw = dict(config.cv_person or {})
    raw["name"] = (raw.get("name") or config.author or config.project or "").strip()
    affiliation = raw.get("affiliation") or []
    raw["affiliation"] = [affiliation] if isinstance(affiliation, str) else list(affiliation)
    profiles = []
    orcid = _ORCID.match((raw.get("orcid") or "").strip())
    if orcid:
        raw["orcid"] = orcid.group(1)
        profiles.append(f"https://orcid.org/{orcid.group(1)}")
    scholar = _SCHOLAR.match((raw.get("google_scholar") or "").strip())
    if scholar:
        profiles.append(f"https://scholar.google.com/citations?user={scholar.group(1)}")
    raw["profiles"] = profiles + [u for u in raw.get("same_as") or [] if u not in profiles]
    raw["email"] = (raw.get("email") or "").strip().removeprefix("mailto:")
    return raw


def description(config: Config, sections: list[str] | None = None) -> str:
    """``cv_description``, or one sentence made of the name, the affiliation and the section titles."""
    if config.cv_description.strip():
        return " ".join(config.cv_description.split())
    who = person(config)
    words = cv_config(config).labels
    text = words("Curriculum vitae of {name}", name=who["name"])
    if who.get("job_title"):
        text += f", {who['job_title']}"
    if who["affiliation"]:
        text += f", {who['affiliation'][0]}"
    if sections:
        names = [re.sub(r"\s*\([^)]*\)", "", s).strip() for s in sections]
        if words.english:  # "Honors and Awards" -> "honors and awards" in the sentence; German keeps its nouns
            names = [" ".join(w.lower() if w[1:].islower() else w for w in n.split()) for n in names if n]
        names = [n for n in names if n]
        more = words(", and more")
        shown_names: list[str] = []
        for name in names:
            if len(text) + len(": ") + len(", ".join([*shown_names, name])) + len(more) + 1 > LIMIT:
                break
            shown_names.append(name)
        if shown_names:
            rest = more if len(shown_names) < len(names) else ""
            text += ": " + ", ".join(shown_names) + rest
    return text + ("" if text.endswith(".") else ".")


def keywords(config: Config) -> list[str]:
    words = [k.strip() for k in config.cv_keywords if k.strip()]
    return words or [cv_config(config).labels("curriculum vitae"), person(config)["name"]]


def _section_titles(doctree: nodes.document) -> list[str]:
    """The page's second-level headings: the CV's sections."""
    titles = []
    for section in doctree.findall(nodes.section):
        parent = section.parent
        depth = 0
        while parent is not None:
            depth += isinstance(parent, nodes.section)
            parent = parent.parent
        if depth == 1 and section.children and isinstance(section[0], nodes.title):
            titles.append(section[0].astext().strip())
    return titles


# -- Configuration -----------------------------------------------------------------------------


def _set_by_user(config: Config, name: str) -> bool:
    return name in getattr(config, "_raw_config", {}) or name in getattr(config, "_overrides", {})


def configure(app: Sphinx, config: Config) -> None:
    """Defaults that depend on the project: base URL, OpenGraph, index, favicon, PDF metadata."""
    canonical = os.environ.get("READTHEDOCS_CANONICAL_URL", "").strip()
    if not config.html_baseurl and canonical:
        config.html_baseurl = canonical
    if not _set_by_user(config, "ogp_site_url"):
        config.ogp_site_url = config.html_baseurl or ("/" if os.environ.get("READTHEDOCS") else "")
    if not _set_by_user(config, "ogp_type"):
        config.ogp_type = "profile"
    if not _set_by_user(config, "ogp_social_cards"):
        config.ogp_social_cards = {"enable": False}  # would need matplotlib, and a CV page has no use for them
    config.ogp_enable_meta_description = False  # ours, from cv_description, on every page
    if not _set_by_user(config, "html_use_index"):
        config.html_use_index = False  # a CV has no index entries: the page would be empty
    for name in ("html_copy_source", "html_show_sourcelink"):
        if not _set_by_user(config, name):
            # a CV's Markdown source is no page for visitors (and furo's link to it is outside any landmark)
            setattr(config, name, False)
    if not config.html_favicon:
        found = sorted(Path(app.confdir, "_static").glob("favicon.*"))
        config.html_favicon = str(found[0].relative_to(app.confdir)) if found else str(PACKAGE / "static" / "favicon.svg")
    config.latex_elements = {**config.latex_elements,
                             "preamble": config.latex_elements.get("preamble", "") + pdf_metadata(config)}


def pdf_metadata(config: Config) -> str:
    """``\\hypersetup`` with the document's title, author, subject, keywords and language."""
    who = person(config)
    values = {
        "pdftitle": cv_config(config).labels("{name} — Curriculum Vitae", name=who["name"]),
        "pdfauthor": who["name"],
        "pdfsubject": description(config),
        "pdfkeywords": ", ".join(keywords(config)),
    }
    texescape.init()  # Sphinx fills its escape tables only when a LaTeX builder starts
    settings = [f"{key}={{{texescape.escape(value, config.latex_engine)}}}" for key, value in values.items()]
    if config.language:
        settings.append(f"pdflang={{{config.language}}}")
    return "\n% cvsphinx: the PDF's metadata\n\\hypersetup{" + ", ".join(settings) + "}\n"


def searchable(config: Config) -> bool:
    """The search page is built only when a sidebar offers a search box."""
    sidebars = config.html_sidebars or {}
    return any("search" in template for value in sidebars.values()
               for template in ([value] if isinstance(value, str) else value))


def no_search(app: Sphinx) -> None:
    if isinstance(app.builder, StandaloneHTMLBuilder) and type(app.builder).search and not searchable(app.config):
        app.builder.search = False


# -- Which pages show code ---------------------------------------------------------------------


def _code_docs(env: BuildEnvironment) -> dict[str, bool]:
    return doc_state(env, "cv_code_docs")


def note_code(app: Sphinx, doctree: nodes.document) -> None:
    if next(iter(doctree.findall(nodes.literal_block)), None) is not None:
        _code_docs(app.env)[app.env.docname] = True


# -- The page's <head> -------------------------------------------------------------------------


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if not isinstance(app.builder, StandaloneHTMLBuilder):
        return
    config = app.config
    context["cv_label"] = cv_config(config).labels  # the sidebar template's words
    tags = []
    preview = os.environ.get("READTHEDOCS") == "True" and os.environ.get("READTHEDOCS_VERSION_TYPE") == "external"
    if pagename in GENERATED_PAGES or doctree is None or preview:  # a pull request's preview is no page to find
        tags.append(NOINDEX)
    uses_code = bool(_code_docs(app.env))
    drop = {f"_static/{n}" for n in (*([] if uses_code else CODE_ASSETS), "sphinx_highlight.js")}
    for key in ("css_files", "script_files"):
        if key in context:
            context[key] = [a for a in context[key] if str(getattr(a, "filename", a)).split("?")[0] not in drop]
    url = page_url(app, pagename)
    if url and context.get("pageurl"):
        context["pageurl"] = url
    text = description(config, _section_titles(doctree) if doctree is not None else None)
    tags.append(f'<meta name="description" content="{_attr(text)}">\n')
    meta = dict(context.get("meta") or {})  # a copy: the original lives in the pickled environment
    meta.setdefault("og:description", text)
    if url:
        meta.setdefault("og:url", url)
    context["meta"] = meta
    if pagename == config.root_doc and streams(app.builder) and placed_groups(app.env):
        # its works (3 MB for 5,000 entries) are written into the page when the build ends (streamed.py)
        tags.append(marker(json.dumps([url or "", text]), 0, "jsonld"))
        note_pending(app.env.doctreedir, pagename)
    elif pagename == config.root_doc:
        tags.append(json_ld(app, url or "", text))
    context["metatags"] = context.get("metatags", "") + "".join(tags)


def page_url(app: Sphinx, pagename: str) -> str:
    """The page's address under ``html_baseurl``, without a trailing ``index.html``."""
    base = app.config.html_baseurl
    if not base:
        return ""
    target = app.builder.get_target_uri(pagename)
    if target.startswith("#"):  # singlehtml: every document is a part of index.html
        target = ""
    if target == "index.html" or target.endswith("/index.html"):
        target = target[: -len("index.html")]
    return base.rstrip("/") + "/" + target


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def json_ld(app: Sphinx, url: str, text: str) -> str:
    """schema.org: the page is a ProfilePage about a Person, who wrote the shown publications."""
    return "".join(json_ld_pieces(app, url, text))


def json_ld_pieces(app: Sphinx, url: str, text: str) -> Iterator[str]:
    config = app.config
    who = person(config)
    person_id = f"{url}#person"
    entity: dict[str, Any] = {"@type": "Person", "@id": person_id, "name": who["name"]}
    if who.get("job_title"):
        entity["jobTitle"] = who["job_title"]
    if who["affiliation"]:
        entity["affiliation"] = [{"@type": "Organization", "name": a} for a in who["affiliation"]]
    if who["email"]:
        entity["email"] = f"mailto:{who['email']}"
    if who.get("url"):
        entity["url"] = who["url"]
    if who.get("image"):
        entity["image"] = who["image"]
    if who["profiles"]:
        entity["sameAs"] = who["profiles"]
    if who.get("orcid"):
        entity["identifier"] = {"@type": "PropertyValue", "propertyID": "ORCID", "value": who["orcid"]}
    if config.cv_keywords:
        entity["knowsAbout"] = list(config.cv_keywords)
    page: dict[str, Any] = {"@type": "ProfilePage", "@id": url or "#page", "name": config.html_title or who["name"],
                            "description": text, "mainEntity": {"@id": person_id}}
    if url:
        page["url"] = url
    if config.language:
        page["inLanguage"] = config.language
    works: list[tuple[Pub, str]] = []
    bases: dict[str, str] = {}
    if placed_groups(app.env):
        found = facts(app.env)
        docs = {name: doc for doc, names in getattr(app.env, "cv_placements", {}).items() for name in names}
        pubs = found.pubs(placed_groups(app.env))
        split = split_pages_of(app.env)
        if split and len(pubs) > config.cv_page_limit:
            pubs = pubs[:config.cv_page_limit]  # an institute's list: publications.json has them all
        for pub in pubs:
            doc = page_of(split, pub.group, pub.number) or docs.get(pub.group, config.root_doc)
            base = page_url(app, doc) if url else app.builder.get_relative_uri(config.root_doc, doc)
            if base not in bases:
                bases[base] = inside(base)
            works.append((pub, f"{bases[base]}#{pub.anchor}"))  # an anchor needs no escaping (links.anchor)
    head = dumps({"@context": "https://schema.org", "@graph": [page, entity]})
    yield f'<script type="application/ld+json">{head[:-2]}'
    owner_ref = inside(person_id)
    for pub, address in works:  # the works after the Person, in the graph
        yield "," + place(pub.ld, address, owner_ref)
    yield f"{head[-2:]}</script>\n"


def _streamed_json_ld(app: Sphinx, value: str, count: int) -> Iterator[str]:
    url, text = json.loads(value)
    yield from json_ld_pieces(app, url, text)


FILLERS["jsonld"] = _streamed_json_ld


# -- After the build ---------------------------------------------------------------------------


def remove_unused_assets(app: Sphinx, exception: Exception | None) -> None:
    """Runs after furo rewrites pygments.css: nothing links to these files, so nothing ships them."""
    if exception is not None or not isinstance(app.builder, StandaloneHTMLBuilder):
        return
    static = Path(app.outdir) / "_static"
    names = ["sphinx_highlight.js"]
    if not app.builder.search:
        names += [*SEARCH_ASSETS, *(p.name for p in static.glob("*-stemmer.js"))]
        (Path(app.outdir) / app.builder.searchindex_filename).unlink(missing_ok=True)
        (Path(app.outdir) / "search.html").unlink(missing_ok=True)
    if not _code_docs(app.env):
        names += list(CODE_ASSETS)
    if not app.config.html_use_index:
        (Path(app.outdir) / "genindex.html").unlink(missing_ok=True)
    for name in names:
        (static / name).unlink(missing_ok=True)


def _load_opengraph(app: Sphinx) -> None:
    """sphinxext-opengraph prints a line about matplotlib (for social cards, which we do not use) on import."""
    with contextlib.redirect_stdout(io.StringIO()):
        import sphinxext.opengraph  # noqa: F401
    app.setup_extension("sphinxext.opengraph")


def setup_meta(app: Sphinx) -> None:
    _load_opengraph(app)

