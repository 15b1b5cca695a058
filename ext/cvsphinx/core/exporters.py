"""What exporters write that is not what it seems: their own bookkeeping fields, placeholders for "nothing"
(``null``, ``0``), a venue in the other field, AASTeX's journal macros, HAL's escaped ampersand, Scopus's citation
count, Web of Science's braces and capitals, preprint servers."""

from __future__ import annotations

import re
from collections.abc import Mapping

from .braces import encloses
from .identifiers import DOI_IN_TEXT, URL_IN_TEXT
from .journals import journal_macro
from .latex import decode_plain

# Fields an exporter or a reference manager keeps for itself: never shown or exported (core/links.py), and not
# worth a warning when an exporter repeats one or writes its name oddly (Scopus's "funding_text 1", bibfile.py).
PRIVATE_FIELDS = frozenset({
    "file", "abstract", "annote", "annotation", "owner", "timestamp", "groups", "mendeley-tags", "mendeley-groups",
    "date-added", "date-modified", "bdsk-file-1", "bdsk-file-2", "bdsk-url-1", "bdsk-url-2", "readstatus", "ranking",
    "priority", "qualityassured", "printed", "rating", "comment", "comments", "review", "bibtex_show", "preview",
    "selected", "dimensions", "altmetric", "google_scholar_id", "inspirehep_id", "author+an", "abbr",
    # Web of Science's bookkeeping (its own export, or through BibDesk): citation counts, record ids, usage
    "times-cited", "wok-uid", "unique-id", "da", "usage-count-last-180-days", "usage-count-since-2013",
    "number-of-cited-references", "doc-delivery-number", "researcherid-numbers", "orcid-numbers",
    "web-of-science-categories", "web-of-science-index", "research-areas", "cited-references",
    "funding-acknowledgement", "funding-text", "author-email", "affiliation", "affiliations",
    "journal-iso", "keywords-plus", "earlyaccessdate", "oa", "eissn",
    # Scopus's: where its record came from, the corresponding author's postal address, its indexing (keywords,
    # funders, cited references, chemical and trade names), numbered when there are several (funding_text 1, 2...)
    "source", "document_type", "correspondence_address", "author_keywords", "references", "funding_details",
    "funding_text", "sponsors", "coden", "abbrev_source_title", "pubmed_id", "chemicals_cas", "tradenames",
    "manufacturers", "molecular_seqnumbers", "publication_stage",
    # a university's research-information system (FAU's CRIS, through ausgerechnet/ausgerechnet.github.io)
    "peerreviewed", "faupublication",
})


def private(name: str) -> bool:
    """A field of an exporter's or a reference manager's own bookkeeping: not shown, not exported."""
    return name in PRIVATE_FIELDS or name.rstrip("0123456789") in PRIVATE_FIELDS


# "null", "None", "NaN": what a program writes for a missing value; "0" where a number is missing
_PLACEHOLDER = re.compile(r"\s*(?:null|none|nil|nan|undefined|n/?a)\s*", re.IGNORECASE)


_ZERO = re.compile(r"\s*0+\s*")


_ZERO_FIELDS = ("year", "volume", "number", "issue", "pages", "eid", "edition", "month", "volumes")


_PLACEHOLDER_FIELDS = (*_ZERO_FIELDS, "journaltitle", "booktitle", "publisher", "location", "institution",
                       "organization", "series", "doi", "url", "isbn", "issn", "note", "howpublished", "eprint",
                       "eprinttype", "eprintclass", "date", "urldate", "type", "language", "pubstate")


# what a hand-kept file writes for an identifier still to come: doi = {XX} (mdenolle/marine-cv, denolle-pub.bib);
# only in identifiers, where no real value looks like it (a volume X is a Roman ten)
_TO_COME = re.compile(r"\s*(?:x{2,}|tbd|tba|tbc|to ?come|pending|\?+|-+)\s*", re.IGNORECASE)
_IDENTIFIER_FIELDS = frozenset({"doi", "url", "isbn", "issn", "eprint"})


