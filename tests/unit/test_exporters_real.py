"""What three more exporters write, read from excerpts of real files (sources and commits in each file's head).

Web of Science (every field in two pairs of braces, article numbers, "SI"), Scopus (a field name with a no-break
space that cost 28 of 76 entries, its notes and record addresses, its bookkeeping), Paperpile (a git merge
conflict left in the file), and an ORCID export edited by hand (two entries without their '@').
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cvsphinx.core.catalog import read_files
from cvsphinx.core.links import bibtex

DATA = Path(__file__).parents[1] / "data"


def _read(name: str):
    records, problems = read_files([str(DATA / name)])
    return {r.key: r for r in records}, problems


def test_web_of_science_dois_in_double_braces_are_dois() -> None:
    records, problems = _read("lopezurrutia-wos-excerpt.bib")
    assert len(records) == 3
    assert records["ISI:000397107300020"].get("doi") == "10.1128/AEM.03317-16"
    assert not [p for p in problems if p.subtype == "bad_doi"]  # it was "not of the form 10.NNNN/suffix"


def test_web_of_science_article_numbers_and_special_issues() -> None:
    records, _ = _read("lopezurrutia-wos-excerpt.bib")
    assert records["ISI:000397107300020"].get("eid") == "e03317-16"  # "UNSP e03317-16", no pages
    assert records["ISI:000363448500052"].get("number") == "10"  # {{10, SI}}
    assert records["ISI:000327916900003"].get("number") == ""  # {{SI}}


def test_a_scopus_field_name_with_a_no_break_space_costs_no_entry() -> None:
    records, problems = _read("calerovaldez-scopus-excerpt.bib")
    assert set(records) == {"Brauner20191225", "CaleroValdez2019142", "Holzinger2014124", "Agugiaro2019"}
    assert not [p for p in problems if p.subtype == "bib_syntax"]
    # funding_text and funding_details are Scopus's bookkeeping, never shown: read, and not worth a warning
    assert not [t for r in records.values() for t in r.problems if "funding" in t]


def test_a_shown_field_whose_name_holds_a_no_break_space_is_read_and_named(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text("@article{a, author = {Liu, Lin}, title = {T}, jour\u00a0nal = {J. Geophys. Res.}, year = {2020}}\n",
                   encoding="utf-8")
    (record,), _ = read_files([str(bib)])
    assert record.get("journal") == "J. Geophys. Res."
    assert record.problems == ["field name 'jour\\xa0nal' holds an invisible no-break space (U+00A0); it is read as "
                               "'journal': remove the space (or the field)"]


def test_scopus_notes_addresses_and_bookkeeping() -> None:
    records, _ = _read("calerovaldez-scopus-excerpt.bib")
    note = records["CaleroValdez2019142"].get("note")
    assert note.startswith("Conference of 4th International Conference") and "Conference Code" not in note
    assert "Conference Date" not in note and "cited By" not in note and " ;" not in note
    assert not records["Holzinger2014124"].get("url")  # scopus.com/inward/record.uri: Scopus's record, not the work
    assert records["Agugiaro2019"].get("eid") == "3"  # art_number
    shown = bibtex(records["Brauner20191225"])
    for field in ("author_keywords", "references", "funding_details", "funding_text", "correspondence_address",
                  "abbrev_source_title", "document_type", "source"):
        assert f"  {field}" not in shown, field
    assert "  doi = {10.1080/0144929X.2019.1581258}" in shown


def test_a_merge_conflict_is_named_and_its_twin_entries_shown_once() -> None:
    records, problems = _read("liang-paperpile-conflict-excerpt.bib")
    assert list(records) == ["Bailey2018-vq"]
    conflict = [p for p in problems if "merge conflict" in p.message]
    assert len(conflict) == 1 and conflict[0].line > 1 and "<<<<<<<" in conflict[0].message
    twice = [p for p in problems if p.subtype == "duplicate_key"]
    assert len(twice) == 1 and "shown once" in twice[0].message


def test_an_entry_without_its_at_sign_is_named() -> None:
    _, problems = _read("martinezbatlle-orcid-excerpt.bib")
    headless = sorted((p.key, p.line) for p in problems if "without its '@'" in p.message)
    assert [key for key, _ in headless] == ["2005Mdua", "2005Mgdg"]
    assert all("@misc{" in p.message for p in problems if "without its '@'" in p.message)


def test_a_character_lost_to_a_wrong_encoding_is_named(tmp_path: Path) -> None:
    # Scopus's export (Sumidu/calerovaldez.com, scopus.bib, Vervier2019213): title={\ufffdAttitude\ufffd- …}
    bib = tmp_path / "refs.bib"
    bib.write_text("@article{Vervier2019213, author = {Vervier, L.}, title = {\ufffdAttitude\ufffd- mHealth}, "
                   "journal = {J}, year = {2019}}\n", encoding="utf-8")
    (record,), _ = read_files([str(bib)])
    assert [p for p in record.problems if "U+FFFD" in p and "'title'" in p]


def test_web_of_science_journal_names_in_capitals_are_shown_in_title_case() -> None:
    records, _ = _read("lopezurrutia-wos-excerpt.bib")
    assert records["ISI:000397107300020"].get("journal") == "Applied and Environmental Microbiology"
    assert records["ISI:000327916900003"].get("journal") == "Journal of Sea Research"
    said = [a for r in records.values() for _, a in r.advice if "in capitals" in a]
    assert len(said) == 3


@pytest.mark.parametrize("journal", ["LIAMES", "IEEE", "مجلة العلوم الجغرافية", "Journal of Sea Research"])
def test_names_that_are_not_capitals_of_web_of_science_stay(tmp_path: Path, journal: str) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(f"@article{{a, author = {{Liu, Lin}}, title = {{T}}, journal = {{{journal}}}, year = {{2019}}}}\n",
                   encoding="utf-8")
    (record,), _ = read_files([str(bib)])
    assert record.get("journal") == journal and not record.advice


def test_scopus_document_types_say_what_an_entry_is() -> None:
    records, _ = _read("calerovaldez-scopus-excerpt.bib")
    paper = records["CaleroValdez2019142"]  # @ARTICLE, document_type = {Conference Paper}, in a CCIS volume
    assert paper.type == "article" and paper.kind == "inproceedings"
    assert paper.get("booktitle").startswith("Communications in Computer and Information Science")
    assert records["Brauner20191225"].kind == "article"  # document_type = {Article}
    assert records["Agugiaro2019"].kind == "article"  # {Editorial}: an article still


def test_a_scopus_chapter_exported_as_a_book_is_a_chapter(tmp_path: Path) -> None:
    # Scopus (Sumidu/calerovaldez.com, scopus.bib, Jeschke2017993), its fields as written, bookkeeping left out
    bib = tmp_path / "refs.bib"
    bib.write_text("@BOOK{Jeschke2017993,\nauthor={Jeschke, S. and Calero Valdez, A.},\ntitle={Scientific cooperation "
                   "engineering},\njournal={Integrative Production Technology: Theory and Applications},\n"
                   "year={2017},\npages={993-1046},\ndoi={10.1007/978-3-319-47452-6_11},\npublisher={Springer "
                   "International Publishing},\ndocument_type={Book Chapter},\nsource={Scopus},\n}\n", encoding="utf-8")
    (record,), _ = read_files([str(bib)])
    assert record.kind == "incollection"
    assert record.get("booktitle") == "Integrative Production Technology: Theory and Applications"
    assert [s for s, a in record.advice if "Book chapter" in a or "book chapter" in a] == ["venue_field"]


def test_crossref_inline_tags_initials_and_a_journal_in_its_own_capitals() -> None:
    """An ORCID export in Crossref's format (rostal/rostal.github.io @31c6ffe): "<i>Salmonella</i>" is italic, not
    tags shown as text; "Rostal, MK." is M. K. Rostal; "PLOS ONE" stays as the journal writes it, unwarned."""
    from cvsphinx.sphinxext.render import _HTML

    records, _ = _read("rostal-crossref-excerpt.bib")
    title = records["Rahman_2023"].text("title").render(_HTML)
    assert "<em>Salmonella</em> spp. and <em>Staphylococcus</em> spp." in title and "&lt;" not in title
    assert records["Olival_2015"].text("title").render(_HTML).startswith("<em>Bartonella</em> spp.")
    assert str(records["Epstein_2011"].text("title")).endswith("(Pteropus hypomelanus)")
    assert [str(p) for p in records["Aguirre_2012"].persons["author"]][1] == "Rostal, M. K."
    assert records["Verster_2020"].get("journal") == "PLOS ONE"
    assert not [a for r in records.values() for _, a in r.advice if "in capitals" in a]


def test_hal_document_types_preprint_note_and_repeated_series_are_not_shown() -> None:
    """HAL's export: ``TYPE = {Theses}`` / ``{Research Report}`` is its document type, not the thesis's own (the
    CV's word shows, in its language); ``NOTE = {working paper or preprint}`` is on every preprint; ``SERIES``
    repeats the conference's name.  Each is left out and said."""
    records, _ = _read("hal-excerpt.bib")
    thesis, report = records["jeanvoine:tel-00260099"], records["ruiz:hal-01372050"]
    paper, preprint = records["ruiz:hal-01195549"], records["ashokan:hal-05443844"]
    assert thesis.get("type") == "phdthesis" and report.get("type") in ("", "techreport")  # as biblatex reads the entry type
    assert report.get("number") == "RR-8955"
    assert not preprint.get("note") and not paper.get("series") and "VHPC" in paper.get("booktitle")
    said = [a for r in records.values() for _, a in r.advice]
    assert sum("HAL's name of the document type" in a for a in said) == 2
    assert sum("on every preprint" in a for a in said) == 1 and sum("repeats the booktitle" in a for a in said) == 1
