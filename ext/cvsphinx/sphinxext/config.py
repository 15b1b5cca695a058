"""Configuration values, validated once into the objects the rest of the package uses.

A mistake in conf.py stops the build before anything is read: every mistake is
logged as one short error that names conf.py (and the line, when the value is
assigned there), then the build exits with status 2.  Sphinx would turn an
exception raised here into a crash report with a traceback; SystemExit it lets
through.
"""

from __future__ import annotations

import datetime
import difflib
import hashlib
import os
import re
from typing import TYPE_CHECKING

from sphinx.util import logging

from ..core.configerrors import assignments, line_of, shown, unknown_key
from ..core.groups import build_groups
from ..core.labels import N_, Labels
from ..core.people import DEFAULT_ROLES, build_owner, build_roles, build_roster
from ..core.settings import CVConfig
from ..core.variants import Variant, build_variants
from ..styles.base import DEFAULT_MARKS
from ..styles.registry import register_csl, style_digest, style_problem
from .i18n import labels as build_labels
from .i18n import setup_catalog

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

logger = logging.getLogger(__name__)

_IN_REVIEW = "('submitted', 'inreview', 'inpreparation')"
_BOOKS = ("('book', 'mvbook', 'collection', 'mvcollection', 'proceedings', 'mvproceedings', 'reference', "
          "'mvreference', 'periodical', 'inbook', 'bookinbook', 'suppbook', 'incollection', 'suppcollection', "
          "'inreference')")
_SHOWN_BEFORE_OTHER = ("('article', 'inproceedings', 'book', 'mvbook', 'collection', 'mvcollection', 'proceedings', "
                       "'mvproceedings', 'reference', 'mvreference', 'periodical', 'inbook', 'bookinbook', 'suppbook', "
                       "'incollection', 'suppcollection', 'inreference', 'thesis', 'report', 'dataset', 'software')")
# Groups that suit any academic; each entry matches exactly one of them.
DEFAULT_GROUPS = [
    {"name": "articles", "title": N_("Journal Articles"),
     "select": f"kind == 'article' and not preprint and pubstate not in {_IN_REVIEW}"},
    {"name": "conference", "title": N_("Conference Papers"),
     "select": f"kind == 'inproceedings' and pubstate not in {_IN_REVIEW}"},
    {"name": "books", "title": N_("Books and Chapters"), "select": f"kind in {_BOOKS} and pubstate not in {_IN_REVIEW}"},
    # arXiv, bioRxiv, SSRN, DBLP's CoRR...: not journal articles, whatever type the exporter gave them
    {"name": "preprints", "title": N_("Preprints"), "select": f"preprint and pubstate not in {_IN_REVIEW}"},
    {"name": "in-review", "title": N_("Submitted and in Review"), "select": "pubstate in ('submitted', 'inreview')"},
    # a paper not yet submitted is not "in review": a CV that says so overstates it
    {"name": "in-preparation", "title": N_("In Preparation"), "select": "pubstate == 'inpreparation'"},
    {"name": "theses", "title": N_("Theses"), "select": f"kind == 'thesis' and pubstate not in {_IN_REVIEW}"},
    {"name": "reports", "title": N_("Reports"), "select": f"kind == 'report' and not preprint and pubstate not in {_IN_REVIEW}"},
    {"name": "data-software", "title": N_("Data and Software"),
     "select": f"kind in ('dataset', 'software') and pubstate not in {_IN_REVIEW}"},
    {"name": "other", "title": N_("Other Publications"),
     "select": f"kind not in {_SHOWN_BEFORE_OTHER} and not preprint and pubstate not in {_IN_REVIEW}"},
]

# Marks written on names in .bib files -> the symbol shown and its legend line.  The shown
# symbols must differ from every role's: "*" is a graduate student in the default roles.
# (style.DEFAULT_MARKS is the one table; "+" has no settled meaning and no legend line until given a label)
DEFAULT_AUTHOR_MARKS = {written: {"symbol": symbol, "label": label} for written, (symbol, label) in DEFAULT_MARKS.items()}
AUTHOR_MARK_KEYS = ("symbol", "label")


# Keyed by id() of the Sphinx config: validated objects (with compiled selectors)
# cannot be pickled with the environment, and every app validates its own config.
_VALIDATED: dict[int, CVConfig] = {}


