"""Read the seed CV (tests/data/seed.txt) into the expectations that the output tests compare against.

The seed is the source of truth.  It is a text extraction of a Markdown CV, and the
extraction lost a few things; ``REPAIRS`` and ``OWNER_NAME`` put back what it lost.
Everything else here is parsed from the seed, not written down by hand.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]  # tests/
SEED_PATH = HERE / "data" / "seed.txt"
BIB_PATH = HERE.parent / "refs.bib"

# The seed's text extraction dropped the ø of two names; the CV must show the real ones.
REPAIRS = {"Isstrm": "Isstrøm", "Bjrk": "Bjørk"}
# The seed's text extraction also dropped the CV's title line, the owner's name.
OWNER_NAME = "Lin Liu"
# How the owner is written in the seed's author lists (in bold there).
OWNER_FORMS = ("L. Liu", "Liu, L.")

# A date or period at the end of a CV line: 2011, 2014–present, 2017–18, Fall 2014, 2016, 2018.
DATE_RE = r"(?:(?:Fall|Spring|Summer|Winter)\s+)?\d{4}(?:\s*–\s*(?:\d{4}|\d{2}|present))?(?:,\s*\d{4})*"
_ENDS_WITH_DATE = re.compile(rf"^(?P<text>.*\S)\s+(?P<date>{DATE_RE})$")
_MARKER_RE = re.compile(r"\\\*|<sup>(?P<sym>[^<]+)</sup>")


# -- normalisation -------------------------------------------------------------------------------

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00a0": " ",
    }
)


def norm(text: str) -> str:
    """NFKC, curly quotes to straight ones, every whitespace run to one space, stripped."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = text.replace("\u00ad", "")  # soft hyphens
    return re.sub(r"\s+", " ", text).strip()


def repair(text: str) -> str:
    for broken, fixed in REPAIRS.items():
        text = text.replace(broken, fixed)
    return text


