"""Where a publication is: its DOI, its web address, the target of its title.  One definition, read by the
style (the title link), the links, the checks and every export (CSL-JSON, COinS, JSON-LD), so that they
never disagree about a record's address.
"""

from __future__ import annotations

import re

from .records import Record

_SAFE_URL = re.compile(r"^(https?|ftp)://", re.IGNORECASE)
_DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)
_OLD_DOI_RESOLVER = re.compile(r"^https?://(?:dx\.)?doi\.org/(10\.\d{4,9}/\S+)$", re.IGNORECASE)
_WRAPPED_URL = re.compile(r"\\(?:url|href)\s*\{([^{}]*)\}(?:\s*\{.*\})?", re.DOTALL)
_ESCAPED = (("\\%", "%"), ("\\_", "_"), ("\\#", "#"), ("\\&", "&"), ("\\~", "~"), ("\\$", "$"))


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


def record_doi(record: Record) -> str | None:
    raw = record.get("doi").strip()
    return doi_of(url_value(raw)) if raw else None


def doi_url(record: Record) -> str | None:
    doi = record_doi(record)
    return f"https://doi.org/{doi}" if doi else None


def web_address(record: Record) -> str | None:
    """The ``url`` field as a web address, as written (``\\url{}`` unwrapped), or None."""
    return safe_url(url_value(record.get("url")))


def paper_url(record: Record) -> str | None:
    """Where the title links: the DOI at doi.org, else the web address (an old doi.org address made current)."""
    return doi_url(record) or canonical(web_address(record))


def export_url(record: Record) -> str | None:
    """The address the exports give (CSL-JSON ``URL``, COinS, JSON-LD): the DOI, else the web address as written."""
    return doi_url(record) or web_address(record)
