"""What a stranger gets from ``cv.sh new`` with a real academic's .bib file, measured on the built page and PDF.

For every file of ``$CV_REALBIB/SOURCES.json`` (default ``/work/realbib``): ``cv.sh new`` (with ``--name`` and ``--owner`` only, no
aliases), then ``cv.sh build`` in the new project, then the page (``_build/html/index.html``) and the PDF
(``pdftotext``) are checked against the file's own entries as the extension reads them:

* entries read, shown on the page (by anchor), lost (neither shown nor named in any warning of the build);
* the year, the venue, the owner in bold, no LaTeX left in the visible citation, the title in the PDF.

Run: ``cd <repo> && .venv/bin/python -m bench.realfiles [--only SLUG ...] [--keep DIR]``.
Prints a table and per file the offenders; writes everything to /tmp/realfiles.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXT = REPO / "ext"
if str(EXT) not in sys.path:
    sys.path.insert(0, str(EXT))

from bs4 import BeautifulSoup  # noqa: E402
from cvsphinx.core.bibfile import BibText, read_bib  # noqa: E402
from cvsphinx.core.latex import preamble_macros  # noqa: E402
from cvsphinx.core.links import anchor  # noqa: E402
from cvsphinx.core.names import parse_names  # noqa: E402
from cvsphinx.core.people import NameKey, build_owner  # noqa: E402
from cvsphinx.core.records import build_records  # noqa: E402

# The files are other people's, so they are not in this repository: a folder of .bib files and a SOURCES.json
# naming each one's repository, commit, exporter and owner (README, "Tried on real files" lists them).
REALBIB = Path(os.environ.get("CV_REALBIB", "/work/realbib"))
SOURCES = REALBIB / "SOURCES.json"
OUT_JSON = Path("/tmp/realfiles.json")
VENV = REPO / ".venv"
NEW_TIMEOUT = 300
BUILD_TIMEOUT = 900
LIMIT = 10  # offenders printed per list

VENUE_FIELDS = ("journaltitle", "booktitle", "publisher", "institution", "howpublished")  # biblatex names
_ACCEPTED_LINE = re.compile(r"^\[cv\.([\w-]+)\]")
_WARNING_LINE = re.compile(r"\b(WARNING|ERROR|CRITICAL)\b")
_IDENTIFIERS = re.compile(r"10\.\d{4,9}/\S+|arXiv:\s*\S+|https?://\S+|\b[a-z-]+(?:\.[A-Z]{2})?/\d{7}\b", re.I)
_LEFTOVER_WORDS = re.compile(  # macro names left as words once their backslash is gone
    r"\b(textdollar|textbackslash|textasciitilde|textasciicircum|textunderscore|textit|textbf|textrm|textsf|texttt"
    r"|textsc|textsl|textup|textnormal|textsuperscript|textsubscript|textendash|textemdash|textquotesingle"
    r"|textquotedbl|textregistered|texttrademark|textcopyright|emph|mathrm|mathbf|mathit|mathcal|mathbb|mathsf"
    r"|mathtt|ensuremath|mbox|hbox|noopsort|relax|protect|cprime|myname)\b")
_BAD_CHARS = re.compile(r"[\\{}$~]")


# -- small helpers ---------------------------------------------------------------------------------

def fold(text: str) -> str:
    """For matching names: no accents, no case, every hyphen and dash alike, white space folded."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("ø", "o").replace("Ø", "o").replace("ı", "i").replace("ł", "l").replace("Ł", "l")
    text = re.sub(r"[\u2010-\u2015\u2212-]", "-", text)
    return " ".join(text.casefold().split())


