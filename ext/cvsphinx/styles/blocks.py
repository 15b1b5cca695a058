"""The blocks of the house style: each returns rich text, or an empty Text when the entry has nothing to show.
``house.py``'s tables say which blocks an entry type shows, in which order."""

from __future__ import annotations

import re
from collections.abc import Callable

from pybtex.richtext import BaseText, HRef, Text

from ..core.dates import date_range, iso_date, parse_date
from ..core.identifiers import doi_of, paper_url, url_value
from ..core.labels import ENGLISH, N_, Labels
from ..core.latex import decode_plain
from ..core.rich import make_text
from .base import _ARXIV_ID, _join, _name_list, as_plain
from .entry import (
    Formatting,
    _comma_join,
    _contains_arxiv,
    _italic,
    _language_name,
    _link,
    _numbered,
    _range,
    _shown_language,
    _split_list,
    _with_language,
)

# A title that ends a sentence with a word (PubMed's exports do: "... in antiferromagnets."), not with an
# abbreviation ("U.S.", "et al.", "Inc."): its period goes, or the comma after it would make ".,".
# After a closing parenthesis or quotation mark the period ends the sentence too ("(Veracruz, Brasil).").
_FINAL_PERIOD = re.compile(r"(?:[^\W\d_]{4,}|[)\]»”’\"'])\.$")


def _without_final_period(title: Text) -> Text:
    return title[:-1] if title and title.endswith(".") and _FINAL_PERIOD.search(as_plain(title).rstrip()) else title


def _title(entry: Formatting, italic: bool = False) -> Text:
    title = _without_final_period(entry.text("title"))
    subtitle = entry.text("subtitle")
    if subtitle:
        title = make_text(title, ": ", subtitle) if title else subtitle
    addon = entry.text("titleaddon")
    if addon:
        title = make_text(title, ", ", addon) if title else addon
    if entry.link_title and title and not _has_link(title):
        target = paper_url(entry.record)
        if target:
            title = make_text(HRef(target, title))
    return _italic(title) if italic else title


def _has_link(text: BaseText) -> bool:
    """A title that holds a link of its own (``\\url``) is not wrapped in another."""
    if isinstance(text, HRef):
        return True
    return any(_has_link(part) for part in getattr(text, "parts", ()))


def b_title(entry: Formatting) -> Text:
    return _with_language(entry, "title", _title(entry))


def b_title_italic(entry: Formatting) -> Text:
    return _with_language(entry, "title", _title(entry, italic=True))


def _by(entry: Formatting, role: str, words: str, **parts: Text) -> Text:
    """``words`` is a message with ``{names}`` (``ed. by {names}``): the names go where the language puts them."""
    if not entry.record.persons.get(role) or entry.head_role == role:
        return make_text()
    names, _ = _name_list(entry.record, role, entry.ctx, invert_first=False, nested=entry.nested)
    return entry.ctx.labels.fill(words, names=names, **parts)


def _same_people(entry: Formatting, one: str, other: str) -> bool:
    first, second = entry.record.persons.get(one), entry.record.persons.get(other)
    return bool(first) and [str(p) for p in first] == [str(p) for p in second or []]


def b_editors(entry: Formatting) -> Text:
    """``ed. by A. Smith and B. Jones`` (unless the editors head the entry); ``ed. and transl. by`` when they translated."""
    if entry.head_role != "editor" and _same_people(entry, "editor", "translator"):
        return _by(entry, "editor", N_("ed. and transl. by {names}"))
    if _same_people(entry, "editor", "commentator"):
        return _by(entry, "editor", N_("ed. and comm. by {names}"))
    return _by(entry, "editor", N_("ed. by {names}"))


def b_translators(entry: Formatting) -> Text:
    """``transl. by A. Smith``; ``transl. from the German by`` with ``origlanguage``; ``transl. and comm. by``."""
    if entry.head_role != "editor" and entry.record.persons.get("editor") and _same_people(entry, "translator", "editor"):
        return make_text()  # said with the editors
    labels = entry.ctx.labels
    commented = _same_people(entry, "translator", "commentator")
    languages = [n for n in (_language_name(i) for i in _split_list(decode_plain(entry.record.get("origlanguage"))))
                 if n]
    if languages:
        words = (N_("transl. and comm. from the {languages} by {names}") if commented
                 else N_("transl. from the {languages} by {names}"))
        shown = make_text(*_join([make_text(_shown_language(n, labels)) for n in languages], labels))
        return _by(entry, "translator", words, languages=shown)
    return _by(entry, "translator", N_("transl. and comm. by {names}") if commented else N_("transl. by {names}"))


