"""The whole CV, built to HTML and PDF, against the seed CV (tests/data/seed.txt).

Every expectation comes from parsing the seed (tests/helpers/seed.py); the few things the seed's
text extraction lost are put back there (REPAIRS, OWNER_NAME).  These checks hold only
for the seed CV: they run while the project holds tests/data/seed.txt, which ``cv.sh new``
does not copy.  What holds for any CV (no warnings, every entry once, the owner in bold,
markers, numbering, glyphs, page numbers) is in test_cv_invariants.py.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from functools import cache

import pytest
from bs4 import BeautifulSoup, NavigableString, Tag
from conftest import requires_seed_cv
from helpers import seed as cv_seed

pytestmark = [pytest.mark.slow, requires_seed_cv]


# -- helpers: HTML -----------------------------------------------------------------------------


@cache
def _soup(html_path) -> BeautifulSoup:
    return BeautifulSoup(html_path.read_text(encoding="utf-8"), "html.parser")


def fresh_article(cv_build) -> Tag:
    """A private copy of the page's <article>, free to be changed by the caller."""
    soup = BeautifulSoup(cv_build["html"].read_text(encoding="utf-8"), "html.parser")
    article = soup.find("article")
    assert article is not None, "index.html has no <article>"
    return article


@pytest.fixture(scope="module")
def article(cv_build) -> Tag:
    art = _soup(cv_build["html"]).find("article")
    assert art is not None, "index.html has no <article>"
    return art


def text_of(node: Tag | NavigableString, *, screen_reader: bool = True) -> str:
    """Normalised text of a node, without heading permalinks (and, if asked, without screen-reader text)."""
    if isinstance(node, NavigableString):
        return cv_seed.norm(str(node))
    parts = []
    for s in node.find_all(string=True):
        skip = False
        for parent in s.parents:
            if parent is node:
                break
            classes = parent.get("class") or []
            if "headerlink" in classes or (not screen_reader and "cv-sr-only" in classes):
                skip = True
                break
        if not skip:
            parts.append(str(s))
    return cv_seed.norm("".join(parts))


def heading_elements(article: Tag) -> list[Tag]:
    return [t for t in article.find_all(True) if re.fullmatch(r"h[1-6]", t.name) or "rubric" in (t.get("class") or [])]


def section_of(article: Tag, title: str) -> Tag:
    for h in article.find_all(re.compile(r"^h[1-6]$")):
        if text_of(h).lower() == title.lower():
            return h.find_parent("section") or h.parent
    raise AssertionError(f"no heading {title!r} in the HTML")


def html_entries(article: Tag) -> list[tuple[str, str | None]]:
    out = []
    for div in article.select("div.cv-entry"):
        what = div.find(class_="cv-what")
        date = div.find(class_="cv-date")
        out.append((text_of(what) if what else "", text_of(date) if date else None))
    return out


def publication_items(article: Tag) -> list[tuple[int, str | None, Tag]]:
    """(number, group title, <li>) for every item of the publication lists, in page order."""
    out = []
    for ol in article.select("ol.cv-publication-list"):
        start = int(ol.get("start", "1"))
        group_head = ol.find_previous(lambda t: re.fullmatch(r"h[1-6]", t.name) or "rubric" in (t.get("class") or []))
        group = text_of(group_head) if group_head else None
        if group is not None and group.lower() == "publications":
            group = None
        for i, li in enumerate(ol.find_all("li", recursive=False)):
            out.append((start + i, group, li))
    return out


# -- helpers: PDF ------------------------------------------------------------------------------


def pdf_pages(layout: str) -> list[str]:
    pages = layout.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return pages


def pdf_body_lines(layout: str) -> list[str]:
    """The -layout lines of every page, without the page-number line at the foot of each page."""
    out = []
    for page in pdf_pages(layout):
        lines = page.split("\n")
        nonblank = [i for i, x in enumerate(lines) if x.strip()]
        if nonblank and lines[nonblank[-1]].strip().isdigit():
            lines = lines[: nonblank[-1]]
        out.extend(lines)
    return out


def pdf_join(lines: list[str]) -> str:
    """Lines joined into one normalised text; a line break after a hyphen is joined without it."""
    text = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if re.search(r"\w-$", text):
            text = text[:-1] + line
        elif text.endswith(("–", "/")):
            text += line
        else:
            text = f"{text} {line}" if text else line
    return cv_seed.norm(text)


def pdf_contains(pdf_text: str, expected: str) -> bool:
    return re.search(cv_seed.hyphen_insensitive_pattern(cv_seed.norm(expected)), pdf_text) is not None