def squash(text: str) -> str:
    """For matching titles and venues: letters and digits only, no accents, no case (ligatures split)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("ø", "o").replace("Ø", "o").replace("ı", "i").replace("ł", "l").replace("ß", "ss")
    return "".join(c for c in text.casefold() if c.isalnum())


def norm_ws(text: str) -> str:
    return " ".join(text.split())


def plain_field(record, name: str) -> str:
    value = record.get(name)
    if not value:
        return ""
    return norm_ws(unicodedata.normalize("NFC", str(record.text(name))))


def given_surname(owner: str) -> str:
    surname, _, given = owner.partition(",")
    return f"{given.strip()} {surname.strip()}".strip() if given.strip() else surname.strip()


def tail(text: str, lines: int = 30) -> str:
    return "\n".join(text.splitlines()[-lines:])


def run(cmd: list[str], cwd: Path, timeout: int) -> dict:
    """Run a command in its own process group; on timeout the whole group (our own children only) is killed."""
    env = dict(os.environ, CV_VENV=str(VENV))
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, text=True, errors="replace", start_new_session=True)
    timed_out = False
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
    return {"cmd": cmd, "exit": None if timed_out else proc.returncode, "timed_out": timed_out,
            "seconds": round(time.monotonic() - start, 1), "stdout": out, "stderr": err}


# -- the file's own entries ------------------------------------------------------------------------

def read_records(path: Path):
    """As the build reads the file: macros, @preamble, repeated keys renamed ``key-2`` (catalog.read_records)."""
    macros: dict[str, str] = {}
    extra = BibText()
    entries, problems = read_bib(path, macros=macros, extra=extra)
    seen: set[str] = set()
    for entry in entries:
        if entry.key.lower() in seen:
            original, suffix = entry.key, 2
            while f"{original}-{suffix}".lower() in seen:
                suffix += 1
            entry.key = f"{original}-{suffix}"
        seen.add(entry.key.lower())
    records, more = build_records(entries, preamble_macros("\n".join(extra.preamble)), "abbreviated")
    return entries, records, problems + more


_WRAPPER = re.compile(r"\s*\\[A-Za-z]+\s*(\{.*\})\s*", re.DOTALL)


def _balanced_group(text: str) -> bool:
    depth = 0
    for i, char in enumerate(text):
        depth += (char == "{") - (char == "}")
        if depth == 0 and i < len(text) - 1:
            return False
    return depth == 0 and text.startswith("{")


def unwrap(raw: str) -> str:
    """A whole name wrapped by the file's own markup: ``\\textbf{Marshall, H.P.}``, ``{Marshall, H.P.}`` -> the name."""
    text = raw.strip()
    while True:
        match = _WRAPPER.fullmatch(text)
        if match and _balanced_group(match.group(1)):
            text = match.group(1)[1:-1].strip()
        elif _balanced_group(text) and text.endswith("}") and "," in text[1:-1]:
            text = text[1:-1].strip()
        else:
            return text


def owner_names(record, owner_keys) -> list[dict]:
    """Every owner spelling among the record's authors and editors: the role, the name as written, its decoded
    surname, and whether the extension's own reading of the name (record.persons) matches the owner too.

    Independent of the extension's reading: a name the file wraps whole in markup (``\\textbf{...}``) is
    unwrapped first, so an owner the extension does not recognise is still counted as the owner."""
    found = []
    for role in ("author", "editor"):
        value = record.get(role)
        if not value:
            continue
        names, _ = parse_names(value, {})
        ext_persons = record.persons.get(role, [])
        for position, name in enumerate(names):
            if name.is_others:
                continue
            person = name.person
            unwrapped = unwrap(name.raw)
            if unwrapped != name.raw.strip():
                again, _ = parse_names(unwrapped, {})
                if len(again) == 1:
                    person = again[0].person
            key = NameKey.from_person(person)
            if any(k.matches(key) for k in owner_keys):
                ext = ext_persons[position] if position < len(ext_persons) else None
                ext_sees = ext is not None and any(k.matches(NameKey.from_person(ext)) for k in owner_keys)
                found.append({"role": role, "written": norm_ws(name.raw),
                              "surname": " ".join(person.prelast_names + person.last_names), "ext_sees": ext_sees})
    return found


# -- the build's warnings --------------------------------------------------------------------------