def _drop_placeholders(fields: dict[str, str], advice: list[tuple[str, str]], written: Mapping[str, str]) -> None:
    for name in _PLACEHOLDER_FIELDS:
        value = fields.get(name)
        if value is None:
            continue
        plain = value.strip().strip("{}")
        if len(plain) > 9 and plain.strip("0 \t\n") and not plain[0].isspace():  # longer than "undefined": a value
            continue
        if _PLACEHOLDER.fullmatch(plain) or (name in _ZERO_FIELDS and _ZERO.fullmatch(plain)) or not plain or (
                name in _IDENTIFIER_FIELDS and _TO_COME.fullmatch(plain)):
            del fields[name]
            if plain:
                advice.append(("placeholder", f"field {written.get(name, name)!r} is {value.strip()!r}, which stands "
                               "for no value; it is left out: delete the field (or write its real value)"))


# A DOI or a web address written where a number goes: BibDesk users keep "DOI:10.1016/..." in month, volume or
# number, and a report's web page in number (hpmarshall/myCV, mypubs.bib).  Without this the DOI is lost from the
# page, the PDF and every export, or printed as a number.
_NUMBER_FIELDS = ("month", "volume", "number", "issue", "pages", "eid")


def _identifiers_elsewhere(fields: dict[str, str], advice: list[tuple[str, str]], written: Mapping[str, str]) -> None:
    """A DOI (or a web address) in a number's field becomes the entry's ``doi`` (``url``) when it has none; the
    field keeps the rest.  Said, with the field to use."""
    for name in _NUMBER_FIELDS:
        value = fields.get(name)
        if not value or ("10." not in value and "http" not in value):
            continue
        found = DOI_IN_TEXT.search(value)
        target, ident = ("doi", found.group(1)) if found else ("url", None)
        if found is None:
            found = URL_IN_TEXT.search(value)
            if found is None:
                continue
            ident = found.group(0)
        rest = (value[:found.start()] + " " + value[found.end():]).strip(" ,;:")
        if rest:
            fields[name] = rest
        else:
            del fields[name]
        kind = "DOI" if target == "doi" else "web address"
        if fields.get(target, "").strip():
            how = f"the entry has a {target} field already, so it is left out"
        else:
            fields[target] = ident
            how = f"it is used as the entry's {target}"
        advice.append(("identifier_field", f"field {written.get(name, name)!r} holds the {kind} {ident}; {how}: "
                       f"move it to a {target} field"))


# Publishers' "Cite" exports (Science, Wiley, OUP, GeoScienceWorld) put the article's PDF address in eprint, which
# biblatex prints as an identifier: 9 of the 68 entries of mdenolle/marine-cv's denolle-pub.bib showed it as text.
_PDF_ADDRESS = re.compile(r"https?://(?!(?:www\.|export\.)?arxiv\.org/)\S*pdf\S*", re.IGNORECASE)


def _publisher_pdf(fields: dict[str, str], advice: list[tuple[str, str]], written: Mapping[str, str]) -> None:
    """An ``eprint`` that is the address of a PDF (with no ``eprinttype``) is the entry's PDF link, unless it has
    one."""
    eprint = fields.get("eprint", "").strip()
    if eprint and not fields.get("eprinttype") and _PDF_ADDRESS.fullmatch(eprint):
        del fields["eprint"]
        had = bool(fields.get("pdf", "").strip())
        if not had:
            fields["pdf"] = eprint
        advice.append(("identifier_field", f"field {written.get('eprint', 'eprint')!r} holds the address of the "
                       f"article's PDF, as publishers' exports write it; "
                       f"{'the entry has a pdf field already, so it is left out' if had else 'it is the PDF link'}: "
                       "move it to a pdf field (eprint is for arXiv, PubMed and like identifiers)"))


def _note_repeats_number(fields: dict[str, str], advice: list[tuple[str, str]], written: Mapping[str, str]) -> None:
    """Wiley's ``note`` that only repeats the article number (``e2024JB030689 2024JB030689``) is left out."""
    words = fields.get("note", "").split()
    number = (fields.get("pages", "") or fields.get("eid", "")).strip()
    if words and number and all(w in (number, number.lstrip("eE")) for w in words):
        del fields["note"]
        advice.append(("placeholder", f"field {written.get('note', 'note')!r} only repeats the article number "
                       f"(pages), as Wiley's exports write it; it is left out: delete the note"))