def validate(app: Sphinx, config: Config) -> None:
    """Stop the build early, with one message per mistake that says what to change."""
    problems: list[str] = []
    labels = build_labels(config, problems)
    owner = build_owner(config.cv_owner, config.cv_owner_aliases, problems)
    bibfiles = _bibfiles(config.cv_bibfiles, problems)
    roles = build_roles(_translated(config.cv_roles, labels, ("label", "heading")), problems)
    roster = build_roster(config.cv_roster, roles, config.cv_role_lag_years, problems)
    groups = build_groups(_translated(config.cv_publication_groups, labels, ("title",)), problems)
    if not isinstance(config.cv_legend_prefix, str):
        problems.append(f"cv_legend_prefix must be text, not {shown(config.cv_legend_prefix)}; e.g. 'Supervised'")
    if not isinstance(config.cv_pdf_url, str):
        problems.append(f"cv_pdf_url must be a URL, or '' for the PDF beside the page, not {shown(config.cv_pdf_url)}; "
                        "e.g. 'https://example.org/cv.pdf'")
    marks = {written: (symbol, labels(label) if label else label)
             for written, (symbol, label) in _author_marks(config.cv_author_marks, roles, problems).items()}
    keep = config.cv_bibtex_fields
    if not isinstance(keep, (list, tuple)) or not all(isinstance(f, str) and f.strip() for f in keep):
        problems.append(f"cv_bibtex_fields must be a list of field names, not {shown(keep)}; e.g. ['abstract']")
        keep = []
    if not isinstance(config.cv_show_isbn, bool):
        problems.append(f"cv_show_isbn must be True or False, not {shown(config.cv_show_isbn)}; e.g. True")
    if config.cv_journal_names not in ("abbreviated", "full"):
        problems.append(f"cv_journal_names must be 'abbreviated' (ApJ, as AASTeX prints \\apj) or 'full' (The "
                        f"Astrophysical Journal), not {shown(config.cv_journal_names)}")
    register_csl(config.cv_citation_style, app.confdir)
    for spec in (config.cv_variants.values() if isinstance(config.cv_variants, dict) else ()):
        if isinstance(spec, dict):
            register_csl(spec.get("citation_style"), app.confdir)
    if (why := style_problem(config.cv_citation_style)) is not None:
        problems.append(why)
    if not isinstance(config.cv_merge_preprints, bool):
        problems.append(f"cv_merge_preprints must be True or False, not {shown(config.cv_merge_preprints)}; e.g. True")
    problems += _site_values(config)
    if config.cv_numbered not in (None, True, False):
        problems.append(f"cv_numbered must be True, False or None (as the citation style does), not "
                        f"{shown(config.cv_numbered)}")
    limit = config.cv_page_limit
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        problems.append(f"cv_page_limit must be a whole number of entries (0: one page however long), not "
                        f"{shown(limit)}; e.g. 2000")
    reference_year = config.cv_reference_year
    if reference_year is not None and (isinstance(reference_year, bool) or not isinstance(reference_year, int)
                                       or not 1000 <= reference_year <= 9999):
        problems.append(f"cv_reference_year must be a four-digit year or None, not {shown(reference_year)}; e.g. 2019")
        # a stand-in, so that the variants' "years" are not also blamed for it (the build stops anyway)
        reference_year = datetime.date.today().year
    variants = build_variants(config.cv_variants, groups, reference_year, problems, main_pdf(config),
                              style_problem)
    active = config.cv_variant
    if not isinstance(active, str):
        problems.append(f"cv_variant must be the name of a variant or '' for the full CV, not {shown(active)}")
        active = ""
    elif active and active not in variants and isinstance(config.cv_variants, dict) and active not in config.cv_variants:
        close = difflib.get_close_matches(active, [str(k) for k in config.cv_variants], n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}? " if close else ""
        problems.append(f"cv_variant {active!r} is not in cv_variants; {hint}"
                        f"the variants are: {', '.join(map(str, config.cv_variants)) or 'none'}")
    problems += _misspelt(config)
    confpath = os.path.join(app.confdir, "conf.py")
    if problems:
        _report(problems, confpath, config)
        raise SystemExit(2)
    names = ("cv_owner", "cv_owner_aliases", "cv_bibfiles", "cv_roles", "cv_roster", "cv_role_lag_years",
             "cv_publication_groups", "cv_legend_prefix", "cv_author_marks", "cv_show_isbn", "cv_bibtex_fields",
             "latex_engine", "cv_variant", "cv_reference_year", "cv_journal_names", "cv_merge_preprints",
             "cv_citation_style", "language", "cv_numbered", "cv_labels")
    # of the variants, the active one's settings only: editing another leaves this build's lists alone
    values = [config[n] for n in names] + [config.cv_variants.get(active) if active else None]
    style = (variants[active].citation_style if active and variants[active].citation_style else None) \
        or config.cv_citation_style
    values.append(style_digest(style))  # a CV's own style, edited, renders again
    values.append(labels.digest_items())  # a translation changed with the extension's .po files
    digest = hashlib.sha256(repr(values).encode()).hexdigest()
    _VALIDATED[id(config)] = CVConfig(
        owner, roster, groups, [os.path.join(app.srcdir, b) for b in bibfiles],
        labels(config.cv_legend_prefix) if isinstance(config.cv_legend_prefix, str) else "", confpath, digest,
        marks, config.cv_show_isbn, frozenset(f.strip().lower() for f in keep), variants,
        variants.get(active) if active else None, config.cv_journal_names, config.cv_merge_preprints,
        style, config.language or "", config.cv_numbered, labels,
    )