def tighten(text: str) -> str:
    """pdftotext puts a space after a superscript ("X.* ,"): drop spaces before punctuation."""
    return re.sub(r"\s+([,.;:)])", r"\1", text)


@pytest.fixture(scope="module")
def pdf_lines(cv_build) -> list[str]:
    return pdf_body_lines(cv_build["pdf_text"])


@pytest.fixture(scope="module")
def pdf_text(pdf_lines) -> str:
    return pdf_join(pdf_lines)


@pytest.fixture(scope="module")
def seed_pubs(seed_text):
    pubs = cv_seed.publications(seed_text)
    assert [p.number for p in pubs] == list(range(1, 51)), "the seed has 50 publications, numbered 1 to 50"
    return pubs


def _entry_line_matches(line: str, entry: cv_seed.Entry) -> bool:
    """Does this (normalised) PDF line end an entry: its last words, then its date at the end?"""
    if not line.endswith(" " + entry.date):
        return False
    before = line[: -len(entry.date)].strip()
    before = re.sub(r"^(?:•|\d+\.)\s*", "", before)
    if not before:
        return False
    return any(re.search(cv_seed.hyphen_insensitive_pattern(before) + r"$", t) for t in entry.accepted_texts())


# == 7. warnings ==============================================================================


# == 1. headings and header ===================================================================


def test_html_section_headings(article, seed_text):
    h2 = {text_of(h).lower() for h in article.find_all("h2")}
    any_heading = {text_of(h).lower() for h in heading_elements(article)}
    missing_h2 = [t for t in cv_seed.headings(seed_text, level=2) if t.lower() not in h2]
    missing = [t for t in cv_seed.headings(seed_text, level=3) if t.lower() not in any_heading]
    assert not missing_h2, f"CV sections that are not an <h2>: {missing_h2}"
    assert not missing, f"subsection headings missing from the HTML: {missing}"


def test_pdf_section_headings(pdf_lines, seed_text):
    lines = {cv_seed.norm(x).lower() for x in pdf_lines}
    missing = [t for t in cv_seed.headings(seed_text) if t.lower() not in lines]
    assert not missing, f"headings missing from the PDF (as lines of their own): {missing}"


def test_html_header(article, seed_text):
    head = cv_seed.header(seed_text)
    h1 = article.find("h1")
    assert h1 is not None and text_of(h1) == head.name
    text = text_of(article)
    for line in head.affiliation + head.contact + head.contact_values:
        assert line in text, f"header line missing from the HTML: {line!r}"
    pos = [text.index(line) for line in head.affiliation + head.contact]
    assert pos == sorted(pos), "the header lines are out of order"
    assert pos[-1] < text.index(cv_seed.headings(seed_text)[0]), "the header must come before the first section"


def test_pdf_header(pdf_lines, seed_text):
    head = cv_seed.header(seed_text)
    lines = [cv_seed.norm(x) for x in pdf_lines if x.strip()]
    first_section = lines.index(cv_seed.headings(seed_text)[0])
    top = lines[:first_section]
    assert top[0] == head.name
    for line in head.affiliation + head.contact:
        assert line in top, f"header line missing from the PDF's header: {line!r} not in {top}"
    for value in head.contact_values:
        assert any(value in x for x in top)


# == 2. dated entries =========================================================================


def test_seed_has_dated_entries_in_every_dated_section(seed_text):
    sections = {e.section for e in cv_seed.dated_entries(seed_text)}
    for title in (
        "Education",
        "Honors and Awards (since graduate school)",
        "Professional Experience",
        "Teaching Experience",
        "Active Research Projects",
        "Completed Research Projects",
        "University, College, and Department Services",
        "Scientific Committee Member",
        "Team member",
        "Session convener and co-chair for international meetings",
        "Member of thesis committee",
        "Outreach Activities",
    ):
        assert title in sections, f"the seed parser found no dated line in {title!r}"


def test_html_dated_entries(article, seed_text):
    found = html_entries(article)
    missing, positions = [], []
    for entry in cv_seed.dated_entries(seed_text):
        hits = [i for i, (what, date) in enumerate(found) if what in entry.accepted_texts() and date == entry.date]
        if not hits:
            near = [f for f in found if f[0] in entry.accepted_texts()]
            missing.append(f"{entry.text!r} | {entry.date!r} (entries with that text: {near})")
        else:
            positions.append(hits[0])
    assert not missing, "dated entries missing from the HTML (div.cv-entry with .cv-what/.cv-date):\n" + "\n".join(missing)
    assert positions == sorted(positions), "the dated entries are not in the seed's order"


