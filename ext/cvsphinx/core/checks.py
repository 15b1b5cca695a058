"""Data checks on the records, run once when the bibliography is (re)read."""

from __future__ import annotations

import difflib
import os
import re
from functools import lru_cache
from hashlib import blake2b
from typing import TYPE_CHECKING

from .bibfile import Problem
from .configerrors import assignments, line_of
from .encodings import describe_char
from .exporters import private
from .identifiers import arxiv_base, doi_of, safe_url, url_value
from .latex_tables import MAX_EXPANSIONS, RECURSIVE
from .links import LINK_FIELDS, local_path
from .people import NameKey, highlighted, parse_annotation, partly_same
from .records import ALIASES, BIBTEX_NAMES, LITERAL_FIELDS, NAME_FIELDS, VERBATIM_FIELDS, Memo, Record

if TYPE_CHECKING:
    from .settings import CVConfig

# by biblatex type (``Record.kind``); names as BibTeX users write them (both spellings are read)
_VENUE_FIELDS = {
    "article": ("journal",),
    "inproceedings": ("booktitle",),
    "incollection": ("booktitle",),
    "inbook": ("booktitle",),
    "book": ("publisher",),
    "thesis": ("school",),
    "report": ("institution",),
    "dataset": ("publisher", "howpublished", "url", "doi"),
}


def _missing_fields(record: Record) -> list[Problem]:
    missing = []
    if not record.get("title"):
        missing.append("has no title; add title = {...}")
    if not record.get("year") and record.date is None and not record.get("pubstate"):  # not yet out: no year yet
        missing.append("has no year; add year = {YYYY} or date = {YYYY-MM-DD} (it orders the list)")
    venues = _VENUE_FIELDS.get(record.kind)
    # a preprint's server is its venue (an arXiv identifier, a bioRxiv DOI)
    if venues and not any(record.get(v) for v in venues) and record.arxiv is None and not record.preprint:
        names = " or ".join(venues) if len(venues) <= 2 else f"one of {', '.join(venues)}"
        missing.append(f"@{record.type} needs {names} for its venue")
    return [Problem("missing_field", f"entry {record.key!r}: {m}", record.path, record.line, record.key) for m in missing]


def _latex_problems(records: list[Record]) -> list[Problem]:
    """One warning per unknown macro and file, where it is first used: not one per entry."""
    first: dict[tuple[str, str], tuple[Record, str, int]] = {}
    for record in records:
        for macro, field_name in record.unknown_macros:
            key = (record.path, macro)
            if key in first:
                first[key] = (*first[key][:2], first[key][2] + 1)
            else:
                first[key] = (record, field_name, 1)
    problems = []
    for (_path, macro), (record, field_name, count) in first.items():
        more = f" (and {count - 1} more uses in this file)" if count > 1 else ""
        # the field as the file writes it ("journal", not biblatex's "journaltitle")
        written = field_name if field_name in record.written else BIBTEX_NAMES.get(field_name, field_name)
        where = f"entry {record.key!r}, field {written!r}"
        if macro.endswith(RECURSIVE):
            text = (f"{where}: the macro {macro.removesuffix(RECURSIVE)} of the file's @preamble expands into itself "
                    f"without end, so its text is cut off after {MAX_EXPANSIONS} expansions{more}; fix its "
                    "\\newcommand so that its text does not use it")
        elif macro.startswith("\\begin{"):
            text = (f"{where}: the LaTeX environment {macro} is not known, so only its content is shown, as plain "
                    f"text{more}; remove \\begin and \\end, or write plain text")
        else:
            text = (f"{where}: the LaTeX command {macro} is not known, so only its argument is shown{more}; define "
                    "it in the file's @preamble with \\newcommand (no arguments), or replace it with plain text")
        problems.append(Problem("latex", text, record.path, record.line, record.key))
    return problems


# Every field some part of the CV reads, by the names a .bib file may write: a name one or two letters from one of
# them (editors, adress, jounral) is a slip that hides the field (ausgerechnet/ausgerechnet.github.io, "editors").
_SHOWN = frozenset({*NAME_FIELDS, *LITERAL_FIELDS, *VERBATIM_FIELDS, *ALIASES, *ALIASES.values(), "year", "month",
                    "date", "crossref", "xdata", "related", "keywords", "entrysubtype", "eprinttype",
                    "collaboration", "ids", *(name for name, _ in LINK_FIELDS)})
