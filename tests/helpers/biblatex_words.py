"""The words biblatex + biber print for each entry of TeX Live's biblatex-examples.bib (style ``authoryear``), against
the words our CV shows for the same entry: which of biblatex's words a CV line leaves out.

The reference is biblatex itself, so the comparison knows nothing of our code: a small LaTeX document cites every
entry (``\\nocite{*}``), each entry starts with a marker ``[[key]]`` (the ``begentry`` bibmacro), and the PDF's text
(``pdftotext``) is split on the markers.  Our side is a Sphinx build of ``tests/roots/test-cv-realworld`` with the
same file as ``refs.bib``; an entry is the ``<li>`` whose id is ``cvsphinx.core.links.anchor(key)``, less the per-entry
buttons (permalink, links, BibTeX), which are not part of the citation.

What biblatex prints and a CV leaves out (or writes its own way) *by design*; nothing else is discounted, so every
other missing word is something the CV does not show.  As biblatex options (``DOCUMENT``):

- ``giveninits=true``: the CV gives first names as initials (README, "Names").
- ``dashed=false``: biblatex replaces a repeated author list by a dash; a CV line always names its authors.
- ``extradate`` printed empty: "2004a"/"2004b" tell citations apart; a CV has no citations to tell apart.
- ``isbn=false`` (ISBN, ISSN, ISRN): the realworld root leaves ``cv_show_isbn`` off, and the CV never shows an ISSN.

As words taken from biblatex's side, computed from the entry's fields in biber's ``.bbl`` (``expected``):

- month and day of the publication date (``month``/``day``/``endmonth``/``endday``): a CV line shows the year.
- ``label`` where biblatex heads an entry with it ("CTAN (2006)."), a citation label; the CV heads it with the title.
- ``@article``: one "In:" before the journal and one "p."/"pp." before the pages (README: "46(2), 55–65").
- "URL:" before an address: the CV prints the bare address (README, "Links").

The same biblatex string in the CV's documented spelling (README, "Entry types"), replaced in biblatex's text
(``SPELLINGS``): "trans." -> "transl.", "2nd ed." -> "2nd edn.", "visited on" -> "accessed", "tech. rep." /
"rep." -> "technical report" / "report", "MA thesis" -> "Master's thesis", "pat." / "req." -> "patent" /
"request", and a country code of ``location`` (``countryfr`` -> "FR") -> the country's name.

Run the report (two seconds; biblatex's side, five more the first time, is cached under /tmp on the .bib file)::

    PYTHONPATH=ext:tests .venv/bin/python -m biblatex_words    (in the project folder)
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]  # tests/
ROOT = HERE / "roots" / "test-cv-realworld"
EXAMPLES = Path("/usr/share/texlive/texmf-dist/bibtex/bib/biblatex/biblatex/biblatex-examples.bib")
TOOLS = ("xelatex", "biber", "pdftotext")
CACHE = Path(tempfile.gettempdir()) / "biblatex-words"
TIMEOUT = 300  # seconds, per run of xelatex or biber

DOCUMENT = r"""\documentclass{article}
\usepackage[paperwidth=90cm,paperheight=200cm,margin=1cm]{geometry}
\usepackage{fontspec}
\usepackage{csquotes}
\usepackage[style=authoryear,backend=biber,maxnames=99,minnames=99,maxbibnames=99,minbibnames=99,
            giveninits=true,dashed=false,isbn=false]{biblatex}
