"""records.py without Sphinx: the data model between the reader and everything else."""

from __future__ import annotations

from pathlib import Path

import pytest
from cvsphinx.core.bibfile import read_bib
from cvsphinx.core.dates import Date, parse_date
from cvsphinx.core.names import parse_names
from cvsphinx.core.records import build_records


def records_of(tmp_path: Path, text: str, name: str = "refs.bib"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    entries, problems = read_bib(path)
    assert problems == []
    records, _ = build_records(entries)
    return {r.key: r for r in records}


# -- Fields ---------------------------------------------------------------------------


def test_bibtex_and_biblatex_names_are_one_field(tmp_path: Path) -> None:
    recs = records_of(tmp_path, """
@article{a, journal = {J. Glac.}, address = {Cambridge}, year = 2001, title = {A}}
@article{b, journaltitle = {J. Glac.}, location = {Cambridge}, date = {2001-05}, title = {B}}
@thesis{c, school = {CU Boulder}, year = 2011, type = {phdthesis}, title = {C}}
@phdthesis{d, institution = {CU Boulder}, year = 2011, title = {D}}
""")
    for key in "ab":
        assert recs[key].get("journal") == recs[key].get("journaltitle") == "J. Glac."
        assert recs[key].get("address") == recs[key].get("location") == "Cambridge"
        assert recs[key].year == 2001
    assert recs["b"].date == Date(2001, 5)
    assert recs["c"].get("school") == recs["d"].get("institution") == "CU Boulder"
    assert recs["d"].kind == "thesis" and recs["d"].type == "phdthesis" and recs["d"].get("type") == "phdthesis"


def test_both_names_of_one_field_is_a_problem(tmp_path: Path) -> None:
    recs = records_of(tmp_path, "@article{a, journal = {X}, journaltitle = {Y}, year = 2001, title = {A}}")
    assert recs["a"].get("journal") == "Y"
    assert any("both 'journal' and 'journaltitle'" in p for p in recs["a"].problems)


@pytest.mark.parametrize(("text", "date", "shown"), [
    ("2019", Date(2019), "2019"),
    ("2019-05", Date(2019, 5), "2019"),
    ("2019-05-17", Date(2019, 5, 17), "2019"),
    ("2019/2020", Date(2019, end_year=2020), "2019–2020"),
    ("2019-05/2020-01", Date(2019, 5, end_year=2020, end_month=1), "2019–2020"),
    ("2019/", Date(2019, open_end=True), "2019–"),
    ("2019~", Date(2019, circa=True), "ca. 2019"),
    ("2019?", Date(2019, uncertain=True), "2019?"),
    ("2019%", Date(2019, circa=True, uncertain=True), "ca. 2019?"),
])
def test_dates(text: str, date: Date, shown: str) -> None:
    assert parse_date(text) == date
    assert date.display() == shown


@pytest.mark.parametrize("text", ["", "May 2019", "2019-13", "19", "2019-05-17/x"])
def test_not_dates(text: str) -> None:
    assert parse_date(text) is None


def test_circa_date_in_a_file(tmp_path: Path) -> None:
    recs = records_of(tmp_path, "@misc{a, date = {1850~}, title = {A}}\n@misc{b, date = {1850-05?}, title = {B}}")
    assert recs["a"].date == Date(1850, circa=True) and recs["b"].date == Date(1850, 5, uncertain=True)


def test_year_and_month_macro(tmp_path: Path) -> None:
    recs = records_of(tmp_path, "@article{a, year = 2019, month = mar, title = {A}}")
    assert recs["a"].date == Date(2019, 3)


def test_crossref_inherits_with_biblatex_rules(tmp_path: Path) -> None:
    recs = records_of(tmp_path, """
@inproceedings{paper, author = {Liu, Lin}, title = {Paper}, crossref = {proc}, pages = {1--5}}
@proceedings{proc, title = {Proceedings of IGARSS}, editor = {Doe, Jane}, year = 2019, publisher = {IEEE},
  location = {Yokohama}, ids = {p1}}
@incollection{chap, title = {Chapter}, crossref = {coll}}
@collection{coll, title = {The Book}, subtitle = {Sub}, year = 2020}
""")
    paper = recs["paper"]
    assert paper.get("title") == "Paper"
    assert paper.get("booktitle") == "Proceedings of IGARSS"
    assert paper.get("publisher") == "IEEE" and paper.get("location") == "Yokohama" and paper.year == 2019
    assert "ids" not in paper.fields
    assert [str(p) for p in paper.persons["editor"]] == ["Doe, Jane"]
    assert recs["chap"].get("booktitle") == "The Book" and recs["chap"].get("booksubtitle") == "Sub"
    assert "proc" in recs  # the parent is a publication of its own


def test_xdata_is_inherited_and_not_a_publication(tmp_path: Path) -> None:
    recs = records_of(tmp_path, """
@xdata{ieee, publisher = {IEEE}, location = {New York}}
@xdata{ieeetgrs, xdata = {ieee}, journal = {IEEE Trans. Geosci. Remote Sens.}}
@article{a, author = {Liu, Lin}, title = {A}, xdata = {ieeetgrs}, year = 2020}
@set{s, entryset = {a}}
""")
    assert sorted(recs) == ["a"]
    assert recs["a"].get("journal") == "IEEE Trans. Geosci. Remote Sens."
    assert recs["a"].get("publisher") == "IEEE"


def test_missing_crossref_is_a_problem(tmp_path: Path) -> None:
    recs = records_of(tmp_path, "@inbook{a, title = {A}, crossref = {nowhere}, year = 2001}")
    assert any("crossref 'nowhere' is not in the .bib files" in p for p in recs["a"].problems)


# -- Names ----------------------------------------------------------------------------



def test_names_are_decoded_before_anything_reads_them() -> None:
    names, problems = parse_names(r"Nguy{\~{\^e}}n, Th{\d{i}} Minh and Bj{\o}rk, A. and Isstr\o{}m, B.", {})
    assert problems == []
    assert [" ".join(n.person.last_names) for n in names] == ["Nguyễn", "Bjørk", "Isstrøm"]
    assert names[0].person.first_names + names[0].person.middle_names == ["Thị", "Minh"]


def test_extended_name_format() -> None:
    names, problems = parse_names(
        "family=Souza Filho, given=Francisco de Assis, prefix=de, useprefix=true and Liu, Lin", {})
    assert problems == []
    person = names[0].person
    assert person.last_names == ["Souza", "Filho"] and person.prelast_names == ["de"]
    assert person.first_names == ["Francisco", "de", "Assis"]
    assert " ".join(names[1].person.last_names) == "Liu"


@pytest.mark.parametrize(("written", "surname", "marks"), [
    ("Zhou*, Xuhui", "Zhou", "*"),
    ("Xuhui Zhou*", "Zhou", "*"),
    (r"Zhou, Xuhui$^\dagger$", "Zhou", "†"),
    (r"Xuhui Zhou\textsuperscript{*}", "Zhou", "*"),
    (r"Zhou$^{*\dagger}$, Xuhui", "Zhou", "*†"),
    ("Zhou, Xuhui†", "Zhou", "†"),
    ("Zhou, Xuhui", "Zhou", ""),
    (r"Zhou$^{1,2}$, Xuhui", "Zhou", ""),
    (r"Zhou\textsuperscript{a,*}, Xuhui", "Zhou", "*"),
    ("Zhou, X.", "Zhou", ""),
])
def test_authorship_marks_are_split_off(written: str, surname: str, marks: str) -> None:
    names, problems = parse_names(written, {})
    assert problems == []
    assert " ".join(names[0].person.last_names) == surname
    assert names[0].marks == marks
    assert "*" not in str(names[0].person) and "$" not in str(names[0].person)


def test_stray_comma_is_a_problem_and_the_name_survives() -> None:
    names, problems = parse_names("Torralba-Agell, Adrià, and Liu, Lin", {})
    assert [" ".join(n.person.last_names) for n in names] == ["Torralba-Agell", "Liu"]
    assert names[0].person.first_names == ["Adrià"]
    assert len(problems) == 1 and "stray comma" in problems[0]


def test_names_separated_by_commas_is_a_problem() -> None:
    _, problems = parse_names("Liu, Lin, Chen, Jie, Zhang, Enze", {})
    assert len(problems) == 1 and "separated by commas" in problems[0]


def test_others_and_corporate_names() -> None:
    names, problems = parse_names("{European Space Agency} and others", {})
    assert problems == []
    assert names[0].person.last_names == ["European Space Agency"]
    assert names[1].is_others


# -- arXiv and the digest -------------------------------------------------------------------


@pytest.mark.parametrize("fields", [
    "eprint = {2101.01234}, archiveprefix = {arXiv}, primaryclass = {physics.geo-ph}",
    "eprint = {2101.01234}, eprinttype = {arxiv}, eprintclass = {physics.geo-ph}",
    "arxiv = {2101.01234}, eprintclass = {physics.geo-ph}",
    "journal = {arXiv preprint arXiv:2101.01234}, eprintclass = {physics.geo-ph}",
])
def test_arxiv_identifiers(tmp_path: Path, fields: str) -> None:
    recs = records_of(tmp_path, f"@misc{{a, title = {{A}}, year = 2021, {fields}}}")
    assert recs["a"].arxiv == ("2101.01234", "physics.geo-ph")


def test_digest_is_a_strong_hash_of_the_expanded_entry(tmp_path: Path) -> None:
    one = records_of(tmp_path, "@string{j = {A}}@misc{k, title = j, year = 2001}", "one.bib")["k"]
    two = records_of(tmp_path, "@string{j = {B}}@misc{k, title = j, year = 2001}", "two.bib")["k"]
    same = records_of(tmp_path, "@misc{k,\n   title = {A},   year = {2001}}", "three.bib")["k"]
    assert len(one.digest) == 64
    assert one.digest != two.digest  # the macro's value counts, not the text as typed
    assert one.digest == same.digest  # layout does not


def test_parent_edit_changes_the_childs_digest(tmp_path: Path) -> None:
    a = records_of(tmp_path, "@inproceedings{c, title={C}, crossref={p}}@proceedings{p, title={P1}, year=2001}", "a.bib")
    b = records_of(tmp_path, "@inproceedings{c, title={C}, crossref={p}}@proceedings{p, title={P2}, year=2001}", "b.bib")
    assert a["c"].digest != b["c"].digest


@pytest.mark.parametrize("value", ["Christie, Jr., William M.", "King, III, Martin Luther", "Blackhorse, Sr., Taft"])
def test_a_generation_is_a_name_part_not_a_second_author(value: str) -> None:
    """BibTeX's "Last, Jr, First" (Glottolog writes them so) is one name, also when it is the only author."""
    names, problems = parse_names(value, {})
    assert problems == []
    (name,) = names
    assert name.person.lineage_names and name.person.first_names


def test_names_separated_by_commas_are_still_named() -> None:
    _names, problems = parse_names("Smith, John, Doe", {})
    assert len(problems) == 1 and "separated by commas" in problems[0]


# -- The quick way for plain names is pybtex's way ----------------------------------------------------------

_REAL_BIBS = [Path("/usr/share/texlive/texmf-dist/bibtex/bib/beebe/tugboat.bib"),
              Path("/usr/share/texlive/texmf-dist/bibtex/bib/beebe/typeset.bib"),
              Path("/usr/share/texlive/texmf-dist/bibtex/bib/biblatex/biblatex/biblatex-examples.bib"),
              Path(__file__).parents[1] / "data" / "glottolog-zurich-slice.bib"]


@pytest.mark.parametrize("path", _REAL_BIBS, ids=lambda p: p.name)
def test_plain_names_are_split_as_pybtex_splits_them(path: Path) -> None:
    """Every name of a real file that ``_plain_person`` takes is split into the parts pybtex's parser gives."""
    from cvsphinx.core.names import _plain_person
    from pybtex.bibtex.utils import split_name_list
    from pybtex.database import Person

    if not path.is_file():
        pytest.skip(f"{path} is not installed")
    entries, _ = read_bib(path)
    names = {n.strip() for e in entries for f in ("author", "editor") if e.fields.get(f)
             for n in split_name_list(e.fields[f])}
    taken = 0
    for name in sorted(names):
        quick = _plain_person(name)
        if quick is None:
            continue
        taken += 1
        slow = Person(name)
        parts = ("first_names", "middle_names", "prelast_names", "last_names", "lineage_names")
        assert [getattr(quick, p) for p in parts] == [getattr(slow, p) for p in parts], name
    assert taken > len(names) / 4, (taken, len(names))  # most names are plain: the quick way is used


MARSHALL = Path(__file__).parents[1] / "data" / "marshall-bibdesk-excerpt.bib"


def test_a_doi_or_web_page_kept_in_a_number_field_becomes_the_entrys_own() -> None:
    """A real BibDesk file (hpmarshall/myCV): ``Month = {DOI:…}`` lost the DOI from the page, the PDF and every
    export; ``Number = {https://…}`` printed a web address as a report number.  Now each is the entry's doi or
    url, the field keeps the rest, and a warning names the field to use."""
    from cvsphinx.core.identifiers import doi_of

    entries, problems = read_bib(MARSHALL)
    records, _ = build_records(entries)
    by_key = {r.key: r for r in records}
    assert not problems and len(records) == 6
    expected = {
        "Hagenmuller:2018": ("doi", "10.1016/j.coldregions.2018.02.006", "month"),
        "Hedrick:2020": ("doi", "10.1002/hyp.13749", "pages"),
        "McGrath:2018": ("doi", "10.5194/tc-2018-126", "number"),
        "Marshall:2020": ("doi", "10.5067/K7P8PB6EO1HO", "number"),
        "Marshall:2012": ("url", "https://beyondtheblue.boisestate.edu/blog/2012/01/09/hp-marshall/", "number"),
    }
    for key, (target, value, field) in expected.items():
        record = by_key[key]
        assert record.get(target) == value, key
        assert not record.get(field) or value not in record.get(field), key
        assert [(s, f"'{field.capitalize()}'" in m or f"'{field}'" in m) for s, m in record.advice
                if s == "identifier_field"] == [("identifier_field", True)], key
        if target == "doi":
            assert doi_of(record.get("doi")) == value
    # the rest of a field stays: Hagenmuller's pages and volume, McGrath's pages
    assert by_key["Hagenmuller:2018"].get("pages") == "83-94" and by_key["McGrath:2018"].get("pages") == "3617-3633"
    # an entry with its DOI where it belongs is left alone
    assert by_key["ONeel:2007"].get("doi") == "10.1029/2006JF000595" and not by_key["ONeel:2007"].advice


def test_web_of_science_bookkeeping_stays_out_of_the_shown_bibtex() -> None:
    from cvsphinx.core.links import bibtex

    entries, _ = read_bib(MARSHALL)
    records, _ = build_records(entries)
    shown = bibtex(next(r for r in records if r.key == "ONeel:2007"))
    assert "times-cited" not in shown.lower() and "wok-uid" not in shown.lower() and "date-added" not in shown.lower()
    assert "doi = {10.1029/2006JF000595}" in shown and "title = {Seismic detection" in shown


def test_a_preprint_and_its_version_with_an_article_added_are_one_paper(tmp_path: Path) -> None:
    """yangqi137/mycv (mypubs.bib, Mendeley, at 9611987): the arXiv preprint "... on honeycomb lattice Hubbard
    model" and Phys. Rev. B's "... on the honeycomb lattice Hubbard model", the same four authors."""
    from cvsphinx.core.checks import preprint_pairs

    (tmp_path / "refs.bib").write_text(
        "@article{QiHoney2017,\n  title = {Coexistence of antiferromagnetism and topological superconductivity on "
        "honeycomb lattice Hubbard model},\n  author = {Yang Qi and Liang Fu and Kai Sun and Zhengcheng Gu},\n"
        "  archivePrefix = {arXiv},\n  primaryClass = {cond-mat.str-el},\n  eprint = {1709.08232}\n}\n"
        "@article{Qi2020,\n  title = {Coexistence of antiferromagnetism and topological superconductivity on the "
        "honeycomb lattice Hubbard model},\n  author = {Qi, Yang and Fu, Liang and Sun, Kai and Gu, Zhengcheng},\n"
        "  journal = {Phys. Rev. B},\n  volume = {102},\n  pages = {245140},\n  year = {2020},\n"
        "  doi = {10.1103/PhysRevB.102.245140}\n}\n"
        "@article{QiOther2019,\n  title = {Coexistence of antiferromagnetism and superconductivity},\n"
        "  author = {Qi, Yang and Fu, Liang},\n  journal = {PRL},\n  year = {2019}\n}\n", encoding="utf-8")
    entries, _ = read_bib(tmp_path / "refs.bib")
    records, _ = build_records(entries)
    assert [(pre.key, pub.key, how) for pre, pub, how in preprint_pairs(records)] == [
        ("QiHoney2017", "Qi2020", "title and authors")]


def test_two_addresses_in_one_url_are_named_as_such(tmp_path: Path) -> None:
    """Mendeley writes every address it has into one url, space-separated (yangqi137/mycv, ``SLMC2017``): the
    warning said the value was "not an http(s) or ftp address"; it says there are two, and to keep one."""
    from cvsphinx.core.checks import check_records
    from cvsphinx.core.people import DEFAULT_ROLES, build_owner, build_roles, build_roster
    from cvsphinx.core.settings import CVConfig

    (tmp_path / "refs.bib").write_text(
        "@article{SLMC2017,\n  author = {Qi, Yang},\n  title = {Self-learning Monte Carlo},\n  journal = {PRB},\n"
        "  year = {2017},\n  url = {http://arxiv.org/abs/1610.03137 http://dx.doi.org/10.1103/PhysRevB.95.041101}\n}\n",
        encoding="utf-8")
    entries, _ = read_bib(tmp_path / "refs.bib")
    records, _ = build_records(entries)
    cfg = CVConfig(build_owner("Qi, Yang"), build_roster([], build_roles(DEFAULT_ROLES)), [], [], "", "conf.py")
    (problem,) = [p for p in check_records(records, cfg) if p.subtype == "bad_url"]
    assert "url holds 2 addresses" in problem.message and "keep one" in problem.message
    assert "not an http(s) or ftp address" not in problem.message


def test_a_path_from_a_web_sites_root_is_named_as_such(tmp_path: Path) -> None:
    """A Jekyll site's .bib (bvasiles/bvasiles.github.io, at 1197496) writes ``pdf = {/papers/icse16focus.pdf}``:
    57 warnings called these "a path on your own computer"; the warning names both readings and the fix."""
    from cvsphinx.core.checks import check_records
    from cvsphinx.core.people import DEFAULT_ROLES, build_owner, build_roles, build_roster
    from cvsphinx.core.settings import CVConfig

    (tmp_path / "refs.bib").write_text(
        "@inproceedings{vasilescu2016sky,\n  author = {Vasilescu, Bogdan},\n  title = {The Sky is Not the Limit},\n"
        "  booktitle = {ICSE},\n  year = {2016},\n  pdf = {/papers/icse16focus.pdf},\n}\n", encoding="utf-8")
    entries, _ = read_bib(tmp_path / "refs.bib")
    records, _ = build_records(entries)
    cfg = CVConfig(build_owner("Vasilescu, Bogdan"), build_roster([], build_roles(DEFAULT_ROLES)), [], [], "", "conf.py")
    (problem,) = [p for p in check_records(records, cfg) if p.subtype == "bad_url"]
    assert "path from the root of another web site" in problem.message and "not linked" in problem.message
    assert "'/papers/icse16focus.pdf'" in problem.message and "https://" in problem.message


def _checked(tmp_path: Path, text: str, owner: str):
    from cvsphinx.core.checks import check_records
    from cvsphinx.core.people import DEFAULT_ROLES, build_owner, build_roles, build_roster
    from cvsphinx.core.settings import CVConfig

    (tmp_path / "refs.bib").write_text(text, encoding="utf-8")
    entries, _ = read_bib(tmp_path / "refs.bib")
    records, _ = build_records(entries)
    cfg = CVConfig(build_owner(owner), build_roster([], build_roles(DEFAULT_ROLES)), [], [], "", "conf.py")
    return check_records(records, cfg)


def test_a_name_with_a_lost_and_between_two_names_is_named() -> None:
    # ORCID's export, edited by hand (geofis/cv, works.bib): the owner was not bold, and the warning said so only
    (_names, problems) = parse_names("Martínez-Batlle, José Ramón Herrera-Hernández, Dimitris and Laurencio-Girón, "
                                     "Gerónimo", {})
    assert len(problems) == 1 and "is an ' and ' missing between two names?" in problems[0]
    assert not parse_names("Christie, Jr., William M.", {})[1]  # a generation is not a lost "and"


def test_a_list_cut_short_by_and_others_says_so(tmp_path: Path) -> None:
    # INSPIRE's "cite all" (kepingxie/CV): the first author and "others"; the owner's name is not in the file
    said = _checked(tmp_path, '@article{Hou:2019efy, author = "Hou, Tie-Jiun and others", title = "New CTEQ '
                    'global analysis", journal = "Phys. Rev. D", year = "2021"}\n', "Xie, Keping")
    (absent,) = [p for p in said if p.subtype == "owner_absent"]
    assert "ends with 'and others'" in absent.message and "cv_owner_aliases" not in absent.message


def test_an_entry_without_authors_is_named(tmp_path: Path) -> None:
    # Crossref's record of a JuliaCon proceedings paper (mschauer/mschauer.github.io, doi.bib @ 18b163f5)
    said = _checked(tmp_path, "@article{2022, title = {Applied Measure Theory for Probabilistic Modeling}, "
                    "journal = {JuliaCon Proceedings}, year = {2022}, doi = {10.21105/jcon.00103}}\n", "Schauer, Moritz")
    (absent,) = [p for p in said if p.subtype == "owner_absent"]
    assert "has no author and no editor" in absent.message


def test_one_exporter_habit_in_many_entries_is_one_warning(tmp_path: Path) -> None:
    # ORCID's export (geofis/cv, works.bib) puts every @conference's venue in journal: 69 lines said the same
    bib = "".join(f"@conference{{c{i}, author = {{Schauer, Moritz}}, title = {{Talk {i}}}, journal = {{Meeting {i}}}, "
                  f"year = {{2019}}}}\n" for i in range(5))
    said = [p for p in _checked(tmp_path, bib, "Schauer, Moritz") if p.subtype == "venue_field"]
    assert len(said) == 1
    assert said[0].key == "c0" and said[0].line == 1
    assert said[0].message.startswith("entry 'c0' and 4 more in this file ('c1', 'c2', 'c3', …): @conference reads")


def test_a_latex_warning_names_the_field_as_the_file_writes_it(tmp_path: Path) -> None:
    # ORCID's export (geofis/cv, works.bib): \textquotedblleftProf in journal; the warning said 'journaltitle'
    said = _checked(tmp_path, "@article{a, author = {Liu, Lin}, title = {T}, journal = {Bolet\\'{\\i}n \\unknownmacro "
                    "del Museo}, year = {2004}}\n", "Liu, Lin")
    (latex,) = [p for p in said if p.subtype == "latex"]
    assert "field 'journal'" in latex.message and "journaltitle" not in latex.message


def test_scopus_editor_lists_are_read_as_names() -> None:
    # Scopus (Sumidu/calerovaldez.com, scopus.bib, Vervier2019213): "ed. by Ziefle M., Maciaszek L., Maciaszek L."
    names, problems = parse_names("Ziefle M., Maciaszek L., Maciaszek L., Bamidis P.D.", {})
    assert [str(n.person) for n in names] == ["Ziefle, M.", "Maciaszek, L.", "Bamidis, P.D."]
    assert len(problems) == 1 and "as Scopus writes them" in problems[0] and "3 names" in problems[0]
    # a name with a generation, or one name, is not such a list
    assert [str(n.person) for n in parse_names("Christie, Jr., William M.", {})[0]] == ["Christie, Jr., William M."]
    assert [str(n.person) for n in parse_names("Liu, L.", {})[0]] == ["Liu, L."]


def test_letting_the_catalog_go_lets_the_reading_memos_go() -> None:
    """The parsed names and decoded fields are memos of one reading: once the records are let go, they go too
    (an institute's list held 70 MB in them), and a reading after that gives the same records."""
    from cvsphinx.core import catalog, latex, names, people

    path = str(Path(__file__).parents[1] / "data" / "marshall-bibdesk-excerpt.bib")
    first, _ = catalog.read_files([path])
    memos = (latex._decode, latex._plain, names._parse_names, names._parse_name, people._name_key)
    assert sum(memo.cache_info().currsize for memo in memos) > 100
    catalog.forget_catalog()
    assert [memo.cache_info().currsize for memo in memos] == [0] * len(memos)
    again, _ = catalog.read_files([path])
    assert [(r.key, r.fields, r.persons.keys(), r.date) for r in again] == \
        [(r.key, r.fields, r.persons.keys(), r.date) for r in first]
    assert [str(r.text("title")) for r in again] == [str(r.text("title")) for r in first]


DENOLLE = Path(__file__).parents[1] / "data" / "denolle-publisher-excerpt.bib"


def test_publishers_pdf_in_eprint_is_the_pdf_link_and_wileys_note_is_left_out() -> None:
    """A real file of publishers' "Cite" exports (mdenolle/marine-cv): the PDF's address in eprint is the PDF link,
    not text; Wiley's note that repeats the article number is left out; doi = {XX} stands for no DOI; each said once
    per entry with what to change.  arXiv's own DOI is untouched."""
    from cvsphinx.core import catalog
    from cvsphinx.core.people import DEFAULT_ROLES, build_owner, build_roles, build_roster
    from cvsphinx.styles.house import StyleContext, as_plain, format_entry

    records, _ = catalog.read_files([str(DENOLLE)])
    by_key = {r.key: r for r in records}
    ctx = StyleContext(build_owner("Denolle, Marine A."), build_roster([], build_roles(DEFAULT_ROLES)))
    shown = {key: as_plain(format_entry(r, ctx)) for key, r in by_key.items()}
    assert len(shown) == 5
    for key in ("Shi26", "Feng26", "Xiao26"):
        assert "pdf" not in shown[key].replace("Geophysical", ""), shown[key]  # no address printed
        assert by_key[key].fields["pdf"].startswith("https://") and "eprint" not in by_key[key].fields
        assert any(s == "identifier_field" and "move it to a pdf field" in t for s, t in by_key[key].advice)
    assert by_key["Shi26"].fields["pdf"] == "https://www.science.org/doi/pdf/10.1126/science.aec0970"
    assert "note" not in by_key["Feng26"].fields and shown["Feng26"].count("2024JB030689") == 2  # pages, DOI
    assert ("placeholder", "field 'note' only repeats the article number (pages), as Wiley's exports write it; it is "
            "left out: delete the note") in by_key["Feng26"].advice
    assert "doi" not in by_key["Gaete26"].fields and "XX" not in shown["Gaete26"]
    assert "UW news" in shown["Shi26"]  # a note of the owner's own is kept
    assert "2512.19927" in shown["Yemakov26"] and not by_key["Yemakov26"].advice


@pytest.mark.parametrize(("fields", "kept"), [
    ({"eprint": "https://arxiv.org/pdf/2101.01234"}, "eprint"),  # arXiv's PDF: an arXiv identifier, read as such
    ({"eprint": "https://example.org/a.pdf", "eprinttype": "hdl"}, "eprint"),  # a typed eprint is what it says
    ({"eprint": "https://example.org/page"}, "eprint"),  # not a PDF
    ({"volume": "XX"}, "volume"),  # a Roman twenty
    ({"note": "e123 and more"}, "note"),
])
def test_what_is_not_a_publishers_habit_is_kept(fields: dict[str, str], kept: str) -> None:
    from cvsphinx.core.bibfile import Entry

    entry = Entry("k", "article", {"title": "T", "author": "A, B", "year": "2020", "pages": "e123", **fields},
                  "x.bib", 1, 0)
    (record,), _ = build_records([entry])
    assert record.fields[kept] == fields[kept]



HEINRICH = Path(__file__).parents[1] / "data" / "heinrich-jabref-excerpt.bib"
CASAS = Path(__file__).parents[1] / "data" / "casas-inspire-excerpt.bib"


def _file_problems(path: Path, owner: str) -> tuple[dict, dict[str, list[tuple[str, str]]]]:
    from cvsphinx.core import catalog
    from cvsphinx.core.checks import check_records
    from cvsphinx.core.people import DEFAULT_ROLES, build_owner, build_roles, build_roster
    from cvsphinx.core.settings import CVConfig

    records, _ = catalog.read_files([str(path)])
    cfg = CVConfig(build_owner(owner), build_roster([], build_roles(DEFAULT_ROLES)), [], [], "", "conf.py")
    found: dict[str, list[tuple[str, str]]] = {r.key: [] for r in records}
    for problem in check_records(records, cfg):
        found.setdefault(problem.key, []).append((problem.subtype, problem.message))
    return {r.key: r for r in records}, found


def test_a_slip_in_a_field_name_and_a_year_against_its_date_are_said() -> None:
    """A real JabRef file (ausgerechnet/ausgerechnet.github.io): 'editors' hid the editors without a word, and year
    2020 against date 2021-02-03 showed 2021 without one; a research database's flags are bookkeeping."""
    records, found = _file_problems(HEINRICH, "Heinrich, Philipp")
    assert ("bib_field", "entry 'DykesETC2020b': field 'editors' is not a field biblatex knows, so it is not shown; "
            "did you mean 'editor'? rename it") in found["DykesETC2020b"]
    assert ("bad_year", "entry 'AdrianETC2020': year = {2020} and date = {2021-02-03} disagree; the date is used, as "
            "biblatex does: delete one, or make them agree") in found["AdrianETC2020"]
    assert records["AdrianETC2020"].year == 2021
    assert not [m for m in found["HeinrichETC2024a"] if "peerreviewed" in m[1] or "faupublication" in m[1]]
    from cvsphinx.core.links import bibtex

    assert "peerreviewed" not in bibtex(records["HeinrichETC2024a"])


def test_known_fields_that_nothing_shows_are_not_taken_for_slips() -> None:
    """Across TeX Live's bibliographies (13,000 entries of 100 files), only true slips: notes, aubtitle."""
    from cvsphinx.core.checks import _near_misses
    from cvsphinx.core.records import Record

    def misses(*names: str) -> list[tuple[str, str]]:
        record = Record("k", "article", {}, {}, "x.bib", 1, written={n: "x" for n in names})
        return _near_misses(record)

    assert misses("fjournal", "sorttitle", "fyear", "zmnumber", "xxaddress", "bibdate", "mrclass", "doi2", "html",
                  "pdf", "abbr", "selected", "bibtex_show", "peerreviewed") == []
    assert misses("editors", "notes", "aubtitle", "jounral", "adress") == [
        ("editors", "editor"), ("notes", "note"), ("aubtitle", "subtitle"), ("jounral", "journal"), ("adress", "address")]


def test_inspires_collaboration_with_addresses_shows_its_name_alone() -> None:
    """A real INSPIRE-HEP export (santiagocasas/santiagocasas.github.io): "(Euclid, NOVA optical ... Dwingeloo, The
    Netherlands, ... UK Collaboration)" is "(Euclid Collaboration)", said; a clean one is untouched."""
    from cvsphinx.core.people import DEFAULT_ROLES, build_owner, build_roles, build_roster
    from cvsphinx.styles.house import StyleContext, as_plain, format_entry

    records, found = _file_problems(CASAS, "Casas, Santiago")
    ctx = StyleContext(build_owner("Casas, Santiago"), build_roster([], build_roles(DEFAULT_ROLES)))
    shown = {key: as_plain(format_entry(r, ctx)) for key, r in records.items()}
    assert "(Euclid Collaboration)" in shown["Euclid:2024imf"] and not [m for m in found["Euclid:2024imf"]
                                                                        if "collaboration" in m[1]]
    assert "(Euclid Collaboration)" in shown["Euclid:2024wup"] and "Dwingeloo" not in shown["Euclid:2024wup"]
    assert any(m[0] == "bib_field" and "only 'Euclid' is shown: write collaboration = {Euclid}" in m[1]
               for m in found["Euclid:2024wup"])
    other = next(k for k in records if k.startswith("Astrophysics"))
    assert "Dwingeloo" not in shown[other] and any("only 'Astrophysics Group' is shown" in m[1] for m in found[other])


def test_an_organisation_as_editor_is_shown_as_written_and_said() -> None:
    """The JabRef file's CCL2019 (ausgerechnet/ausgerechnet.github.io): "Chair of Computational Corpus Linguistics,
    FAU Erlangen-Nürnberg" was shown "Chair of Computational Corpus Linguistics, F. A. U. E.-N. (ed.)"."""
    from cvsphinx.core.people import DEFAULT_ROLES, build_owner, build_roles, build_roster
    from cvsphinx.styles.house import StyleContext, as_plain, format_entry

    entries, _ = read_bib(HEINRICH)
    (record,) = [r for r in build_records(entries)[0] if r.key == "CCL2019"]
    ctx = StyleContext(build_owner("Heinrich, Philipp"), build_roster([], build_roles(DEFAULT_ROLES)))
    shown = as_plain(format_entry(record, ctx))
    assert shown.startswith("Chair of Computational Corpus Linguistics, FAU Erlangen-Nürnberg (ed.)"), shown
    assert any("is an organisation's" in p and "write it in braces" in p for p in record.problems)
    for person in ("Curie, Marie", "de la Vallée Poussin, Charles", "{Euclid Collaboration}"):
        assert not parse_names(person, {})[1], person
