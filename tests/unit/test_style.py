"""style.py without Sphinx: the CV's citation format as pybtex rich text, in text and HTML.

Records are built as the build builds them (``records.build_records`` on reader entries),
so names and fields arrive decoded; lines are written by hand.
"""

from __future__ import annotations

import pytest
from cvsphinx.core.bibfile import Entry
from cvsphinx.core.identifiers import doi_of, safe_url
from cvsphinx.core.people import DEFAULT_ROLES, build_owner, build_roles, build_roster
from cvsphinx.core.records import KIND, Record, build_records
from cvsphinx.sphinxext.render import render
from cvsphinx.styles.base import DEFAULT_MARKS, Marker, MarkSign, StyleContext, legend, marks_legend, used_marks
from cvsphinx.styles.house import BLOCKS, LAYOUTS, TAIL, format_entry, layout_of
from pybtex.richtext import Text

ROLES = build_roles(DEFAULT_ROLES)
ROSTER = build_roster(
    [
        {"name": "Xiyu Chen", "roles": {"student": "2019–present"}},
        {"name": "Enze Zhang", "roles": {"student": "2017–present"}},
        {"name": "Bao Zhang", "roles": {"postdoc": "2017–2018"}},
        {"name": "Jie Chen", "roles": {"student": "2018–present"}},
        {"name": "Yan Hu", "roles": {"visitor": "2018", "student": "2019–present"}},
    ],
    ROLES,
    lag=2,
)
CTX = StyleContext(build_owner("Liu, Lin"), ROSTER)
NBSP = "\u00a0"


def records(*entries: tuple[str, str, dict[str, str]]) -> list[Record]:
    found, _ = build_records([Entry(key, type_, dict(fields), "refs.bib", i + 1, i)
                              for i, (key, type_, fields) in enumerate(entries)])
    return found


def record(type_: str = "article", authors: str = "Liu, L.", key: str = "x", **fields: str) -> Record:
    """One record; ``author_an`` stands for the field ``author+an``."""
    fields = {name.replace("_an", "+an"): value for name, value in fields.items()}
    if authors:
        fields["author"] = authors
    return records((key, type_, fields))[0]


def text(rec: Record, ctx: StyleContext = CTX, **kwargs: bool) -> str:
    return format_entry(rec, ctx, **kwargs).render_as("text").replace(NBSP, " ")


def html(rec: Record, ctx: StyleContext = CTX, **kwargs: bool) -> str:
    return format_entry(rec, ctx, **kwargs).render_as("html").replace(NBSP, " ")


def chen2019(year: str = "2019") -> Record:
    """Built like the first entry of refs.bib."""
    return record(
        authors="Chen, X. and Liu, L. and Bartsch, A.",
        title="Detecting soil freeze/thaw onsets in {Alaska} using {SMAP} and {ASCAT} data",
        journal="Remote Sensing of Environment",
        year=year,
        volume="220",
        pages="59--70",
        doi="10.1016/j.rse.2018.10.010",
    )


# -- The reference entry -----------------------------------------------------


def test_first_entry_as_text() -> None:
    assert text(chen2019()) == (
        "Chen, X.*, L. Liu, and A. Bartsch (2019), Detecting soil freeze/thaw onsets in Alaska using SMAP "
        "and ASCAT data, Remote Sensing of Environment, 220, 59–70, doi:10.1016/j.rse.2018.10.010."
    )


def test_first_entry_as_html() -> None:
    out = html(chen2019())
    assert out.startswith("Chen, X.<sup>*</sup>, <strong>L. Liu</strong>, and A. Bartsch (2019), ")
    assert "<em>Remote Sensing of Environment</em>, 220, 59–70, " in out
    assert out.endswith('doi:<a href="https://doi.org/10.1016/j.rse.2018.10.010">10.1016/j.rse.2018.10.010</a>.')


def test_first_entry_through_the_project_backends() -> None:
    done = render(format_entry(chen2019(), CTX))
    assert done.text.startswith("Chen, X.*, L. Liu, and A. Bartsch (2019), ")
    assert r"\sphinxstylestrong{L. Liu}" in done.latex
    assert r"\sphinxstyleemphasis{Remote Sensing of Environment}" in done.latex


def test_owner_only_bold_once() -> None:
    out = html(chen2019())
    assert out.count("<strong>") == 1
    assert "<strong>Chen" not in out and "<strong>A. Bartsch" not in out


def test_no_marker_before_role_starts() -> None:
    # Xiyu Chen is a student from 2019; a 2018 paper gets no marker.
    rec = chen2019("2018")
    assert text(rec).startswith("Chen, X., L. Liu, and A. Bartsch (2018), ")
    assert "<sup>" not in html(rec)


def test_markers_off_for_group() -> None:
    assert text(chen2019(), markers=False).startswith("Chen, X., L. Liu, and A. Bartsch (2019), ")


def test_show_year_off() -> None:
    assert text(chen2019(), show_year=False).startswith("Chen, X.*, L. Liu, and A. Bartsch, Detecting ")


def test_marker_is_a_tag_that_knows_its_role() -> None:
    marker = Marker(ROLES["postdoc"])
    assert marker.render_as("text") == "×"
    assert marker.render_as("html") == "<sup>×</sup>"
    assert marker.role.label == "postdoc"
    # sliced or merged, it keeps its role
    assert Text(marker, Marker(ROLES["postdoc"])).parts[0].role is ROLES["postdoc"]


# -- Authors -----------------------------------------------------------------


def test_two_authors_and_single_author() -> None:
    assert text(record(authors="Liu, L. and Larson, K. M.", title="T", year="2018")) == "Liu, L. and K. M. Larson (2018), T."
    assert text(record(authors="Liu, L.", title="T", year="2015")) == "Liu, L. (2015), T."


def test_initials_of_full_and_compound_names() -> None:
    out = text(record(authors="Ma, Joseph H.Y. and Zhang, Jia-Hua and van Dam, Tonie", title="T", year="2010"))
    assert out.startswith("Ma, J. H. Y., J.-H. Zhang, and T. van Dam (2010)")