# -- The page's metadata, exports and statistics (meta.py, exports.py, stats.py) ----------------

# The keys of cv_person; the README's "The page as a scholarly hub" lists the same.
PERSON_KEYS = ("name", "job_title", "affiliation", "email", "url", "orcid", "google_scholar", "same_as", "image")
_ORCID = re.compile(r"^(?:https?://orcid\.org/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])/?$")
_SCHOLAR = re.compile(r"^(?:https?://scholar\.google\.[a-z.]+/citations\?(?:[^#\s]*&)?user=)?([\w-]{12})(?:[&#].*)?$")
_WEB = re.compile(r"^https?://[^\s<>\"']+$")
_EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
_PERSON_EXAMPLE = "{'name': 'Marie Curie', 'affiliation': 'University of Paris', 'orcid': '0000-0002-1825-0097'}"


def _site_values(config: Config) -> list[str]:
    """cv_exports, cv_person, cv_description and cv_keywords: what the page says about itself."""
    problems: list[str] = []
    if not isinstance(config.cv_exports, bool):
        problems.append(f"cv_exports must be True or False, not {shown(config.cv_exports)}; e.g. False")
    if not isinstance(config.cv_description, str):
        problems.append(f"cv_description must be text, not {shown(config.cv_description)}; "
                        "e.g. 'Curriculum vitae of Marie Curie, physicist and chemist'")
    keywords = config.cv_keywords
    if not isinstance(keywords, (list, tuple)) or not all(isinstance(k, str) and k.strip() for k in keywords):
        problems.append(f"cv_keywords must be a list of words or phrases, not {shown(keywords)}; "
                        "e.g. ['radioactivity', 'polonium']")
    person = config.cv_person
    if not isinstance(person, dict):
        return [*problems, f"cv_person must be a dict, not {shown(person)}; e.g. {_PERSON_EXAMPLE}"]
    for key, value in person.items():
        where = f"cv_person[{key!r}]"
        if key not in PERSON_KEYS:
            problems.append(unknown_key("cv_person", key, PERSON_KEYS))
        elif key == "affiliation":
            if not (isinstance(value, str) or (isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value))):
                problems.append(f"{where} must be text or a list of texts, not {shown(value)}; "
                                "e.g. 'The Chinese University of Hong Kong'")
        elif key == "same_as":
            if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) and _WEB.match(v) for v in value):
                problems.append(f"{where} must be a list of web addresses (profiles elsewhere), not {shown(value)}; "
                                "e.g. ['https://www.researchgate.net/profile/Marie-Curie']")
        elif not isinstance(value, str):
            problems.append(f"{where} must be text, not {shown(value)}")
        elif key == "orcid" and value and not _ORCID.match(value.strip()):
            problems.append(f"{where} {value!r} is not an ORCID iD; e.g. '0000-0002-1825-0097'")
        elif key == "google_scholar" and value and not _SCHOLAR.match(value.strip()):
            problems.append(f"{where} {value!r} is neither a Google Scholar user id nor a profile address; "
                            "e.g. 'qc6CJjYAAAAJ'")
        elif key == "email" and value and not _EMAIL.match(value.strip().removeprefix("mailto:")):
            problems.append(f"{where} {value!r} is not an e-mail address; e.g. 'marie.curie@example.org'")
        elif key == "url" and value and not _WEB.match(value.strip()):
            problems.append(f"{where} {value!r} is not a web address; e.g. 'https://example.org/curie-lab'")
    return problems