# biblatex's editor types (editoratype): the words before the names
_EDITOR_TYPES = {"editor": N_("ed. by {names}"), "compiler": N_("comp. by {names}"),
                 "founder": N_("founded by {names}"), "continuator": N_("continued by {names}"),
                 "redactor": N_("red. by {names}"), "reviser": N_("rev. by {names}"),
                 "collaborator": N_("in collab. with {names}"), "organizer": N_("org. by {names}"),
                 "director": N_("dir. by {names}")}


_CONTRIBUTORS = (("commentator", N_("comm. by {names}")), ("annotator", N_("annot. by {names}")),
                 ("introduction", N_("with an intro. by {names}")), ("foreword", N_("with a foreword by {names}")),
                 ("afterword", N_("with an afterw. by {names}")))


def b_contributors(entry: Formatting) -> Text:
    """The other people of a book, as biblatex names them: ``red. by`` (``editora`` with ``editoratype``),
    ``comm. by``, ``annot. by``, ``with an intro. by``, ``with a foreword by``, ``with an afterw. by``."""
    pieces: list[Text] = []
    for role in ("editora", "editorb", "editorc"):
        kind = decode_plain(entry.record.get(f"{role}type")).strip().lower()
        pieces.append(_by(entry, role, _EDITOR_TYPES.get(kind, _EDITOR_TYPES["editor"])))
    for role, words in _CONTRIBUTORS:
        if role == "commentator" and (_same_people(entry, "commentator", "translator")
                                      or _same_people(entry, "commentator", "editor")):
            continue  # said with the translators or the editors
        pieces.append(_by(entry, role, words))
    return make_text(*_comma_join(pieces))


def b_journal(entry: Formatting) -> Text:
    """``*Journal*`` (``submitted to *Journal*`` while submitted), with its language."""
    journal = entry.text("journaltitle")
    subtitle = entry.text("journalsubtitle")
    if subtitle:
        journal = make_text(journal, ": ", subtitle)
    if not journal and entry.record.preprint not in ("", "arXiv", "preprint") and not entry.record.arxiv:
        journal = make_text(entry.record.preprint)  # a bioRxiv or SSRN paper known by its DOI alone: its server
    if not journal or _contains_arxiv(entry, journal):
        return make_text()
    venue = _with_language(entry, "venue", _italic(journal))
    series = _series(entry)
    if series:
        venue = make_text(venue, ", ", series)
    if entry.pubstate == "submitted":
        entry.said_submitted = True
        return entry.ctx.labels.fill("submitted to {venue}", venue=venue)
    return venue


def b_venue(entry: Formatting) -> Text:
    """A journal or a book named by an entry of another type (@misc with ``journal``): in italics."""
    if entry.text("journaltitle"):
        return b_journal(entry)
    booktitle = entry.text("booktitle")
    if not booktitle or _contains_arxiv(entry, booktitle):
        return make_text()
    return _with_language(entry, "venue", _italic(booktitle))


def _series(entry: Formatting) -> Text:
    """An article's ``series``: ``3rd ser.`` for a number, ``new ser.`` for biblatex's ``newseries``."""
    series = entry.text("series")
    plain = as_plain(series).strip()
    if plain.isdigit():
        return make_text(_numbered(entry, N_("{nth} ser."), int(plain)))
    named = {"newseries": N_("new ser."), "oldseries": N_("old ser.")}.get(plain.lower())
    return make_text(entry.ctx.labels(named)) if named else series


def _volume(entry: Formatting) -> Text:
    """``7.2``: the volume and biblatex's ``part`` of it."""
    volume, part = entry.text("volume"), entry.text("part")
    return make_text(volume, ".", part) if volume and part else volume


def b_issue_title(entry: Formatting) -> Text:
    return entry.text("issuetitle")


def b_numbers(entry: Formatting) -> Text:
    """``220``, ``10(12)``, ``no. 5``: volume and issue of a journal."""
    volume, number = _volume(entry), entry.text("number") or entry.text("issue")
    if _contains_arxiv(entry, volume):
        volume = make_text()
    if _contains_arxiv(entry, number):
        number = make_text()
    if volume:
        return make_text(volume, "(", number, ")") if number else volume
    return entry.ctx.labels.fill("no.\u00a0{number}", number=number) if number else make_text()


