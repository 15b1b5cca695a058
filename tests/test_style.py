"""style.py without Sphinx: the CV's citation format as pybtex rich text, in text and HTML."""

from __future__ import annotations

import pytest
from cvsphinx.bibfile import Record
from cvsphinx.people import DEFAULT_ROLES, build_owner, build_roles, build_roster
from cvsphinx.style import Marker, StyleContext, doi_of, format_entry, legend, safe_url
from pybtex.database import Person as BibPerson

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


def record(key: str = "x", type_: str = "article", authors: str = "Liu, L.", **fields: str) -> Record:
    people = [BibPerson(name.strip()) for name in authors.split(" and ")] if authors else []
    return Record(key, type_, dict(fields), {"author": people} if people else {}, "refs.bib", 1)


def chen2019() -> Record:
    """Built like the first entry of refs.bib."""
    return record(
        "chen2019detecting",
        authors="Chen, X. and Liu, L. and Bartsch, A.",
        title="Detecting soil freeze/thaw onsets in {Alaska} using {SMAP} and {ASCAT} data",
        journal="Remote Sensing of Environment",
        year="2019",
        volume="220",
        pages="59--70",
        doi="10.1016/j.rse.2018.10.010",
    )


def text(rec: Record, **kwargs: bool) -> str:
    return format_entry(rec, CTX, **kwargs).render_as("text")


def html(rec: Record, **kwargs: bool) -> str:
    return format_entry(rec, CTX, **kwargs).render_as("html")


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


def test_owner_only_bold_once() -> None:
    out = html(chen2019())
    assert out.count("<strong>") == 1
    assert "<strong>Chen" not in out and "<strong>A. Bartsch" not in out


def test_no_marker_before_role_starts() -> None:
    # Xiyu Chen is a student from 2019; a 2018 paper gets no marker.
    rec = chen2019()
    rec.fields["year"] = "2018"
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


# -- Authors -----------------------------------------------------------------


def test_two_authors_and_single_author() -> None:
    assert text(record(authors="Liu, L. and Larson, K. M.", title="T", year="2018")) == "Liu, L. and K. M. Larson (2018), T."
    assert text(record(authors="Liu, L.", title="T", year="2015")) == "Liu, L. (2015), T."


def test_initials_of_full_and_compound_names() -> None:
    out = text(record(authors="Ma, Joseph H.Y. and Zhang, Jia-Hua and van Dam, Tonie", title="T", year="2010"))
    assert out.startswith("Ma, J. H. Y., J.-H. Zhang, and T. van Dam (2010)")


def test_latex_names_are_decoded() -> None:
    out = text(record(authors=r"Liu, L. and Bj{\o}rk, A. A. and No{\"e}l, B.", title="T", year="2019"))
    assert out.startswith("Liu, L., A. A. Bjørk, and B. Noël (2019)")


def test_roles_by_year_in_one_entry() -> None:
    # 2019: Bao Zhang (postdoc to 2018) is still marked by the two-year lag; Enze Zhang is a student.
    rec = record(authors="Zhang, B. and Liu, L. and Zhang, E. and Hu, Y.", title="T", year="2019")
    assert text(rec).startswith("Zhang, B.×, L. Liu, E. Zhang*, and Y. Hu* (2019)")
    rec.fields["year"] = "2021"
    assert text(rec).startswith("Zhang, B., L. Liu, E. Zhang*, and Y. Hu* (2021)")
    rec.fields["year"] = "2018"
    assert text(rec).startswith("Zhang, B.×, L. Liu, E. Zhang*, and Y. Hu◊ (2018)")


def test_unknown_same_surname_gets_no_marker() -> None:
    assert text(record(authors="Zhang, T. and Liu, L.", title="T", year="2019")).startswith("Zhang, T. and L. Liu (2019)")


def test_other_liu_is_not_bold() -> None:
    out = html(record(authors="Liu, G. and Liu, L.", title="T", year="2019"))
    assert out.startswith("Liu, G. and <strong>L. Liu</strong> (2019)")


def test_author_annotation_none_suppresses_roster_match() -> None:
    authors = "Michaelides, R. J. and Zebker, H. A. and Schaefer, K. and Parsekian, A. and Liu, L. and Chen, J."
    rec = record(authors=authors, title="T", year="2018")
    assert text(rec).endswith("L. Liu, and J. Chen* (2018), T.")
    rec.fields["author+an"] = "6=none"
    assert text(rec).endswith("L. Liu, and J. Chen (2018), T.")


def test_author_annotation_forces_role() -> None:
    rec = record(authors="Liu, L. and Wu, Z.", title="T", year="2018")
    assert text(rec) == "Liu, L. and Z. Wu (2018), T."
    rec.fields["author+an"] = "2=postdoc"
    assert text(rec) == "Liu, L. and Z. Wu× (2018), T."
    assert "Z. Wu<sup>×</sup>" in html(rec)