def _author_marks(raw: object, roles: dict, problems: list[str]) -> dict[str, tuple[str, str]]:
    """The configured marks over the defaults; a shown symbol that is also a role's would read as that role."""
    example = "{'*': {'symbol': '#', 'label': 'equal contribution'}}"
    if not isinstance(raw, dict):
        problems.append(f"cv_author_marks must be a dict, not {shown(raw)}; e.g. {example}")
        return {}
    merged = {k: (v["symbol"], v["label"]) for k, v in DEFAULT_AUTHOR_MARKS.items()}
    for written, spec in raw.items():
        where = f"cv_author_marks[{written!r}]"
        if written not in DEFAULT_AUTHOR_MARKS:
            problems.append(f"{where}: the marks read on names are {', '.join(DEFAULT_AUTHOR_MARKS)}; e.g. {example}")
            continue
        if not isinstance(spec, dict) or set(spec) - set(AUTHOR_MARK_KEYS) or not all(
                isinstance(spec.get(k, ""), str) for k in AUTHOR_MARK_KEYS):
            problems.append(f"{where} must be a dict with a 'symbol' and a 'label' (text), not {shown(spec)}; "
                            f"e.g. {{'symbol': '#', 'label': 'equal contribution'}}")
            continue
        symbol = spec.get("symbol", merged[written][0]).strip()
        if not symbol:
            problems.append(f"{where}['symbol'] is empty; e.g. '#'")
            continue
        merged[written] = (symbol, spec.get("label", merged[written][1]))
    role_symbols = {role.symbol: key for key, role in roles.items()}
    for written, (symbol, label) in list(merged.items()):
        if symbol in role_symbols and written not in raw:  # a default that a role uses: pick another
            taken = set(role_symbols) | {s for s, _ in merged.values()}
            spare = [c for c in ("#", "‡", "§", "¶", "‖", "♯", "¤") if c not in taken]
            if spare:
                merged[written] = (spare[0], label)
    for written, (symbol, _label) in merged.items():
        if symbol in role_symbols:
            problems.append(f"cv_author_marks[{written!r}] is shown as {symbol!r}, which is also the symbol of the "
                            f"role {role_symbols[symbol]!r}: a reader could not tell them apart; choose another, "
                            f"e.g. cv_author_marks = {{{written!r}: {{'symbol': '#'}}}}")
    return merged


def _bibfiles(raw: object, problems: list[str]) -> list[str]:
    """Paths as written; whether each file can be read is the reader's warning (cv.bib_unreadable), not an error."""
    if not isinstance(raw, (list, tuple)):
        problems.append(f"cv_bibfiles must be a list of .bib files, not {shown(raw)}; e.g. ['refs.bib']")
        return []
    seen: dict[str, int] = {}
    for index, path in enumerate(raw):
        if not isinstance(path, str) or not path.strip():
            problems.append(f"cv_bibfiles[{index}] must be a path, not {shown(path)}; e.g. 'refs.bib'")
            continue
        norm = os.path.normcase(os.path.normpath(path))
        if norm in seen:
            problems.append(f"cv_bibfiles[{index}] {path!r} repeats cv_bibfiles[{seen[norm]}]; list each file once")
        seen.setdefault(norm, index)
    return [path for path in raw if isinstance(path, str)]


def _misspelt(config: Config) -> list[str]:
    """Names in conf.py that look like one of ours but are not: Sphinx would ignore them without a word."""
    ours = [value.name for value in config if value.name.startswith("cv_")]
    problems = []
    for name in getattr(config, "_raw_config", {}):
        if name.lower().startswith("cv") and name not in config:
            close = difflib.get_close_matches(name.lower(), ours, n=1, cutoff=0.75)
            if close:
                problems.append(f"{name} is not a cvsphinx setting; did you mean {close[0]}?")
    return problems


_NAME = re.compile(r"(cv_\w+)(?:\[(\d+|'[^']*')\])?")