def accepted_lines(project: Path) -> list[str]:
    path = project / "accepted-warnings.txt"
    if not path.is_file():
        return []
    return [line.strip() for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def build_warnings(project: Path, build_output: str) -> list[str]:
    """Every warning the build gave: the accepted list, the doctrees' record of cv warnings, the output's WARNING lines."""
    lines = list(accepted_lines(project))
    for builder in ("html", "latex"):
        seen = project / "_build" / "doctrees" / f"cv-warnings-{builder}.txt"
        if seen.is_file():
            for line in seen.read_text(encoding="utf-8", errors="replace").splitlines():
                parts = line.split("\t")  # state, file:line, identity[, the message as said]
                lines.extend(parts[2:] if len(parts) > 2 else parts[-1:])
    lines += [line for line in build_output.splitlines() if _WARNING_LINE.search(line) or "to do (accepted)" in line]
    return list(dict.fromkeys(lines))


def kinds(lines: list[str]) -> Counter:
    found = Counter()
    for line in lines:
        match = _ACCEPTED_LINE.match(line)
        found[match.group(1) if match else "?"] += 1
    return found


# -- the page and the PDF ---------------------------------------------------------------------------

def page_items(html: Path) -> dict[str, object]:
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    items = {}
    for li in soup.select("ol.cv-publication-list > li"):
        ident = li.get("id")
        para = li.find("p")
        if ident and para is not None:
            items[ident] = para
    return items


_PAGE_NUMBER = re.compile(r"\s*(?:page\s*)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?\s*", re.IGNORECASE)


def pdf_text(project: Path) -> tuple[str | None, list[str]]:
    """pdftotext -raw (content order: an entry that a page break splits stays in one piece once the page's number,
    which comes between its two halves, is taken out)."""
    pdfs = sorted((project / "_build" / "latex").glob("*.pdf"))
    texts = []
    for pdf in pdfs:
        done = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                              timeout=120, errors="replace")
        for page in done.stdout.split("\f"):
            lines = [line for line in page.splitlines() if line.strip()]
            while lines and _PAGE_NUMBER.fullmatch(lines[-1]):
                lines.pop()
            while lines and _PAGE_NUMBER.fullmatch(lines[0]):
                lines.pop(0)
            texts.append("\n".join(lines))
    return ("\n".join(texts) if pdfs else None), [p.name for p in pdfs]


# -- one file ----------------------------------------------------------------------------------------