def strip_markdown(text: str) -> str:
    """Plain text of one line of the seed's Markdown: no emphasis, markers, links or escapes."""
    text = re.sub(r"<sup>(.*?)</sup>", r"\1", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # [text](url)
    text = re.sub(r"<((?:https?|mailto):[^>]+)>", r"\1", text)  # <url>
    text = text.replace("\\*", "\x00")  # an escaped star is a marker, keep it
    text = text.replace("**", "").replace("*", "")
    text = text.replace("\x00", "*")
    text = re.sub(r"\\(.)", r"\1", text)
    return text


def clean(text: str) -> str:
    return norm(repair(strip_markdown(text)))


def hyphen_insensitive_pattern(text: str) -> str:
    """A regex for ``text`` in which each hyphen may be missing.

    The PDF text is compared after joining hyphenated line breaks, which drops the
    hyphen; a hyphen of the text itself (Co-I, Ground-penetrating) that falls on a line
    break is then lost too, so it must be optional.
    """
    return "-?".join(re.escape(part) for part in text.split("-"))


# -- sections ----------------------------------------------------------------------------------


@dataclass
class Section:
    title: str
    level: int  # 2: a section of the CV (an <h2>), 3: a subsection
    lines: list[str] = field(default_factory=list)


def _heading(line: str) -> tuple[int, str] | None:
    m = re.match(r"^(#{3,4})\s+(.*?)\s*$", line)
    if m:
        title = strip_markdown(m.group(2)).strip().rstrip(":").strip()
        return (2 if len(m.group(1)) == 3 else 3), norm(title)
    m = re.match(r"^\*\*([^*]+)\*\*", line)  # "**Publications** (legend ...)"
    if m and line.strip() != m.group(0):
        return 2, norm(m.group(1))
    return None


@cache
def read_seed(path: Path = SEED_PATH) -> str:
    return path.read_text(encoding="utf-8")


@cache
def sections(seed: str) -> tuple[Section, ...]:
    """The seed's sections in order; section 0 is the header (the lines before the first heading)."""
    out = [Section("", 1)]
    for line in seed.splitlines():
        head = _heading(line)
        if head:
            out.append(Section(head[1], head[0]))
        out[-1].lines.append(line)
    return tuple(out)


def headings(seed: str, level: int | None = None) -> list[str]:
    return [s.title for s in sections(seed)[1:] if level is None or s.level == level]


def section(seed: str, title: str) -> Section:
    for s in sections(seed):
        if s.title.lower() == title.lower():
            return s
    raise KeyError(title)


# -- header ------------------------------------------------------------------------------------


@dataclass
class Header:
    name: str
    affiliation: list[str]
    contact: list[str]  # "Lab Website: cryocuhk.github.io", ...
    contact_values: list[str]  # "cryocuhk.github.io", ...


def header(seed: str) -> Header:
    lines = [clean(x) for x in sections(seed)[0].lines]
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    paragraphs = [p for p in paragraphs if p]
    affiliation, contact = paragraphs[0], paragraphs[1]
    values = [c.split(":", 1)[1].strip() for c in contact]
    return Header(OWNER_NAME, affiliation, contact, values)


# -- dated entries -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    section: str
    text: str
    date: str

    def accepted_texts(self) -> set[str]:
        """The seed's text, and the one wording change the CV may make.

        The CV puts a comma before the meeting of a session or a judging
        ("..., AGU Meeting", "..., AGU Fall Meetings"); the seed has none there.
        """
        with_comma = re.sub(r"(?<=[^,])\s+(AGU (?:Fall )?Meetings?)$", r", \1", self.text)
        return {self.text, with_comma}


def _split_dated(line: str) -> tuple[str, str] | None:
    """(text, date) of one seed line, or None when the line carries no date."""
    raw = line.rstrip()
    if not raw.strip():
        return None
    # a row of the services table: | text | date |
    row = re.match(r"^-?\s*\|(?P<text>[^|]*)\|(?P<date>[^|]*)\|\s*$", raw)
    if row:
        text, date = row.group("text").strip(), row.group("date").strip()
        if not text or not re.fullmatch(DATE_RE, date):
            return None  # the empty header row and the |--|--| rule
        return text, date
    # a line with a tab before its date
    if "\t" in raw:
        text, _, date = raw.rpartition("\t")
        date = date.strip()
        return (text.strip(), date) if date and re.fullmatch(DATE_RE, date) else None
    # a list item, a numbered project, or a line that ends with its date
    body = re.sub(r"^\s*(?:-|\d+\.)\s+", "", raw).strip()
    m = _ENDS_WITH_DATE.match(body)
    if m:
        return m.group("text"), m.group("date")
    return None


@cache
def dated_entries(seed: str) -> tuple[Entry, ...]:
    """Every line of the seed that carries a date, as (section, text, date), in CV order."""
    out = []
    for sec in sections(seed)[1:]:
        if sec.title.lower() in {"publications", "research students supervised"} or _is_publication_group(sec):
            continue
        for line in sec.lines[1:]:
            split = _split_dated(line)
            if split:
                out.append(Entry(sec.title, clean(split[0]), norm(split[1])))
    return tuple(out)


def _is_publication_group(sec: Section) -> bool:
    return any(re.match(r"^\d+\.\s", line) and "**" in line for line in sec.lines[1:])


# -- publications ------------------------------------------------------------------------------


@dataclass
class Marker:
    surname: str
    initial: str
    symbol: str


@dataclass
class Publication:
    number: int
    group: str | None  # None for the first (untitled) group: peer-reviewed papers
    raw: str  # the seed's Markdown, continuation lines joined
    text: str  # plain, normalised, repaired
    markers: list[Marker]
    owner_bold: bool
    other_lius: list[str]  # "G. Liu": a Liu who is not the owner, and is not in bold
    seed_title: str | None  # the title as cut out of the seed, where the seed shows where it ends


def _publication_sections(seed: str) -> list[Section]:
    secs = list(sections(seed))
    start = next(i for i, s in enumerate(secs) if s.title.lower() == "publications")
    out = [secs[start]]
    for s in secs[start + 1 :]:
        if not _is_publication_group(s):
            break
        out.append(s)
    return out


def _markers(raw: str) -> list[Marker]:
    out = []
    for m in _MARKER_RE.finditer(raw):
        symbol = m.group("sym") or "*"
        before = raw[: m.start()].replace("**", "").rstrip()
        name = re.search(r"([A-Z][^\s,.]+),\s*((?:[A-Z]\.\s?-?)+)$", before)  # Chen, X.
        if name:
            surname, initials = name.group(1), name.group(2)
        else:
            name = re.search(r"((?:[A-Z]\.\s?-?)+)\s*([A-Z][^\s,.]+)$", before)  # J. H. Y. Ma
            assert name, f"no author before the marker in: {before[-60:]!r}"
            initials, surname = name.group(1), name.group(2)
        out.append(Marker(repair(surname), initials[0], norm(symbol)))
    return out


def _seed_title(raw: str) -> str | None:
    """The title, where the seed shows both ends of it; None where it does not."""
    text = re.sub(r"<sup>[^<]*</sup>", "", raw).replace("\\*", "").replace("**", "")
    text = repair(re.sub(r"\s+,", ",", text))
    start = re.search(r"\(\d{4}\),?\s+", text)
    if not start:  # no year: the title follows the last author, "and B. Noël," or "and Huang, L.,"
        start = re.search(r"\band\s+(?:(?:[A-Z]\.\s?)+[A-Z][^\s,]+|[A-Z][^\s,]+,\s(?:[A-Z]\.\s?)+),\s+", text)
    if not start:
        return None
    rest = text[start.end() :]
    end = re.search(r"[,.]\s+(?:submitted to\s+)?\*", rest)  # the italic venue follows the title
    if not end:
        return None
    return norm(rest[: end.start()])


@cache
def publications(seed: str) -> tuple[Publication, ...]:
    items: list[tuple[int, str | None, str]] = []
    for sec in _publication_sections(seed):
        group = None if sec.title.lower() == "publications" else sec.title
        for line in sec.lines[1:]:
            m = re.match(r"^(\d+)\.\s+(.*)$", line)
            if m:
                items.append((int(m.group(1)), group, m.group(2).strip()))
            elif line.strip() and items:  # an item continued after a page break (31, 45)
                n, g, raw = items[-1]
                items[-1] = (n, g, raw + " " + line.strip())
    out = []
    for number, group, raw in items:
        bold = re.findall(r"\*\*([^*]+)\*\*", raw)
        owner_spans = {m.span() for m in re.finditer(r"\*\*(?:L\. Liu|Liu, L\.)\*\*", raw)}
        other = [
            m.group(0)
            for m in re.finditer(r"(?<!\*\*)\b[A-Z]\.\s?Liu\b(?!\*\*)", raw)
            if not any(s <= m.start() < e for s, e in owner_spans)
        ]
        out.append(
            Publication(
                number=number,
                group=group,
                raw=raw,
                text=clean(raw),
                markers=_markers(raw),
                owner_bold=any(b.strip() in OWNER_FORMS for b in bold),
                other_lius=other,
                seed_title=_seed_title(raw),
            )
        )
    return tuple(out)


def legend(seed: str) -> str:
    """The legend of the supervision markers, as the CV shows it (without the section title)."""
    line = section(seed, "Publications").lines[0]
    return clean(re.sub(r"^\*\*[^*]+\*\*\s*", "", line))


def marker_labels(seed: str) -> dict[str, str]:
    """Marker symbol to the role it stands for, read off the legend: {"*": "graduate student", ...}."""
    line = re.sub(r"^\*\*[^*]+\*\*\s*", "", section(seed, "Publications").lines[0])
    out = {}
    for m in re.finditer(r"(?:Supervised\s+|,\s*(?:and\s+)?)(?P<label>[a-z][a-z ]*?)\s*(?P<marker>\\\*|<sup>[^<]+</sup>)", line):
        symbol = "*" if m.group("marker") == "\\*" else re.sub(r"</?sup>", "", m.group("marker"))
        out[norm(symbol)] = norm(m.group("label"))
    return out


def supervised_lines(seed: str) -> list[str]:
    """The non-empty lines of the Research Students Supervised section."""
    return [clean(x) for x in section(seed, "Research Students Supervised").lines[1:] if x.strip()]


# -- refs.bib ----------------------------------------------------------------------------------


@cache
def bib_titles(path: Path = BIB_PATH) -> dict[int, str]:
    """Title of the entry below each ``% [N]`` comment of refs.bib, LaTeX decoded to text."""
    from pybtex.database import parse_file
    from pybtex.richtext import Text

    source = path.read_text(encoding="utf-8")
    numbers = {}
    for m in re.finditer(r"^% \[(\d+)\]\s*$(?:\n%.*$)*\n@\w+\{([^,\s]+),", source, flags=re.M):
        numbers[m.group(2)] = int(m.group(1))
    db = parse_file(str(path))
    return {
        numbers[key]: norm(Text.from_latex(e.fields["title"]).render_as("text")) for key, e in db.entries.items() if key in numbers
    }


def expected_title(pub: Publication) -> str:
    """The seed's title; where the seed does not show where it ends, refs.bib's (which the seed must contain)."""
    if pub.seed_title:
        return pub.seed_title
    title = bib_titles()[pub.number]
    assert title in pub.text, f"refs.bib's title of item {pub.number} is not in the seed: {title!r}"
    return title
