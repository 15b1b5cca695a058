"""Reading .bib files so that one bad entry never takes another down.

Stock pybtex parses a file as one stream: an unbalanced brace or a repeated
key stops it, and every later entry is lost.  Here the file is cut into
chunks at each ``@`` that starts a line, each chunk is parsed on its own, and
every problem is reported against the entry's key and line.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path

import pybtex.errors
from pybtex.bibtex.utils import split_name_list
from pybtex.database import Person
from pybtex.database.input.bibtex import Parser, UndefinedMacro
from pybtex.scanner import PybtexError, PybtexSyntaxError

_ENTRY_START = re.compile(r"^[ \t]*@", re.MULTILINE)
_INNER_HEAD = re.compile(r"@[ \t]*[A-Za-z][\w-]*[ \t]*[{(]")
_HEAD = re.compile(r"@\s*([A-Za-z][\w-]*)\s*[{(]\s*([^,\s{}()]*)")


@dataclass
class Problem:
    """Something wrong in a .bib file, already phrased for the user."""

    subtype: str
    message: str
    path: str
    line: int
    key: str | None = None


@dataclass
class Record:
    """One usable entry: raw LaTeX field values, parsed people, where it came from."""

    key: str
    type: str
    fields: dict[str, str]
    persons: dict[str, list[Person]]
    path: str
    line: int
    index: int = 0  # position across all files, for stable "refs.bib order" ties
    problems: list[str] = field(default_factory=list)
    digest: int | None = None  # of the source text; None when it had parse errors (never reused)
    source_key: str = ""  # the key as written (``key`` may be renamed to stay unique)

    def __post_init__(self) -> None:
        self.source_key = self.source_key or self.key

    def get(self, name: str, default: str = "") -> str:
        return self.fields.get(name.lower(), default)


class _ChunkParser(Parser):
    """pybtex's parser, collecting entries and errors instead of raising."""

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[tuple[str, str | None, list]] = []
        self.errors: list[PybtexError] = []

    def process_entry(self, entry_type, key, fields):
        self.entries.append((entry_type, key, fields))

    def process_preamble(self, value_list):
        pass

    def handle_error(self, error):
        self.errors.append(error)


def _chunk_starts(text: str) -> list[int]:
    """Where entries start: each ``@`` opening a line, and each ``@type{`` at brace depth 0.

    Line starts are trusted even inside an unclosed brace, so one missing ``}``
    cannot swallow the entries after it.
    """
    starts = [m.start() for m in _ENTRY_START.finditer(text)]
    extra: list[int] = []
    for begin, end in zip(starts, [*starts[1:], len(text)], strict=False):
        first = text.index("@", begin)
        for match in _INNER_HEAD.finditer(text, first + 1, end):
            at = match.start()
            if text.count("{", first, at) == text.count("}", first, at):
                extra.append(at)
    return sorted(starts + extra) if extra else starts


def _digest(chunk: str, macros_state: int) -> int:
    return zlib.crc32(chunk.encode("utf-8", "surrogatepass"), macros_state)