# and the fields they may write that nothing shows: biblatex's own data model (its manual, 2.2) and what long-kept
# files carry (MathSciNet's and Beebe's fjournal, bibdate, mrclass), never taken for a slip
_KNOWN = _SHOWN | frozenset({
    "authortype", "bookpagination", "editortype", "eventtitleaddon", "isan", "ismn", "isrn", "issuetitleaddon",
    "iswc", "journaltitleaddon", "label", "library", "nameaddon", "origlocation", "origpublisher", "pagination",
    "reprinttitle", "shortauthor", "shorteditor", "shorthand", "shorthandintro", "shortjournal", "shortseries",
    "entryset", "execute", "gender", "langidopts", "indexsorttitle", "indextitle", "options", "presort",
    "relatedoptions", "relatedtype", "sortname", "sortshorthand", "sorttitle", "sortyear", "xref",
    "fjournal", "bibdate", "bibsource", "biburl", "mrclass", "mrnumber", "mrreviewer", "zblnumber", "lccn",
    "acknowledgement", "remark", "day", "isbn13", "issn-l", "url-checked", "ean", "keyword",
})
_CLOSE = 0.85


def _near_misses(record: Record) -> list[tuple[str, str]]:
    found = []
    for name in record.written:
        if name in _KNOWN or private(name) or "+" in name or not name.isalpha() or len(name) < 5:
            continue
        close = _near(name)
        if close and not name.endswith(close):  # fyear, ajournal, zmnumber: a field of its own, named after one
            found.append((name, close))
    return found


@lru_cache(maxsize=512)
def _near(name: str) -> str:
    close = difflib.get_close_matches(name, sorted(_SHOWN), n=1, cutoff=_CLOSE)
    return close[0] if close else ""