def b_pages_bare(entry: Formatting) -> Text:
    """An article's pages, or its article number (``eid``) when it has no pages."""
    pages = entry.text("pages")
    if _contains_arxiv(entry, pages):
        pages = make_text()
    eid = entry.text("eid")
    return _range(pages) if pages else (make_text() if _contains_arxiv(entry, eid) else eid)


def b_pages(entry: Formatting) -> Text:
    """``pp. 55–65``, ``p. 55`` (a no-break space after the abbreviation, as after "vol." and "no.")."""
    pages = entry.text("pages")
    if not pages or _contains_arxiv(entry, pages):
        return make_text()
    plain = as_plain(pages)
    if re.fullmatch(r"\s*(?:p|pp|pages?)\.?\s.*", plain, re.IGNORECASE):  # written with its own "pp."
        return _range(pages)
    message = N_("pp.\u00a0{pages}") if re.search(r"[-‐‑–—,+]", plain) else N_("p.\u00a0{pages}")
    return entry.ctx.labels.fill(message, pages=_range(pages))


def b_chapter(entry: Formatting) -> Text:
    """``chap. 14``: the chapter of a book an entry is (biblatex's ``chapter`` field, shown before the pages)."""
    chapter = entry.text("chapter")
    return entry.ctx.labels.fill(N_("chap.\u00a0{chapter}"), chapter=chapter) if chapter else make_text()


def b_in_book(entry: Formatting) -> Text:
    """``in *Booktitle*`` (the book's author first, when it has one); lower case after the comma, as AGU writes it."""
    book = entry.text("booktitle") or entry.text("eventtitle")
    subtitle = entry.text("booksubtitle")
    if subtitle:
        book = make_text(book, ": ", subtitle)
    if not book:
        return make_text()
    book = _with_language(entry, "venue", _italic(book))
    addon = entry.text("booktitleaddon")
    if addon:
        book = make_text(book, ", ", addon)
    if entry.record.persons.get("bookauthor") and not _same_people(entry, "bookauthor", "author"):  # said in the head
        names, _ = _name_list(entry.record, "bookauthor", entry.ctx, invert_first=False, nested=entry.nested)
        book = make_text(names, ", ", book)
    if entry.pubstate == "submitted":
        entry.said_submitted = True
        return entry.ctx.labels.fill("submitted to {venue}", venue=book)
    return entry.ctx.labels.fill("in {book}", book=book)


_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December")


def _event_date(text: str, labels: Labels = ENGLISH) -> str:
    """``1968-05-19/1968-05-25`` -> ``May 19–25, 1968``: a meeting's dates are shown in full, as biblatex does;
    in another language as Babel (CLDR) writes them there (``19.–25. Mai 1968``)."""
    date = parse_date(text)
    if date is None:
        return decode_plain(text)
    end = parse_date(text.partition("/")[2]) if "/" in text else None
    if not labels.english:
        return date_range(date, end, labels.language)

    def one(d, year: bool = True) -> str:
        if d.month and 1 <= d.month <= 12:
            if not d.day:
                return _MONTH_NAMES[d.month - 1] + (f" {d.year}" if year else "")
            return f"{_MONTH_NAMES[d.month - 1]} {d.day}" + (f", {d.year}" if year else "")
        return str(d.year)

    if end is None or end == date:
        return one(date)
    if end.year == date.year and end.month == date.month and date.day and end.day:
        return f"{_MONTH_NAMES[date.month - 1]} {date.day}–{end.day}, {date.year}"
    if end.year == date.year and date.month and end.month:
        return f"{one(date, year=False)} – {one(end)}"
    return f"{one(date)} – {one(end)}"


def b_event(entry: Formatting) -> Text:
    """The meeting: ``Eighth Nobel Symposium (Aspenäsgarden, Lerum, May 19–25, 1968)``: ``eventtitle`` (when the
    booktitle was shown), ``venue`` and ``eventdate``, which a conference paper or a talk on a CV needs."""
    record = entry.record
    # a paper without a booktitle shows its event title as the book (b_in_book): not twice
    title = make_text() if record.kind == "inproceedings" and not record.get("booktitle") else entry.text("eventtitle")
    dates = record.get("eventdate")
    place = [p for p in (entry.text("venue"), make_text(_event_date(dates, entry.ctx.labels)) if dates else make_text()) if p]
    where = make_text(*_comma_join(place))
    if title and where:
        return make_text(title, " (", where, ")")
    return title or where


