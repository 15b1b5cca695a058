"""Every standard biblatex entry type, in BibTeX and in biblatex form, built to HTML and PDF.

``tests/roots/test-cv-types/refs.bib`` holds each type twice: ``-bib`` with BibTeX's field
names (year and month, journal, address, school, archivePrefix...), ``-blx`` with
biblatex's (date, journaltitle, location, institution, eprinttype...).  Both forms must
give the same line, and the line is written here by hand, as a reader expects it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import unicodedata
from io import StringIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

HERE = Path(__file__).parents[1]
PROJECT = HERE.parent

# keys -> (the line as a reader sees it, the texts in italics)
LINES: dict[tuple[str, ...], tuple[str, list[str]]] = {
    ("article-bib", "article-blx"): (
        "Liu, L., J. Smith, J. Doe, et al. (2019), “Frozen” ground: does it heave? Geophys. Res. Lett., 46(2), "
        "55–65, doi:10.1029/2019GL000001.", ["Geophys. Res. Lett."]),
    ("marks-bib", "marks-blx"): (
        "Zhou, X.# and L. Liu† (2020), Thaw subsidence on the Tibetan Plateau, Astrophys. J.", ["Astrophys. J."]),
    ("state-bib", "state-blx"): (
        "Shen, W. and L. Liu, The inner core's rotation, submitted to Chinese Journal of Geophysics (in Chinese).",
        ["Chinese Journal of Geophysics"]),
    ("preprint-bib", "preprint-blx"): ("Doe, J. and L. Liu (2019), Ice in the machine, arXiv:1905.05678.", []),
    ("suppperiodical-bib", "suppperiodical-blx"): (
        "Liu, L. (2018), Supplement: station list, The Cryosphere, 12, S1–S12.", ["The Cryosphere"]),
    ("periodical-bib", "periodical-blx"): (
        "Doe, J. (ed.) (2017), Journal of Frozen Ground, Special issue on rock glaciers, 5(2).",
        ["Journal of Frozen Ground"]),
    ("inproceedings-bib", "conference-bib", "inproceedings-blx"): (
        "Liu, L. and X. Chen* (2019), Mapping rock glaciers with InSAR, in Proceedings of the 2019 IEEE International "
        "Geoscience and Remote Sensing Symposium (IGARSS), ed. by J. Doe and R. Roe, pp. 100–103, IEEE, Yokohama, Japan.",
        ["Proceedings of the 2019 IEEE International Geoscience and Remote Sensing Symposium (IGARSS)"]),
    ("proceedings-bib", "proceedings-blx"): (
        "Liu, L. and T. Zhang (eds.) (2016), Proceedings of the 12th International Conference on Permafrost, "
        "International Permafrost Association, Potsdam.", ["Proceedings of the 12th International Conference on Permafrost"]),
    ("mvproceedings-bib", "mvproceedings-blx"): (
        "Zhang, T. (ed.) (2016), Permafrost Conference Proceedings, 4 vols., International Permafrost Association, "
        "Potsdam.", ["Permafrost Conference Proceedings"]),
    ("collection-bib", "collection-blx"): (
        "Singh, V. P., P. Singh, and U. K. Haritashya (eds.) (2011), Encyclopedia of Snow, Ice and Glaciers, Springer, "
        "Dordrecht.", ["Encyclopedia of Snow, Ice and Glaciers"]),
    ("incollection-bib", "incollection-blx"): (
        "Liu, L. (2011), Permafrost, in Encyclopedia of Snow, Ice and Glaciers, ed. by V. P. Singh, P. Singh, and "
        "U. K. Haritashya, pp. 850–855, Springer, Dordrecht.", ["Encyclopedia of Snow, Ice and Glaciers"]),
    ("mvcollection-bib", "mvcollection-blx"): (
        "Haeberli, W. (ed.) (2013), Treatise on Geomorphology, 14 vols., Academic Press, San Diego.",
        ["Treatise on Geomorphology"]),
    ("suppcollection-bib", "suppcollection-blx"): (
        "Liu, L. (2011), Data tables, in Encyclopedia of Snow, Ice and Glaciers, pp. 1200–1210, Springer, Dordrecht.",
        ["Encyclopedia of Snow, Ice and Glaciers"]),
    ("book-bib", "book-blx"): (
        "Wegener, A. (1966), The Origin of Continents and Oceans, transl. by J. Biram, 4th edn., Dover Earth Science, "
        "Dover, New York.", ["The Origin of Continents and Oceans"]),
    ("mvbook-bib", "mvbook-blx"): (
        "French, H. M. (2017), The Periglacial Environment, 2 vols., Wiley, Chichester.", ["The Periglacial Environment"]),
    ("inbook-bib", "inbook-blx"): (
        "Liu, L. (2015), Radar interferometry, in Remote Sensing of the Cryosphere, ed. by M. Tedesco, pp. 200–220, "
        "Wiley, Chichester.", ["Remote Sensing of the Cryosphere"]),
    ("bookinbook-bib", "bookinbook-blx"): (
        "Darwin, C. (1890), The Voyage of the Beagle, in The Works of Charles Darwin, vol. 3, Murray, London.",
        ["The Voyage of the Beagle", "The Works of Charles Darwin"]),
    ("suppbook-bib", "suppbook-blx"): (
        "Liu, L. (2015), Afterword, in Remote Sensing of the Cryosphere, p. 400, Wiley, Chichester.",
        ["Remote Sensing of the Cryosphere"]),
    ("reference-bib", "reference-blx"): (
        "Goudie, A. S. (ed.) (2004), Encyclopedia of Geomorphology, Routledge, London.", ["Encyclopedia of Geomorphology"]),
    ("mvreference-bib", "mvreference-blx"): (
        "Goudie, A. S. (ed.) (2005), Encyclopedia of Landforms, 2 vols., Routledge, London.", ["Encyclopedia of Landforms"]),
    ("inreference-bib", "inreference-blx"): (
        "Liu, L. (2004), Rock glacier, in Encyclopedia of Geomorphology, ed. by A. S. Goudie, pp. 860–862, Routledge, "
        "London.", ["Encyclopedia of Geomorphology"]),
    ("booklet-bib", "booklet-blx"): (
        "Liu, L. (2012), Permafrost Field Guide, Distributed at the AGU Fall Meeting, San Francisco.",
        ["Permafrost Field Guide"]),
    ("manual-bib", "manual-blx"): (
        "Liu, L. (2012), ISCE User Manual, 3rd edn., Jet Propulsion Laboratory, Pasadena, CA.", ["ISCE User Manual"]),
    ("phdthesis-bib", "phdthesis-blx"): (
        "Liu, L. (2011), Studying changes in the cryosphere using radar interferometry, PhD thesis, University of "
        "Colorado, Boulder, CO.", ["PhD thesis"]),
    ("mastersthesis-bib", "mastersthesis-blx"): (
        "Liu, L. (2006), Glacier velocity from feature tracking, Master's thesis, Wuhan University.", ["Master's thesis"]),
    ("techreport-bib", "techreport-blx"): (
        "Liu, L. and K. Schaefer (2013), ReSALT algorithm theoretical basis, Technical report D-12345, NASA Jet "
        "Propulsion Laboratory, Pasadena, CA.", []),
    ("unpublished-bib", "unpublished-blx"): (
        "Liu, L. (2020), Permafrost and the carbon cycle, Talk at the AGU Fall Meeting, Slides on request, Invited.", []),
    ("online-bib", "online-blx"): (
        "Liu, L. (2018), Permafrost blog, https://example.org/~liu/blog, accessed 2020-01-05.", []),
    ("software-bib", "software-blx"): (
        "Liu, L. (2020), InSARtool, version 1.2, https://github.com/example/insartool.", []),
    ("dataset-bib", "dataset-blx"): (
        "Liu, L. and K. M. Larson (2018), Surface elevation changes near Barrow (Alaska), version 2, PANGAEA, "
        "https://doi.pangaea.de/10.1594/PANGAEA.885935.", []),
    ("patent-bib", "patent-blx"): (
        "Liu, L. (2018), Ground-based radar for thaw monitoring, U.S. patent 7654321 (Acme Corporation).", []),
    ("misc-bib", "misc-blx"): ("Liu, L. (2015), Melting glaciers in High Asia, CUHK Sustainable Campus, No 10.", []),
    ("arxiv-bib", "arxiv-blx"): ("Doe, J. and L. Liu (2019), Dark matter in permafrost? arXiv:1905.01234 [astro-ph.CO].", []),
}
KEYS = [key for keys in LINES for key in keys]
# key prefix -> links the line must hold
LINKS = {
    "article": ["https://doi.org/10.1029/2019GL000001"],
    "preprint": ["https://arxiv.org/abs/1905.05678"],
    "arxiv": ["https://arxiv.org/abs/1905.01234"],
    "online": ["https://example.org/~liu/blog"],
    "software": ["https://github.com/example/insartool"],
    "dataset": ["https://doi.pangaea.de/10.1594/PANGAEA.885935"],
}


def squash(text: str) -> str:
    return " ".join(text.split())


def test_every_entry_of_the_root_has_a_line() -> None:
    bib = (HERE / "roots" / "test-cv-types" / "refs.bib").read_text(encoding="utf-8")
    keys = re.findall(r"^@(?!string)\w+\{([^,]+),", bib, re.MULTILINE)
    assert sorted(keys) == sorted(KEYS)
    kinds = {re.match(r"@(\w+)", m).group(1).lower() for m in re.findall(r"^@(?!string)\w+", bib, re.MULTILINE)}
    # biblatex's standard types (manual, section 2.1.1), and BibTeX's own names for some of them
    assert kinds >= {"article", "book", "mvbook", "inbook", "bookinbook", "suppbook", "booklet", "collection",
                     "mvcollection", "incollection", "suppcollection", "dataset", "manual", "misc", "online", "patent",
                     "periodical", "suppperiodical", "proceedings", "mvproceedings", "inproceedings", "reference",
                     "mvreference", "inreference", "report", "software", "thesis", "unpublished", "conference",
                     "phdthesis", "mastersthesis", "techreport", "electronic"}


# -- HTML ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def html_items(tmp_path_factory) -> dict[str, BeautifulSoup]:
    """One sphinx.testing build for every test of this module."""
    srcdir = tmp_path_factory.mktemp("types") / "src"
    shutil.copytree(HERE / "roots" / "test-cv-types", srcdir)
    app = SphinxTestApp("html", srcdir=srcdir, freshenv=True, status=StringIO(), warning=StringIO())
    try:
        app.build()
    finally:
        app.cleanup()
    assert warnings_of(app.warning.getvalue()) == []
    soup = BeautifulSoup((Path(app.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser")
    # the entry is the item's first paragraph (permalink, BibTeX and other extras follow it)
    items = {li["id"].removeprefix("pub-"): li.find("p") for li in soup.select("ol.cv-publication-list > li")}
    assert len(items) == len(KEYS)
    return items


def warnings_of(log: str) -> list[str]:
    lines = re.sub(r"\x1b\[[0-9;]*m", "", log).splitlines()
    return [line for line in lines if line.strip()]


def seen_text(li) -> str:
    """What a reader sees of an entry: without the screen-reader words that follow markers."""
    li = BeautifulSoup(str(li), "html.parser")
    for hidden in li.select(".cv-sr-only"):
        hidden.decompose()
    return squash(li.get_text())


@pytest.mark.parametrize("keys", list(LINES), ids=[k[0].removesuffix("-bib") for k in LINES])
def test_html_line(html_items, keys) -> None:
    line, italics = LINES[keys]
    for key in keys:
        li = html_items[key]
        assert seen_text(li) == line, key
        assert [squash(em.get_text()) for em in li.select("em")] == italics, key
        links = [a["href"] for a in li.select("a[href]")]
        expected = LINKS.get(key.rsplit("-", 1)[0], [])
        if len(links) == len(expected) + 1:  # the title links to the paper, which the line also shows
            assert links[0] in expected, key
            links = links[1:]
        assert links == expected, key


def test_html_owner_bold_and_supervisee_marked(html_items) -> None:
    for keys, (line, _) in LINES.items():
        owner = ["Liu, L."] if line.startswith("Liu, L.") else ["L. Liu"] if "L. Liu" in line else []
        for key in keys:
            assert [squash(b.get_text()) for b in html_items[key].select("strong")] == owner, key
    for key in ("inproceedings-bib", "conference-bib", "inproceedings-blx"):
        marker = html_items[key].select_one("sup.cv-marker")
        assert marker is not None and "graduate student" in marker.get("title", ""), key


def test_html_authorship_marks_are_superscripts(html_items) -> None:
    for key in ("marks-bib", "marks-blx"):
        sups = [squash(seen_text(s)) for s in html_items[key].select("sup")]
        assert sups == ["#", "†"], key


def test_html_isbn_off_by_default(html_items) -> None:
    assert not any("ISBN" in seen_text(li) for li in html_items.values())


# -- PDF ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf_build(tmp_path_factory) -> dict:
    src = tmp_path_factory.mktemp("types-pdf") / "src"
    shutil.copytree(HERE / "roots" / "test-cv-types", src)
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "ext"), "CV_PROJECT_CONF": str(PROJECT / "conf.py")}
    run = subprocess.run([sys.executable, "-m", "sphinx", "-M", "latexpdf", ".", "_build", "--keep-going"],
                         cwd=src, capture_output=True, text=True, env=env, timeout=900)
    pdf = src / "_build" / "latex" / "types.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout if pdf.is_file() else ""
    tex = src / "_build" / "latex" / "types.tex"
    return {"run": run, "text": text, "tex": tex.read_text(encoding="utf-8") if tex.is_file() else ""}


def pdf_norm(text: str) -> str:
    """Comparable whatever the line breaks: no white space, no hyphens (a break may add or eat one)."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "").replace("’", "'").replace("‘", "'")
    return re.sub(r"[\s\-‐]+", "", text)


@pytest.mark.slow
def test_pdf_builds_without_warnings(pdf_build) -> None:
    run = pdf_build["run"]
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert [w for w in warnings_of(run.stderr) if "WARNING" in w] == []


@pytest.mark.slow
@pytest.mark.parametrize("keys", list(LINES), ids=[k[0].removesuffix("-bib") for k in LINES])
def test_pdf_line(pdf_build, keys) -> None:
    line, italics = LINES[keys]
    assert pdf_norm(pdf_build["text"]).count(pdf_norm(line)) == len(keys), line
    tex = squash(pdf_build["tex"].replace("\\sphinxhyphen{}", "-").replace("\\textquotesingle{}", "'"))
    for text in italics:  # italics are not in pdftotext's text: the LaTeX source has them
        assert f"\\sphinxstyleemphasis{{{text}}}" in tex, text