def measure(source: dict, root: Path) -> dict:
    file = source["file"]
    slug = Path(file).stem
    project = root / slug
    if project.exists():
        if not ((project / "conf.py").is_file() and (project / "refs.bib").is_file()):
            raise SystemExit(f"{project} exists and does not look like a CV project made by this script; move it")
        shutil.rmtree(project)
    owner = source["owner"]
    result: dict = {"file": file, "slug": slug, "exporter": source.get("exporter", ""), "owner_name": owner,
                    "project": str(project), "sources_entries": source.get("entries")}
    new = run(["bash", str(REPO / "cv.sh"), "new", str(project), "--name", given_surname(owner), "--owner", owner,
               "--bib", str(REALBIB / file)], cwd=root, timeout=NEW_TIMEOUT)
    result["new"] = {"exit": new["exit"], "timed_out": new["timed_out"], "seconds": new["seconds"],
                     "tail": tail(new["stdout"] + new["stderr"]), "stdout": new["stdout"]}
    first = accepted_lines(project)
    result["accepted_after_new"] = {"count": len(first), "kinds": dict(kinds(first).most_common())}
    if not (project / "conf.py").is_file():
        result["build"] = {"exit": None, "skipped": "cv.sh new made no project"}
        return result
    build = run(["bash", "cv.sh", "build"], cwd=project, timeout=BUILD_TIMEOUT)
    output = build["stdout"] + "\n" + build["stderr"]
    result["build"] = {"exit": build["exit"], "timed_out": build["timed_out"], "seconds": build["seconds"],
                       "tail": tail(build["stdout"] + build["stderr"])}
    after = accepted_lines(project)
    result["accepted_after_build"] = {"count": len(after), "kinds": dict(kinds(after).most_common())}
    warnings = build_warnings(project, output)
    warnings += [line for line in first if line not in warnings]
    result["build"]["stderr_warnings"] = [line for line in build["stderr"].splitlines() if _WARNING_LINE.search(line)][:50]

    entries, records, read_problems = read_records(REALBIB / file)
    result["read"] = {"entries": len(entries), "records": len(records),
                      "skipped_by_reader": [f"{p.key or '?'} (line {p.line}): {p.message[:120]}" for p in read_problems
                                            if p.subtype in ("bib_syntax",)][:LIMIT]}
    html = project / "_build" / "html" / "index.html"
    items = page_items(html) if html.is_file() else {}
    pdf, pdf_names = pdf_text(project)
    result["pdf_files"] = pdf_names
    pdf_squashed = squash(pdf) if pdf is not None else ""
    owner_keys = build_owner(owner, source.get("aliases", [])).keys
    source_surnames = {fold(n.partition(",")[0]) for n in [owner, *source.get("aliases", [])]}

    warning_text = "\n".join(warnings).lower()
    shown, lost = [], []
    for record in records:
        ident = anchor(record.key)
        if ident in items:
            shown.append((record, items[ident]))
        else:
            key = record.key.lower()
            pattern = re.compile(r"(?<![\w/:.-])" + re.escape(key) + r"(?![\w/:.-])")
            if not pattern.search(warning_text):
                lost.append(record)
    record_anchors = {anchor(r.key) for r in records}
    extra_items = [i for i in items if i not in record_anchors]

    year_ok, year_missing, year_absent_in_file, year_absent_but_text = 0, [], [], 0
    venue_ok, venue_missing, venue_absent, venue_how = 0, [], [], Counter()
    owner_authored, bold_ok, not_bold, owner_absent, bold_other = 0, [], [], [], []
    latex_ok, latex_bad = 0, []
    titles, pdf_ok, pdf_missing, no_title = 0, 0, [], []
    for record, para in shown:
        text = norm_ws(para.get_text())
        bare = _IDENTIFIERS.sub(" ", text)
        # year
        if record.year is None:
            year_absent_in_file.append(record.key)
            if re.search(r"(?<!\d)(1[5-9]|20)\d\d(?!\d)", bare):
                year_absent_but_text += 1
        elif re.search(rf"(?<!\d){record.year}(?!\d)", bare):
            year_ok += 1
        else:
            year_missing.append({"key": record.key, "year": record.year, "text": text[:200]})
        # venue
        venues = {name: plain_field(record, name) for name in VENUE_FIELDS}
        venues = {k: v for k, v in venues.items() if squash(v)}
        preprint_ids = []
        if record.arxiv:
            preprint_ids.append(record.arxiv[0])
        if record.preprint:
            preprint_ids.append(record.preprint)
        if not venues and not preprint_ids:
            venue_absent.append(f"{record.key} (@{record.type})")
        else:
            squashed_text = squash(text)
            ems = [squash(em.get_text()) for em in para.find_all("em")]
            found = ""
            folded_text = fold(text)
            for name, value in venues.items():
                target = squash(value)
                if len(target) < 6:  # "A&A", "AJ": as a word, not as letters anywhere in the line
                    word = re.compile(r"(?<!\w)" + re.escape(fold(value)) + r"(?!\w)")
                    if any(target == em for em in ems):
                        found = f"{name} (em)"
                        break
                    if word.search(folded_text):
                        found = f"{name} (text)"
                        break
                    continue
                if any(target in em for em in ems):
                    found = f"{name} (em)"
                    break
                if target in squashed_text:
                    found = f"{name} (text)"
                    break
                parts = [squash(p) for p in re.split(r"\s+and\s+", value) if squash(p)]
                if len(parts) > 1 and all(p in squashed_text for p in parts):
                    found = f"{name} (items)"
                    break
            if not found:
                for ident in preprint_ids:
                    if squash(ident) and squash(ident) in squashed_text:
                        found = "preprint"
                        break
            if found:
                venue_ok += 1
                venue_how[found] += 1
            else:
                venue_missing.append({"key": record.key, "type": record.type, "venue": venues,
                                      "preprint": preprint_ids, "em": [em.get_text() for em in para.find_all("em")],
                                      "text": text[:220]})
        # owner in bold
        spellings = owner_names(record, owner_keys)
        strongs = [fold(s.get_text()) for s in para.find_all("strong")]
        surnames = {fold(s["surname"]) for s in spellings} | source_surnames
        if spellings:
            owner_authored += 1
            if any(any(s and s in strong for s in surnames) for strong in strongs):
                bold_ok.append(record.key)
            else:
                not_bold.append({"key": record.key, "written": [s["written"] for s in spellings],
                                 "roles": sorted({s["role"] for s in spellings}),
                                 "ext_sees_owner": any(s["ext_sees"] for s in spellings),
                                 "strong": [s.get_text() for s in para.find_all("strong")], "text": text[:200]})
        else:
            owner_absent.append({"key": record.key, "author": norm_ws(record.get("author"))[:200],
                                 "editor": norm_ws(record.get("editor"))[:120]})
        for strong in para.find_all("strong"):
            if not any(s and s in fold(strong.get_text()) for s in surnames):
                bold_other.append({"key": record.key, "strong": strong.get_text()})
        # LaTeX left
        problems = sorted(set(_BAD_CHARS.findall(text))) + sorted(set(_LEFTOVER_WORDS.findall(text)))
        if problems:
            latex_bad.append({"key": record.key, "found": problems, "text": text[:220]})
        else:
            latex_ok += 1
        # the PDF
        title = plain_field(record, "title")
        if not squash(title):
            no_title.append(record.key)
        else:
            titles += 1
            head = norm_ws(title)[:40]
            if pdf is not None and squash(head) in pdf_squashed:
                pdf_ok += 1
            else:
                pdf_missing.append({"key": record.key, "title40": head})

    def pct(part: int, whole: int) -> float | None:
        return round(100.0 * part / whole, 1) if whole else None

    n = len(shown)
    with_venue = n - len(venue_absent)
    result.update({
        "entries": len(records), "shown": n, "lost": [f"{r.key} (@{r.type}, line {r.line})" for r in lost],
        "page_items": len(items), "page_items_without_record": extra_items[:LIMIT],
        "year": {"shown_with_year": year_ok, "file_has_no_year": len(year_absent_in_file),
                 "no_year_in_file_keys": year_absent_in_file[:LIMIT],
                 "no_year_in_file_but_text_has_one": year_absent_but_text, "missing": year_missing,
                 "pct_of_shown": pct(year_ok, n), "pct_of_shown_with_year_in_file": pct(year_ok, n - len(year_absent_in_file))},
        "venue": {"shown_with_venue": venue_ok, "file_has_no_venue": len(venue_absent),
                  "no_venue_in_file_keys": venue_absent[:LIMIT], "missing": venue_missing,
                  "matched_by": dict(venue_how.most_common()),
                  "pct_of_shown_with_venue_in_file": pct(venue_ok, with_venue), "pct_of_shown": pct(venue_ok, n)},
        "owner": {"owner_authored": owner_authored, "bold": len(bold_ok), "not_bold": not_bold,
                  "owner_not_an_author": owner_absent, "bold_not_owner": bold_other,
                  "pct_of_owner_authored": pct(len(bold_ok), owner_authored), "pct_of_shown": pct(len(bold_ok), n)},
        "latex": {"clean": latex_ok, "offenders": latex_bad, "pct_of_shown": pct(latex_ok, n)},
        "pdf": {"found": pdf_ok, "titles_checked": titles, "no_title": no_title, "missing": pdf_missing,
                "pdf_present": pdf is not None, "pct_of_titled": pct(pdf_ok, titles)},
        "warnings_seen": len({w for w in warnings if w.startswith("[cv.")}),
    })
    return result