def _pagetotal(entry: Formatting) -> Text:
    total = entry.text("pagetotal")
    if not total:
        return make_text()
    return entry.ctx.labels.fill("{total}\u00a0pp.", total=total) if as_plain(total).strip().isdigit() else total


def b_edition(entry: Formatting) -> Text:
    """``2nd edn.``; an edition written in words is shown as written."""
    edition = entry.text("edition")
    plain = as_plain(edition).strip()
    if plain.isdigit():
        return make_text(_numbered(entry, N_("{nth} edn."), int(plain)))
    return edition


def b_volume_series(entry: Formatting) -> Text:
    """``vol. 2 of *Maintitle*``, ``vol. 1234 of Series``, ``vol. 2``, ``3 vols.``, ``Series 12``."""
    volume, series, number = _volume(entry), entry.text("series"), entry.text("number")
    main = entry.text("maintitle")
    if main and entry.text("mainsubtitle"):
        main = make_text(main, ": ", entry.text("mainsubtitle"))
    pieces: list[Text] = []
    labels = entry.ctx.labels
    if volume and main:
        pieces.append(labels.fill("vol.\u00a0{volume} of {work}", volume=volume, work=_italic(main)))
    elif volume and series and not number:
        pieces.append(labels.fill("vol.\u00a0{volume} of {work}", volume=volume, work=series))
        series = make_text()
    elif volume:
        pieces.append(labels.fill("vol.\u00a0{volume}", volume=volume))
    elif entry.text("volumes"):
        pieces.append(labels.fill("{volumes}\u00a0vols.", volumes=entry.text("volumes")))
    if series:
        pieces.append(make_text(series, " ", number) if number else series)
    elif number:
        pieces.append(labels.fill("no.\u00a0{number}", number=number))
    return make_text(*_comma_join(pieces))


_THESIS = {"phdthesis": N_("PhD thesis"), "mathesis": N_("Master's thesis"), "mastersthesis": N_("Master's thesis"),
           "candthesis": N_("Candidate thesis"), "bathesis": N_("Bachelor's thesis")}


def b_thesis_type(entry: Formatting) -> Text:
    """``*PhD thesis*``, ``*Master's thesis*``, or the ``type`` as written; in italics."""
    written = entry.record.get("type").strip()
    name = _THESIS.get(written.lower().replace(" ", ""))
    labels = entry.ctx.labels
    return _italic(make_text(labels(name)) if name else (entry.text("type") if written else make_text(labels("Thesis"))))


_REPORT = {"techreport": N_("Technical report"), "resreport": N_("Research report")}


def b_report(entry: Formatting) -> Text:
    """``Technical report 42``: the type (``Technical report`` by default) and the number."""
    written = entry.record.get("type").strip()
    name = _REPORT.get(written.lower()) if written else "Technical report"
    kind = make_text(entry.ctx.labels(name)) if name else entry.text("type")
    number = entry.text("number")
    return make_text(kind, " ", number) if number else kind


# biblatex's patent types (patentus, patreqde...): the whole phrase, which languages order differently
_PATENTS = {"patent": N_("Patent"), "patentau": N_("Australian patent"), "patentde": N_("German patent"),
            "patenteu": N_("European patent"), "patentfr": N_("French patent"), "patentuk": N_("British patent"),
            "patentus": N_("U.S. patent"), "patreq": N_("Patent request"),
            "patreqau": N_("Australian patent request"), "patreqde": N_("German patent request"),
            "patreqeu": N_("European patent request"), "patreqfr": N_("French patent request"),
            "patrequk": N_("British patent request"), "patrequs": N_("U.S. patent request")}


def b_patent(entry: Formatting) -> Text:
    """``U.S. patent 7,654,321 (Acme Corp.)``: biblatex's patent types, the number, the holders."""
    written = entry.record.get("type").strip().lower()
    if written in _PATENTS:
        name = make_text(entry.ctx.labels(_PATENTS[written]))
    else:
        name = entry.text("type") or make_text(entry.ctx.labels(_PATENTS["patent"]))
    number = entry.text("number")
    out = make_text(name, " ", number) if number else name
    if entry.record.persons.get("holder"):
        holders, _ = _name_list(entry.record, "holder", entry.ctx, invert_first=False, nested=entry.nested)
        out = make_text(out, " (", holders, ")")
    return out