def _alone(record: Record, cfg: CVConfig, roster_index: dict[int, int]
           ) -> tuple[list[tuple[str, str]], str | None, tuple[int, ...]]:
    """The problems of one entry by itself, as (subtype, message); its DOI, to find repeats; the roster people
    among its authors (by their place in the roster)."""
    own: list[tuple[str, str]] = []
    matched: set[int] = set()

    def add(subtype: str, message: str) -> None:
        own.append((subtype, f"entry {record.key!r}: {message}"))

    get = record.fields.get  # the names below are biblatex's own, as the fields hold them (Record.get)
    for text in record.problems:
        add("bib_field", text)
    # an entry already warned about while it was read (an undefined @string, a repeated field)
    # gets that one warning, not a second one for the field it left empty
    if not record.read_errors and not record.problems:
        own.extend((p.subtype, p.message) for p in _missing_fields(record))
    by_field: dict[str, list[str]] = {}
    for field_name, char in record.bad_chars:
        by_field.setdefault(field_name, []).append(describe_char(char))
    for field_name, chars in by_field.items():
        add("bad_char", f"field {field_name!r} holds control characters ({', '.join(chars)}), "
            "often pasted from a PDF; they were removed; delete them from the .bib file")
    for written, meant in _near_misses(record):
        add("bib_field", f"field {written!r} is not a field biblatex knows, so it is not shown; did you mean "
            f"{meant!r}? rename it")
    year = get("year", "")
    if year and not re.fullmatch(r"\s*\d{4}\s*", year):
        add("bad_year", f"year {year!r} is not a four-digit year; it sorts last in its group")
    own_year = record.written.get("year", "").strip()
    if record.date and "date" in record.written and own_year.isdigit() and int(own_year) != record.date.year:
        add("bad_year", f"year = {{{own_year}}} and date = {{{record.written['date'].strip()}}} disagree; the date is "
            "used, as biblatex does: delete one, or make them agree")
    doi_text = get("doi", "")
    doi = None
    if doi_text:
        doi = doi_of(doi_text)
        if doi is None:
            add("bad_doi", f"doi {doi_text!r} is not of the form 10.NNNN/suffix; it is shown as text")
    url = get("url", "")
    if url and safe_url(url_value(url)) is None:
        addresses = re.findall(r"(?:https?|ftp)://\S+", url)
        if len(addresses) > 1:  # Mendeley writes every address it has, space-separated, in one url field
            add("bad_url", f"url holds {len(addresses)} addresses ({', '.join(addresses)}); it is not "
                "linked: keep one in url (the others can go in a note)")
        else:
            add("bad_url", f"url {url!r} is not an http(s) or ftp address; it is not linked")
    for name, _label in LINK_FIELDS:
        value = get(name, "")
        if value and local_path(value):
            # "/papers/x.pdf" is most often a path on the owner's old web site (al-folio, Jekyll), not a file here
            add("bad_url", f"field {name!r} holds a path, not a web address ({value.strip()!r}): a file on "
                "your own computer, or a path from the root of another web site; it is not linked; give the full "
                "web address (https://…), or a path relative to the page for a file kept beside it "
                "(html_extra_path)")
    annotation = get("author+an", "")
    if annotation:
        try:
            parse_annotation(annotation, cfg.roster.roles)
        except ValueError as err:
            add("bad_annotation", f"author+an: {err}; the roster decides instead")
    people = record.persons.get("author") or record.persons.get("editor") or []
    owner_found = False
    highlights = highlighted(get("author+an" if record.persons.get("author") else "editor+an", ""))
    for position, person in enumerate(people, start=1):
        key = NameKey.from_person(person)
        if cfg.owner.is_owner(key) or position in highlights:
            owner_found = True
        found = cfg.roster.find(key)
        for person_found in found:
            matched.add(roster_index[id(person_found)])
        if len(found) > 1:
            names = ", ".join(p.name for p in found)
            add("ambiguous_person", f"author {str(person)!r} could be any of {names}; no marker is "
                f"given; say which with author+an = {{{position}=<role>}}")
    if people and not owner_found:  # the editor of the book a chapter is in: the owner's work too
        owner_found = any(cfg.owner.is_owner(NameKey.from_person(p)) for p in record.persons.get("editor", []))
    if people and not owner_found and not get("contribution", ""):
        like = [str(p) for p in people if any(partly_same(k, NameKey.from_person(p)) for k in cfg.owner.keys)]
        hint = (f"{like[0]!r} may be you: add it to cv_owner_aliases in conf.py; otherwise " if like else "")
        if str(people[-1]).strip().lower() == "others":  # INSPIRE's "cite all" stops after the first author
            add("owner_absent", f"{cfg.owner.name} is not among the authors it names: the list ends "
                "with 'and others', so the names after it are not in the file; write the whole author list "
                "(the publisher's or the database's full record has it), or add a contribution = {...} field")
        else:
            add("owner_absent", f"{cfg.owner.name} is not among the authors; {hint}add the owner, or a "
                "contribution = {Contributing author} field if that is right")
    if not people and not record.persons.get("holder") and not get("contribution", ""):
        # Crossref's record of a proceedings paper without authors (mschauer/mschauer.github.io, doi.bib)
        add("owner_absent", "has no author and no editor, so nothing says it is your work; add "
            "author = {...} (and the owner among them)")
    return own, doi, tuple(sorted(matched))