def test_latex_names_are_decoded() -> None:
    out = text(record(authors=r"Liu, L. and Bj{\o}rk, A. A. and No{\"e}l, B. and Nguy{\~{\^e}}n, Th{\d{i}} Minh",
                      title="T", year="2019"))
    assert out.startswith("Liu, L., A. A. Bjørk, B. Noël, and T. M. Nguyễn (2019)")


def test_owner_bold_whatever_the_encoding() -> None:
    for written in ("Liu, Lin", "Lin Liu", "{L}iu, L.", r"Li\textsc{u}, L."):
        out = html(record(authors=f"Zhang, T. and {written}", title="T", year="2019"))
        assert "<strong>L. Liu</strong>" in out, written


def test_roles_by_year_in_one_entry() -> None:
    # 2019: Bao Zhang (postdoc to 2018) is still marked by the two-year lag; Enze Zhang is a student.
    authors = "Zhang, B. and Liu, L. and Zhang, E. and Hu, Y."
    assert text(record(authors=authors, title="T", year="2019")).startswith("Zhang, B.×, L. Liu, E. Zhang*, and Y. Hu* (2019)")
    assert text(record(authors=authors, title="T", year="2021")).startswith("Zhang, B., L. Liu, E. Zhang*, and Y. Hu* (2021)")
    assert text(record(authors=authors, title="T", year="2018")).startswith("Zhang, B.×, L. Liu, E. Zhang*, and Y. Hu◊ (2018)")


def test_roles_by_biblatex_date() -> None:
    rec = record(authors="Zhang, B. and Liu, L. and Hu, Y.", title="T", date="2018-05")
    assert text(rec).startswith("Zhang, B.×, L. Liu, and Y. Hu◊ (2018)")


def test_unknown_same_surname_gets_no_marker() -> None:
    assert text(record(authors="Zhang, T. and Liu, L.", title="T", year="2019")).startswith("Zhang, T. and L. Liu (2019)")


def test_other_liu_is_not_bold() -> None:
    out = html(record(authors="Liu, G. and Liu, L.", title="T", year="2019"))
    assert out.startswith("Liu, G. and <strong>L. Liu</strong> (2019)")


def test_author_annotation_none_suppresses_roster_match() -> None:
    authors = "Michaelides, R. J. and Zebker, H. A. and Schaefer, K. and Parsekian, A. and Liu, L. and Chen, J."
    assert text(record(authors=authors, title="T", year="2018")).endswith("L. Liu, and J. Chen* (2018), T.")
    assert text(record(authors=authors, title="T", year="2018", author_an="6=none")).endswith("L. Liu, and J. Chen (2018), T.")


def test_author_annotation_forces_role() -> None:
    assert text(record(authors="Liu, L. and Wu, Z.", title="T", year="2018")) == "Liu, L. and Z. Wu (2018), T."
    rec = record(authors="Liu, L. and Wu, Z.", title="T", year="2018", author_an="2=postdoc")
    assert text(rec) == "Liu, L. and Z. Wu× (2018), T."
    assert "Z. Wu<sup>×</sup>" in html(rec)


def test_bad_annotation_falls_back_to_roster() -> None:
    rec = record(authors="Chen, X. and Liu, L.", title="T", year="2019", author_an="1=mentor")
    assert text(rec).startswith("Chen, X.* and L. Liu (2019)")


@pytest.mark.parametrize(
    ("authors", "shown"),
    [
        ("Bartsch, A. and others", "Bartsch, A. et al."),
        ("Bartsch, A. and Liu, L. and others", "Bartsch, A., L. Liu, et al."),
        ("Bartsch, A. and Liu, L. and Zhang, T. and others", "Bartsch, A., L. Liu, T. Zhang, et al."),
    ],
)
def test_others_becomes_et_al_in_the_usual_form(authors: str, shown: str) -> None:
    assert text(record(authors=authors, title="T", year="2014")) == f"{shown} (2014), T."


def test_corporate_author_and_particles() -> None:
    rec = record(authors="{World Meteorological Organization} and von Neumann, John and de la Cruz, Juan",
                 title="T", year="2014")
    assert text(rec) == "World Meteorological Organization, J. von Neumann, and J. de la Cruz (2014), T."


# -- Authorship marks ----------------------------------------------------------


@pytest.mark.parametrize(
    "authors",
    ["Zhou*, Xuhui and Liu, Lin$^\\dagger$", "Xuhui Zhou\\textsuperscript{*} and Lin Liu\\textsuperscript{\\dag}",
     "Zhou$^{*}$, X. and Liu†, L."],
)
def test_marks_shown_after_names(authors: str) -> None:
    rec = record(authors=authors, title="T", year="2020")
    assert text(rec) == "Zhou, X.# and L. Liu† (2020), T."
    assert html(rec).startswith("Zhou, X.<sup>#</sup> and <strong>L. Liu</strong><sup>†</sup> (2020)")


def test_marks_after_the_supervisee_marker() -> None:
    rec = record(authors="Chen*, Xiyu and Liu, Lin", title="T", year="2020")
    assert text(rec) == "Chen, X.*# and L. Liu (2020), T."
    out = format_entry(rec, CTX)
    signs = [p for p in out.parts if isinstance(p, MarkSign)]
    assert [(s.symbol, s.label) for s in signs] == [("#", "equal contribution")]


def test_marks_follow_the_configuration() -> None:
    ctx = StyleContext(CTX.owner, ROSTER, marks={**DEFAULT_MARKS, "*": ("=", "equal contribution")})
    assert text(record(authors="Zhou*, Xuhui and Liu, Lin", title="T", year="2020"), ctx).startswith("Zhou, X.= and")