def test_pdf_dated_entries(pdf_lines, pdf_text, seed_text):
    lines = [cv_seed.norm(x) for x in pdf_lines]
    problems = []
    start = 0
    for entry in cv_seed.dated_entries(seed_text):
        if not any(pdf_contains(pdf_text, f"{t} {entry.date}") for t in entry.accepted_texts()):
            problems.append(f"not in the PDF text, followed by its date: {entry.text!r} {entry.date!r}")
            continue
        hit = next((i for i in range(start, len(lines)) if _entry_line_matches(lines[i], entry)), None)
        if hit is None:
            problems.append(f"no PDF line ends with the last words of {entry.text!r} and then {entry.date!r}")
            continue
        start = hit + 1
    assert not problems, "\n".join(problems)


def _pdf_visual_lines(pdf) -> list[tuple[int, list[tuple[str, float]]]]:
    """(page, [(word, xMax), ...]) for each visual line of the PDF, words left to right."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    soup = BeautifulSoup(out, "html.parser")
    result = []
    for page_no, page in enumerate(soup.find_all("page"), 1):
        rows: list[tuple[float, list[tuple[float, str, float]]]] = []
        for w in page.find_all("word"):
            y, x0, x1 = float(w["ymax"]), float(w["xmin"]), float(w["xmax"])
            for row_y, words in rows:
                if abs(row_y - y) < 2.5:
                    words.append((x0, w.get_text(), x1))
                    break
            else:
                rows.append((y, [(x0, w.get_text(), x1)]))
        for _, words in sorted(rows):
            words.sort()
            result.append((page_no, [(t, x1) for _, t, x1 in words]))
    return result


def test_pdf_dates_flush_right(cv_build, seed_text):
    """Each date ends at the right margin, on the line that holds the entry's last words."""
    rows = _pdf_visual_lines(cv_build["pdf"])
    margin = max(x for _, words in rows for _, x in words)
    problems, start = [], 0
    for entry in cv_seed.dated_entries(seed_text):
        hit = None
        for i in range(start, len(rows)):
            line = cv_seed.norm(" ".join(t for t, _ in rows[i][1]))
            if _entry_line_matches(line, entry):
                hit = i
                break
        if hit is None:
            problems.append(f"no line of the PDF ends {entry.text!r} with {entry.date!r}")
            continue
        start = hit + 1
        x = rows[hit][1][-1][1]
        if abs(x - margin) > 1.5:
            problems.append(f"{entry.date!r} of {entry.text[:50]!r} ends at x={x:.1f}, not at the margin {margin:.1f}")
    assert not problems, "\n".join(problems)


# == 3. publications: numbers and titles ======================================================


def test_seed_titles_match_refs_bib(seed_pubs):
    """refs.bib's entry N has the seed's title N (where the seed shows where the title ends)."""
    bib = cv_seed.bib_titles()
    assert sorted(bib) == list(range(1, 51)), "refs.bib must have one entry under each % [N] comment, 1 to 50"
    wrong = [(p.number, p.seed_title, bib[p.number]) for p in seed_pubs if p.seed_title and p.seed_title != bib[p.number]]
    assert not wrong, wrong
    for p in seed_pubs:
        cv_seed.expected_title(p)  # asserts that refs.bib's title is in the seed's item


def test_html_publication_numbers_and_titles(article, seed_pubs):
    items = publication_items(article)
    assert [n for n, _, _ in items] == list(range(1, len(seed_pubs) + 1)), (
        "the publication lists must number their items 1 to 50, each list starting where the last one stopped"
    )
    problems = []
    for (number, group, li), pub in zip(items, seed_pubs, strict=True):
        title = cv_seed.expected_title(pub)
        text = text_of(li)
        if not re.search(r"(?:^|[,.)] )" + re.escape(title) + r"[,.]", text):
            problems.append(f"item {number}: title {title!r} not in {text!r}")
        if (group or "").lower() != (pub.group or "").lower():
            problems.append(f"item {number} is under {group!r}, the seed has it under {pub.group!r}")
    assert not problems, "\n".join(problems)