# HAL's export (hal.science) names its document type, in English, where BibTeX has a thesis's or report's own
# type, and writes the same note on every preprint (bebatut-research/bebatut-research.github.io, ejeanvoi/
# ejeanvoi.github.io): a French CV showed "Theses, INSA de Lyon" and "working paper or preprint"
_HAL_TYPES = frozenset({"theses", "research report", "reports", "technical report"})
_HAL_NOTES = frozenset({"working paper or preprint"})


def _hal_boilerplate(fields: dict[str, str], advice: list[tuple[str, str]], written: Mapping[str, str]) -> None:
    if "hal_id" not in fields:
        return
    kind = decode_plain(fields.get("type", ""))
    if kind.lower() in _HAL_TYPES:
        del fields["type"]
        advice.append(("placeholder", f"field {written.get('type', 'type')!r} is HAL's name of the document type "
                       f"({kind!r}), not the thesis's or report's own; the CV's word for it is shown, in its language: "
                       "delete the field, or write the type the title page gives"))
    if decode_plain(fields.get("note", "")).lower() in _HAL_NOTES:
        del fields["note"]
        advice.append(("placeholder", f"field {written.get('note', 'note')!r} is the note HAL writes on every "
                       "preprint; it is left out: delete the note"))


def _series_repeats_venue(fields: dict[str, str], advice: list[tuple[str, str]], written: Mapping[str, str]) -> None:
    """HAL copies a conference's name into ``series``: "in VHPC - 10th Workshop…, VHPC - 10th Workshop…"."""
    series, venue = (decode_plain(fields.get(name, "")).lower() for name in ("series", "booktitle"))
    if series and series == venue:
        del fields["series"]
        advice.append(("placeholder", f"field {written.get('series', 'series')!r} repeats the booktitle; it is shown "
                       "once: delete the series"))


def _collaboration_addresses(fields: dict[str, str], advice: list[tuple[str, str]]) -> None:
    """INSPIRE's ``collaboration`` sometimes carries its authors' addresses after the name ("Euclid, NOVA optical
    infrared instrumentation group at ASTRON, Oude Hoogeveensedijk 4, 7991PD, Dwingeloo, ..."): a name has no
    street number or postcode.  The first item is kept, and said (santiagocasas/santiagocasas.github.io)."""
    value = fields.get("collaboration", "")
    if "," not in value or not re.search(r"\d", value):
        return
    first = value.split(",")[0].strip()
    fields["collaboration"] = first
    advice.append(("bib_field", f"field 'collaboration' holds addresses after the collaboration's name, as INSPIRE "
                   f"exports some entries; only {first!r} is shown: write collaboration = {{{first}}} (or the right "
                   "name)"))


def _unescape_html_ampersand(fields: dict[str, str]) -> None:
    """HAL's export escapes an ampersand twice, for LaTeX and for HTML (``GOBLET \\&amp; Galaxy``): one ``\\&``."""
    for name, value in fields.items():
        if "\\&amp;" in value:
            fields[name] = value.replace("\\&amp;", "\\&")


# Scopus's export puts its citation count first in ``note`` ("cited By 317", "cited By 0; Conference Code:
# 150000"): the database's bookkeeping of the day, not a note of the work's
_CITATION_COUNT = re.compile(r"\s*cited\s+by\s+\d+\s*(?:;\s*|$)", re.IGNORECASE)


# and its conference bookkeeping after it: "Conference Date: 22 March 2018 Through 23 March 2018; Conference
# Code:224719" (Sumidu/calerovaldez.com, scopus.bib)
_SCOPUS_CONFERENCE = re.compile(r"\s*;?\s*Conference\s+(?:Code\s*:\s*\d+|Date\s*:[^;]*)\s*", re.IGNORECASE)


def _drop_scopus_bookkeeping(fields: dict[str, str]) -> None:
    """Scopus's citation count and conference code in ``note``, and its own record as ``url``: not shown, as the
    exporter's other bookkeeping (``source = {Scopus}``) is not; the BibTeX beside the entry keeps them as
    written."""
    note = fields.get("note")
    if note is not None:
        plain = note.strip().strip("{}")
        match = _CITATION_COUNT.match(plain)
        if match:
            rest = _SCOPUS_CONFERENCE.sub("", plain[match.end():]).strip().strip(";").strip()
            rest = re.sub(r"\s+;", ";", rest)  # "ICT4AWE 2018 ; Conference Date…": no space before the semicolon
            if rest:
                fields["note"] = rest
            else:
                del fields["note"]
    url = fields.get("url")
    if url is not None and _SCOPUS_RECORD.match(url.strip().strip("{}")):
        del fields["url"]  # Scopus's own record of the work (behind its login), not the work