def test_bad_annotation_falls_back_to_roster() -> None:
    rec = record(authors="Chen, X. and Liu, L.", title="T", year="2019", **{"author+an": "1=mentor"})
    assert text(rec).startswith("Chen, X.* and L. Liu (2019)")


def test_others_becomes_et_al() -> None:
    rec = record(authors="Bartsch, A. and others", title="T", year="2014")
    assert text(rec) == "Bartsch, A. et al. (2014), T."


# -- Titles, venues, links ---------------------------------------------------


def test_titles_keep_capitalisation() -> None:
    rec = record(title="Sentinel-1 {InSAR} and InSAR Time Series over {Tibetan Plateau}, {GPS} and Dams", year="2019")
    assert text(rec) == "Liu, L. (2019), Sentinel-1 InSAR and InSAR Time Series over Tibetan Plateau, GPS and Dams."


def test_latex_in_title_decoded() -> None:
    rec = record(title=r"Calving front of {Jakobshavn Isbr{\ae}} and {Upernavik Isstr{\o}m}", year="2019")
    assert "Calving front of Jakobshavn Isbræ and Upernavik Isstrøm" in text(rec)


def test_doi_becomes_https_link() -> None:
    for doi in ("10.1029/2018GL077960", "https://doi.org/10.1029/2018GL077960", "doi:10.1029/2018GL077960"):
        out = html(record(title="T", year="2018", doi=doi))
        assert out.endswith('doi:<a href="https://doi.org/10.1029/2018GL077960">10.1029/2018GL077960</a>.'), doi


def test_bad_doi_is_text() -> None:
    out = html(record(title="T", year="2018", doi="not-a-doi"))
    assert "<a " not in out
    assert out.endswith("doi:not-a-doi.")


def test_url_becomes_link() -> None:
    out = html(record(title="T", year="2019", url="https://www.the-cryosphere-discuss.net/tc-2019-14"))
    assert out.endswith(
        '<a href="https://www.the-cryosphere-discuss.net/tc-2019-14">https://www.the-cryosphere-discuss.net/tc-2019-14</a>.'
    )


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


def test_url_command_in_field() -> None:
    out = html(record(title="T", year="2019", url=r"\url{https://example.org/x}"))
    # The field is shown, but a LaTeX command is not an address, so it is not a link.
    assert "https://example.org/x" in out


def test_volume_number_pages() -> None:
    rec = record(title="T", year="2018", journal="Remote Sensing", volume="10", number="12", pages="2067")
    assert text(rec) == "Liu, L. (2018), T, Remote Sensing, 10(12), 2067."


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


def test_english_language_adds_nothing() -> None:
    rec = record(title="T", year="2007", journal="J", language="english")
    assert text(rec) == "Liu, L. (2007), T, J."


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


def test_contributing_author() -> None:
    rec = record(
        "misc", authors="Bartsch, A. and others", title="Requirements for Monitoring of Permafrost in Polar Regions",
        year="2014", contribution="Contributing author",
    )
    rec.type = "misc"
    assert text(rec) == (
        "Contributing author to Bartsch et al. (2014), Requirements for Monitoring of Permafrost in Polar Regions."
    )


def test_phdthesis() -> None:
    rec = record(title="Studying changes in the cryosphere", year="2011", school="University of Colorado")
    rec.type = "phdthesis"
    assert text(rec) == "Liu, L. (2011), Studying changes in the cryosphere, PhD thesis, University of Colorado."
    assert "<em>PhD thesis</em>" in html(rec)


def test_misc_howpublished() -> None:
    rec = record(title="Melting {Glaciers}", year="2015", howpublished="CUHK Sustainable Campus, No 10")
    rec.type = "misc"
    assert text(rec) == "Liu, L. (2015), Melting Glaciers, CUHK Sustainable Campus, No 10."


def test_html_escapes_field_text() -> None:
    out = html(record(title="Less <b>than</b> & more", year="2019"))
    assert "<b>" not in out
    assert "&lt;b&gt;" in out and "&amp;" in out


# -- Legend ------------------------------------------------------------------


def test_legend_from_roles() -> None:
    assert legend(ROLES).render_as("text") == "Supervised graduate student*, postdoc×, and visiting student◊"
    custom = build_roles({"mentee": {"label": "mentee", "symbol": "†"}, "intern": {"label": "intern", "symbol": "‡"}})
    assert legend(custom, "Mentored").render_as("text") == "Mentored mentee† and intern‡"
    assert legend(custom).render_as("html") == "Supervised mentee<sup>†</sup> and intern<sup>‡</sup>"
