"""Every warning the extension gives: type ``cv``, one subtype each.

Each can be silenced in conf.py, e.g. ``suppress_warnings = ["cv.unmatched_person"]``.
The README's "When the build complains" section explains each of them.
"""

from __future__ import annotations

import enum
import os

from sphinx.util import logging

logger = logging.getLogger("cvsphinx")


class Subtype(enum.StrEnum):
    bib_unreadable = "bib_unreadable"
    """A .bib file is missing, empty, or not UTF-8: then read in the encoding it looks like (UTF-16,
    Windows-1252, Mac OS Roman or Latin-1), and the message names it and how to convert it."""
    bib_syntax = "bib_syntax"
    """An entry (or @string) cannot be parsed; that entry alone is skipped."""
    bib_field = "bib_field"
    """A field is repeated, uses an undefined @string, or a name cannot be read, or a field's name is a slip of a
    known one (editors for editor) and so not shown, or a collaboration's name is followed by addresses (INSPIRE);
    the entry is kept."""
    bad_char = "bad_char"
    """A field holds a control character (removed), or a character no PDF font has (left out of the PDF)."""
    cache = "cache"
    """A cache file in the doctree directory is damaged, unreadable or cannot be written; it is rebuilt."""
    duplicate_key = "duplicate_key"
    """Two entries share a key; both are shown, the second under a new key."""
    duplicate_doi = "duplicate_doi"
    """Two entries carry the same DOI: probably the same paper twice."""
    bad_doi = "bad_doi"
    """A DOI is not of the form 10.NNNN/suffix; it is shown as text, not as a link."""
    bad_arxiv = "bad_arxiv"
    """An arXiv identifier is not of arXiv's form (2101.01234, hep-th/9901001); it is not linked."""
    bad_url = "bad_url"
    """A url is not http(s) or ftp; it is shown as text, not as a link."""
    missing_field = "missing_field"
    """An entry lacks a field its type needs (title, year, venue)."""
    bad_year = "bad_year"
    """A year field is not a four-digit year: a full date (2013-12-26) is read as the date, anything else sorts last;
    or year and date disagree (the date is used)."""
    latex = "latex"
    """A field uses a LaTeX command the decoder does not know; its argument is shown as text."""
    owner_absent = "owner_absent"
    """The CV owner is not among an entry's authors (and no 'contribution' field says why)."""
    unmatched_person = "unmatched_person"
    """A roster person matches no author in any entry: often a typo in the roster."""
    ambiguous_person = "ambiguous_person"
    """An author matches two roster people; no marker is given until author+an decides."""
    bad_annotation = "bad_annotation"
    """An author+an field cannot be read or names an unknown role."""
    no_group = "no_group"
    """An entry matches no publication group, so it is not shown."""
    empty_group = "empty_group"
    """A publication group selects no entry because its selector reads a field no entry has (often misspelt)."""
    two_groups = "two_groups"
    """An entry matches several groups; it is shown in the first."""
    group_unplaced = "group_unplaced"
    """A configured group is never placed by a publications directive, or placed twice."""
    directive = "directive"
    """A CV directive is used wrongly (unknown group, bad line)."""
    variant = "variant"
    """A variant of the CV names a section the CV does not have, so that section is missing from it."""
    pdf_failed = "pdf_failed"
    """The PDF's last LaTeX run failed or was stopped: it is not put beside the page, whose link says so."""
    page_limit = "page_limit"
    """A variant's PDF has more pages than its page_limit allows."""
    placeholder = "placeholder"
    """A field holds what a program writes for no value (null, None, 0 as a year or volume, XX or TBD as a DOI), or
    only repeats another field (Wiley's note with the article number); it is left out."""
    venue_field = "venue_field"
    """An entry's venue is in the field another type reads (journal on an @inproceedings); it is shown."""
    identifier_field = "identifier_field"
    """A DOI or web address is in a field for a number (month, volume, number, pages), or a PDF's address in eprint
    (publishers' exports); it is the entry's doi, url or PDF link."""
    preprint_published = "preprint_published"
    """A preprint whose published version is in the .bib files too (same DOI, arXiv id, or title and authors)."""
    starter_text = "starter_text"
    """A section still holds the example text cv.sh new wrote ("Your University"); it is published as it is."""
    language = "language"
    """Read the Docs builds the CV in another language (its project's Language setting) than conf.py's."""


def describe(subtype: str) -> str:
    """What a subtype means: its docstring in ``Subtype`` above (read from this file, so it is written once)."""
    import ast
    from pathlib import Path

    tree = ast.parse(Path(__file__).read_text(encoding="utf-8"))
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Subtype")
    for stmt, after in zip(cls.body, cls.body[1:], strict=False):
        if (isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == subtype for t in stmt.targets)
                and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)):
            return " ".join(str(after.value.value).split())
    return ""


def warn_at(path: str, line: int | None, message: str, subtype: str) -> None:
    """Warn against a non-document file such as refs.bib, with its line."""
    location = f"{os.path.relpath(path)}:{line or 1}"
    logger.warning(message, location=location, type="cv", subtype=Subtype(subtype).value)