_SCOPUS_RECORD = re.compile(r"https?://(?:www\.)?scopus\.com/inward/record\.ur[il]", re.IGNORECASE)


# Identifiers in a second pair of braces, as Web of Science writes every field (``DOI = {{10.1128/AEM.1-16}}``):
# a brace is never part of a DOI, an address or an ISBN, and inside them the DOI was not read as one
_IDENTIFIER_FIELDS = ("doi", "url", "eprint", "isbn", "issn", "urldate", "eventdate", "origdate", "date")


def _braced_identifiers(fields: dict[str, str]) -> None:
    for name in _IDENTIFIER_FIELDS:
        value = fields.get(name)
        if value:
            fields[name] = _unbraced(value)


# Web of Science's article numbers (``Article-Number = {UNSP e03317-16}``, "unspecified" before it) and Scopus's
# (``art_number = {3}``) are biblatex's ``eid``: shown where the pages go when there are none; its "SI" (special
# issue) after an issue number (``Number = {10, SI}``) is not part of the number
_ARTICLE_NUMBER_FIELDS = ("article-number", "art_number")
_SPECIAL_ISSUE = re.compile(r"\s*(?:(.*?)\s*,\s*)?SI\s*")


def _unbraced(value: str) -> str:
    """A value without the one brace group around it all (Web of Science's second pair)."""
    return value[1:-1].strip() if encloses(value) else value


def _web_of_science_numbers(fields: dict[str, str]) -> None:
    if "eid" not in fields:
        for name in _ARTICLE_NUMBER_FIELDS:
            value = re.sub(r"^UNSP\s+", "", _unbraced(fields.get(name, "").strip()))
            if value:
                fields["eid"] = value
                break
    for name in ("number", "issue"):
        value = fields.get(name)
        found = _SPECIAL_ISSUE.fullmatch(_unbraced(value)) if value else None
        if found is not None:
            if found.group(1):
                fields[name] = found.group(1)
            else:
                del fields[name]


_MACRO_ONLY = re.compile(r"\s*\{?\s*\\([A-Za-z]+)\s*\}?\s*")


def _journal_macro(fields: dict[str, str], macros: Mapping[str, str], journal_names: str) -> None:
    """NASA ADS writes journals as AASTeX macros (``journal = {\\apj}``): the journal's name instead."""
    for name in ("journaltitle", "booktitle"):
        match = _MACRO_ONLY.fullmatch(fields.get(name, ""))
        if match and "\\" + match.group(1) not in macros:
            found = journal_macro(match.group(1), full=journal_names == "full")
            if found:
                fields[name] = found.replace("&", "\\&")


# kind -> (the field its venue belongs in, as BibTeX names it, and the fields BibTeX users often put it in instead)
_VENUE_HOMES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "article": ("journaltitle", "journal", ("booktitle",)),
    "inproceedings": ("booktitle", "booktitle", ("journaltitle", "eventtitle", "howpublished")),
    "incollection": ("booktitle", "booktitle", ("journaltitle",)),
    "inbook": ("booktitle", "booktitle", ("journaltitle",)),
    "report": ("institution", "institution", ("publisher", "organization")),
    "thesis": ("institution", "school", ("publisher", "organization")),
}


def _venue_elsewhere(entry_type: str, kind: str, fields: dict[str, str], advice: list[tuple[str, str]],
                     written: Mapping[str, str]) -> None:
    """A venue in the field another type reads (``journal`` on an @inproceedings): shown, with the field to use.
    ``kind`` is biblatex's type for ``entry_type`` as written (records.KIND: @conference is inproceedings)."""
    home, home_name, others = _VENUE_HOMES.get(kind, ("", "", ()))
    if not home or fields.get(home, "").strip():
        return
    for other in others:
        if fields.get(other, "").strip():
            fields[home] = fields[other]
            if other != "eventtitle":  # biblatex's own fallback, nothing to fix
                del fields[other]
                advice.append(("venue_field", f"@{entry_type} reads its venue from {home_name!r}, but it is in "
                               f"{written.get(other, other)!r}; it is shown as the venue: rename the field to "
                               f"{home_name!r}"))
            return