def test_two_marks_on_one_name_stay_two() -> None:
    rec = record(authors="Zhou*$^\\dagger$, Xuhui and Liu, Lin", title="T", year="2020")
    signs = [p for p in format_entry(rec, CTX).parts if isinstance(p, MarkSign)]
    assert [s.label for s in signs] == ["equal contribution", "corresponding author"]
    assert text(rec).startswith("Zhou, X.#† and L. Liu")


def test_marks_on_editors_too() -> None:
    rec = record("collection", authors="", editor="Doe*, Jane and Liu, Lin", title="T", year="2020")
    assert text(rec) == "Doe, J.# and L. Liu (eds.) (2020), T."


def test_mark_sign_backend_hook() -> None:
    class Backend:
        def format_cv_mark(self, symbol: str, label: str) -> str:
            return f"[{symbol}:{label}]"

    assert MarkSign("#", "equal contribution").render(Backend()) == "[#:equal contribution]"
    assert MarkSign("#", "equal contribution").render_as("html") == "<sup>#</sup>"


def test_marks_legend_lists_only_the_marks_used() -> None:
    assert marks_legend(DEFAULT_MARKS, {"*", "†"}).render_as("text") == "# equal contribution; † corresponding author"
    assert marks_legend(DEFAULT_MARKS, {"†"}).render_as("html") == "<sup>†</sup> corresponding author"
    assert marks_legend(DEFAULT_MARKS, set()).render_as("text") == ""
    # "†" and "¶" both say "corresponding author" with their own symbols: two items
    assert marks_legend(DEFAULT_MARKS, {"¶", "†"}).render_as("text") == "† corresponding author; ¶ corresponding author"


def test_used_marks_of_records() -> None:
    recs = records(("a", "article", {"author": "Zhou*, X. and Liu, L.", "title": "T"}),
                   ("b", "article", {"author": "Liu, L.$^\\dagger$", "editor": "Doe\\textsuperscript{\\S}, J."}),
                   ("c", "article", {"author": "Liu, L."}))
    assert used_marks(recs) == {"*", "†", "§"}


# -- Titles, venues, links, punctuation ----------------------------------------


def test_titles_keep_capitalisation() -> None:
    rec = record(title="Sentinel-1 {InSAR} and InSAR Time Series over {Tibetan Plateau}, {GPS} and Dams", year="2019")
    assert text(rec) == "Liu, L. (2019), Sentinel-1 InSAR and InSAR Time Series over Tibetan Plateau, GPS and Dams."


def test_latex_in_title_decoded() -> None:
    rec = record(title=r"Calving front of {Jakobshavn Isbr{\ae}} and {Upernavik Isstr{\o}m}", year="2019")
    assert "Calving front of Jakobshavn Isbræ and Upernavik Isstrøm" in text(rec)


def test_rich_title_html() -> None:
    rec = record(title=r"CO$_2$ and $\delta^{18}$O in \emph{Sphagnum}", year="2019")
    assert "CO<sub>2</sub> and δ<sup>18</sup>O in <em>Sphagnum</em>" in html(rec)
    done = render(format_entry(rec, CTX))  # the PDF keeps the math as math
    assert r"CO$_2$ and $\delta^{18}$O in \sphinxstyleemphasis{Sphagnum}" in done.latex


def test_tex_quotes_become_curly() -> None:
    rec = record(title="``Frozen'' ground", journal="J", year="2019")
    assert text(rec) == "Liu, L. (2019), “Frozen” ground, J."


@pytest.mark.parametrize(
    ("fields", "ending"),
    [
        ({"journal": "Astrophys. J."}, "T, Astrophys. J."),
        ({"title": "Why is it thawing?", "journal": "J"}, "Why is it thawing? J."),
        ({"title": "Thaw!"}, "Thaw!"),
        ({"title": "Who said ``thaw?''"}, "Who said “thaw?”"),
        ({"title": "A note.", "journal": "Ann. Glaciol."}, "A note, Ann. Glaciol."),  # a sentence's period goes
        ({"note": "With an erratum,", "journal": "J"}, "J, With an erratum,."),
    ],
)
def test_no_double_punctuation(fields: dict[str, str], ending: str) -> None:
    fields = {"title": "T", **fields}
    out = text(record(year="2019", **fields))
    assert out.endswith(ending), out
    assert ".." not in out and "?." not in out and "!." not in out and "?," not in out


def test_doi_becomes_https_link() -> None:
    for doi in ("10.1029/2018GL077960", "https://doi.org/10.1029/2018GL077960", "doi:10.1029/2018GL077960"):
        out = html(record(title="T", year="2018", doi=doi))
        assert out.endswith('doi:<a href="https://doi.org/10.1029/2018GL077960">10.1029/2018GL077960</a>.'), doi


def test_escaped_underscore_in_doi() -> None:
    out = html(record(title="T", year="2018", doi=r"10.1000/abc\_def"))
    assert out.endswith('doi:<a href="https://doi.org/10.1000/abc_def">10.1000/abc_def</a>.')


def test_bad_doi_is_text() -> None:
    out = html(record(title="T", year="2018", doi="not-a-doi"))
    assert "<a " not in out
    assert out.endswith("doi:not-a-doi.")


def test_url_becomes_link() -> None:
    out = html(record(title="T", year="2019", url="https://www.the-cryosphere-discuss.net/tc-2019-14"))
    assert out.endswith(
        '<a href="https://www.the-cryosphere-discuss.net/tc-2019-14">https://www.the-cryosphere-discuss.net/tc-2019-14</a>.'
    )


def test_url_keeps_its_tilde_and_url_command_is_unwrapped() -> None:
    assert html(record(title="T", year="2019", url="https://example.org/~liu/")).endswith(
        '<a href="https://example.org/~liu/">https://example.org/~liu/</a>.')
    assert html(record(title="T", year="2019", url=r"\url{https://example.org/x}")).endswith(
        '<a href="https://example.org/x">https://example.org/x</a>.')