\addbibresource{refs.bib}
\DeclareFieldFormat{extradate}{}
% The marker, once per entry: not for the clones biber makes of related entries (they print inside their entry).
\renewbibmacro*{begentry}{\iffieldundef{clonesourcekey}{\mbox{\texttt{[[\strfield{entrykey}]]}}\space}{}}
\pagestyle{empty}
\hyphenpenalty=10000 \exhyphenpenalty=10000 \lefthyphenmin=62 \righthyphenmin=62
\begin{document}
\raggedright
\nocite{*}
\printbibliography
\end{document}
"""

_MARKER = re.compile(r"\[\[([^\[\]\s]+)\]\]")
_WORD = re.compile(r"[^\W_]+")

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec")  # english.lbx
COUNTRIES = {"countryde": ("DE", "Germany"), "countryeu": ("EU", "European Union"), "countryep": ("EP", "European Union"),
             "countryfr": ("FR", "France"), "countryuk": ("GB", "United Kingdom"),
             "countryus": ("US", "United States of America")}  # english.lbx: {long}{short}

# (pattern, replacement): biblatex's abbreviated strings (english.lbx) as the CV spells the same string.
SPELLINGS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, re.IGNORECASE), r) for p, r in (
    (r"\btrans\.(?=,? (?:by|from|of|as|and)\b| \()", "transl."),  # translator…: "transl. by" (not "Trans. Amer.")
    (r"\b(\d+(?:st|nd|rd|th)) ed\.", r"\1 edn."),  # edition: "4th edn."
    (r"\bvisited on\b", "accessed"),               # urlseen: "accessed 2020-01-05"
    (r"\btech\. rep\.", "technical report"),       # techreport: "Technical report"
    (r"\brep\.", "report"),                        # resreport: "Research report"
    (r"\bMA thesis\b", "Master's thesis"),         # mathesis
    (r"\bpat\.", "patent"),                        # patent, patenteu…: "European patent"
    (r"\breq\.", "request"),                       # patreq…: "French patent request"
))
_URL_LABEL = re.compile(r"\bURL: ", re.IGNORECASE)  # small caps: pdftotext gives "url:"

# Fields biber writes that no style prints: never the reason a word is missing.
_SILENT = re.compile(r"^(annotation|abstract|index\w*|sort\w*|label(?!$)\w*|extra\w*|langid\w*|\w*hash|\w*era|"
                     r"short\w*|keywords|file|options|related(type|options)?|crossref|xref|entryset|clonesourcekey)$")

# biblatex's own words that a field or a name role makes it print, for naming the field behind a missing word.
_TRIGGERS = {"pages": "pp p", "pagetotal": "pp p", "version": "version", "url": "url", "urlyear": "visited on accessed",
             "origlanguage": "from the", "volumes": "vols", "part": "",
             "introduction": "with an intro by", "afterword": "with an afterw by", "foreword": "with a foreword by",
             "commentator": "and comm by", "annotator": "and annot by", "translator": "transl by", "editor": "ed by",
             "bookauthor": "by", "holder": "and"}
_EDITORTYPES = {"redactor": "red by", "collaborator": "in collab with", "compiler": "comp by", "founder": "founded by",
                "continuator": "cont by", "reviser": "rev by", "director": "dir by", "organizer": "org by"}
_RELATEDTYPES = {"reprintfrom": "repr from", "origpubin": "orig pub in by", "translationof": "transl of",
                 "translationas": "transl as", "bytranslator": "transl by as", "multivolume": "vol", "reprint": "repr",
                 "reprintas": "repr as", "origpubas": "orig pub as"}


def _ordinal(number: str) -> str:
    n = int(number)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def words(text: str) -> Counter[str]:
    """Words as a multiset: NFKC (ligatures, superscripts), casefolded, split on anything not a letter or digit, so
    "pp." and "pp" are one word and "2nd" stays one; splitting that way leaves no punctuation-only token."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return Counter(w for w in _WORD.findall(text) if any(c.isalnum() for c in w))


def share(ref: Counter[str], ours: Counter[str]) -> float:
    """The fraction of biblatex's words (as a multiset: a word printed twice must be shown twice) that we show."""
    total = sum(ref.values())
    return sum((ref & ours).values()) / total if total else 1.0


# --- biblatex's side ---------------------------------------------------------------------------------------------