# -- report --------------------------------------------------------------------------------------------

def fmt_pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}" if value in (0.0, 100.0) else f"{value:.1f}"


def table(results: list[dict]) -> str:
    head = ["file", "exporter", "entries", "shown", "lost", "year%", "venue%", "bold%", "noTeX%", "PDF%",
            "new", "build", "accepted"]
    rows = [head]
    def code(r: dict, step: str) -> str:
        info = r.get(step, {})
        if info.get("timed_out"):
            return "timeout"
        if info.get("exit") is None:
            return "–"
        return f"{info['exit']} ({info.get('seconds', 0):.0f}s)"

    for r in results:
        rows.append([
            r["file"], r["exporter"], str(r.get("entries", "–")), str(r.get("shown", "–")),
            str(len(r.get("lost", []))), fmt_pct(r.get("year", {}).get("pct_of_shown")),
            fmt_pct(r.get("venue", {}).get("pct_of_shown_with_venue_in_file")),
            fmt_pct(r.get("owner", {}).get("pct_of_owner_authored")), fmt_pct(r.get("latex", {}).get("pct_of_shown")),
            fmt_pct(r.get("pdf", {}).get("pct_of_titled")), code(r, "new"), code(r, "build"),
            str(r.get("accepted_after_new", {}).get("count", "–")),
        ])
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = ["  ".join(cell.ljust(w) if i < 2 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True)))
             for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    notes = ("year% = shown entries whose citation shows the entry's year / shown (entries with no year in the file "
             "count as not shown); venue% = of shown entries with a venue field (or a preprint id) in the file; "
             "bold% = of shown entries the owner (SOURCES owner + aliases) wrote or edited; PDF% = of shown entries "
             "with a title; accepted = lines of accepted-warnings.txt after `new`")
    return "\n".join(lines) + "\n" + notes