def read_bib(
    path: str | Path, start_index: int = 0, reuse: dict[int, Record] | None = None
) -> tuple[list[Record], list[Problem]]:
    """Every readable entry of one file, and a problem for each one that is not.

    ``reuse`` maps chunk digests of a previous read to its records: unchanged
    entries are not parsed again.
    """
    path = str(path)
    records: list[Record] = []
    problems: list[Problem] = []
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as err:
        return [], [Problem("bib_unreadable", f"cannot be read: {err.strerror}; check cv_bibfiles in conf.py", path, 1)]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        # keep every entry: Latin-1 decodes any byte; the user is told to check the accents
        text = raw.decode("latin-1")
        problems.append(Problem(
            "bib_unreadable",
            f"is not UTF-8 text (byte {err.start}, {raw[err.start]:#04x}, is not valid UTF-8); it was read as "
            "Latin-1, so check its accented letters, and save the file as UTF-8",
            path, raw.count(b"\n", 0, err.start) + 1,
        ))

    starts = _chunk_starts(text)
    if not starts and text.strip():
        problems.append(Problem("bib_syntax", "holds no BibTeX entries (no line starts with '@'); is it a .bib file?", path, 1))
        return [], problems
    reuse = reuse or {}
    parser = _ChunkParser()
    parser.filename = path
    macros_state = 0
    line = 1
    previous = 0
    for start, end in zip(starts, [*starts[1:], len(text)], strict=False):
        line += text.count("\n", previous, start)
        previous = start
        chunk = text[start:end]
        head = _HEAD.match(chunk.lstrip())
        kind = head.group(1).lower() if head else ""
        if kind == "comment":
            continue
        digest = _digest(chunk, macros_state)
        if kind == "string":
            macros_state = digest
        old = reuse.get(digest)
        if old is not None:
            records.append(replace(old, key=old.source_key, path=path, line=line, index=start_index + len(records),
                                   problems=list(old.problems)))
            continue
        parser.entries.clear()
        parser.errors.clear()
        with pybtex.errors.capture() as captured:
            try:
                parser.parse_string(chunk)
            except PybtexError as err:  # an error pybtex raises past handle_error
                parser.errors.append(err)
        errors = parser.errors + captured
        key = head.group(2) if head and kind not in ("string", "preamble") else None
        if kind in ("string", "preamble"):
            for err in errors:
                problems.append(Problem("bib_syntax", f"@{kind} here is broken: {_describe(err)}", path,
                                        _err_line(err, line, chunk)))
            continue
        if not parser.entries:
            what = f"entry {key!r}" if key else "an entry"
            detail = "; ".join(_describe(e) for e in errors) or "it could not be read"
            problems.append(Problem("bib_syntax", f"{what} is skipped: {detail}", path, line, key or None))
            continue
        entry_type, parsed_key, fields = parser.entries[0]
        fatal = [e for e in errors if isinstance(e, PybtexSyntaxError) and not isinstance(e, UndefinedMacro)]
        if fatal:
            problems.append(Problem(
                "bib_syntax",
                f"entry {parsed_key!r} is skipped: {_describe(fatal[0])}; fix the braces or quotes of this entry",
                path, _err_line(fatal[0], line, chunk), parsed_key,
            ))
            continue
        record = _make_record(entry_type, parsed_key, fields, path, line, start_index + len(records))
        record.digest = digest if not errors else None
        for err in errors:
            problems.append(Problem("bib_field", f"entry {parsed_key!r}: {_describe(err)}; the entry is kept",
                                    path, _err_line(err, line, chunk), parsed_key))
        records.append(record)
    return records, problems


def _make_record(entry_type: str, key: str, fields: list, path: str, line: int, index: int) -> Record:
    values: dict[str, str] = {}
    persons: dict[str, list[Person]] = {}
    problems: list[str] = []
    for name, value_list in fields:
        name = name.lower()
        if name in values or name in persons:
            problems.append(f"field {name!r} appears twice; the first value is kept, delete the other")
            continue
        value = " ".join("".join(value_list).split())
        if name in ("author", "editor"):
            people = []
            for part in split_name_list(value):
                try:
                    people.append(Person(part))
                except PybtexError as err:
                    problems.append(f"name {part!r} in {name} cannot be read ({err}); it is shown as written")
                    people.append(Person(last=part))
            persons[name] = people
        else:
            values[name] = value
    return Record(key, entry_type.lower(), values, persons, path, line, index, problems)


def _err_line(err: PybtexError, base: int, chunk: str = "") -> int:
    """The file line of an error inside a chunk; an error at end of file is put on the chunk's last line."""
    lineno = getattr(err, "lineno", None)
    if not isinstance(lineno, int):
        return base
    last = base + chunk.rstrip().count("\n") if chunk else base + lineno - 1
    return min(base + lineno - 1, last)


def _describe(err: PybtexError) -> str:
    """The error without pybtex's chunk-relative line number (the location has the real one)."""
    if isinstance(err, UndefinedMacro):
        return f"@string {err.args[0].split(': ')[-1]!r} is not defined; define it with @string or quote the value"
    if isinstance(err, PybtexSyntaxError):
        return f"{err.error_type}: {PybtexError.__str__(err)}".rstrip(".")
    return str(err).rstrip(".")