def _run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, errors="replace", timeout=TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        raise RuntimeError(f"{cmd[0]} took more than {TIMEOUT} s in {cwd}") from exc


def biblatex_texts(bib: Path, workdir: Path) -> dict[str, str]:
    """{key: text} as biblatex prints each entry, from xelatex -> biber -> xelatex in ``workdir``.

    Each member of a @set is printed inside the set's item, after its own marker, so it has its own text; the @set
    itself has no marker and no text (nor does @xdata, which biber never prints).  ``workdir/doc.bbl`` stays behind."""
    workdir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(bib, workdir / "refs.bib")
    (workdir / "doc.tex").write_text(DOCUMENT, encoding="utf-8")
    latex = ["xelatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"]
    for cmd in (latex, ["biber", "doc"], latex):
        run = _run(cmd, workdir)
        if run.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed in {workdir}:\n{run.stdout[-3000:]}")
    log = (workdir / "doc.log").read_text(encoding="utf-8", errors="replace")
    if "Missing character" in log:  # a glyph the font lacks would drop letters from the words
        raise RuntimeError(f"xelatex: a character is missing from the font, see {workdir / 'doc.log'}")
    run = _run(["pdftotext", "-enc", "UTF-8", "doc.pdf", "doc.txt"], workdir)
    if run.returncode != 0:
        raise RuntimeError(f"pdftotext failed: {run.stderr}")
    text = (workdir / "doc.txt").read_text(encoding="utf-8")
    parts = _MARKER.split(text)  # [before, key1, text1, key2, text2, ...]
    texts: dict[str, str] = {}
    for key, body in zip(parts[1::2], parts[2::2], strict=True):
        assert key not in texts, f"biblatex printed {key!r} twice"
        texts[key] = " ".join(body.split())
    return texts


def _group(text: str, start: int) -> tuple[str, int]:
    """The balanced ``{...}`` group opening at ``text[start]``: its content and the index after it."""
    assert text[start] == "{", text[start:start + 40]
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return text[start + 1:i], i + 1
    raise ValueError(f"unbalanced braces at {start}")


def _groups(text: str) -> list[str]:
    """The top-level ``{...}`` groups of ``text``."""
    out, i = [], 0
    while (i := text.find("{", i)) != -1:
        content, i = _group(text, i)
        out.append(content)
    return out


def plain(value: str) -> str:
    """A .bbl value as text, roughly (biber has already decoded accents to UTF-8): commands and braces removed."""
    value = value.replace(r"\&", "&").replace("~", " ")
    value = re.sub(r"\\((?:La|Bib)?TeX|METAFONT)\b", r"\1", value)  # logos, as pdftotext reads them
    value = re.sub(r"\\[A-Za-z@]+\*?", " ", value)
    return re.sub(r"[{}\\]", "", value)


_ITEM = re.compile(r"\\(field|list|name|verb|range)\{")
_NAME_PART = re.compile(r"\b((?:family|given|prefix|suffix)i?)=\{")


