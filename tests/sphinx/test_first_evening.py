"""A stranger's first evening: the shapes of entries real exporters write, and a first build that passes.

Every entry here is written by hand in the shape of an exporter (NASA ADS, DBLP, Google Scholar,
Zotero, MathSciNet, bioRxiv, SSRN, ECCC); none is copied from anyone's file.  The root
``test-cv-first-evening`` uses the extension's default groups, as a new CV does.  Units first
(no Sphinx), then the root built to HTML, then to PDF, then the accepted-warnings list that lets a
new CV build strict from its first day.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from cvsphinx.core.bibfile import Entry, read_bib
from cvsphinx.core.checks import preprint_pairs
from cvsphinx.core.journals import AAS_JOURNALS, journal_macro
from cvsphinx.core.latex import Math, decode, decode_plain
from cvsphinx.core.people import DEFAULT_ROLES, NameKey, build_owner, build_roles, build_roster, highlighted
from cvsphinx.core.records import build_records
from cvsphinx.sphinxext.accepted import identity, read, write
from cvsphinx.sphinxext.render import render
from cvsphinx.styles.base import StyleContext
from cvsphinx.styles.house import format_entry

ROOT = Path(__file__).parents[1] / "roots" / "test-cv-first-evening"
BIB = (ROOT / "refs.bib").read_text(encoding="utf-8")
_WARNING = re.compile(r"^(?P<loc>.*?)(?::(?P<line>\d+))?: WARNING: (?P<msg>.*?)(?: \[cv\.(?P<sub>\w+)\])?$")


def record(fields: dict[str, str], type_: str = "article", key: str = "x", journal_names: str = "abbreviated"):
    found, _ = build_records([Entry(key, type_, dict(fields), "refs.bib", 1, 0)], journal_names=journal_names)
    return found[0]


def html(rec, owner: str) -> str:
    ctx = StyleContext(build_owner(owner), build_roster([], build_roles(DEFAULT_ROLES)))
    return render(format_entry(rec, ctx)).html


# -- 1. Units: journal macros, preprints, names, values, LaTeX ------------------------------------------


@pytest.mark.parametrize("macro", sorted(AAS_JOURNALS))
def test_every_aastex_journal_macro_names_its_journal(macro: str) -> None:
    """ADS writes ``journal = {\\apj}``: the journal shows as AASTeX prints it, or in full with cv_journal_names."""
    short, full = AAS_JOURNALS[macro]
    rec = record({"author": "Doe, J.", "title": "T", "journal": f"\\{macro}", "year": "2020"})
    assert decode_plain(rec.get("journal")) == short
    assert not rec.unknown_macros
    assert decode_plain(record({"journal": f"{{\\{macro}}}", "title": "T"}, journal_names="full").get("journal")) == full


def test_a_journal_macro_the_file_defines_is_the_files() -> None:
    found, _ = build_records([Entry("x", "article", {"journal": "\\apj", "title": "T"}, "refs.bib", 1, 0)],
                             {"\\apj": "Astrophys. J. (mine)"})
    assert str(found[0].text("journal")) == "Astrophys. J. (mine)"
    assert journal_macro("sun") is None and journal_macro("apj", full=True) == "The Astrophysical Journal"


@pytest.mark.parametrize(("fields", "type_", "server"), [
    ({"journal": "arXiv e-prints", "pages": "arXiv:2401.09749", "eprint": "2401.09749", "archiveprefix": "arXiv"},
     "article", "arXiv"),  # NASA ADS
    ({"journal": "arXiv preprint arXiv:2301.01234"}, "article", "arXiv"),  # Google Scholar
    ({"journal": "CoRR", "volume": "abs/2105.00001", "eprinttype": "arXiv", "eprint": "2105.00001"}, "article",
     "arXiv"),  # DBLP
    ({"journal": "Electron. Colloquium Comput. Complex.", "volume": "TR19-001"}, "article", "ECCC"),  # DBLP
    ({"journal": "bioRxiv", "doi": "10.1101/2022.01.01.123456"}, "article", "bioRxiv"),
    ({"publisher": "Cold Spring Harbor Laboratory", "doi": "10.1101/2022.01.01.123456"}, "misc", "bioRxiv"),
    ({"howpublished": "SSRN Working Paper", "doi": "10.2139/ssrn.3500000"}, "misc", "SSRN"),
    ({"publisher": "arXiv", "number": "arXiv:2101.00001", "doi": "10.48550/arXiv.2101.00001"}, "misc", "arXiv"),
    ({"eprint": "2101.00001", "eprinttype": "arxiv"}, "online", "arXiv"),  # a hand-kept biblatex preprint
    ({"journal": "Nature", "eprint": "2101.00001", "archiveprefix": "arXiv"}, "article", ""),  # published
    ({"journal": "Genome Research", "doi": "10.1101/gr.123456.111"}, "article", ""),  # a CSHL journal, not bioRxiv
    ({"booktitle": "STOC", "eprint": "2101.00001", "archiveprefix": "arXiv"}, "inproceedings", ""),
])
def test_preprints_are_recognised_whatever_the_exporter(fields: dict, type_: str, server: str) -> None:
    assert record({"title": "T", "year": "2021", **fields}, type_).preprint == server


def test_an_ads_eprint_shows_its_identifier_once() -> None:
    rec = record({"author": "Doe, J.", "title": "T", "journal": "arXiv e-prints", "year": "2024",
                  "eid": "arXiv:2401.09749", "pages": "arXiv:2401.09749", "eprint": "2401.09749",
                  "archiveprefix": "arXiv", "primaryclass": "astro-ph.GA"})
    text = render(format_entry(rec, StyleContext(build_owner("Doe, J."), build_roster([], build_roles(DEFAULT_ROLES))))).text
    assert text == "Doe, J. (2024), T, arXiv:2401.09749 [astro-ph.GA]."


def test_dblp_corr_shows_its_identifier_once() -> None:
    rec = record({"author": "Doe, J.", "title": "T", "journal": "CoRR", "volume": "abs/2105.00001", "year": "2021",
                  "eprinttype": "arXiv", "eprint": "2105.00001"})
    text = render(format_entry(rec, StyleContext(build_owner("Doe, J."), build_roster([], build_roles(DEFAULT_ROLES))))).text
    assert text == "Doe, J. (2021), T, arXiv:2105.00001."


def test_a_preprint_and_its_published_version_are_paired() -> None:
    found, _ = build_records([
        Entry("pre", "article", {"author": "Doe, J. and Roe, R.", "title": "Big {Results}", "journal": "CoRR",
                                 "eprint": "2105.00001", "eprinttype": "arXiv", "year": "2021"}, "refs.bib", 1, 0),
        Entry("pub", "inproceedings", {"author": "J. Doe and R. Roe", "title": "Big results", "booktitle": "STOC",
                                       "year": "2022"}, "refs.bib", 9, 1),
        Entry("bio", "article", {"author": "Doe, J.", "title": "Cells", "journal": "bioRxiv",
                                 "doi": "10.1101/2020.01.01.000001", "year": "2020"}, "refs.bib", 20, 2),
        Entry("cell", "article", {"author": "Doe, J.", "title": "Cells, again", "journal": "Cell",
                                  "doi": "10.1016/j.cell.2021.01.001", "eprint": "2001.00001", "year": "2021"},
              "refs.bib", 30, 3),
        Entry("arx", "misc", {"author": "Doe, J.", "title": "Other title", "eprint": "2001.00001",
                              "archiveprefix": "arXiv", "year": "2020"}, "refs.bib", 40, 4),
    ])
    pairs = [(pre.key, pub.key, how) for pre, pub, how in preprint_pairs(found)]
    assert pairs == [("pre", "pub", "title and authors"), ("arx", "cell", "arXiv id")]


@pytest.mark.parametrize(("written", "owner"), [
    ("Pérez-Luque, AJ", "Pérez-Luque, Antonio J."),  # Web of Science / Scopus initials, run together
    ("Bonet, FJ and Pérez-Luque, A.J.", "Bonet, Francisco J."),
    ("Rostal, MK.", "Rostal, Melinda K."),  # Crossref (rostal/rostal.github.io works.bib, Aguirre_2012)
    ("P{\\'e}rez\u2010Luque, A. J.", "Pérez-Luque, Antonio J."),  # U+2010 HYPHEN inside the surname
    ("Pérez Luque, A. J.", "Pérez-Luque, Antonio J."),  # hyphen or space, one surname
    ("Belomestny\\u{\\i}, D.", "Belomestny, Denis"),  # a transliteration of -ий beside the plain one
    ("Belomestnyy, Denis", "Belomestnyi, Denis"),
    ("{\\myname{Ginsburg}}, Adam", "Ginsburg, Adam"),  # a macro around the name
    ("Lew$^+$, Matthew D.", "Lew, Matthew D."),  # a corresponding-author mark
    ("Lew\u200b, Matthew D.", "Lew, Matthew D."),  # a zero-width space copied from a web page
])
def test_the_owner_is_bold_in_every_spelling_real_files_use(written: str, owner: str) -> None:
    rec = record({"author": f"Doe, John and {written}", "title": "T", "journal": "J", "year": "2020"})
    out = html(rec, owner)
    assert out.count("<strong>") == 1, out
    assert "<strong>J. Doe" not in out


def test_run_together_initials_keep_both_initials() -> None:
    rec = record({"author": "Doe, John and Pérez-Luque, AJ and Bonet, FJ", "title": "T", "journal": "J"})
    assert "A. J. Pérez-Luque" in html(rec, "Doe, J.") and "F. J. Bonet" in html(rec, "Doe, J.")
    assert "M. K. Rostal" in html(record({"author": "Doe, John and Rostal, MK.", "title": "T", "journal": "J"}),
                                  "Doe, J.")
    # a surname in capitals is not read as initials
    assert NameKey.from_person(record({"author": "LIU, YU", "title": "T"}).persons["author"][0]).given == ("yu",)


def test_a_shared_surname_is_still_not_the_owner() -> None:
    """Folding hyphens and transliterations must not bold another person: G. Belomestny is not Denis."""
    rec = record({"author": "Belomestnyi, G. and Pérez, Antonio", "title": "T", "journal": "J"})
    assert "<strong>" not in html(rec, "Belomestny, Denis") and "<strong>" not in html(rec, "Pérez-Luque, Antonio")


def test_highlight_annotations_bold_that_author() -> None:
    """biblatex's and al-folio's ``author+an = {2=highlight}`` for a spelling no alias covers."""
    assert highlighted("1=student; 2=highlight; 3:family=highlight; 4=owner") == frozenset({2, 3, 4})
    rec = record({"author": "Doe, J. and Luque, A. P. and Roe, R.", "author+an": "2=highlight", "title": "T"})
    assert "<strong>A. P. Luque</strong>" in html(rec, "Pérez-Luque, Antonio J.")


@pytest.mark.parametrize(("name", "value"), [("year", "0"), ("pages", "null"), ("volume", "0"), ("address", "None"),
                                             ("number", "NaN"), ("doi", "N/A"), ("publisher", "undefined")])
def test_placeholder_values_are_left_out_with_a_warning(name: str, value: str) -> None:
    rec = record({"author": "Doe, J.", "title": "T", "journal": "J", name: value})
    assert render(format_entry(rec, StyleContext(build_owner("Doe, J."), build_roster([], build_roles(DEFAULT_ROLES))))
                  ).text == "Doe, J., T, J."
    assert rec.advice == [("placeholder", f"field {name!r} is {value!r}, which stands for no value; it is left out: "
                                          "delete the field (or write its real value)")]


def test_an_iso_date_in_year_is_the_date() -> None:
    rec = record({"author": "Doe, J.", "title": "T", "journal": "J", "year": "2013-12-26"})
    assert (rec.year, rec.date.month, rec.date.day, rec.get("year")) == (2013, 12, 26, "2013")
    assert "(2013)" in html(rec, "Doe, J.")
    assert rec.advice[0][0] == "bad_year" and "date = {2013-12-26}" in rec.advice[0][1]


@pytest.mark.parametrize(("type_", "fields", "shown", "told"), [
    ("inproceedings", {"journal": "Proc. Mountain Ecology"}, "in <em>Proc. Mountain Ecology</em>", "booktitle"),
    ("techreport", {"publisher": "Sierra Nevada Observatory"}, "Sierra Nevada Observatory", "institution"),
    ("phdthesis", {"publisher": "Universidad de Granada"}, "Universidad de Granada", "school"),
    ("article", {"booktitle": "Ecology"}, "<em>Ecology</em>", "journal"),
])
def test_a_venue_in_the_other_field_is_shown_and_the_field_named(type_: str, fields: dict, shown: str, told: str) -> None:
    rec = record({"author": "Doe, J.", "title": "T", "year": "2018", **fields}, type_)
    assert shown in html(rec, "Doe, J.")
    assert rec.advice == [("venue_field", f"@{type_} reads its venue from {told!r}, but it is in {next(iter(fields))!r}; "
                                          f"it is shown as the venue: rename the field to {told!r}")]


def test_prepublished_keeps_the_year() -> None:
    rec = record({"author": "Doe, J.", "title": "T", "journaltitle": "Oikos", "date": "2021-03", "pubstate": "prepublished"})
    assert "(2021)" in html(rec, "Doe, J.")


@pytest.mark.parametrize(("value", "source"), [
    ("{\\textdollar}{\\textbackslash}mathrm\\{AC\\}{\\^{}}0{\\textdollar}", "\\mathrm{AC}^0"),  # DBLP's escapes
    ("\\(\\alpha\\)", "\\alpha"),
    ("AC\\({}^{\\mbox{0}}\\)", "{}^{\\mbox{0}}"),
])
def test_escaped_and_parenthesised_math_is_math(value: str, source: str) -> None:
    parts = decode(value).text.parts
    assert any(isinstance(p, Math) and p.source == source for p in parts), parts
    assert "\\" not in decode_plain(value) and "$" not in decode_plain(value)


def test_two_dollar_signs_in_a_text_stay_dollars() -> None:
    assert decode_plain("costs \\textdollar 5 or \\textdollar 6") == "costs $5 or $6"


def test_mathscinet_soft_signs() -> None:
    assert decode_plain("Bol{\\cprime}shakov and Ob{\\cdprime}em") == "Bol′shakov and Ob″em"


def test_an_entry_type_that_is_not_a_name_is_warned_not_dropped(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text("@article{good1, title={A}, year={2020}} @2article{bad1, title={B}}\n@article{good2, title={C}}\n",
                   encoding="utf-8")
    entries, problems = read_bib(bib)
    assert [e.key for e in entries] == ["good1", "good2"]
    assert [(p.subtype, p.line, p.key) for p in problems] == [("bib_syntax", 1, "bad1")]
    assert "'2article'" in problems[0].message


# -- 2. The root, built: every entry where it belongs, looking as it should --------------------------


def _warnings(app) -> list[tuple[str, str, str]]:
    text = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())
    found = []
    for line in filter(str.strip, text.splitlines()):
        match = _WARNING.match(line)
        assert match, line
        key = re.search(r"entry '([^']+)'", match["msg"])
        found.append((match["sub"] or "", key.group(1) if key else Path(match["loc"]).name, match["msg"]))
    return found


def _items(app) -> dict[str, BeautifulSoup]:
    soup = BeautifulSoup((Path(app.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser")
    return {li["id"].removeprefix("pub-"): li for li in soup.select("ol.cv-publication-list > li")}


def _groups(app) -> dict[str, list[str]]:
    soup = BeautifulSoup((Path(app.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser")
    out = {}
    for div in soup.select("div.cv-publications"):
        group = next(c for c in div.get("class", []) if c.startswith("cv-group-")).removeprefix("cv-group-")
        out[group] = [li["id"].removeprefix("pub-") for li in div.select("ol.cv-publication-list > li")]
    return out


def _text(li) -> str:
    return " ".join(li.p.get_text().split())


BIB_KEYS = [m.group(2) for m in re.finditer(r"^@\s*([A-Za-z]\w*)\s*\{\s*([^,\s]+),", BIB, re.M)
            if m.group(1).lower() != "preamble"]


@pytest.mark.sphinx("html", testroot="cv-first-evening", srcdir="first-evening-html", freshenv=True)
def test_first_evening_page(app) -> None:
    app.build()
    items = _items(app)
    from cvsphinx.core.links import anchor

    shown = {k for k in BIB_KEYS if anchor(k).removeprefix("pub-") in items}
    assert shown == set(BIB_KEYS), set(BIB_KEYS) - shown  # every entry once (the bad type is not at a line start)
    by_key = {k: items[anchor(k).removeprefix("pub-")] for k in BIB_KEYS}
    # the owner bold in every entry, whatever the spelling; the highlight annotation's spelling too
    for key, li in by_key.items():
        bold = " ".join(s.get_text() for s in li.select("strong"))
        assert "Luque" in bold, (key, _text(li))
    groups = _groups(app)
    preprints = {anchor(k).removeprefix("pub-") for k in ("2024arXiv240109749P", "perez2023scholar",
                                                          "DBLP:journals/corr/abs-2105-00001",
                                                          "DBLP:journals/eccc/PerezLuque19", "perez2022biorxiv",
                                                          "perez2020ssrn")}
    assert set(groups["preprints"]) == preprints
    # a paper being written is not called submitted: each state has its own default list
    assert groups["in-preparation"] == ["perez2025draft"] and groups["in-review"] == ["perez2025submitted"]
    assert not preprints & set(groups["articles"])
    text = {k: _text(li) for k, li in by_key.items()}
    assert "ApJ, 900, 1" in text["2020ApJ...900....1P"] and "MNRAS, 530" in text["2024MNRAS.530..100P"]
    assert text["2024arXiv240109749P"].count("2401.09749") == 1 and "e-prints" not in text["2024arXiv240109749P"]
    assert "arXiv preprint" not in text["perez2023scholar"]
    assert text["perez2019placeholders"].endswith("(2019), Placeholders of a generated file, Ecology.")
    assert "(2013)" in text["perez2013isodate"] and "(2021)" in text["perez2021online"]
    assert "in Proceedings of the Mountain Ecology Conference" in text["perez2018journalfield"]
    assert "Sierra Nevada Observatory" in text["perez2017publisher"]
    assert "Bol′shakov" in text["perez2010mathscinet"] and "α-stable" in text["perez2010mathscinet"]
    for key in ("DBLP:journals/corr/abs-2105-00001", "DBLP:conf/stoc/PerezLuqueR21"):
        assert "AC0 circuits" in text[key] and "textdollar" not in text[key] and "$" not in text[key]
        assert by_key[key].select_one("sup").get_text() == "0"
    assert "AC0[⊕]" in text["DBLP:journals/eccc/PerezLuque19"]
    assert by_key["perez2015mark"].select_one("strong + sup, sup").get_text() == "+"
    # ordered by date: 2013-12-26 is a 2013 entry, after 2014 and before 2012
    order = ["perez2014highlight", "perez2013isodate", "perez2012good"]
    assert sorted(order, key=lambda k: groups["articles"].index(anchor(k).removeprefix("pub-"))) == order
    # no roster, so no legend of roles nobody holds
    assert "Supervised" not in (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    said = {(sub, key) for sub, key, _ in _warnings(app)}
    assert said == {
        ("bib_syntax", "perez2012bad"),
        ("preprint_published", "2024arXiv240109749P"), ("preprint_published", "DBLP:journals/corr/abs-2105-00001"),
        ("placeholder", "perez2019placeholders"), ("bad_year", "perez2013isodate"),
        ("venue_field", "perez2018journalfield"), ("venue_field", "perez2017publisher"),
        ("starter_text", "index.md"), ("identifier_field", "perez2011bibdesk"),
    }
    # the DOI kept in the month field is the entry's DOI: linked, and no month shown
    bibdesk = by_key["perez2011bibdesk"]
    assert "https://doi.org/10.1016/j.foreco.2011.01.001" in {a["href"] for a in bibdesk.select("a")}
    assert "DOI:" not in _text(bibdesk) and "Times-Cited" not in bibdesk.get_text()


@pytest.mark.sphinx("html", testroot="cv-first-evening", srcdir="first-evening-options", freshenv=True,
                    confoverrides={"cv_journal_names": "full", "cv_merge_preprints": True})
def test_full_journal_names_and_merged_preprints(app) -> None:
    app.build()
    items = _items(app)
    from cvsphinx.core.links import anchor

    assert anchor("2024arXiv240109749P").removeprefix("pub-") not in items
    assert anchor("DBLP:journals/corr/abs-2105-00001").removeprefix("pub-") not in items
    mnras = _text(items[anchor("2024MNRAS.530..100P").removeprefix("pub-")])
    assert "Monthly Notices of the Royal Astronomical Society" in mnras and "arXiv:2401.09749" in mnras
    stoc = items[anchor("DBLP:conf/stoc/PerezLuqueR21").removeprefix("pub-")]
    assert {a["href"] for a in stoc.select("p a")} >= {"https://arxiv.org/abs/2105.00001",
                                                       "https://doi.org/10.1145/3406325.3451000"}
    assert "The Astrophysical Journal" in _text(items[anchor("2020ApJ...900....1P").removeprefix("pub-")])
    assert not [w for w in _warnings(app) if w[0] == "preprint_published"]
    # the exports hold what the page shows: the merged preprint's arXiv identifier, the preprint not on its own
    exported = {item["id"]: item for item in json.loads((Path(app.outdir) / "publications.json").read_text("utf-8"))}
    assert "2024arXiv240109749P" not in exported and "DBLP:journals/corr/abs-2105-00001" not in exported
    assert exported["2024MNRAS.530..100P"]["custom"]["arxiv"] == "2401.09749"
    assert exported["DBLP:conf/stoc/PerezLuqueR21"]["custom"]["arxiv"] == "2105.00001"


@pytest.mark.slow
@pytest.mark.sphinx("latex", testroot="cv-first-evening", srcdir="first-evening-pdf", freshenv=True)
def test_first_evening_pdf(app) -> None:
    app.build()
    out = Path(app.outdir)
    tex = (out / "first-evening.tex").read_text(encoding="utf-8")
    assert tex.count(r"\sphinxstylestrong{P") + tex.count(r"\sphinxstylestrong{A") >= len(BIB_KEYS)
    run = subprocess.run(["xelatex", "-interaction=nonstopmode", "-halt-on-error", "first-evening.tex"], cwd=out,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-2000:]
    assert "Missing character" not in (out / "first-evening.log").read_text(encoding="utf-8", errors="replace")
    text = " ".join(subprocess.run(["pdftotext", "first-evening.pdf", "-"], cwd=out, capture_output=True,
                                   text=True).stdout.split())
    for expected in ("Dust in dwarf galaxies, ApJ, 900, 1.", "Bol′shakov", "α-stable laws", "Lower bounds for AC0",
                     "Placeholders of a generated file, Ecology.", "(2013), A date in the year field",
                     "Preprints", "arXiv:2401.09749 [astro-ph.GA]", "in Proceedings of the Mountain Ecology"):
        assert expected in text, expected
    for absent in ("None", "null", "textdollar", "e-prints", "arXiv preprint"):
        assert absent not in text, absent


# -- 3. Accepted warnings: a new CV builds strict at once, and the list only shrinks ------------------


def test_accepted_identity_ignores_line_numbers() -> None:
    one = identity("missing_field", "refs.bib", "entry 'x': has no year (first at refs.bib:12, line 12)")
    assert one == identity("missing_field", "refs.bib", "entry 'x': has no year (first at refs.bib:40, line 40)")
    assert one != identity("missing_field", "refs.bib", "entry 'y': has no year (first at refs.bib:12, line 12)")


def _copy_root(tmp_path: Path) -> Path:
    src = tmp_path / "cv"
    shutil.copytree(ROOT, src)
    return src


def _build(src: Path, *extra: str) -> subprocess.CompletedProcess:
    import sys

    return subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-E", "-W", "--keep-going", "-q", *extra,
                           str(src), str(src / "_build" / "html"), "-d", str(src / "_build" / "doctrees")],
                          capture_output=True, text=True, cwd=src,
                          env={"PYTHONPATH": str(Path(__file__).parents[2] / "ext"), "PATH": "/usr/bin:/bin"})


def test_accepted_warnings_pass_a_strict_build_and_new_ones_fail(tmp_path: Path) -> None:
    src = _copy_root(tmp_path)
    assert _build(src).returncode == 1  # strict: the root's data has problems
    seen = (src / "_build" / "doctrees" / "cv-warnings-html.txt").read_text(encoding="utf-8").splitlines()
    assert len(seen) == 12 and all(line.startswith("new\t") for line in seen)
    write(src / "accepted-warnings.txt", [line.split("\t")[2] for line in seen])
    run = _build(src)
    assert run.returncode == 0, run.stderr  # every warning accepted: -W passes, and says each as a to-do line
    assert "WARNING" not in run.stderr
    assert {line.split("\t")[0] for line in (src / "_build" / "doctrees" / "cv-warnings-html.txt").read_text(
        encoding="utf-8").splitlines()} == {"accepted"}
    (src / "refs.bib").write_text(BIB + "\n@article{newone, author={P{\\'e}rez-Luque, A. J.}, title={No year}, "
                                        "journal={J}}\n", encoding="utf-8")
    run = _build(src)
    assert run.returncode == 1 and "entry 'newone': has no year" in run.stderr
    assert run.stderr.count("WARNING") == 1
    assert len(read(src / "accepted-warnings.txt")) == 12


# -- 4. biblatex's fields a CV needs, in the house style, where biblatex places them ---------------------


def _cite(rec_fields: dict, type_: str, *others: tuple[str, str, dict]) -> str:
    entries = [Entry("x", type_, dict(rec_fields), "refs.bib", 1, 0)]
    entries += [Entry(key, t, dict(f), "refs.bib", 10 * (i + 1), i + 1) for i, (key, t, f) in enumerate(others)]
    found, _ = build_records(entries)
    ctx = StyleContext(build_owner("Doe, J."), build_roster([], build_roles(DEFAULT_ROLES)))
    return render(format_entry(found[0], ctx)).text.replace("\u00a0", " ")


BOOK = {"author": "Doe, Jane", "title": "Walden", "publisher": "Ticknor", "location": "Boston", "year": "1854"}


@pytest.mark.parametrize(("type_", "fields", "expected"), [
    ("inproceedings", {"booktitle": "Proceedings", "eventtitle": "Eighth Symposium", "venue": "Lerum",
                       "eventdate": "1968-05-19/1968-05-25"},
     "in Proceedings, Eighth Symposium (Lerum, May 19–25, 1968)"),
    ("inproceedings", {"booktitle": "Proceedings", "booktitleaddon": "Lectures", "venue": "Kyoto", "eventdate": "2019-09"},
     "in Proceedings, Lectures, Kyoto, September 2019"),
    ("unpublished", {"howpublished": "Invited talk", "eventtitle": "AGU Fall Meeting", "venue": "San Francisco",
                     "eventdate": "2019-12-11"}, "Invited talk, AGU Fall Meeting (San Francisco, December 11, 2019)"),
    ("proceedings", {"eventtitle": "Nobel Symposium", "eventdate": "1968"}, "Nobel Symposium (1968)"),
    ("article", {"journal": "William and Mary Quarterly", "series": "3", "volume": "15"},
     "William and Mary Quarterly, 3rd ser., 15"),
    ("article", {"journal": "American Anthropologist", "series": "newseries", "volume": "93"},
     "American Anthropologist, new ser., 93"),
    ("article", {"journal": "J", "volume": "12", "version": "3"}, "J, 12, version 3"),
    ("book", {"translator": "Goldstein, Brian", "origlanguage": "german"}, "transl. from the German by B. Goldstein"),
    ("book", {"maintitle": "Werke", "mainsubtitle": "Kritische Ausgabe", "volume": "7", "part": "2"},
     "vol. 7.2 of Werke: Kritische Ausgabe"),
    ("book", {"pagetotal": "528"}, "Boston, 528 pp."),
    ("thesis", {"institution": "MIT", "pagetotal": "120"}, "MIT, Boston, 120 pp."),
    ("book", {"editora": "Loewenfeld, Samuel", "editoratype": "redactor"}, "red. by S. Loewenfeld"),
    ("book", {"editora": "Kaltenbrunner, F."}, "ed. by F. Kaltenbrunner"),
    ("book", {"introduction": "Latacz, Joachim", "afterword": "Thraede, Klaus", "foreword": "Eco, Umberto"},
     "with an intro. by J. Latacz, with a foreword by U. Eco, with an afterw. by K. Thraede"),
    ("book", {"editor": "Cope, E. M.", "commentator": "Cope, E. M."}, "ed. and comm. by E. M. Cope"),
    ("book", {"annotator": "Hannes, R."}, "annot. by R. Hannes"),
    ("collection", {"editor": "Matuz, Roger", "pages": "204--208"}, "pp. 204–208"),
    ("inbook", {"bookauthor": "Doe, Jane", "booktitle": "Collected Works"}, "Walden, in Collected Works"),
])
def test_biblatex_fields_in_the_house_style(type_: str, fields: dict, expected: str) -> None:
    text = _cite({**BOOK, **fields}, type_)
    assert expected in text, text


def test_useeditor_false_puts_the_title_first() -> None:
    text = _cite({"editor": "Preece, W. E.", "title": "Britannica", "year": "2003", "options": "useeditor=false"},
                 "collection")
    assert text.startswith("Britannica (2003), ed. by W. E. Preece")


@pytest.mark.parametrize(("relatedtype", "words"), [("reprintfrom", "repr. from"), ("origpubin", "orig. pub. in"),
                                                    ("translationof", "transl. of"), ("reviewof", "review of")])
def test_related_entries_are_cited_with_their_relation(relatedtype: str, words: str) -> None:
    text = _cite({**BOOK, "related": "orig", "relatedtype": relatedtype}, "book",
                 ("orig", "article", {"author": "Doe, Jane", "title": "Walden, first", "journal": "Dial",
                                      "volume": "3", "year": "1850"}))
    assert text.endswith(f"Boston, {words} Walden, first (1850), Dial, 3."), text  # same author: not repeated


def test_related_string_and_multivolume_sets() -> None:
    text = _cite({**BOOK, "related": "other", "relatedstring": "excerpt in"}, "book",
                 ("other", "collection", {"editor": "Matuz, R.", "title": "Criticism", "year": "1990"}))
    assert "excerpt in Matuz, R. (ed.) (1990), Criticism" in text
    text = _cite({**BOOK, "related": "va,vb", "relatedtype": "multivolume"}, "mvbook",
                 ("va", "book", {"author": "Doe, Jane", "title": "One", "volume": "A", "year": "1984"}),
                 ("vb", "book", {"author": "Doe, Jane", "title": "Two", "volume": "B", "year": "1986"}))
    assert text.endswith("vol. A: One (1984); vol. B: Two (1986).")


def test_a_related_key_not_in_the_file_is_warned() -> None:
    found, _ = build_records([Entry("x", "book", {**BOOK, "related": "nowhere"}, "refs.bib", 1, 0)])
    assert found[0].problems == ["related 'nowhere' is not in the .bib files; it is not shown"]


# -- 5. What real files do besides: names bolded by hand, commented-out entries, free annotations -------------


@pytest.mark.parametrize("written", ["\\textbf{Marshall, H.P.}", "{\\bf Marshall, H. P.}", "\\textbf{H.P. Marshall}",
                                     "\\underline{Marshall, Hans-Peter}"])
def test_a_name_bolded_by_hand_is_read_as_the_name(written: str) -> None:
    rec = record({"author": f"Doe, John and {written}", "title": "T", "journal": "J", "year": "2020"})
    out = html(rec, "Marshall, Hans-Peter")
    assert "<strong>H. P. Marshall</strong>" in out or "<strong>H.-P. Marshall</strong>" in out, out
    assert "textbf" not in out and "{" not in out


def test_and_run_into_a_command_still_separates_names() -> None:
    rec = record({"author": "Smith, A. H. and\\textbf{Marshall, H.P.}", "title": "T"})
    assert [str(p) for p in rec.persons["author"]] == ["Smith, A. H.", "Marshall, H.P."]


def test_annotations_people_write_for_themselves_and_for_other_things() -> None:
    from cvsphinx.core.people import parse_annotation

    roles = build_roles(DEFAULT_ROLES)
    assert highlighted("1=first,PI,me; 2=presenter") == frozenset({1})
    assert parse_annotation("1=first,PI,me; 2=presenter; 3=advisee,student", roles) == {3: "student"}
    with pytest.raises(ValueError, match="did you mean 'student'"):
        parse_annotation("2=studnet", roles)


def test_commented_out_entries_and_fields_are_comments_as_for_biber(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text("@article{a1, title={A}, year={2020}}\n%@grant{g1,\n%  title={Hidden},\n% year={2021}}\n"
                   "@article{b1,\n  title={B},\n%  note={hidden},\n  year={2021}}\n"
                   "@misc{c1, title={50% of it}, year={2022}}\n", encoding="utf-8")
    entries, problems = read_bib(bib)
    assert [(e.key, e.fields) for e in entries] == [
        ("a1", {"title": "A", "year": "2020"}), ("b1", {"title": "B", "year": "2021"}),
        ("c1", {"title": "50% of it", "year": "2022"})]
    assert problems == []


def test_spellings_with_part_of_a_compound_surname_are_suggested_not_matched() -> None:
    from cvsphinx.core.people import partly_same

    mine = NameKey.parse("Short Gianotti, Daniel J.")
    assert partly_same(mine, NameKey.parse("Gianotti, D. J."))
    assert partly_same(NameKey.parse("Pérez-Luque, Antonio J."), NameKey.parse("Luque, Antonio J. Pérez"))
    assert not partly_same(mine, NameKey.parse("Gianotti, M."))  # another Gianotti
    assert not partly_same(mine, NameKey.parse("Short Gianotti, D. J."))  # the same: matched, not suggested
    assert not build_owner("Short Gianotti, Daniel J.").is_owner(NameKey.parse("Gianotti, D. J."))


def test_new_puts_the_other_spellings_into_cv_owner_aliases(tmp_path: Path) -> None:
    from cvsphinx.cli.new import check_bib, make_owner
    from cvsphinx.cli.newfiles import make_conf

    bib = tmp_path / "mine.bib"
    bib.write_text("@article{a, author={Short Gianotti, D. J.}, title={A}, journal={J}, year={2020}}\n"
                   "@article{b, author={Doe, J. and Gianotti, D. J.}, title={B}, journal={J}, year={2021}}\n"
                   "@article{c, author={Gianotti, Daniel}, title={C}, journal={J}, year={2022}}\n"
                   "@article{d, author={Gianotti, M.}, title={D}, journal={J}, year={2022}}\n"
                   "@incollection{e, author={Roe, R.}, editor={Short Gianotti, Daniel J.}, title={E}, booktitle={B}}\n",
                   encoding="utf-8")
    owner = make_owner("Daniel J. Short Gianotti", bibtex="Short Gianotti, Daniel J.")
    report = check_bib(bib, owner)
    assert dict(report.aliases) == {"Gianotti, D. J.": 1, "Gianotti, Daniel": 1}
    assert report.without_owner == ["d"]  # the editor of the book a chapter is in is the owner too
    owner.aliases = [name for name, _ in report.aliases.most_common()]
    conf = make_conf((Path(__file__).parents[2] / "conf.py").read_text(encoding="utf-8"), owner)
    assert "cv_owner_aliases = ['Gianotti, D. J.', 'Gianotti, Daniel']" in conf.replace('"', "'")


@pytest.mark.parametrize(("year", "shown", "state", "advice"), [
    ("in prep", None, "inpreparation", "bad_year"), ("{in review}", None, "inreview", "bad_year"),
    ("Submitted", None, "submitted", "bad_year"), ("2021, 2nd edition", "2021", "", "bad_year"),
    ("2009/10", "2009–2010", "", None), ("2019", "2019", "", None),
])
def test_what_people_write_in_year(year: str, shown: str | None, state: str, advice: str | None) -> None:
    rec = record({"author": "Doe, J.", "title": "T", "journal": "J", "year": year})
    assert (rec.date.display() if rec.date else None, rec.get("pubstate"), [a[0] for a in rec.advice]) == (
        shown, state, [advice] if advice else [])


def test_an_arxiv_preprint_without_a_year_takes_its_identifiers() -> None:
    rec = record({"author": "Doe, J.", "title": "T", "eprint": "1701.01552", "archiveprefix": "arXiv"}, "misc")
    assert (rec.year, rec.date.month) == (2017, 1)
    assert rec.advice == [("missing_field", "has no year; it is read from its arXiv identifier as 2017: add "
                                            "year = {2017}")]
    assert "(2017)" in html(rec, "Doe, J.")


def test_a_name_list_in_braces_is_read_as_the_list() -> None:
    rec = record({"author": "{Lievens, Hans and Brangers, Isis and \\textbf{Marshall, H.P.}}", "title": "T"})
    assert [str(p) for p in rec.persons["author"]] == ["Lievens, Hans", "Brangers, Isis", "Marshall, H.P."]
    assert rec.problems == ["author: the whole name list is in braces, which makes it one name; it is read as the "
                            "names it lists: delete the outer braces"]
    assert [str(p) for p in record({"author": "{Faber and Faber}", "title": "T"}).persons["author"]] == ["Faber and Faber"]