# Preprint servers: by the venue an exporter writes, or by the DOI prefix they register
_PREPRINT_VENUE = re.compile(
    r"\b(?:arxiv|corr|computing research repository|biorxiv|medrxiv|chemrxiv|ssrn|social science research network"
    r"|electronic colloquium on computational complexity|electron\.? colloquium comput\.?(?: complex\.?)?|eccc"
    r"|research\s*square|preprints\.org|psyarxiv|socarxiv"
    r"|osf preprints|techrxiv|engrxiv|eartharxiv|essoar|authorea|iacr cryptology eprint archive"
    r"|cryptology eprint archive|hal preprint|preprint)\b", re.IGNORECASE)


_PREPRINT_DOI = (
    (re.compile(r"^10\.48550/arxiv\.", re.I), "arXiv"), (re.compile(r"^10\.1101/(?:\d{4}\.\d{2}\.\d{2}\.)?\d{6,}"), "bioRxiv"),
    (re.compile(r"^10\.2139/ssrn\.", re.I), "SSRN"), (re.compile(r"^10\.21203/rs\.", re.I), "Research Square"),
    (re.compile(r"^10\.26434/chemrxiv", re.I), "ChemRxiv"), (re.compile(r"^10\.31234/osf\.io/", re.I), "PsyArXiv"),
    (re.compile(r"^10\.20944/preprints", re.I), "Preprints.org"), (re.compile(r"^10\.1002/essoar\.", re.I), "ESSOAr"),
    (re.compile(r"^10\.31223/", re.I), "EarthArXiv"), (re.compile(r"^10\.36227/techrxiv", re.I), "TechRxiv"),
)


_SERVER_NAMES = {"corr": "arXiv", "computing research repository": "arXiv", "eccc": "ECCC",
                 "electronic colloquium on computational complexity": "ECCC", "biorxiv": "bioRxiv",
                 "medrxiv": "medRxiv", "chemrxiv": "ChemRxiv", "ssrn": "SSRN", "social science research network": "SSRN",
                 "arxiv": "arXiv", "psyarxiv": "PsyArXiv", "socarxiv": "SocArXiv", "techrxiv": "TechRxiv",
                 "eartharxiv": "EarthArXiv", "essoar": "ESSOAr", "authorea": "Authorea"}


_PREPRINT_KINDS = ("article", "misc", "online", "unpublished", "report")


def _server(found: str, arxiv: tuple[str, str] | None) -> str:
    name = found.lower()
    if "colloquium" in name:
        return "ECCC"
    if name == "preprint":
        return "arXiv" if arxiv else "preprint"
    return _SERVER_NAMES.get(name, found)


def preprint_server(kind: str, fields: Mapping[str, str], arxiv: tuple[str, str] | None) -> str:
    """The preprint server of an entry that is a preprint (not a published paper with a preprint beside it), or ""."""
    if kind not in _PREPRINT_KINDS:
        return ""
    venue = " ".join(decode_plain(fields.get(n, "")) for n in ("journaltitle", "booktitle"))
    found = _PREPRINT_VENUE.search(venue)
    if found:
        return _server(found.group(), arxiv)
    if venue.strip():
        return ""  # a journal: a published paper, whatever eprint it also gives
    doi = fields.get("doi", "").strip().lower().removeprefix("https://doi.org/").removeprefix("doi:")
    for pattern, name in _PREPRINT_DOI:
        if pattern.match(doi):
            return name
    other = " ".join(decode_plain(fields.get(n, "")) for n in ("publisher", "howpublished", "institution", "note",
                                                               "eprinttype", "number"))
    found = _PREPRINT_VENUE.search(other)
    if found and (kind != "report" or found.group().lower() in ("arxiv", "ssrn", "eccc", "corr")):
        return _server(found.group(), arxiv)
    if arxiv and kind in ("article", "misc", "online", "unpublished"):
        return "arXiv"
    return ""


# Web of Science writes journal names in capitals ("APPLIED AND ENVIRONMENTAL MICROBIOLOGY"): shown in title case,
# with the acronyms journals keep and the small words lower case, and said once per file
_SMALL_WORDS = frozenset({"a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "of", "on", "or",
                          "the", "to", "with", "de", "del", "della", "des", "du", "la", "le", "les", "und", "der",
                          "die", "fur", "für", "y", "e", "et", "van", "von"})