def b_version(entry: Formatting) -> Text:
    version = entry.text("version")
    if not version:
        return make_text()
    plain = as_plain(version).strip().lower()
    return version if plain.startswith(("version", "v", "release")) else entry.ctx.labels.fill("version {version}",
                                                                                                   version=version)


def _field(name: str, skip_arxiv: bool = False) -> Callable[[Formatting], Text]:
    def block(entry: Formatting) -> Text:
        text = entry.text(name)
        if skip_arxiv and text and _contains_arxiv(entry, text):
            return make_text()
        return text

    block.__name__ = f"b_{name}"
    block.__doc__ = f"The ``{name}`` field as written."
    return block


def b_pubstate(entry: Formatting) -> Text:
    """``in press``, ``forthcoming``...; "submitted" when no venue said it; "in review" is the group's to say."""
    state = entry.pubstate
    if not state or state == "inreview" or (state == "submitted" and entry.said_submitted):
        return make_text()
    return make_text(entry.ctx.labels(_PUBSTATES[state])) if state in _PUBSTATES else entry.text("pubstate")


_PUBSTATES = {"inpress": N_("in press"), "submitted": N_("submitted"), "forthcoming": N_("forthcoming"),
              "prepublished": N_("prepublished"), "inpreparation": N_("in preparation")}


def b_isbn(entry: Formatting) -> Text:
    isbn = entry.record.get("isbn").strip()
    return make_text(f"ISBN {decode_plain(isbn)}") if isbn and entry.ctx.show_isbn else make_text()


_EPRINTS = {"pubmed": ("PMID", "https://pubmed.ncbi.nlm.nih.gov/{}/"), "hdl": ("hdl", "https://hdl.handle.net/{}"),
            "jstor": ("JSTOR", "https://www.jstor.org/stable/{}"),
            "googlebooks": ("Google Books", "https://books.google.com/books?id={}")}


def b_eprint(entry: Formatting) -> Text:
    """``arXiv:1905.01234 [astro-ph.CO]`` linked to the abstract page; PubMed, handles, JSTOR likewise."""
    record = entry.record
    if record.arxiv:
        ident, category = record.arxiv
        ident = ident.strip()
        label = f"arXiv:{ident}"
        link = _link(f"https://arxiv.org/abs/{ident}", label) if _ARXIV_ID.match(ident) else make_text(label)
        return make_text(link, f" [{category}]") if category else link
    eprint = decode_plain(record.get("eprint")).strip()
    if not eprint:
        return make_text()
    kind = record.get("eprinttype").strip().lower()
    if kind in _EPRINTS and _ARXIV_ID.match(eprint):
        name, pattern = _EPRINTS[kind]
        return make_text(f"{name}: ", _link(pattern.format(eprint), eprint))
    return make_text(f"{decode_plain(record.get('eprinttype')).strip()}: {eprint}" if kind else eprint)


def b_preprint(entry: Formatting) -> Text:
    """``preprint: bioRxiv, doi:10.1101/…``: the preprint cv_merge_preprints folded into its published version."""
    found = entry.record.preprint_doi
    if not found:
        return make_text()
    server, doi = found
    return entry.ctx.labels.fill("preprint: {server}, doi:{doi}", server=server, doi=HRef(f"https://doi.org/{doi}", doi))


def b_link(entry: Formatting) -> Text:
    """``doi:10.x/y`` linked to doi.org; without a DOI, the url (and ``accessed`` its date)."""
    record = entry.record
    doi_field = record.get("doi").strip()
    if doi_field:
        value = url_value(doi_field)
        doi = doi_of(value)
        if doi and record.arxiv and doi.lower().startswith("10.48550/arxiv."):
            return make_text()  # arXiv's own DOI: the arXiv link says it
        if doi:
            return make_text("doi:", HRef(f"https://doi.org/{doi}", doi))
        return make_text("doi:", decode_plain(doi_field))
    url = url_value(record.get("url"))
    if not url or (record.arxiv and re.search(r"arxiv\.org/(?:abs|pdf)/", url, re.IGNORECASE)):
        return make_text()
    link = _link(url, url)
    urldate = decode_plain(record.get("urldate")).strip()
    if not urldate:
        return link
    return entry.ctx.labels.fill("{link}, accessed {date}", link=link, date=iso_date(urldate, entry.ctx.labels))
