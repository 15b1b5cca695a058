"""Where a publication is: its DOI, its arXiv identifier, its web address, the target of its title.  One definition, read by the
style (the title link), the links, the checks and every export (CSL-JSON, COinS, JSON-LD), so that they
never disagree about a record's address.
"""

from __future__ import annotations

import re
from typing import Protocol

from .latex import decode_plain


class HasFields(Protocol):
    """What these functions read of a record (records.Record): its fields by name; the records import this module."""

    def get(self, name: str, default: str = "") -> str: ...

_SAFE_URL = re.compile(r"^(https?|ftp)://", re.IGNORECASE)
# DOI resolvers as exporters wrote them: doi.org, dx.doi.org, and ACM's own doi.acm.org (JabRef files from ACM's DL)
_RESOLVER = r"https?://(?:(?:dx\.)?doi\.org|doi\.acm\.org)/"
_DOI = re.compile(rf"^(?:{_RESOLVER}|doi:\s*)?(10\.\d{{4,9}}/\S+)$", re.IGNORECASE)
_OLD_DOI_RESOLVER = re.compile(rf"^{_RESOLVER}(10\.\d{{4,9}}/\S+)$", re.IGNORECASE)
_WRAPPED_URL = re.compile(r"\\(?:url|href)\s*\{([^{}]*)\}(?:\s*\{.*\})?", re.DOTALL)
_ESCAPED = (("\\%", "%"), ("\\_", "_"), ("\\#", "#"), ("\\&", "&"), ("\\~", "~"), ("\\$", "$"))

# A DOI or a web address inside other text (a number's field, exporters.py): the DOI with what may surround it
DOI_IN_TEXT = re.compile(r"\(?\s*(?:doi\s*:\s*)?(?:https?://(?:dx\.)?doi\.org/|(?<![\w/.])doi\.org/)?"
                          r"(10\.\d{4,9}/[^\s,;()]*[^\s,;().])\s*\)?", re.IGNORECASE)
URL_IN_TEXT = re.compile(r"https?://[^\s,;()]+[^\s,;().]")


def safe_url(value: str) -> str | None:
    """Only web links become links; ``javascript:`` and friends stay text."""
    value = value.strip()
    return value if _SAFE_URL.match(value) and not re.search(r"[\s<>\"']", value) else None


def doi_of(value: str) -> str | None:
    match = _DOI.match(value.strip())
    return match.group(1) if match else None


def url_value(raw: str) -> str:
    """A url field as an address: ``\\url{...}`` unwrapped, escaped specials put back."""
    value = raw.strip()
    match = _WRAPPED_URL.fullmatch(value)
    if match:
        value = match.group(1).strip()
    for escaped, char in _ESCAPED:
        value = value.replace(escaped, char)
    return value


def canonical(url: str | None) -> str | None:
    """``http://dx.doi.org/10.x/y`` -> ``https://doi.org/10.x/y``: the resolver the DOI handbook asks for."""
    if url is None:
        return None
    match = _OLD_DOI_RESOLVER.match(url)
    return f"https://doi.org/{match.group(1)}" if match else url


def record_doi(record: HasFields) -> str | None:
    raw = record.get("doi").strip()
    return doi_of(url_value(raw)) if raw else None


def doi_url(record: HasFields) -> str | None:
    doi = record_doi(record)
    return f"https://doi.org/{doi}" if doi else None


def web_address(record: HasFields) -> str | None:
    """The ``url`` field as a web address, as written (``\\url{}`` unwrapped), or None."""
    return safe_url(url_value(record.get("url")))


def paper_url(record: HasFields) -> str | None:
    """Where the title links: the DOI at doi.org, else the web address (an old doi.org address made current)."""
    return doi_url(record) or canonical(web_address(record))


def export_url(record: HasFields) -> str | None:
    """The address the exports give (CSL-JSON ``URL``, COinS, JSON-LD): the DOI, else the web address as written."""
    return doi_url(record) or web_address(record)


_ARXIV_ID = re.compile(r"(?:arxiv[:\s/]*(?:abs/)?)\s*(\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?)",
                       re.IGNORECASE)


_NEW_ARXIV_ID = re.compile(r"^(\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?)$", re.IGNORECASE)


def arxiv_base(ident: str) -> str:
    """An arXiv identifier without its version: ``1905.01234v2`` -> ``1905.01234``."""
    return re.sub(r"v\d+$", "", ident.strip())


_ARXIV_NEW = re.compile(r"(\d{2})(\d{2})\.(\d{4,5})(?:v[1-9]\d*)?")


_ARXIV_OLD = re.compile(r"[a-z-]+(?:\.[A-Z]{2})?/(\d{2})(\d{2})\d{3}(?:v[1-9]\d*)?", re.IGNORECASE)


_ARXIV_PREFIX = re.compile(r"^(?:arxiv:\s*|https?://(?:www\.)?arxiv\.org/(?:abs|pdf)/)|\.pdf$", re.IGNORECASE)


def arxiv_problem(ident: str) -> str | None:
    """Why ``ident`` is no arXiv identifier (None when it is one): YYMM.NNNNN since 2015, YYMM.NNNN from April
    2007, archive/YYMMNNN before; the month 01-12."""
    new, old = _ARXIV_NEW.fullmatch(ident), _ARXIV_OLD.fullmatch(ident)
    if new:
        year, month, digits = int(new[1]), int(new[2]), len(new[3])
        if not 1 <= month <= 12:
            return f"has no month {new[2]}"
        if (year, month) < (7, 4) or digits != (4 if year < 15 else 5):
            return f"has {digits} digits after the point, and identifiers of 20{new[1]} have {4 if year < 15 else 5}" \
                if (year, month) >= (7, 4) else "is of the new form but older than April 2007, when that form began"
        return None
    if old:
        if not 1 <= int(old[2]) <= 12:
            return f"has no month {old[2]}"
        return None
    return "is not of the form YYMM.NNNNN or archive/YYMMNNN"


def _arxiv(fields: dict[str, str]) -> tuple[str, str] | None:
    """arXiv identifier and class, from eprint + eprinttype/archiveprefix, an ``arxiv`` field, or a venue text."""
    eprint = fields.get("eprint", "").strip()
    kind = fields.get("eprinttype", "").strip().lower()
    category = decode_plain(fields.get("eprintclass", "")).strip()
    if eprint and (kind == "arxiv" or (not kind and _NEW_ARXIV_ID.match(eprint))):
        return _ARXIV_PREFIX.sub("", eprint), category
    if fields.get("arxiv", "").strip():
        return _ARXIV_PREFIX.sub("", fields["arxiv"].strip()), category
    for name in ("journaltitle", "note", "howpublished", "url", "pages", "eid", "number", "volume"):
        match = _ARXIV_ID.search(fields.get(name, ""))
        if match:
            return match.group(1), category
    doi = re.match(r"(?:https?://doi\.org/)?10\.48550/arxiv\.(\S+)$", fields.get("doi", "").strip(), re.IGNORECASE)
    if doi and _NEW_ARXIV_ID.match(doi.group(1)):
        return doi.group(1), category
    volume = re.fullmatch(r"\s*abs/(\S+)\s*", fields.get("volume", ""))  # DBLP's CoRR: volume = {abs/2101.00001}
    if volume and _NEW_ARXIV_ID.match(volume.group(1)) and "corr" in fields.get("journaltitle", "").lower():
        return volume.group(1), category
    return None