def pdf_item_lines(pdf_lines: list[str]) -> dict[int, list[str]]:
    """The PDF's publication items, numbered as printed: each item's -layout lines."""
    norm_lines = [cv_seed.norm(x) for x in pdf_lines]
    first = norm_lines.index("Publications")
    after = norm_lines.index("Active Research Projects", first)
    items: dict[int, list[str]] = {}
    current = 0
    for line in pdf_lines[first + 1 : after]:
        m = re.match(r"^\s*(\d{1,2})\.\s", line)
        if m and int(m.group(1)) == current + 1:
            current += 1
            items[current] = []
        if current:
            items[current].append(line)
    return items


def test_pdf_publication_numbers_and_titles(pdf_lines, seed_pubs):
    items = pdf_item_lines(pdf_lines)
    assert sorted(items) == list(range(1, len(seed_pubs) + 1)), f"the PDF numbers {sorted(items)}, not 1 to 50"
    problems = []
    for pub in seed_pubs:
        text = pdf_join(items[pub.number])
        title = cv_seed.expected_title(pub)
        assert text.startswith(f"{pub.number}. ")
        if not pdf_contains(text, title):
            problems.append(f"item {pub.number}: title {title!r} not in {text!r}")
    assert not problems, "\n".join(problems)


# == 4. markers, the owner in bold, repaired names ============================================


def _name_pattern(marker: cv_seed.Marker) -> str:
    sur, ini = re.escape(marker.surname), re.escape(marker.initial)
    return rf"(?:\b{sur},\s*{ini}\.(?:\s*-?[A-Z]\.)*|\b{ini}\.(?:\s*-?[A-Z]\.)*\s*{sur})$"


def _text_before(sup: Tag) -> str:
    prev = sup.previous_sibling
    if prev is None:
        return ""
    return str(prev) if isinstance(prev, NavigableString) else prev.get_text()


def test_html_markers(article, seed_text, seed_pubs):
    labels = cv_seed.marker_labels(seed_text)
    assert set(labels) == {"*", "×", "◊"}, labels
    items = {n: li for n, _, li in publication_items(article)}
    problems = []
    for pub in seed_pubs:
        li = items.get(pub.number)
        if li is None:
            problems.append(f"item {pub.number} missing")
            continue
        sups = li.select("sup.cv-marker")
        got = [
            cv_seed.norm(
                "".join(s for s in sup.find_all(string=True) if not any("cv-sr-only" in (p.get("class") or []) for p in s.parents))
            )
            for sup in sups
        ]
        want = [m.symbol for m in pub.markers]
        if got != want:
            problems.append(f"item {pub.number}: markers {got}, the seed has {want}")
            continue
        for sup, marker in zip(sups, pub.markers, strict=True):
            before = _text_before(sup)
            if not re.search(_name_pattern(marker), before):
                problems.append(
                    f"item {pub.number}: {marker.symbol} is not right after {marker.initial}. "
                    f"{marker.surname} (it follows {before[-40:]!r})"
                )
            if sup.get("title") != labels[marker.symbol]:
                problems.append(
                    f"item {pub.number}: the {marker.symbol} of {marker.surname} has title "
                    f"{sup.get('title')!r}, not {labels[marker.symbol]!r}"
                )
    assert not problems, "\n".join(problems)


def test_pdf_markers(pdf_lines, seed_pubs):
    """Every seed marker, in order, right after its author, as copyable text in the PDF."""
    items = {n: cv_seed.norm(pdf_join(lines)) for n, lines in pdf_item_lines(pdf_lines).items()}
    problems = []
    for pub in seed_pubs:
        text = items.get(pub.number, "")
        authors = text.split(" (")[0] if "(" in text else text
        found = re.findall(r"[*×◊]", authors if pub.group is None or "Data" not in (pub.group or "") else text)
        want = [m.symbol for m in pub.markers]
        if found != want:
            problems.append(f"item {pub.number}: markers {found} in the PDF, the seed has {want}")
            continue
        for marker in pub.markers:
            sur, ini = re.escape(marker.surname), re.escape(marker.initial)
            pattern = rf"(?:{sur}, {ini}\.(?: ?[A-Z]\.)*|{ini}\.(?: ?[A-Z]\.)* {sur}) ?{re.escape(marker.symbol)}"
            if not re.search(pattern, text):
                problems.append(f"item {pub.number}: no {marker.symbol} right after {marker.initial}. {marker.surname}")
    assert not problems, "\n".join(problems)