def test_doi_wins_over_url() -> None:
    out = html(record(title="T", year="2019", doi="10.1000/x", url="https://example.org/"))
    assert "https://doi.org/10.1000/x" in out
    assert "example.org" not in out


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JavaScript:alert(document.cookie)", "data:text/html,<script>alert(1)</script>",
     "vbscript:msgbox(1)", "https://example.org/\"onmouseover=\"alert(1)"],
)
def test_unsafe_url_is_not_a_link(url: str) -> None:
    out = html(record(title="T", year="2019", url=url))
    assert "<a " not in out
    assert "href" not in out
    assert "<script>" not in out


def test_safe_url_and_doi_of() -> None:
    assert safe_url(" https://example.org/a ") == "https://example.org/a"
    assert safe_url("ftp://example.org/a") == "ftp://example.org/a"
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("https://example.org/a b") is None
    assert doi_of("https://dx.doi.org/10.5194/tc-12-477-2018") == "10.5194/tc-12-477-2018"
    assert doi_of("10.12/x") is None


def test_volume_number_pages() -> None:
    rec = record(title="T", year="2018", journal="Remote Sensing", volume="10", number="12", pages="2067")
    assert text(rec) == "Liu, L. (2018), T, Remote Sensing, 10(12), 2067."


@pytest.mark.parametrize("pages", ["55-65", "55--65", "55 -- 65", "55–65", r"55\textendash 65", "55---65"])
def test_page_ranges_get_an_en_dash(pages: str) -> None:
    assert text(record(title="T", year="2018", journal="J", volume="3", pages=pages)) == "Liu, L. (2018), T, J, 3, 55–65."


def test_page_ranges_in_a_list_and_other_page_forms() -> None:
    assert text(record(title="T", year="2018", journal="J", pages="S1-S12, 20-22")).endswith("J, S1–S12, 20–22.")
    assert text(record(title="T", year="2018", journal="J", eid="e2019GL083901")).endswith("J, e2019GL083901.")


def test_a_title_hyphen_is_not_a_range() -> None:
    assert "2006-2011" in text(record(title="Thickness, 2006-2011", year="2015", journal="J", pages="1-2"))


def test_language_note() -> None:
    rec = record(
        authors="Shen, W. and Liu, L. and Ning, J.",
        title="The inner core's super rotation and its influences on the gravity field",
        journal="Chinese Journal of Geophysics", year="2007", volume="50", number="2", pages="430--436",
        language="Chinese",
    )
    assert text(rec) == (
        "Shen, W., L. Liu, and J. Ning (2007), The inner core's super rotation and its influences on the gravity "
        "field, Chinese Journal of Geophysics (in Chinese), 50(2), 430–436."
    )
    assert "<em>Chinese Journal of Geophysics</em> (in Chinese)" in html(rec)


def test_english_language_adds_nothing_and_a_book_gets_it_after_the_title() -> None:
    assert text(record(title="T", year="2007", journal="J", language="english")) == "Liu, L. (2007), T, J."
    assert text(record("book", title="T", year="2007", publisher="P", language="german")) == "Liu, L. (2007), T (in German), P."


# -- Publication states and special entries ----------------------------------


def test_submitted() -> None:
    rec = record(
        authors="Zhang, B. and Liu, L. and Zhang, E.", title="Geodetic and model data", year="2019",
        journal="Earth and Planetary Science Letters", pubstate="submitted",
    )
    assert text(rec) == (
        "Zhang, B.×, L. Liu, and E. Zhang*, Geodetic and model data, submitted to Earth and Planetary Science Letters."
    )
    assert "submitted to <em>Earth and Planetary Science Letters</em>." in html(rec)


def test_inreview() -> None:
    rec = record(
        authors="Zhang, E. and Liu, L.", title="Automatically delineating the calving front", year="2019",
        journal="The Cryosphere Discussion", pubstate="inreview",
        url="https://www.the-cryosphere-discuss.net/tc-2019-14",
    )
    assert text(rec) == (
        "Zhang, E.* and L. Liu, Automatically delineating the calving front, The Cryosphere Discussion, "
        "https://www.the-cryosphere-discuss.net/tc-2019-14."
    )
    # Markers still use the year even though it is not shown.
    assert "(2019)" not in text(rec)


@pytest.mark.parametrize(("state", "shown"), [("inpress", "in press"), ("forthcoming", "forthcoming"),
                                              ("prepublished", "prepublished")])
def test_other_publication_states_are_said(state: str, shown: str) -> None:
    """A paper in press or published online first has its year, as biblatex shows it (a Zotero export marks
    online-first papers ``prepublished``)."""
    assert text(record(title="T", year="2020", journal="Nature", pubstate=state)) == f"Liu, L. (2020), T, Nature, {shown}."


def test_submitted_without_a_venue() -> None:
    assert text(record("unpublished", title="T", year="2020", pubstate="submitted")) == "Liu, L., T, submitted."


def test_contributing_author() -> None:
    rec = record(
        "misc", authors="Bartsch, A. and others", title="Requirements for Monitoring of Permafrost in Polar Regions",
        year="2014", contribution="Contributing author",
    )
    assert text(rec) == (
        "Contributing author to Bartsch et al. (2014), Requirements for Monitoring of Permafrost in Polar Regions."
    )


def test_phdthesis() -> None:
    rec = record("phdthesis", title="Studying changes in the cryosphere", year="2011", school="University of Colorado")
    assert text(rec) == "Liu, L. (2011), Studying changes in the cryosphere, PhD thesis, University of Colorado."
    assert "<em>PhD thesis</em>" in html(rec)


def test_misc_howpublished() -> None:
    rec = record("misc", title="Melting {Glaciers}", year="2015", howpublished="CUHK Sustainable Campus, No 10")
    assert text(rec) == "Liu, L. (2015), Melting Glaciers, CUHK Sustainable Campus, No 10."


def test_html_escapes_field_text() -> None:
    out = html(record(title="Less <b>than</b> <u>under</u> \\& more", year="2019"))
    assert "<b>" not in out and "<u>" not in out
    assert "<strong>than</strong>" in out  # Crossref's inline style tags are style (core/latex.py _inline_tags)
    assert "&lt;u&gt;under&lt;/u&gt;" in out and "&amp;" in out