def details(r: dict) -> str:
    out = [f"\n== {r['file']} ({r['exporter']}; owner {r['owner_name']!r}; project {r['project']})"]
    for step in ("new", "build"):
        info = r.get(step, {})
        if info.get("exit") not in (0,):
            out.append(f"  {step} exited {info.get('exit')}{' (timed out)' if info.get('timed_out') else ''}; "
                       "last 30 lines:")
            out += ["    | " + line for line in (info.get("tail") or info.get("skipped", "")).splitlines()]
    if "entries" not in r:
        return "\n".join(out)
    acc = r.get("accepted_after_new", {})
    out.append(f"  accepted warnings after new: {acc.get('count')}: "
               + ", ".join(f"{k} {v}" for k, v in acc.get("kinds", {}).items()))
    aft = r.get("accepted_after_build", {})
    if aft.get("count") != acc.get("count"):
        out.append(f"  accepted warnings after build (pruned): {aft.get('count')}")
    read = r["read"]
    out.append(f"  read: {read['entries']} entries, {read['records']} records; shown {r['shown']}; "
               f"page items {r['page_items']}")
    for item in read["skipped_by_reader"]:
        out.append(f"    skipped by reader: {item}")
    if r["page_items_without_record"]:
        out.append(f"  page items with no record: {r['page_items_without_record']}")

    def listing(title: str, items: list, render) -> None:
        if not items:
            return
        out.append(f"  {title}: {len(items)}")
        out.extend("    " + render(item) for item in items[:LIMIT])

    listing("lost (not on page, in no warning)", r["lost"], str)
    y = r["year"]
    out.append(f"  year: {y['shown_with_year']}/{r['shown']} shown; {y['file_has_no_year']} have no year in the file"
               + (f" ({y['no_year_in_file_but_text_has_one']} of those show a 4-digit number anyway)"
                  if y["file_has_no_year"] else ""))
    listing("year in file, not in citation", y["missing"], lambda m: f"{m['key']} ({m['year']}): {m['text']}")
    v = r["venue"]
    out.append(f"  venue: {v['shown_with_venue']}/{r['shown'] - v['file_has_no_venue']} shown with a venue in the "
               f"file; {v['file_has_no_venue']} have no venue field"
               + (f" (e.g. {', '.join(v['no_venue_in_file_keys'][:5])})" if v["file_has_no_venue"] else ""))
    listing("venue in file, not in citation", v["missing"],
            lambda m: f"{m['key']} @{m['type']} {m['venue'] or m['preprint']} em={m['em']}: {m['text']}")
    o = r["owner"]
    out.append(f"  owner: bold in {o['bold']}/{o['owner_authored']} owner-authored; "
               f"{len(o['owner_not_an_author'])} shown entries without the owner (SOURCES spellings)")
    spelled = Counter(w for m in o["not_bold"] for w in m["written"])
    if spelled:
        out.append("    not bold, by spelling: " + "; ".join(f"{w!r} ×{c}" for w, c in spelled.most_common(10)))
    listing("owner an author, not bold", o["not_bold"],
            lambda m: f"{m['key']} written {m['written']} ({'/'.join(m['roles'])}; the extension's reading of "
                      f"the name {'matches' if m['ext_sees_owner'] else 'does not match'} a SOURCES spelling), "
                      f"strong={m['strong']}: {m['text'][:140]}")
    listing("owner not an author/editor", o["owner_not_an_author"],
            lambda m: f"{m['key']}: author={m['author']!r}" + (f" editor={m['editor']!r}" if m["editor"] else ""))
    listing("bold text that is not the owner", o["bold_not_owner"], lambda m: f"{m['key']}: {m['strong']!r}")
    lt = r["latex"]
    found = Counter(f for m in lt["offenders"] for f in m["found"])
    if found:
        out.append("    LaTeX leftovers, by kind: " + "; ".join(f"{k!r} ×{c}" for k, c in found.most_common()))
    listing("LaTeX left in visible text", lt["offenders"], lambda m: f"{m['key']} {m['found']}: {m['text']}")
    p = r["pdf"]
    out.append(f"  PDF {r['pdf_files']}: {p['found']}/{p['titles_checked']} titles found"
               + (f"; {len(p['no_title'])} shown entries have no title" if p["no_title"] else ""))
    listing("title not in PDF", p["missing"], lambda m: f"{m['key']}: {m['title40']!r}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.realfiles", description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", metavar="SLUG", help="only these files (stem or file name)")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="make the projects in DIR and keep them")
    args = parser.parse_args(argv)
    sources = json.loads(SOURCES.read_text(encoding="utf-8"))
    if args.only:
        wanted = {s.removesuffix(".bib") for s in args.only}
        unknown = wanted - {Path(s["file"]).stem for s in sources}
        if unknown:
            parser.error(f"no such file in {SOURCES}: {', '.join(sorted(unknown))}")
        sources = [s for s in sources if Path(s["file"]).stem in wanted]
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        root, cleanup = args.keep.resolve(), None
    else:
        cleanup = tempfile.TemporaryDirectory(prefix="realfiles-")
        root = Path(cleanup.name)
    results = []
    try:
        for source in sources:  # one at a time: a build uses both cores
            print(f"-- {source['file']} ...", file=sys.stderr, flush=True)
            started = time.monotonic()
            try:
                result = measure(source, root)
            except Exception as err:  # one broken file must not stop the others
                result = {"file": source["file"], "exporter": source.get("exporter", ""), "owner_name": source["owner"],
                          "project": str(root / Path(source["file"]).stem), "error": repr(err)}
            results.append(result)
            print(f"   done in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
            OUT_JSON.write_text(json.dumps(results, indent=1, ensure_ascii=False, default=str), encoding="utf-8")
    finally:
        if cleanup is not None:
            cleanup.cleanup()
    print(table(results))
    for result in results:
        if "error" in result:
            print(f"\n== {result['file']}: the measurement failed: {result['error']}")
        else:
            print(details(result))
    print(f"\nJSON: {OUT_JSON}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