def check_records(records: list[Record], cfg: CVConfig, memo: Memo | None = None) -> list[Problem]:
    """Every problem of the records, alone and together.  ``memo``: what each entry alone gave the last time, by
    its digest and the configuration (a one-entry edit of 5,000 entries checks one)."""
    problems: list[Problem] = _latex_problems(records)
    roster_index = {id(person): i for i, person in enumerate(cfg.roster.people)}
    dois: dict[str, Record] = {}
    matched_people: set[int] = set()
    # one exporter's habit repeated in every entry (ORCID's @conference with its venue in journal: 69 entries) is
    # one warning at its first entry, with how many more there are, not 69 lines
    alike: dict[tuple[str, str, str], list[Record]] = {}
    for record in records:
        key = "!" + blake2b(f"{record.digest}{cfg.digest}".encode(), digest_size=16).hexdigest() if (
            memo is not None and record.digest and not record.preprint_doi) else ""  # 33 characters, not 129
        found = memo.old.get(key) if key else None
        if found is None:
            found = _alone(record, cfg, roster_index)
        if key:
            memo.new[key] = found
        own, doi, matched = found
        problems.extend(Problem(subtype, text, record.path, record.line, record.key) for subtype, text in own)
        matched_people.update(matched)
        for subtype, text in record.advice:
            alike.setdefault((record.path, subtype, text), []).append(record)
        if doi:
            first = dois.get(doi.lower())
            if first is not None:
                problems.append(Problem("duplicate_doi", f"entry {record.key!r}: has the same doi {doi} as "
                                        f"{first.key!r} (line {first.line}); is it the same paper twice?",
                                        record.path, record.line, record.key))
            else:
                dois[doi.lower()] = record
    for (_path, subtype, text), same in alike.items():
        if len(same) == 1:
            problems.append(Problem(subtype, f"entry {same[0].key!r}: {text}", same[0].path, same[0].line, same[0].key))
            continue
        others = ", ".join(repr(r.key) for r in same[1:4]) + (", …" if len(same) > 4 else "")
        problems.append(Problem(subtype, f"entry {same[0].key!r} and {len(same) - 1} more in this file ({others}): "
                                f"{text}", same[0].path, same[0].line, same[0].key))
    unmatched = [p for i, p in enumerate(cfg.roster.people) if p.expect_papers and i not in matched_people]
    roster = assignments(cfg.confpath).get("cv_roster") if unmatched else None
    for person in unmatched:  # at the person's own line of cv_roster when conf.py writes the list out
        line = line_of(roster, str(person.index)) if person.index is not None else None
        problems.append(Problem(
            "unmatched_person", f"roster person {person.name!r} matches no author in any entry; check the "
            "spelling in cv_roster, or set 'expect_papers': False for them", cfg.confpath, line or 0))
    return problems


# -- Preprints and their published versions ------------------------------------------------------------


_ARTICLES = frozenset({"a", "an", "the"})


def _title_key(record: Record) -> str:
    """The title's words without case, punctuation or articles: a journal's copy editor adds "the" to the
    preprint's "on honeycomb lattice" (yangqi137/mycv), and the two are still one paper by the same authors."""
    return "".join(w for w in re.findall(r"\w+", str(record.text("title")).casefold()) if w not in _ARTICLES)


def _authors_key(record: Record) -> tuple[str, ...]:
    return tuple(NameKey.from_person(p).last for p in record.persons.get("author", ()) if str(p).lower() != "others")


def _pair_keys(record: Record, titles: set[str] | None = None) -> list[tuple[str, str]]:
    """What a preprint and its published version share, most telling first; a title only when it is in ``titles``."""
    keys = []
    doi = doi_of(record.get("doi"))
    if doi:
        keys.append(("doi", doi.lower()))
    if record.arxiv:
        keys.append(("arXiv id", arxiv_base(record.arxiv[0]).lower()))
    title = _title_key(record)
    if title and (titles is None or title in titles):
        keys.append(("title and authors", f"{title}|{_authors_key(record)}"))
    return keys


def preprint_pairs(records: list[Record]) -> list[tuple[Record, Record, str]]:
    """(preprint, published version, what they share) for every preprint whose published version is listed too."""
    preprints = [r for r in records if r.preprint]
    if not preprints:
        return []
    titles = {_title_key(r) for r in preprints}
    published: dict[tuple[str, str], Record] = {}
    for record in records:
        if not record.preprint:
            for key in _pair_keys(record, titles):
                published.setdefault(key, record)
    pairs = []
    for record in preprints:
        shared = next((key for key in _pair_keys(record) if key in published), None)
        if shared is not None:
            pairs.append((record, published[shared], shared[0]))
    return pairs


def preprint_problems(pairs: list[tuple[Record, Record, str]], merged: bool) -> list[Problem]:
    if merged:
        return []
    return [Problem("preprint_published", f"entry {pre.key!r} is a preprint ({pre.preprint}) of {pub.key!r} "
                    f"({os.path.basename(pub.path)}:{pub.line}, the same {how}), which is listed too, so the paper is "
                    "shown twice: delete the preprint, or set cv_merge_preprints = True in conf.py to show "
                    f"{pub.key!r} once with the preprint's link", pre.path, pre.line, pre.key)
            for pre, pub, how in pairs]
