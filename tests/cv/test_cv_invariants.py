"""What holds for any CV this project holds, whoever's it is: the built page and PDF against refs.bib and conf.py.

Nothing here knows whose CV it is: the expectations come from the project's own
refs.bib and conf.py, read by the extension as the build reads them.  Every
entry appears exactly once in the page and in the PDF (or a warning names it),
the owner is bold wherever they are an author, every marker is one the roster
gives for the entry's year, the numbering runs on from list to list, the PDF
has every glyph, and the page fits a phone's width and runs without errors in
Chromium.  ``cv.sh new`` copies this file into every new CV project.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, NavigableString, Tag
from conftest import LOCAL_ONLY, open_page
from cvsphinx.core.links import anchor as anchor_of
from cvsphinx.core.people import NameKey, parse_annotation, plain

pytestmark = pytest.mark.slow


# -- text --------------------------------------------------------------------------------------


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def squash(text: str) -> str:
    """Letters and digits only, case-folded: what survives line breaks, hyphenation and spacing in PDF text."""
    return "".join(c for c in unicodedata.normalize("NFKC", text).casefold() if c.isalnum())


def _hidden(node: NavigableString, root: Tag) -> bool:
    for parent in node.parents:
        if parent is root:
            return False
        classes = parent.get("class") or []
        # screen-reader text, heading permalinks, and what the page adds after an entry (links, its BibTeX)
        if {"cv-sr-only", "headerlink", "cv-extras"} & set(classes):
            return True
    return False


def visible_text(tag: Tag) -> str:
    """The entry's text as a reader sees it: without screen-reader text, permalinks and the page's extras."""
    return "".join(str(s) for s in tag.find_all(string=True) if not _hidden(s, tag))


def text_before(li: Tag, sup: Tag) -> str:
    """The visible text of ``li`` up to ``sup``."""
    parts = []
    for node in li.descendants:
        if node is sup:
            break
        if isinstance(node, NavigableString) and not _hidden(node, li):
            parts.append(str(node))
    return norm("".join(parts))


# -- the page ------------------------------------------------------------------------------------


@dataclass
class Item:
    number: int
    group: str  # the name in cv-group-<name>
    li: Tag
    anchor: str

    @property
    def text(self) -> str:
        return norm(visible_text(self.li))


@pytest.fixture(scope="module")
def pages(cv_build) -> list[BeautifulSoup]:
    html = Path(cv_build["html"]).parent
    others = sorted(p for p in html.glob("*.html") if p.name not in ("index.html", "genindex.html", "search.html"))
    paths = [html / "index.html", *others]
    return [BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser") for p in paths]


@pytest.fixture(scope="module")
def items(pages) -> list[Item]:
    out = []
    for soup in pages:
        for ol in soup.select("ol.cv-publication-list"):
            start = int(ol.get("start", "1"))
            box = ol.find_parent(class_="cv-publications")
            classes = (box.get("class") or []) if box else []
            names = [c[len("cv-group-"):] for c in classes if c.startswith("cv-group-") and c != "cv-group-title"] or [""]
            for i, li in enumerate(ol.find_all("li", recursive=False)):
                out.append(Item(start + i, names[0], li, li.get("id", "")))
    return out


@pytest.fixture(scope="module")
def by_anchor(cv_data) -> dict[str, object]:
    """Each record under the anchor of its list item (one per key: the extension's own function)."""
    return {anchor_of(record.key): record for record in cv_data["records"]}


def _explained(record, warnings: str) -> bool:
    keys = {record.key, getattr(record, "source_key", "") or record.key}
    return any(re.search(rf"'{re.escape(k)}'|\b{re.escape(k)}\b", warnings) for k in keys)


# -- the build ---------------------------------------------------------------------------------


def test_no_warnings(cv_build):
    """``bash cv.sh build`` builds with -W: a warning is a failed build."""
    warnings = [x for x in cv_build["warnings"].splitlines() if "WARNING" in x or "ERROR" in x]
    assert not warnings, "\n".join(warnings[:30])


def test_unreadable_entries_are_named(cv_build, cv_data):
    """An entry the reader skips is named by a warning at its file and line."""
    missing = [f"{Path(p.path).name}:{p.line}: {p.message}" for p in cv_data["problems"]
               if p.subtype == "bib_syntax" and f"{Path(p.path).name}:{p.line}" not in cv_build["warnings"]]
    assert not missing, "\n".join(missing)


# -- every entry exactly once ------------------------------------------------------------------


def test_every_entry_once_in_the_page(cv_build, items, by_anchor):
    found = Counter(item.anchor for item in items)
    problems = []
    for anchor, record in by_anchor.items():
        if found[anchor] != 1 and not _explained(record, cv_build["warnings"]):
            problems.append(f"{record.key!r} ({Path(record.path).name}:{record.line}) is in the page {found[anchor]} "
                            "times, and no warning says why")
    strays = [item.anchor for item in items if item.anchor not in by_anchor]
    assert not strays, f"list items that are no entry of the .bib files: {strays[:20]}"
    assert not problems, "\n".join(problems[:30])


def test_numbering_is_continuous(items, pages):
    numbers = [item.number for item in items]
    assert numbers == list(range(1, len(items) + 1)), (
        f"the publication lists must number 1 to {len(items)}, each list starting where the last one stopped: "
        f"{numbers[:60]}")
    for soup in pages:
        for ol in soup.select("ol.cv-publication-list"):
            assert ol.find_all("li", recursive=False), "an empty publication list"


def pdf_body(layout: str) -> str:
    """The PDF's text without the page number at the foot of each page."""
    out = []
    for page in layout.split("\f"):
        lines = page.split("\n")
        nonblank = [i for i, x in enumerate(lines) if x.strip()]
        if nonblank and lines[nonblank[-1]].strip().isdigit():
            del lines[nonblank[-1]]
        out.extend(lines)
    return "\n".join(out)


@pytest.fixture(scope="module")
def pdf_squashed(cv_build) -> tuple[str, list[int], str]:
    """(letters and digits of the PDF's body text, the offset in the text of each, the text)."""
    text = unicodedata.normalize("NFKC", pdf_body(cv_build["pdf_text"]))
    chars, where = [], []
    for offset, char in enumerate(text):
        for c in char.casefold():
            if c.isalnum():
                chars.append(c)
                where.append(offset)
    return "".join(chars), where, text


@pytest.fixture(scope="module")
def pdf_items(items, pdf_squashed) -> dict[int, str]:
    """The PDF's text of each item, found in order as its number followed by the page's text of it."""
    squashed, where, text = pdf_squashed
    out, pos = {}, 0
    for item in items:
        needle = squash(f"{item.number}") + squash(item.text)
        at = squashed.find(needle, pos)
        if at < 0:
            continue
        end = at + len(needle) - 1
        out[item.number] = text[where[at]:where[end] + 1]
        pos = end + 1
    return out


def test_every_entry_once_in_the_pdf(cv_build, items, by_anchor, pdf_squashed, pdf_items):
    """Each item of the page is in the PDF, with its number, in the page's order, and once only."""
    squashed = pdf_squashed[0]
    page_texts = [squash(item.text) for item in items]
    problems = []
    for item in items:
        record = by_anchor.get(item.anchor)
        if record is not None and _explained(record, cv_build["warnings"]):
            continue
        if item.number not in pdf_items:
            problems.append(f"item {item.number} is not in the PDF as it is in the page (or not in order): "
                            f"{item.text[:160]!r}")
            continue
        body = squash(item.text)
        in_page = sum(text.count(body) for text in page_texts)  # another entry may cite this one whole (related)
        if squashed.count(body) != in_page:
            problems.append(f"item {item.number} is {squashed.count(body)} times in the PDF: {item.text[:120]!r}")
    assert not problems, "\n".join(problems[:30])


# -- the owner in bold ---------------------------------------------------------------------------


def _shown_people(record) -> list:
    people = record.persons.get("author") or record.persons.get("editor") or []
    return [p for p in people if str(p).strip().lower() != "others"]


def _surname(person) -> str:
    return norm(plain(" ".join(person.prelast_names + person.last_names + person.lineage_names)))


def _names_surname(text: str, surname: str) -> bool:
    """Is ``text`` a name with this surname, as the style writes it ("M. Curie", "Curie, M.", "Curie")?"""
    s = re.escape(surname)
    return re.fullmatch(rf"(?:.*\s)?{s}|{s}(?:,.*)?", text) is not None


def test_owner_in_bold(cv_data, items, by_anchor):
    """Bold wherever the owner is among the entry's names, and nobody else bold."""
    owner = cv_data["cv"].owner
    problems = []
    for item in items:
        record = by_anchor.get(item.anchor)
        if record is None:
            continue
        everyone = [p for people in record.persons.values() for p in people if str(p).strip().lower() != "others"]
        is_mine = {id(p): owner.is_owner(NameKey.from_person(p)) for p in everyone}
        listed = [p for p in _shown_people(record) if is_mine.get(id(p))]  # the author list: always shown
        mine = [p for p in everyone if is_mine[id(p)]]  # editors and others: bold where the style shows them
        if record.get("contribution"):
            listed = []  # "Contributing author to Smith et al.": the owner is not named
        surnames = {_surname(p) for p in everyone} - {""}
        bold = [norm(visible_text(b)) for b in item.li.find_all(["strong", "b"])]
        bold_names = [b for b in bold if any(_names_surname(b, s) for s in surnames)]
        where = f"item {item.number} ({record.key})"
        if not len(listed) <= len(bold_names) <= len(mine):
            problems.append(f"{where}: bold {bold_names}, but the owner is {len(listed)} of its authors "
                            f"and {len(mine)} of all its names ({[str(p) for p in mine]})")
        for b in bold_names:
            if not any(_names_surname(b, _surname(p)) for p in mine):
                problems.append(f"{where}: {b!r} is bold but is not the owner")
    assert not problems, "\n".join(problems[:30])


# -- markers -----------------------------------------------------------------------------------


def _year(record) -> int | None:
    date = getattr(record, "date", None)
    if date is not None and getattr(date, "year", None):
        return date.year
    found = re.fullmatch(r"\s*(\d{4})\s*", record.get("year"))
    return int(found.group(1)) if found else None


def _expected_role(record, position: int, person, cfg, markers: bool) -> str | None:
    """The marker the roster gives this author in this entry's year, independently of the style's code."""
    annotation = record.get("author+an")
    if annotation:
        try:
            overrides = parse_annotation(annotation, cfg.roster.roles)
        except ValueError:
            overrides = {}
        if position in overrides:
            return overrides[position]
    year = _year(record)
    if not markers or year is None:
        return None
    found = cfg.roster.find(NameKey.from_person(person))
    if len(found) != 1:
        return None
    best = None
    for stint in found[0].stints:
        if stint.period.covers(year, cfg.roster.lag) and (best is None or stint.period.start >= best.period.start):
            best = stint
    return best.role.key if best else None


def _initial(person) -> str:
    given = plain(" ".join(person.first_names + person.middle_names))
    letters = [c for c in given if c.isalpha()]
    return letters[0] if letters else ""


def _is_right_after(before: str, person) -> bool:
    """Does the text before a marker end with this person's name, as "I. Surname" or "Surname, I."?"""
    surname, initial = re.escape(_surname(person)), re.escape(_initial(person))
    if not surname:
        return False
    if not initial:
        return re.search(surname + r"$", before) is not None
    return (re.search(rf"(?:^|[\s,]){initial}\.[^,]*?\b{surname}$", before) is not None
            or re.search(rf"{surname},\s*{initial}\.[^,]*$", before) is not None)


def test_markers_match_roster_and_year(cv_data, items, by_anchor):
    cfg = cv_data["cv"]
    roles = cfg.roster.roles
    markers_on = {g.name: g.markers for g in cfg.groups}
    problems = []
    for item in items:
        record = by_anchor.get(item.anchor)
        if record is None:
            continue
        people = record.persons.get("author") or record.persons.get("editor") or []
        expected = {}
        for position, person in enumerate(people, start=1):
            if str(person).strip().lower() == "others":
                continue
            role = _expected_role(record, position, person, cfg, markers_on.get(item.group, True))
            if role is not None:
                expected[position] = role
        sups = item.li.select("sup.cv-marker")
        shown = []
        for sup in sups:
            role = next((c[len("cv-marker-"):] for c in sup.get("class", []) if c.startswith("cv-marker-")), None)
            where = f"item {item.number} ({record.key})"
            if role not in roles:
                problems.append(f"{where}: a marker of unknown role {role!r}")
                continue
            shown.append(role)
            symbol = norm(visible_text(sup))
            if symbol != roles[role].symbol or sup.get("title") != roles[role].label:
                problems.append(f"{where}: the {role} marker shows {symbol!r} titled {sup.get('title')!r}, "
                                f"not {roles[role].symbol!r} titled {roles[role].label!r}")
            before = text_before(item.li, sup)
            who = [pos for pos, person in enumerate(people, start=1) if _is_right_after(before, person)]
            if not who:
                problems.append(f"{where}: a {role} marker after {before[-40:]!r}, which is none of its authors")
            elif not any(expected.get(pos) == role for pos in who):
                names = ", ".join(str(people[pos - 1]) for pos in who)
                problems.append(f"{where}: {names} is marked {role}, but the roster and the year "
                                f"({_year(record)}) give {[expected.get(pos) for pos in who]}")
        if Counter(shown) != Counter(expected.values()):
            problems.append(f"item {item.number} ({record.key}): markers {sorted(shown)}, the roster and the year "
                            f"({_year(record)}) give {sorted(expected.values())}")
    assert not problems, "\n".join(problems[:30])


def test_pdf_markers_match_the_page(cv_data, items, pdf_items):
    symbols = {role.symbol for role in cv_data["cv"].roster.roles.values()}
    problems = []
    for item in items:
        pdf = pdf_items.get(item.number)
        if pdf is None:
            continue  # test_every_entry_once_in_the_pdf says so
        want = Counter(c for c in item.text if c in symbols)
        got = Counter(c for c in pdf if c in symbols)
        if want != got:
            problems.append(f"item {item.number}: markers {dict(got)} in the PDF, {dict(want)} in the page")
    assert not problems, "\n".join(problems[:30])


# -- the PDF -----------------------------------------------------------------------------------


def test_pdf_has_every_glyph(cv_build):
    missing = [x for x in cv_build["latex_log"].splitlines() if "Missing character" in x]
    assert not missing, "\n".join(missing[:20])


def test_pdf_starts_with_the_name(cv_build, cv_data):
    first = next(x.strip() for x in cv_build["pdf_text"].splitlines() if x.strip())
    assert norm(first) == norm(cv_data["config"].project)


def test_pdf_page_numbers(cv_build):
    pages = cv_build["pdf_text"].split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    feet = [next((x.strip() for x in reversed(p.split("\n")) if x.strip()), "") for p in pages]
    assert feet == [str(i) for i in range(1, len(pages) + 1)], f"the last line of each page: {feet}"


def test_pdf_no_contents_or_index(cv_build):
    lines = {norm(x).lower() for x in cv_build["pdf_text"].splitlines()}
    assert not lines & {"contents", "table of contents", "index"}


# -- the page in Chromium ------------------------------------------------------------------------


_TEXT_OUTSIDE_JS = """
() => {
  const art = document.querySelector('article');
  const box = art.getBoundingClientRect();
  const walker = document.createTreeWalker(art, NodeFilter.SHOW_TEXT);
  const out = [];
  const range = document.createRange();
  const clipped = (el) => {  // visually hidden on purpose (screen-reader text): clipped to nothing
    for (let e = el; e && e !== art; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.display === 'none' || cs.visibility === 'hidden') return true;
      if (cs.clip !== 'auto' || cs.clipPath !== 'none') return true;
      const b = e.getBoundingClientRect();
      if (cs.overflow !== 'visible' && (b.width <= 1 || b.height <= 1)) return true;
    }
    return false;
  };
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim() || clipped(n.parentElement)) continue;
    range.selectNodeContents(n);
    for (const r of range.getClientRects()) {
      if (r.width > 0 && (r.right > box.right + 1 || r.left < box.left - 1)) {
        out.push([n.textContent.trim().slice(0, 40), Math.round(r.left), Math.round(r.right)]);
        break;
      }
    }
    if (out.length >= 5) break;
  }
  return out;
}
"""


VIEWS = [(375, "light"), (375, "dark"), (1280, "light"), (1280, "dark")]


@pytest.mark.parametrize(("width", "scheme"), VIEWS, ids=[f"{w}-{s}" for w, s in VIEWS])
def test_no_horizontal_overflow(browser, server, width, scheme):
    """No sideways scrolling, at a phone's width too, and no text outside the article's column."""
    context, page = open_page(browser, server, width, 800, scheme)
    try:
        page.wait_for_timeout(100)
        sizes = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert sizes[0] <= sizes[1], f"the page is {sizes[0]}px wide in a {sizes[1]}px window (width {width})"
        # furo clips what sticks out of its content column, so also look for text outside the article's box.
        outside = page.evaluate(_TEXT_OUTSIDE_JS)
        assert not outside, f"text sticks out of the article's column at width {width}: {outside}"
    finally:
        context.close()


def test_no_console_errors(browser, server):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    errors: list[str] = []
    context.route(LOCAL_ONLY, lambda route: (errors.append(f"a request outside the site: {route.request.url}"),
                                             route.abort()))
    page = context.new_page()
    page.on("console", lambda msg: errors.append(f"console.{msg.type}: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda err: errors.append(f"uncaught: {err}"))
    try:
        page.goto(server + "index.html", wait_until="networkidle")
        page.mouse.wheel(0, 4000)
        page.wait_for_timeout(200)
    finally:
        context.close()
    assert not errors, "\n".join(errors)