def bbl_entries(text: str) -> dict[str, dict]:
    """{key: {"type", "fields", "lists", "names"}} from the text of biber's .bbl, every value as biber resolved it
    (crossref and xdata inherited, dates split into year/month/day, names into parts).  Clones of related entries
    are entries of their own, under the hash biber gives them."""
    entries: dict[str, dict] = {}
    for m in re.finditer(r"\\entry\{([^}]*)\}\{([^}]*)\}(.*?)\\endentry", text, re.DOTALL):
        body = m.group(3)
        entry: dict = {"type": m.group(2), "fields": {}, "lists": {}, "names": {}}
        i = 0
        while item := _ITEM.search(body, i):
            kind = item.group(1)
            name, i = _group(body, item.end() - 1)
            if kind == "verb":
                verb = re.match(r"\s*\\verb (.*?)\s*\\endverb", body[i:], re.DOTALL)
                if verb:
                    entry["fields"][name] = verb.group(1)
                    i += verb.end()
                continue
            value, i = _group(body, i)
            if kind == "field":
                entry["fields"][name] = value
            elif kind == "list":
                items, i = _group(body, i)
                entry["lists"][name] = [plain(v).strip() for v in _groups(items)]
            elif kind == "name":
                _, i = _group(body, i)  # the options group
                people, i = _group(body, i)
                names = []
                for person in _groups(people):
                    parts = {}
                    for part in _NAME_PART.finditer(person):
                        parts[part.group(1)] = plain(_group(person, part.end() - 1)[0])
                    # as printed with giveninits=true: the given names' initials
                    parts["given"] = parts.get("giveni", parts.get("given", ""))
                    names.append(" ".join(parts.get(p, "") for p in ("given", "prefix", "family", "suffix")).strip())
                entry["names"][name] = names
        entries[m.group(1)] = entry
    return entries


def _cache_file(bib: Path) -> Path:
    digest = hashlib.sha256(bib.read_bytes()).hexdigest()
    document = hashlib.sha256(DOCUMENT.encode()).hexdigest()[:12]
    return CACHE / f"{digest}-{document}.json"


def biblatex_side(bib: Path = EXAMPLES, workdir: Path | None = None) -> tuple[dict[str, str], dict[str, dict]]:
    """biblatex's texts and biber's entries.  What xelatex and biber write (the texts and the .bbl) is cached under
    /tmp on the sha256 of the .bib file (and of ``DOCUMENT``): neither changes while the style code does, and the
    LaTeX runs take seconds.  The .bbl is parsed on every call, so changes to the parsing need no new cache."""
    cache = _cache_file(bib)
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
        return data["texts"], bbl_entries(data["bbl"])
    except (OSError, ValueError, KeyError):
        pass  # no cache yet, or a damaged one: rebuilt
    work = workdir or Path(tempfile.mkdtemp(prefix="biblatex-words-"))
    texts = biblatex_texts(bib, work)
    bbl = (work / "doc.bbl").read_text(encoding="utf-8")
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"texts": texts, "bbl": bbl}, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, cache)
    if workdir is None:
        shutil.rmtree(work, ignore_errors=True)
    return texts, bbl_entries(bbl)


# --- our side ----------------------------------------------------------------------------------------------------


def build_ours(bib: Path, workdir: Path) -> Path:
    """Our HTML page for ``bib``: the test-cv-realworld root, the file copied in as refs.bib (as test_realworld.py
    builds it).  Returns index.html."""
    from sphinx.testing.util import SphinxTestApp

    src = workdir / "src"
    shutil.rmtree(src, ignore_errors=True)
    shutil.copytree(ROOT, src)
    shutil.copyfile(bib, src / "refs.bib")
    app = SphinxTestApp("html", srcdir=src, builddir=src / "_build", freshenv=True, status=StringIO(), warning=StringIO())
    try:
        app.build()
    finally:
        app.cleanup()
    return Path(app.outdir) / "index.html"


def _key_of(item_id: str) -> str:
    """The key whose ``cvsphinx.core.links.anchor`` is ``item_id`` (``pub-`` and the key, other characters as ``~hex~``)."""
    from cvsphinx.core.links import anchor

    key = re.sub(r"~([0-9a-f]+)~", lambda m: chr(int(m.group(1), 16)), item_id.removeprefix("pub-"))
    assert anchor(key) == item_id, f"cannot tell the key of the item {item_id!r}: has links.anchor changed?"
    return key