# -- Every type ------------------------------------------------------------------

TYPES = [
    ("article", {"title": "T", "journaltitle": "J", "date": "2019-05", "volume": "3", "number": "2", "pages": "1-9"},
     "Liu, L. (2019), T, J, 3(2), 1–9.", ["<em>J</em>"]),
    ("inproceedings", {"title": "T", "booktitle": "Proc. Conf.", "editor": "Doe, J. and Roe, R. and Poe, P.",
                       "pages": "10--12", "organization": "IEEE", "publisher": "Pub", "location": "Paris", "year": "2019"},
     "Liu, L. (2019), T, in Proc. Conf., ed. by J. Doe, R. Roe, and P. Poe, pp. 10–12, IEEE, Pub, Paris.",
     ["in <em>Proc. Conf.</em>"]),
    ("conference", {"title": "T", "booktitle": "B", "year": "2019"}, "Liu, L. (2019), T, in B.", ["in <em>B</em>"]),
    ("inproceedings", {"title": "T", "booktitle": "B", "series": "LNCS", "volume": "1234", "pages": "5", "year": "2019"},
     "Liu, L. (2019), T, in B, vol. 1234 of LNCS, p. 5.", []),
    ("incollection", {"title": "T", "booktitle": "B", "editor": "Doe, Jane", "pages": "5-9", "publisher": "P",
                      "address": "Q", "year": "2001"},
     "Liu, L. (2001), T, in B, ed. by J. Doe, pp. 5–9, P, Q.", ["in <em>B</em>"]),
    ("inbook", {"title": "T", "booktitle": "B", "bookauthor": "Doe, Jane", "pages": "5-9", "year": "2001"},
     "Liu, L. (2001), T, in J. Doe, B, pp. 5–9.", []),
    ("inreference", {"title": "T", "booktitle": "B", "year": "2001"}, "Liu, L. (2001), T, in B.", []),
    ("book", {"title": "T", "subtitle": "S", "edition": "2", "volume": "3", "series": "Ser", "number": "7",
              "publisher": "P", "location": "Q", "date": "2001", "isbn": "978-3-16-148410-0"},
     "Liu, L. (2001), T: S, 2nd edn., vol. 3, Ser 7, P, Q.", ["<em>T: S</em>"]),
    ("book", {"title": "T", "editor": "Doe, Jane", "edition": "Revised", "maintitle": "M", "volume": "2",
              "publisher": "P", "year": "2001"},
     "Liu, L. (2001), T, ed. by J. Doe, Revised, vol. 2 of M, P.", ["<em>T</em>", "<em>M</em>"]),
    ("book", {"title": "T", "translator": "Doe, Jane and Roe, Rick", "edition": "11", "publisher": "P", "year": "2001"},
     "Liu, L. (2001), T, transl. by J. Doe and R. Roe, 11th edn., P.", []),
    ("mvbook", {"title": "T", "volumes": "3", "publisher": "P", "year": "2001"}, "Liu, L. (2001), T, 3 vols., P.", []),
    ("bookinbook", {"title": "T", "booktitle": "B", "volume": "2", "year": "1890"},
     "Liu, L. (1890), T, in B, vol. 2.", ["<em>T</em>", "in <em>B</em>"]),
    ("thesis", {"title": "T", "type": "mathesis", "institution": "U", "year": "2006"},
     "Liu, L. (2006), T, Master's thesis, U.", ["<em>Master's thesis</em>"]),
    ("mastersthesis", {"title": "T", "school": "U", "address": "Q", "year": "2006"},
     "Liu, L. (2006), T, Master's thesis, U, Q.", []),
    ("thesis", {"title": "T", "type": "Habilitation", "institution": "U", "year": "2006"},
     "Liu, L. (2006), T, Habilitation, U.", ["<em>Habilitation</em>"]),
    ("thesis", {"title": "T", "institution": "U", "year": "2006"}, "Liu, L. (2006), T, Thesis, U.", []),
    ("techreport", {"title": "T", "institution": "NASA", "number": "42", "year": "2013"},
     "Liu, L. (2013), T, Technical report 42, NASA.", []),
    ("report", {"title": "T", "type": "resreport", "institution": "I", "year": "2013"},
     "Liu, L. (2013), T, Research report, I.", []),
    ("report", {"title": "T", "type": "White paper", "institution": "I", "year": "2013"},
     "Liu, L. (2013), T, White paper, I.", []),
    ("report", {"title": "T", "institution": "I", "year": "2013"}, "Liu, L. (2013), T, Technical report, I.", []),
    ("unpublished", {"title": "T", "howpublished": "Talk", "note": "N", "addendum": "A", "year": "2020"},
     "Liu, L. (2020), T, Talk, N, A.", []),
    ("online", {"title": "T", "url": "https://e.org/", "urldate": "2020-01-05", "date": "2018"},
     "Liu, L. (2018), T, https://e.org/, accessed 2020-01-05.", ['<a href="https://e.org/">https://e.org/</a>']),
    ("www", {"title": "T", "url": "https://e.org/", "year": "2018"}, "Liu, L. (2018), T, https://e.org/.", []),
    ("software", {"title": "T", "version": "v2.0.1", "url": "https://e.org/", "date": "2020"},
     "Liu, L. (2020), T, v2.0.1, https://e.org/.", []),
    ("dataset", {"title": "T", "version": "3", "publisher": "PANGAEA", "doi": "10.1594/PANGAEA.1", "year": "2018"},
     "Liu, L. (2018), T, version 3, PANGAEA, doi:10.1594/PANGAEA.1.", []),
    ("patent", {"title": "T", "number": "123", "holder": "{Acme Inc.} and Liu, Lin", "type": "patenteu", "year": "2018"},
     "Liu, L. (2018), T, European patent 123 (Acme Inc. and L. Liu).", ["<strong>L. Liu</strong>)"]),
    ("patent", {"title": "T", "number": "123", "location": "Germany", "year": "2018"},
     "Liu, L. (2018), T, Patent 123, Germany.", []),
    ("misc", {"title": "T", "howpublished": "Newsletter", "year": "2015"}, "Liu, L. (2015), T, Newsletter.", []),
    ("periodical", {"title": "J", "issuetitle": "Special issue", "volume": "5", "number": "2", "year": "2017"},
     "Liu, L. (2017), J, Special issue, 5(2).", ["<em>J</em>"]),
    ("booklet", {"title": "T", "howpublished": "H", "location": "Q", "year": "2012"}, "Liu, L. (2012), T, H, Q.",
     ["<em>T</em>"]),
    ("manual", {"title": "T", "edition": "3", "version": "1.0", "organization": "O", "year": "2012"},
     "Liu, L. (2012), T, 3rd edn., version 1.0, O.", ["<em>T</em>"]),
    ("artwork", {"title": "T", "howpublished": "H", "year": "2012"}, "Liu, L. (2012), T, H.", []),
]