def _report(problems: list[str], confpath: str, config: Config) -> None:
    """Log each mistake at its line of conf.py, in the file's order."""
    lines = assignments(confpath)
    shown_path = os.path.relpath(confpath)
    if shown_path.startswith(os.pardir):
        shown_path = os.path.abspath(confpath)
    located = []
    for problem in problems:
        match = _NAME.match(problem)
        name = match[1] if match else ""
        if name in getattr(config, "_overrides", {}):  # set with -D, which may or may not have taken
            located.append((0, None, f"{shown_path} or -D: {problem}"))
            continue
        line = line_of(lines.get(name), match[2] if match else None)
        if line is None:
            located.append((0, None, f"{shown_path}: {problem}"))
        else:
            located.append((line, f"{shown_path}:{line}", problem))
    for _, location, message in sorted(located, key=lambda item: item[0]):
        logger.error(message, location=location)


def cv_config(config: Config) -> CVConfig:
    """The validated form of ``config``; directives and handlers reach it through their config."""
    return _VALIDATED[id(config)]


def _translated(value: object, labels: Labels, keys: tuple[str, ...]) -> object:
    """Roles' labels and groups' titles in the CV's language: a default ("Journal Articles") is a message of the
    catalog, and a CV's own English title that happens to be one is translated alike; anything else stays."""
    def one(item: object) -> object:
        if not isinstance(item, dict):
            return item
        return {k: labels(v) if k in keys and isinstance(v, str) and v else v for k, v in item.items()}

    if isinstance(value, dict):
        return {k: one(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [one(v) for v in value]
    return value


def setup_config(app: Sphinx) -> None:
    setup_catalog(app)
    app.add_config_value("cv_labels", {}, "env", types=frozenset({dict}))
    app.add_config_value("cv_owner", "", "env", types=frozenset({str}))
    app.add_config_value("cv_owner_aliases", [], "env", types=frozenset({list, tuple}))
    app.add_config_value("cv_bibfiles", ["refs.bib"], "env", types=frozenset({list, tuple}))
    app.add_config_value("cv_roles", DEFAULT_ROLES, "env", types=frozenset({dict}))
    app.add_config_value("cv_roster", [], "env", types=frozenset({list, tuple}))
    app.add_config_value("cv_role_lag_years", 2, "env", types=frozenset({int}))
    app.add_config_value("cv_publication_groups", DEFAULT_GROUPS, "env", types=frozenset({list, tuple}))
    app.add_config_value("cv_legend_prefix", N_("Supervised"), "env", types=frozenset({str}))
    app.add_config_value("cv_pdf_url", "", "env", types=frozenset({str}))  # a directive reads it
    app.add_config_value("cv_author_marks", {}, "env", types=frozenset({dict}))
    app.add_config_value("cv_show_isbn", False, "env", types=frozenset({bool}))
    app.add_config_value("cv_journal_names", "abbreviated", "env", types=frozenset({str}))
    app.add_config_value("cv_merge_preprints", False, "env", types=frozenset({bool}))
    app.add_config_value("cv_citation_style", "house", "env", types=frozenset({str}))
    app.add_config_value("cv_variants", {}, "env", types=frozenset({dict}))
    app.add_config_value("cv_variant", "", "env", types=frozenset({str}))
    app.add_config_value("cv_reference_year", None, "env", types=frozenset({int, type(None)}))
    app.add_config_value("cv_bibtex_fields", [], "env", types=frozenset({list, tuple}))
    app.add_config_value("cv_exports", True, "html", types=frozenset({bool}))
    app.add_config_value("cv_page_limit", 2000, "env", types=frozenset({int}))
    app.add_config_value("cv_numbered", None, "env", types=frozenset({bool, type(None)}))
    app.add_config_value("cv_person", {}, "html", types=frozenset({dict}))
    app.add_config_value("cv_description", "", "html", types=frozenset({str}))
    app.add_config_value("cv_keywords", [], "html", types=frozenset({list, tuple}))


def main_pdf(config: Config) -> str:
    """The full CV's PDF name, from the first ``latex_documents`` entry."""
    documents = config.latex_documents
    target = documents[0][1] if documents else "cv.tex"
    return target.rsplit(".", 1)[0] + ".pdf"


def active_variant(config: Config) -> Variant | None:
    """The variant this build makes (``-D cv_variant=``), or None for the full CV or a configuration not validated."""
    found = _VALIDATED.get(id(config))
    return found.variant if found is not None else None