def our_texts(html: Path | str) -> dict[str, str]:
    """{key: text} of each publication on our page (index.html, the HTML output folder, or the HTML itself): the
    ``<li>`` tied to its key by ``cvsphinx.core.links.anchor``, without the permalink, link buttons and BibTeX."""
    from bs4 import BeautifulSoup

    if isinstance(html, Path):
        html = (html / "index.html" if html.is_dir() else html).read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    texts: dict[str, str] = {}
    for li in soup.select("ol.cv-publication-list > li[id]"):
        for extra in li.select(".cv-extras, details, button"):
            extra.decompose()
        key = _key_of(li["id"])
        assert key not in texts, f"{key!r} is on the page twice"
        texts[key] = " ".join(li.get_text().split())
    return texts


# --- the comparison ----------------------------------------------------------------------------------------------


def _month_words(number: str) -> set[str]:
    if not number.isdigit() or not 1 <= int(number) <= 12:
        return set()
    return {MONTHS[int(number) - 1].casefold(), MONTHS_SHORT[int(number) - 1].casefold()}


def _take(counter: Counter[str], text_words: Counter[str]) -> None:
    """Take one of each word in ``text_words`` (as many as it holds) out of ``counter``, where ``counter`` has it."""
    counter.subtract(text_words & counter)


def expected(text: str, entry: dict | None) -> Counter[str]:
    """biblatex's words for one entry less what a CV leaves out by design (see the module's docstring)."""
    fields = entry["fields"] if entry else {}
    text = _URL_LABEL.sub("", text)
    for pattern, replacement in SPELLINGS:
        text = pattern.sub(replacement, text)
    for country in (entry or {}).get("lists", {}).get("location", []):
        if country in COUNTRIES:
            code, name = COUNTRIES[country]
            text = re.sub(rf"\b{code}\b", name, text, count=1)
    ref = words(text)
    # The publication date's month and day: the CV shows the year.
    for part in ("month", "endmonth"):
        month = fields.get(part, "")
        found = [w for w in _month_words(month) if ref[w]]
        if found:
            _take(ref, Counter(found[:1]))
    for part in ("day", "endday"):
        day = fields.get(part, "")
        if day.isdigit():
            _take(ref, Counter({str(int(day)) if ref[str(int(day))] else day: 1}))
    # A citation label in place of a missing author: the CV heads the entry with its title.
    label = plain(fields.get("label", "")).strip()
    if label and text.startswith(f"{label} ("):
        _take(ref, words(label))
    # @article: no "In:" before the journal, no "pp." before the pages.
    if entry and entry["type"] == "article":
        if re.search(r"\bIn: ", text):
            _take(ref, Counter({"in": 1}))
        if fields.get("pages"):
            _take(ref, Counter({"pp": 1}) if ref["pp"] else Counter({"p": 1}))
    return +ref


def _field_words(entry: dict) -> dict[str, Counter[str]]:
    """The words of each printed field of an entry, for naming the field behind a missing word; dates as words."""
    out: dict[str, Counter[str]] = {}
    for name, value in entry["fields"].items():
        if _SILENT.match(name):
            continue
        for prefix in ("", "event", "orig", "url"):
            if name in (f"{prefix}month", f"{prefix}endmonth"):
                out.setdefault(f"{prefix}date", Counter()).update(_month_words(value))
            elif name in (f"{prefix}day", f"{prefix}endday"):
                out.setdefault(f"{prefix}date", Counter()).update(words(value))
        out.setdefault(name, Counter()).update(words(plain(value)))
    fields = entry["fields"]
    for name in ("series", "edition"):  # "3rd ser.", "new ser.", "2nd edn."
        value = fields.get(name, "")
        extra = _ordinal(value) if value.isdigit() else value.removesuffix("series") if value.endswith("series") else ""
        if extra:
            out[name].update(words(f"{extra} {'ser' if name == 'series' else 'edn'}"))
    for name, values in entry["lists"].items():
        out[name] = words(" ".join(values))
    for name, values in entry["names"].items():
        out[name] = words(" ".join(values))
        kind = fields.get(f"{name}type", "") if name.startswith("editor") and name != "editor" else name
        out[name].update(words(_TRIGGERS.get(kind, _EDITORTYPES.get(kind, ""))))
    for name, extra in _TRIGGERS.items():
        if name in out and name not in entry["names"]:
            out[name].update(words(extra))
    return out