@pytest.mark.parametrize(("type_", "fields", "line", "fragments"), TYPES, ids=[f"{t[0]}-{i}" for i, t in enumerate(TYPES)])
def test_every_type(type_: str, fields: dict[str, str], line: str, fragments: list[str]) -> None:
    rec = record(type_, **fields)
    assert text(rec) == line
    out = html(rec)
    for fragment in fragments:
        assert fragment in out
    assert "ISBN" not in out


def test_list_fields_read_as_lists() -> None:
    rec = record("book", title="T", publisher="Deutscher Taschenbuch-Verlag and Walter de Gruyter",
                 location="München and Berlin and New York", year="1988")
    assert text(rec) == "Liu, L. (1988), T, Deutscher Taschenbuch-Verlag and Walter de Gruyter, München, Berlin, and New York."
    braced = record("book", title="T", publisher="{Routledge and Kegan Paul} and {Faber and Faber} and Penguin", year="1988")
    assert text(braced) == "Liu, L. (1988), T, Routledge and Kegan Paul, Faber and Faber, and Penguin."
    patent = record("patent", title="T", location="countryfr and countryuk and countryde", year="1998")
    assert text(patent) == "Liu, L. (1998), T, Patent, France, United Kingdom, and Germany."


def test_language_lists_and_biblatex_keys() -> None:
    rec = record("book", title="De natura deorum", language="langlatin and langgerman", publisher="Reclam", year="1995")
    assert text(rec) == "Liu, L. (1995), De natura deorum (in Latin and German), Reclam."
    assert text(record(title="T", journal="J", language="langenglish", year="1995")) == "Liu, L. (1995), T, J."


def test_same_editor_and_translator_said_once() -> None:
    rec = record("book", title="T", editor="Bland, Kalman P.", translator="Bland, Kalman P.", year="1982")
    assert text(rec) == "Liu, L. (1982), T, ed. and transl. by K. P. Bland."
    other = record("book", title="T", editor="Bland, Kalman P.", translator="Doe, Jane", year="1982")
    assert text(other) == "Liu, L. (1982), T, ed. by K. P. Bland, transl. by J. Doe."


def test_isbn_on_request() -> None:
    ctx = StyleContext(CTX.owner, ROSTER, show_isbn=True)
    rec = record("book", title="T", publisher="P", year="2001", isbn="978-3-16-148410-0")
    assert text(rec, ctx) == "Liu, L. (2001), T, P, ISBN 978-3-16-148410-0."
    assert text(rec) == "Liu, L. (2001), T, P."


def test_editors_only() -> None:
    one = record("collection", authors="", editor="Liu, Lin", title="C", publisher="P", year="2011")
    assert text(one) == "Liu, L. (ed.) (2011), C, P."
    two = record("proceedings", authors="", editor="Liu, Lin and Doe, Jane and others", title="C", year="2011")
    assert text(two) == "Liu, L., J. Doe, et al. (eds.) (2011), C."
    assert html(two).startswith("<strong>Liu, L.</strong>, J. Doe, et al. (eds.) (2011), <em>C</em>")


def test_no_names_the_title_heads() -> None:
    assert text(record("book", authors="", title="Anonymous Book", publisher="P", year="1900")) == (
        "Anonymous Book (1900), P.")
    assert html(record("book", authors="", title="Anonymous Book", year="1900")) == "<em>Anonymous Book</em> (1900)."


def test_crossref_child_shows_the_parents_book() -> None:
    recs = records(("parent", "collection", {"editor": "Doe, Jane", "title": "Big Book", "publisher": "P",
                                             "location": "Q", "date": "2011"}),
                   ("child", "incollection", {"author": "Liu, Lin", "title": "Chapter", "crossref": "parent",
                                              "pages": "3-4"}))
    assert text(recs[1]) == "Liu, L. (2011), Chapter, in Big Book, ed. by J. Doe, pp. 3–4, P, Q."


def test_date_ranges_and_circa() -> None:
    assert text(record(title="T", date="2019/2020", journal="J")) == "Liu, L. (2019–2020), T, J."
    assert text(record(title="T", date="2019?", journal="J")) == "Liu, L. (2019?), T, J."


# -- arXiv and other eprints -------------------------------------------------------


@pytest.mark.parametrize(
    ("type_", "fields"),
    [
        ("misc", {"eprint": "1905.01234", "archiveprefix": "arXiv", "primaryclass": "astro-ph.CO"}),
        ("misc", {"eprint": "1905.01234", "eprinttype": "arxiv", "eprintclass": "astro-ph.CO"}),
        ("article", {"eprint": "1905.01234", "eprintclass": "astro-ph.CO"}),
        ("misc", {"arxiv": "1905.01234", "eprintclass": "astro-ph.CO"}),
    ],
)
def test_arxiv_eprint_is_shown_and_linked(type_: str, fields: dict[str, str]) -> None:
    rec = record(type_, title="Dark matter", year="2019", **fields)
    assert text(rec) == "Liu, L. (2019), Dark matter, arXiv:1905.01234 [astro-ph.CO]."
    assert '<a href="https://arxiv.org/abs/1905.01234">arXiv:1905.01234</a> [astro-ph.CO].' in html(rec)