_ACRONYMS = frozenset({"IEEE", "ACM", "SIAM", "PLOS", "BMC", "JAMA", "AIP", "IOP", "ASCE", "IET", "RSC", "ACS",
                       "ICES", "AAPG", "SPIE", "IUCR", "EMBO", "FEBS", "FASEB", "AGU", "AIAA", "ASME", "IFAC", "NATO",
                       "USA", "US", "UK", "EU", "II", "III", "IV", "VI", "ISPRS", "GPS", "DNA", "RNA", "NMR", "ISME",
                       "PNAS", "SSRN", "HIV", "AIDS", "BBA", "CNS", "IFIP", "SPE", "SEG", "GSA", "AAAI", "ICML",
                       "CVPR", "ESA", "NASA", "ASABE", "OECD", "WSEAS", "MRS", "ECS", "IUPAC", "JPN", "USSR"})


def _title_case(text: str) -> str:
    out = []
    for i, word in enumerate(text.split()):
        if any(c.isdigit() for c in word) or word.strip("().,:;&-") in _ACRONYMS:
            out.append(word)
            continue
        lower = word.lower()
        if i and lower in _SMALL_WORDS:
            out.append(lower)
            continue
        out.append("-".join(part[:1].upper() + part[1:] for part in lower.split("-")))
    return " ".join(out)


_WOS_FIELDS = ("unique-id", "times-cited", "web-of-science-categories", "researcherid-numbers", "doc-delivery-number")


# journals whose own name is in capitals, as Crossref writes them (rostal/rostal.github.io works.bib: "PLOS ONE"
# was shown "PLOS One", with a warning that blamed Web of Science)
_CAPITAL_NAMES = frozenset({"PLOS ONE", "ACS NANO", "BMJ OPEN", "JAMA", "PNAS NEXUS", "ACS OMEGA", "AIP ADVANCES",
                            "NPJ", "RSC ADVANCES", "IUCRJ", "JCI INSIGHT", "ELIFE", "NAR CANCER"})


def _capitals(fields: dict[str, str], advice: list[tuple[str, str]], written: Mapping[str, str]) -> None:
    # a name of one or two words in capitals may be the journal's own (LIAMES, PLOS ONE): changed only in an
    # entry Web of Science wrote
    from_wos = any(name in fields for name in _WOS_FIELDS)
    for name in ("journaltitle", "booktitle"):
        value = fields.get(name)
        if not value:
            continue
        plain = _unbraced(value)
        letters = [c for c in plain if c.isalpha()]
        if ("\\" in plain or "{" in plain or len(letters) < 6 or not all(c.isupper() for c in letters)
                or plain.strip() in _ACRONYMS or " ".join(plain.split()) in _CAPITAL_NAMES
                or (len(plain.split()) < 3 and not from_wos)):
            continue
        fields[name] = _title_case(" ".join(plain.split()))
        advice.append(("bib_field", f"{written.get(name, name)!r} is written in capitals, as Web of Science exports "
                       "it; it is shown in title case, with the small words in lower case: write it as the journal "
                       "writes it"))


# Scopus exports a chapter as @BOOK with its book in ``journal``, and a paper in a series of proceedings (LNCS)
# as @ARTICLE, and says what each is in its own ``document_type`` (Sumidu/calerovaldez.com, scopus.bib)
_SCOPUS_KINDS = {"conference paper": ("inproceedings", ("article",)),
                 "book chapter": ("incollection", ("book", "article", "inbook"))}


def _scopus_kind(entry_type: str, kind: str, fields: dict[str, str], advice: list[tuple[str, str]]) -> str:
    """The kind an entry is listed and shown as: Scopus's ``document_type`` over the type it wrote."""
    said = " ".join(decode_plain(fields.get("document_type", "")).split()).lower()
    found = _SCOPUS_KINDS.get(said)
    if found is None or kind not in found[1] or "journaltitle" not in fields or "booktitle" in fields:
        return kind
    new = found[0]
    fields["booktitle"] = fields.pop("journaltitle")
    advice.append(("venue_field", f"Scopus's document_type says it is a {said}, not an @{entry_type}: it is listed and "
                   f"shown as @{new}, with its 'journal' as the book it is in; change the type to @{new} and "
                   "rename journal to booktitle"))
    return new