def fields_behind(missing: Counter[str], shown: Counter[str], entry: dict | None,
                  entries: dict[str, dict]) -> dict[str, list[str]]:
    """{field: missing words} for one entry, a guess: each missing word goes to a field of the .bbl entry that holds
    it (with the strings the field makes biblatex print, "Red. by", "3rd ser."), once the words we do show have used
    up the first such fields; then ``related`` for the entries it relates to ("Repr. from …"), else ``(string)``."""
    if entry is None:
        return {"(entry)": sorted(missing.elements())}
    own = _field_words(entry)
    related = Counter()
    for clone in entry["fields"].get("related", "").split(","):
        if clone.strip() in entries:
            for counter in _field_words(entries[clone.strip()]).values():
                related.update(counter)
            related.update(words(_RELATEDTYPES.get(entry["fields"].get("relatedtype", ""), "")))
    out: dict[str, list[str]] = {}
    for word, count in missing.items():
        slots = [[name, counter[word]] for name, counter in own.items() if counter[word]]
        slots.append(["related", related[word]])
        used = shown[word]
        for _ in range(count):
            while slots and slots[0][1] <= used:
                used -= slots[0][1]
                slots.pop(0)
            name = slots[0][0] if slots else "(string)"
            if slots:
                slots[0][1] -= 1 + used
                used = 0
            out.setdefault(name, []).append(word)
    return out


@dataclass
class Row:
    key: str
    share: float
    words: int
    missing: Counter[str] = field(default_factory=Counter)
    behind: dict[str, list[str]] = field(default_factory=dict)
    shown: bool = True


def compare(texts: dict[str, str], entries: dict[str, dict], ours: dict[str, str]) -> list[Row]:
    """One row per entry biblatex prints, worst first."""
    rows = []
    for key, text in texts.items():
        ref = expected(text, entries.get(key))
        mine = words(ours.get(key, ""))
        missing = ref - mine
        rows.append(Row(key, share(ref, mine), sum(ref.values()), missing,
                        fields_behind(missing, mine, entries.get(key), entries), key in ours))
    return sorted(rows, key=lambda r: (r.share, r.key))


def summary(rows: list[Row]) -> tuple[float, int, int]:
    """The mean share, and the number of entries under 0.90 and under 0.85."""
    mean = sum(r.share for r in rows) / len(rows) if rows else 0.0
    return mean, sum(r.share < 0.90 for r in rows), sum(r.share < 0.85 for r in rows)


def describe(row: Row) -> str:
    behind = "; ".join(f"{name}: {' '.join(ws)}" for name, ws in sorted(row.behind.items()))
    shown = "" if row.shown else "  NOT ON OUR PAGE"
    return f"{row.share:.3f}  {row.key:<22} {row.words:3d} words{shown}" + (f"  missing {behind}" if behind else "")


def report(rows: list[Row]) -> str:
    mean, under90, under85 = summary(rows)
    lines = [describe(r) for r in rows]
    lines.append(f"mean {mean:.3f} over {len(rows)} entries; under 0.90: {under90}; under 0.85: {under85}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    bib = Path(argv[0]) if argv else EXAMPLES
    missing_tools = [t for t in TOOLS if shutil.which(t) is None]
    if missing_tools:
        print(f"needs {', '.join(missing_tools)} (bash cv.sh setup)", file=sys.stderr)
        return 2
    texts, entries = biblatex_side(bib)
    with tempfile.TemporaryDirectory(prefix="biblatex-words-ours-") as tmp:
        ours = our_texts(build_ours(bib, Path(tmp)))
    print(report(compare(texts, entries, ours)))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent / "ext"))
    raise SystemExit(main(sys.argv[1:]))