def test_arxiv_venue_from_google_scholar_is_not_repeated() -> None:
    rec = record(title="T", year="2019", journal="arXiv preprint arXiv:1905.05678")
    assert text(rec) == "Liu, L. (2019), T, arXiv:1905.05678."
    rec = record("misc", title="T", year="2019", howpublished="arXiv:1905.05678")
    assert text(rec) == "Liu, L. (2019), T, arXiv:1905.05678."


def test_published_article_keeps_doi_and_arxiv_and_drops_an_arxiv_url() -> None:
    rec = record(title="T", year="2019", journal="Phys. Rev. D", volume="99", pages="1", doi="10.1103/x",
                 eprint="1905.01234", archiveprefix="arXiv", url="https://arxiv.org/abs/1905.01234")
    assert text(rec) == "Liu, L. (2019), T, Phys. Rev. D, 99, 1, arXiv:1905.01234, doi:10.1103/x."
    rec = record("misc", title="T", year="2019", eprint="1905.01234", archiveprefix="arXiv",
                 url="https://arxiv.org/abs/1905.01234")
    assert text(rec) == "Liu, L. (2019), T, arXiv:1905.01234."


def test_other_eprints() -> None:
    rec = record(title="T", year="2019", journal="J", eprint="31234567", eprinttype="pubmed")
    assert html(rec).endswith('PMID: <a href="https://pubmed.ncbi.nlm.nih.gov/31234567/">31234567</a>.')
    assert text(record(title="T", year="2019", journal="J", eprint="X1", eprinttype="SSRN")) == (
        "Liu, L. (2019), T, J, SSRN: X1.")


# -- The tables -----------------------------------------------------------------------


def test_every_layout_names_known_blocks_and_starts_with_a_title() -> None:
    for kind, layout in LAYOUTS.items():
        assert layout[0] in ("title", "title_italic"), kind
        assert all(block in BLOCKS for block in layout), kind
        assert not set(layout) & set(TAIL), kind
    assert all(block in BLOCKS for block in TAIL)


def test_every_type_alias_has_a_layout() -> None:
    for written, kind in KIND.items():
        assert kind in LAYOUTS, written
        assert layout_of(record(written, title="T")) == LAYOUTS[kind]
    assert layout_of(record("customa", title="T")) == LAYOUTS["misc"]


# -- Legend ------------------------------------------------------------------


def test_legend_from_roles() -> None:
    assert legend(ROLES).render_as("text") == "Supervised graduate student*, postdoc×, and visiting student◊"
    custom = build_roles({"mentee": {"label": "mentee", "symbol": "†"}, "intern": {"label": "intern", "symbol": "‡"}})
    assert legend(custom, "Mentored").render_as("text") == "Mentored mentee† and intern‡"
    assert legend(custom).render_as("html") == "Supervised mentee<sup>†</sup> and intern<sup>‡</sup>"


def test_old_doi_resolver_links_go_to_doi_org() -> None:
    rec = record(type_="dataset", title="Data", url="http://dx.doi.org/10.3334/ORNLDAAC/1355", publisher="ORNL",
                 year="2016")
    out = html(rec)
    assert 'href="https://doi.org/10.3334/ORNLDAAC/1355"' in out
    assert "dx.doi.org/10.3334/ORNLDAAC/1355</a>" in out  # shown as written
    assert 'href="http://dx.doi.org' not in out


def test_cjk_names_family_first_whole_and_the_owner_bold() -> None:
    """A name in Han, kana or hangul without a comma is family name first, as its language writes it (BibTeX's
    rule would make 小山 the given name and show "翔一, 小."); it is shown as written, never as initials. Real
    case: a Japanese researcher's own file (sh01k/sh01k.github.io, docs/assets/js/skoyama_ja.bib, 1d3bcad)."""
    ctx = StyleContext(build_owner("小山, 翔一", ["Koyama, Shoichi"]), ROSTER)
    rec = record(authors="羽田 陽一 and 小山 翔一 and 김 민준 and Jorge Treviño", journal="日本音響学会誌",
                 title="音場推定", year="2015")
    shown = text(rec, ctx)
    assert shown.startswith("羽田 陽一, 小山 翔一, 김 민준, and J. Treviño (2015)"), shown
    assert "<strong>小山 翔一</strong>" in html(rec, ctx)
    assert "<strong>Koyama, S.</strong>" in html(record(authors="Koyama, Shoichi", journal="J", title="T",
                                                        year="2015"), ctx)
    person = rec.persons["author"][0]
    assert (person.last_names, person.first_names) == (["羽田"], ["陽一"])
    assert text(record(authors="刘林", journal="J", title="T", year="2015")).startswith("刘林 (2015)")


def test_scopus_citation_count_is_not_a_note() -> None:
    """Scopus writes ``note = {cited By 317}`` (real export: swnesbitt/academic-kickstart, scopus.bib, 2d6ab77):
    its count of the day is not shown; what follows it in the note is; a note that only mentions it stays."""
    shown = text(record(journal="Journal of Climate", title="T", year="2000", note="cited By 317"))
    assert "cited" not in shown and shown.endswith("Journal of Climate.")
    rest = text(record(journal="J", title="T", year="2019", note="cited By 0; Conference of IGARSS 2019"))
    assert "cited" not in rest and "Conference of IGARSS 2019" in rest
    kept = text(record(journal="J", title="T", year="2019", note="Highly cited by the community"))
    assert "Highly cited by the community" in kept