def test_html_owner_in_bold(article, seed_pubs):
    items = {n: li for n, _, li in publication_items(article)}
    problems = []
    for pub in seed_pubs:
        li = items[pub.number]
        bold = [text_of(b) for b in li.find_all(["strong", "b"])]
        if pub.owner_bold:
            if len(bold) != 1 or bold[0] not in cv_seed.OWNER_FORMS:
                problems.append(f"item {pub.number}: bold {bold}, want exactly one of {cv_seed.OWNER_FORMS}")
        elif bold:
            problems.append(f"item {pub.number}: bold {bold}, the seed has nothing in bold")
        for other in pub.other_lius:
            if other not in text_of(li):
                problems.append(f"item {pub.number}: {other!r} missing")
            if any(other in b for b in bold):
                problems.append(f"item {pub.number}: {other!r} is in bold, but is not the owner")
    assert not problems, "\n".join(problems)


def test_seed_has_a_non_owner_liu_in_item_15(seed_pubs):
    assert "G. Liu" in seed_pubs[14].other_lius


@pytest.mark.parametrize(("broken", "fixed"), sorted(cv_seed.REPAIRS.items()))
def test_html_repaired_names(article, broken, fixed):
    text = text_of(article)
    assert fixed in text
    assert broken not in text


@pytest.mark.parametrize(("broken", "fixed"), sorted(cv_seed.REPAIRS.items()))
def test_pdf_repaired_names(cv_build, pdf_text, broken, fixed):
    assert fixed in pdf_text
    assert broken not in pdf_text
    assert broken not in cv_seed.norm(cv_build["pdf_raw_text"])


# == 5. legend and supervised students ========================================================


def test_html_legend(cv_build, seed_text):
    art = fresh_article(cv_build)
    for sr in art.select(".cv-sr-only"):
        sr.decompose()
    pubs = section_of(art, "Publications")
    want = cv_seed.legend(seed_text)
    paragraphs = [text_of(p) for p in pubs.find_all("p") if "Supervised" in p.get_text()]
    assert paragraphs, "no legend in the Publications section"
    assert paragraphs[0] == want


def test_pdf_legend(pdf_text, seed_text):
    assert cv_seed.legend(seed_text) in tighten(pdf_text)


def test_html_supervised(article, seed_text):
    text = text_of(section_of(article, "Research Students Supervised"))
    missing = [line for line in cv_seed.supervised_lines(seed_text) if line not in text]
    assert not missing, f"missing from Research Students Supervised: {missing}\n(the section reads {text!r})"


def test_pdf_supervised(pdf_text, seed_text):
    missing = [line for line in cv_seed.supervised_lines(seed_text) if not pdf_contains(pdf_text, line)]
    assert not missing, missing


# == 6. the PDF itself ========================================================================


def _page_count(pdf) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, flags=re.M).group(1))


def test_pdf_page_count(cv_build):
    assert _page_count(cv_build["pdf"]) <= 9


def test_pdf_first_page_starts_with_name(cv_build):
    first = pdf_pages(cv_build["pdf_text"])[0]
    assert next(x.strip() for x in first.splitlines() if x.strip()) == cv_seed.OWNER_NAME


@pytest.mark.parametrize("char", ["×", "◊", "ø", "æ", "ü", "–"])
def test_pdf_symbols(cv_build, char):
    assert char in cv_build["pdf_raw_text"]
    assert char in cv_build["pdf_text"]


def _pdf_bytes_uncompressed(pdf, workdir) -> bytes:
    """The PDF's bytes with its streams inflated, so that link annotations can be read.

    With qpdf (``--qdf``) where it is installed; without it, every Flate stream is
    inflated with zlib (the links sit in compressed object streams), so the check
    never has to be skipped.
    """
    data = pdf.read_bytes()
    parts = [data]
    if shutil.which("qpdf"):
        out = workdir / "qdf.pdf"
        run = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(pdf), str(out)], capture_output=True)
        if run.returncode in (0, 3) and out.exists():  # 3: warnings only
            parts.append(out.read_bytes())
    for m in re.finditer(rb"stream\r?\n", data):
        end = data.find(b"endstream", m.end())
        try:
            parts.append(zlib.decompressobj().decompress(data[m.end() : end]))
        except zlib.error:
            continue
    return b"\n".join(parts)


def test_pdf_doi_is_a_link(cv_build, seed_pubs, tmp_path):
    doi = re.search(r"doi:(\S+?)\.?$", seed_pubs[0].raw).group(1)
    uri = f"https://doi.org/{doi}"
    data = _pdf_bytes_uncompressed(cv_build["pdf"], tmp_path)
    assert re.search(rb"/URI\s*\(" + re.escape(uri.encode()) + rb"\)", data), f"no link to {uri} in the PDF"