def test_hal_ampersand_escaped_twice_is_one_ampersand() -> None:
    """HAL writes ``\\&amp;`` (real export: bebatut-research/bebatut-research.github.io, papers.bib, 4aa902d):
    an ampersand, not the text "&amp;"."""
    rec = record(journal="J", title="ELIXIR, GOBLET \\&amp; Galaxy Training Network", year="2019")
    assert "GOBLET & Galaxy" in text(rec) and "amp;" not in text(rec)
    assert "GOBLET &amp; Galaxy" in html(rec) and "&amp;amp;" not in html(rec)


@pytest.mark.parametrize(("title", "shown"), [
    ("Spin waves in antiferromagnets.", "Spin waves in antiferromagnets, J,"),  # PubMed's title: no ".,"
    ("Ground-based FMCW radar.", "Ground-based FMCW radar, J,"),
    ("Snow in the U.S.", "Snow in the U.S., J,"),  # an abbreviation keeps its period
    ("Models of forests, et al.", "Models of forests, et al., J,"),
    ("Where is the snow?", "Where is the snow? J,"),
])
def test_a_title_ending_a_sentence_loses_its_period_before_the_comma(title: str, shown: str) -> None:
    """Real titles with a final period (yangqi137/mycv ``Zhu2013``, from PubMed; hpmarshall/myCV ``Marshall:2004b``)
    printed "antiferromagnets., Sci. Rep."; biblatex prints no comma after a sentence's end."""
    assert shown in text(record(journal="J", title=title, year="2013", volume="3"))


def test_the_chapter_of_a_book_is_shown_before_its_pages() -> None:
    """hpmarshall/myCV (BibDesk) ``Marshall:2015``: ``Chapter = {14}`` was in the CSL-JSON but not on the page;
    biblatex prints "chap. 14" before the pages."""
    rec = record("inbook", authors="Marshall, H.P. and Hawley, R.", title="Field measurements", year="2015",
                 booktitle="Remote Sensing of the Cryosphere", chapter="14", pages="345--381", publisher="Wiley")
    assert "Remote Sensing of the Cryosphere, chap. 14, pp. 345–381, Wiley" in text(rec)
    assert "chap." not in text(record("inbook", title="T", year="2015", booktitle="B", pages="1--2"))


def test_acm_s_own_doi_resolver_is_a_doi() -> None:
    """A JabRef file of ACM papers (bvasiles/bvasiles.github.io, _bibliography/publications.bib at 1197496) writes
    ``doi = {http://doi.acm.org/10.1145/...}``: 5 entries showed it as text with a cv.bad_doi warning."""
    from cvsphinx.core.identifiers import canonical

    assert doi_of("http://doi.acm.org/10.1145/2597073.2597129") == "10.1145/2597073.2597129"
    assert canonical("http://doi.acm.org/10.1145/2597073.2597129") == "https://doi.org/10.1145/2597073.2597129"
    rec = record(title="Lean GHTorrent", booktitle="MSR", year="2014", type_="inproceedings",
                 doi="http://doi.acm.org/10.1145/2597073.2597126")
    assert 'href="https://doi.org/10.1145/2597073.2597126"' in html(rec)
    assert doi_of("http://example.org/10.1145/2597073.2597126") is None


@pytest.mark.parametrize(("written", "shown"), [("spa", "(in Spanish)"), ("es", "(in Spanish)"),
                                                 ("pt-BR", "(in Portuguese)"), ("ger", "(in German)"),
                                                 ("langgerman", "(in German)"), ("eng", None)])
def test_language_codes_are_named(written: str, shown: str | None) -> None:
    # ORCID's export (geofis/cv, works.bib) writes language = {spa}, and DataCite's {es}: "(in Spa)" before
    out = text(record(title="Mapa de unidades ambientales", journal="Revista", year="2005", language=written))
    if shown is None:
        assert "(in " not in out
    else:
        assert shown in out, out


def test_a_preprint_known_by_its_doi_alone_names_its_server() -> None:
    # Crossref's entry for a bioRxiv paper, as ORCID exports it (geofis/cv, works.bib): no journal, the DOI says it
    from cvsphinx.core.checks import _missing_fields

    (rec,) = records(("Batlle_2021", "article", {
        "doi": "10.1101/2021.06.15.448604", "year": "2021", "publisher": "Cold Spring Harbor Laboratory",
        "author": "Martínez-Batlle, José Ramón", "title": "Forest loss and fire in the Dominican Republic"}))
    assert rec.preprint == "bioRxiv"
    assert "Dominican Republic, bioRxiv, doi:10.1101/2021.06.15.448604." in text(rec)
    assert "<em>bioRxiv</em>" in html(rec)
    assert not _missing_fields(rec)


def test_a_title_ending_in_a_parenthesis_and_a_period_loses_the_period() -> None:
    # ORCID's export (geofis/cv, works.bib): "... (Veracruz, Brasil)." before ", in" made ")., in"
    rec = record("inproceedings", title="Geomorfología de manglares (Veracruz, Brasil).", booktitle="VIII Congreso",
                 year="2018")
    assert "(Veracruz, Brasil), in VIII Congreso" in text(rec)
    assert "U.S., " in text(record(title="Made in the U.S.", journal="J", year="2018"))


@pytest.mark.parametrize(("collaboration", "shown"), [("CTEQ-TEA", "(CTEQ-TEA Collaboration)"),
                                                       ("ATLAS Collaboration", "(ATLAS Collaboration)")])
def test_an_inspire_collaboration_follows_the_authors(collaboration: str, shown: str) -> None:
    # INSPIRE's "cite all" (kepingxie/CV): collaboration = "CTEQ-TEA" was not shown anywhere
    rec = record(authors="Hou, Tie-Jiun and Xie, Keping and others", title="New CTEQ global analysis",
                 journal="Phys. Rev. D", year="2021", collaboration=collaboration)
    out = text(rec)
    assert out.startswith(f"Hou, T.-J., K. Xie, et al. {shown} (2021)"), out
    assert out.count("Collaboration") == 1
