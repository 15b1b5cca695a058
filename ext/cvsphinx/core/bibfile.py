"""Reading .bib files as BibTeX and biber read them, so that one bad entry never takes another down.

The scanner follows BibTeX's grammar: text outside entries is a comment, an
``@`` starts an entry, braces balance inside values whatever the line layout
(``@`` at the start of a line inside a field is text), entries are delimited
by braces or parentheses, ``@comment`` blocks are skipped, ``@string`` macros
are shared across files in order, ``@preamble`` text is kept.  When an entry
cannot be parsed, it alone is skipped, with the line at fault, and reading
starts again at the next line that opens an entry: a missing ``}`` cannot
swallow the entries after it.

bibtexparser 2.1.0, which also recovers block by block, was run through the
same differential test against biber (tests/test_reader_biber.py): it reads
all 92 entries of biblatex-examples.bib, but sets apart as failed blocks the 2
entries of tugboat.bib and the 1 of typeset.bib with a repeated field (biber
keeps them, and so do we, with a warning), and on the generated layouts it
loses 3 to 5 well-formed entries of every 40 (an ``@`` opening a line inside a
braced value ends its block there).  This scanner matches biber on all of them.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from sys import intern

from .braces import group_end
from .encodings import CONTROL, INVISIBLE, decode_text, space_name, strip_invisible
from .exporters import private

# BibTeX's identifier characters: anything printable but these.
_IDENT = r"[^\s\"#%'(),={}@]+"
_AT_HEAD = re.compile(r"@[ \t\r\n]*([A-Za-z][\w-]*)[ \t\r\n]*([{(])")
_BAD_HEAD = re.compile(r"@[ \t]*([^\s{}(),@\"#%'=]+)[ \t]*[{(][ \t]*([^\s,{}()\"#%'=]+)[ \t]*,")
_KEY = re.compile(r"\s*([^\s,{}()\"#%'=]*)\s*")
_NAME = re.compile(r"\s*(" + _IDENT + r")\s*")
_SPACED_NAME = re.compile(r"(" + _IDENT + r")[ \t\u00a0]*(?==)")  # the rest of a field name with a space in it
_WS = re.compile(r"(?:\s+|%[^\n]*)*")  # white space, and %-comment lines between fields (as biber reads them)
_NUMBER = re.compile(r"\d+")
_QUOTE_OR_BRACE = re.compile(r'[{}"]')
_LINE_ENTRY = re.compile(r"^[ \t]*@[ \t]*[A-Za-z][\w-]*[ \t]*[{(]", re.MULTILINE)
_SIMPLE_FIELD = re.compile(
    r"\s*,\s*(" + _IDENT + r")\s*=\s*(?:\{([^{}]*)\}|\"([^\"{}]*)\"|(\d+))\s*")
_EARLY_CLOSE = re.compile(r"\s*,\s*" + _IDENT + r"\s*=")

MONTHS = {
    "jan": "January", "feb": "February", "mar": "March", "apr": "April", "may": "May", "jun": "June",
    "jul": "July", "aug": "August", "sep": "September", "oct": "October", "nov": "November", "dec": "December",
}


@dataclass
class Problem:
    """Something wrong in a .bib file, already phrased for the user."""

    subtype: str
    message: str
    path: str
    line: int
    key: str | None = None


@dataclass
class Entry:
    """One entry as written: field values as LaTeX (macros expanded, white space folded), where it came from.

    ``records.py`` turns entries into records (the data model); nothing here interprets a field.
    """

    key: str
    type: str
    fields: dict[str, str]
    path: str
    line: int
    index: int = 0  # position across all files, for stable "refs.bib order" ties
    problems: list[str] = field(default_factory=list)
    bad_chars: list[tuple[str, str]] = field(default_factory=list)  # (field, character) removed while reading
    invisible: list[tuple[str, str, int]] = field(default_factory=list)  # (field, character, position) removed
    read_errors: bool = False  # a problem was reported while reading: no second warning for the field it emptied
    chunk: bytes = b""  # a read without a problem: the digest of its text (to the next entry) and the macros

    def get(self, name: str, default: str = "") -> str:
        return self.fields.get(name.lower(), default)


@dataclass
class BibText:
    """What one file adds besides entries: its @preamble text."""

    preamble: list[str] = field(default_factory=list)


class _EntryError(Exception):
    """An entry that cannot be parsed: why, and at which offset."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


class _Scanner:
    """One file's text, with offsets turned into line numbers."""

    def __init__(self, text: str, path: str, macros: dict[str, str]) -> None:
        self.text = text
        self.path = path
        self.macros = macros
        self.used_undefined: list[tuple[str, int]] = []
        # each value once, however many entries hold it (a journal, a year, a volume): 40,000 articles of an
        # institute's list name 27 journals
        self.values: dict[str, str] = {}
        self._at, self._line = 0, 1  # the last offset asked for, and its line
        # most files hold neither: each field is then not searched for them (84,000 fields in TUGboat's file)
        # (nor do the @string macros of the files read before, which its fields may use)
        carried = "".join(macros.values())
        self.controls = CONTROL.search(text) is not None or CONTROL.search(carried) is not None
        self.invisible = INVISIBLE.search(text) is not None or INVISIBLE.search(carried) is not None

    def line(self, offset: int) -> int:
        """Counted from the last offset asked for (the reader goes forward): no index of every line is built
        (0.03 s for TUGboat's 110,000 lines)."""
        if offset >= self._at:
            self._line += self.text.count("\n", self._at, offset)
            self._at = offset
            return self._line
        return self._line - self.text.count("\n", offset, self._at)

    def skip_ws(self, pos: int) -> int:
        return _WS.match(self.text, pos).end()

    def braced(self, pos: int) -> int:
        """``pos`` is at ``{``; the offset after its matching ``}``."""
        end = group_end(self.text, pos)
        if end is None:
            raise _EntryError("a '{' is never closed", pos)
        return end

    def quoted(self, pos: int) -> int:
        """``pos`` is at ``"``; the offset after the closing quote (outside braces)."""
        depth = 0
        for match in _QUOTE_OR_BRACE.finditer(self.text, pos + 1):
            char = match.group()
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if depth < 0:
                    raise _EntryError("a '}' inside a quoted value has no '{'", match.start())
            elif depth == 0:
                return match.end()
        raise _EntryError('a \'"\' is never closed', pos)

    def value(self, pos: int) -> tuple[str, int]:
        """A field value: pieces joined by ``#``; returns the text and the offset after it."""
        parts: list[str] = []
        while True:
            pos = self.skip_ws(pos)
            char = self.text[pos:pos + 1]
            if char == "{":
                end = self.braced(pos)
                parts.append(self.text[pos + 1:end - 1])
            elif char == '"':
                end = self.quoted(pos)
                parts.append(self.text[pos + 1:end - 1])
            elif (number := _NUMBER.match(self.text, pos)) is not None:
                end = number.end()
                parts.append(number.group())
            elif (name := _NAME.match(self.text, pos)) is not None and name.group(1):
                end = name.end()
                macro = name.group(1).lower()
                if macro in self.macros:
                    parts.append(self.macros[macro])
                elif macro in MONTHS:
                    parts.append(MONTHS[macro])
                else:
                    self.used_undefined.append((name.group(1), pos))
            else:
                found = repr(char) if char else "the end of the file"
                raise _EntryError(f"a value was expected, found {found}", pos)
            pos = self.skip_ws(end)
            if self.text.startswith("#", pos):
                pos += 1
                continue
            return "".join(parts), pos


def _collapse(value: str) -> str:
    return " ".join(value.split())


def decode(raw: bytes, path: str) -> tuple[str, Problem | None]:
    """The text of a .bib file whatever its encoding (``encodings.py``), and one problem that names the
    encoding if it is not UTF-8."""
    text, said = decode_text(raw, path)
    return text, (Problem("bib_unreadable", said[0], path, said[1]) if said is not None else None)


def read_bib(
    path: str | Path, start_index: int = 0, macros: dict[str, str] | None = None, extra: BibText | None = None,
    known: Mapping[bytes, tuple] | None = None, found: dict[bytes, tuple] | None = None,
) -> tuple[list[Entry], list[Problem]]:
    """Every readable entry of one file, and a problem for each one that is not.

    ``macros`` holds the @string definitions of the files read before this one
    and receives this file's; ``extra`` receives its @preamble text.  ``known``: entries read without a problem
    by an earlier reading, by their ``chunk``; those this reading finds (or reads anew) go into ``found``.
    """
    path = str(path)
    macros = {} if macros is None else macros
    extra = BibText() if extra is None else extra
    records: list[Entry] = []
    problems: list[Problem] = []
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as err:
        return [], [Problem("bib_unreadable", f"cannot be read: {err.strerror}; check cv_bibfiles in conf.py", path, 1)]
    text, problem = decode(raw, path)
    if problem is not None:
        problems.append(problem)
    if not text.strip():
        problems.append(Problem("bib_syntax", "is empty, so the CV has no publications; put your entries in it, "
                                "or take it out of cv_bibfiles in conf.py", path, 1))
    scanner = _Scanner(text, path, macros)
    known = known or {}
    strings = b""  # the digest of the @string macros so far (_strings_digest), taken when an entry needs it
    pos = 0
    seen_any = False
    spans: list[tuple[int, int]] = []  # where each @-item lay: text outside them all is what BibTeX skips
    at = -1
    while True:
        if at >= 0:
            spans.append((at, pos))
        at = text.find("@", pos)
        if at < 0:
            break
        line_start = text.rfind("\n", 0, at) + 1
        if text[line_start:at].lstrip().startswith("%"):  # a commented-out entry: biber skips it, and so do we
            end = text.find("\n", at)
            pos = len(text) if end < 0 else end
            continue
        head = _AT_HEAD.match(text, at)
        if head is None:
            bad = _BAD_HEAD.match(text, at)
            if bad:  # looks like an entry, but its type is not a name: BibTeX and biber skip it, and so do we, aloud
                problems.append(Problem(
                    "bib_syntax", f"entry {bad.group(2)!r}: its type {bad.group(1)!r} is not a BibTeX type name (a "
                    "letter first, then letters, digits, '-' or '_'), so the entry is skipped; write e.g. "
                    f"@article{{{bad.group(2)}, ...", path, scanner.line(at), bad.group(2)))
            pos = at + 1  # an '@' in the text between entries (an e-mail address): a comment, as for BibTeX
            continue
        seen_any = True
        kind = head.group(1).lower()
        close = "}" if head.group(2) == "{" else ")"
        body = head.end()
        try:
            if kind == "comment":
                pos = scanner.braced(head.end() - 1) if close == "}" else _paren_end(text, body)
                continue
            if kind == "preamble":
                value, end = scanner.value(body)
                extra.preamble.append(value)
                pos = _expect_close(scanner, end, close, "@preamble")
                continue
            if kind == "string":
                # the macros' digest is taken again at the next entry (even if this @string breaks halfway): a file
                # of 1,000 @strings sorts them once, not 1,000 times
                strings = b""
                pos = _read_strings(scanner, body, close)
                continue
            strings = strings or _strings_digest(macros)
            # up to the next entry that starts a line: a one-entry edit of 5,000 entries reads one (0.2 s less)
            following = _LINE_ENTRY.search(text, body)
            end = following.start() if following is not None else len(text)
            chunk = hashlib.blake2b(text[at:end].encode("utf-8", "surrogatepass"), digest_size=16, key=strings).digest()
            again = known.get(chunk)
            if again is not None:
                key, fields, length = again
                record = Entry(key, kind, fields, path, scanner.line(at), start_index + len(records), chunk=chunk)
                pos = at + length
                if found is not None:
                    found[chunk] = again
                records.append(record)
                _check_early_close(scanner, record, pos, problems)
                continue
            undefined_before = len(scanner.used_undefined)
            record, pos = _read_entry(scanner, kind, body, close, at, start_index + len(records))
        except _EntryError as skip:
            pos = _resync(text, at, skip.offset)
            problems.append(_skipped(scanner, kind, text, at, body, pos, skip))
            continue
        records.append(record)
        clean = pos <= end and len(scanner.used_undefined) == undefined_before and not (
            record.problems or record.bad_chars or record.invisible)
        for name, offset in scanner.used_undefined[undefined_before:]:
            problems.append(_undefined(scanner, name, offset, record))
        del scanner.used_undefined[undefined_before:]
        if clean:  # read from its own text and the macros alone: the same text reads the same next time
            record.chunk = chunk
            if found is not None:
                found[chunk] = (record.key, record.fields, pos - at)  # one dict, never changed once read
        _check_early_close(scanner, record, pos, problems)
    for name, offset in scanner.used_undefined:  # in @string and @preamble values
        problems.append(_undefined(scanner, name, offset, None))
    if not seen_any and text.strip():
        problems.append(Problem("bib_syntax", "holds no BibTeX entries (no '@type{' anywhere); is it a .bib file?", path, 1))
    problems.extend(_skipped_text(scanner, spans))
    return records, problems


_CONFLICT = re.compile(r"^(?:<{7}|={7}|>{7})(?:[ \t].*)?$", re.MULTILINE)
_HEADLESS = re.compile(r"^[ \t]*([A-Za-z][\w-]*)[ \t]*\{[ \t]*([^\s,{}()\"#%'=@]+)[ \t]*,", re.MULTILINE)
# BibTeX's own entry types (an exported entry of one keeps BibTeX's field names); a lost '@' is matched against
# them and biblatex's
BIBTEX_TYPES = ("article", "book", "booklet", "inbook", "incollection", "inproceedings", "conference", "manual",
                "mastersthesis", "misc", "phdthesis", "proceedings", "techreport", "unpublished")
_TYPES = (*BIBTEX_TYPES, "online", "report", "thesis", "software", "dataset", "collection", "patent", "periodical",
          "string", "preamble", "comment")


def _skipped_text(scanner: _Scanner, spans: list[tuple[int, int]]) -> list[Problem]:
    """What BibTeX skips without a word, said: a git merge conflict left in the file (its entries twice, one
    version from each side), and an entry that lost its ``@`` (``isc{2005Mdua,``), which is no entry at all."""
    text, path = scanner.text, scanner.path
    problems = []
    markers = ([scanner.line(m.start()) for m in _CONFLICT.finditer(text)]
               if "<<<<<<<" in text or ">>>>>>>" in text or "=======" in text else [])
    if markers:
        lines = ", ".join(map(str, markers[:6])) + (", …" if len(markers) > 6 else "")
        problems.append(Problem("bib_syntax", f"holds what git leaves of a merge conflict (the marker lines "
                                f"<<<<<<<, ======= and >>>>>>>, lines {lines}): the entries between them are there "
                                "twice, one version from each side; keep one side, and delete the other and the "
                                "marker lines", path, markers[0]))
    gaps = [(end, start) for (_, end), (start, _) in zip([(0, 0), *spans], [*spans, (len(text), len(text))], strict=True)]
    found_all = (found for begin, end in gaps if end > begin for found in _HEADLESS.finditer(text, begin, end))
    for found in found_all:  # only in the text between entries: a line inside one is a field
        word, key = found.group(1), found.group(2)
        close = difflib.get_close_matches(word.lower(), _TYPES, n=1, cutoff=0.6)
        kind = close[0] if close else word
        problems.append(Problem("bib_syntax", f"{found.group(0).strip()!r} looks like an entry without its '@', "
                                f"so it is not read and not shown (BibTeX and biber skip it too); write "
                                f"@{kind}{{{key}, ...", path, scanner.line(found.start()), key))
    return problems


def _paren_end(text: str, pos: int) -> int:
    depth = 1
    for match in re.finditer(r"[()]", text[pos:]):
        depth += 1 if match.group() == "(" else -1
        if depth == 0:
            return pos + match.end()
    raise _EntryError("a '(' is never closed", pos)


def _expect_close(scanner: _Scanner, pos: int, close: str, what: str) -> int:
    pos = scanner.skip_ws(pos)
    if not scanner.text.startswith(close, pos):
        raise _EntryError(f"{what} should end with {close!r} here", pos)
    return pos + 1


def _read_strings(scanner: _Scanner, pos: int, close: str) -> int:
    text = scanner.text
    while True:
        name = _NAME.match(text, pos)
        if name is None or not name.group(1):
            raise _EntryError("an @string needs a name, e.g. @string{jgr = {J. Geophys. Res.}}", pos)
        pos = scanner.skip_ws(name.end())
        if not text.startswith("=", pos):
            raise _EntryError(f"'=' expected after @string name {name.group(1)!r}", pos)
        value, pos = scanner.value(pos + 1)
        scanner.macros[name.group(1).lower()] = value
        pos = scanner.skip_ws(pos)
        if text.startswith(",", pos):
            pos = scanner.skip_ws(pos + 1)
            if text.startswith(close, pos):
                return pos + 1
            continue
        return _expect_close(scanner, pos, close, "@string")


def _strings_digest(macros: Mapping[str, str]) -> bytes:
    """The @string definitions so far, as the key of each entry's digest: a changed macro reads every entry again."""
    return hashlib.blake2b(repr(sorted(macros.items())).encode("utf-8", "surrogatepass"), digest_size=32).digest()


def _read_entry(scanner: _Scanner, kind: str, pos: int, close: str, at: int, index: int) -> tuple[Entry, int]:
    text = scanner.text
    key_match = _KEY.match(text, pos)
    key = key_match.group(1)
    after = key_match.end()
    if not key or not (text.startswith(",", after) or text.startswith(close, after)):
        raise _EntryError("it has no key: write @type{key, ...}", after)
    pos = after
    fields: dict[str, str] = {}
    problems: list[str] = []
    bad_chars: list[tuple[str, str]] = []
    field_at: dict[str, int] = {}
    while True:
        pos = scanner.skip_ws(pos)
        if text.startswith(close, pos):
            pos += 1
            break
        if not text.startswith(",", pos):
            raise _EntryError(f"',' or {close!r} expected after the value of field {list(fields)[-1]!r}"
                        if fields else f"',' expected after the key {key!r}", pos)
        simple = _SIMPLE_FIELD.match(text, pos)
        if simple is not None and not text.startswith("#", simple.end()):
            # the common case, one regex: name = {text without braces} / "text" / 123
            field_name = intern(simple.group(1).lower())  # 288,000 names of 51,265 entries are a few dozen
            value = simple.group(2)
            if value is None:
                value = simple.group(3) if simple.group(3) is not None else simple.group(4)
            pos = simple.end()
            _add_field(scanner, fields, field_at, problems, bad_chars, field_name, value, simple.start(1))
            continue
        pos = scanner.skip_ws(pos + 1)
        if text.startswith(close, pos):  # a trailing comma
            pos += 1
            break
        name = _NAME.match(text, pos)
        if name is None or not name.group(1):
            raise _EntryError(f"a field name was expected, found {text[pos:pos + 1]!r}" if pos < len(text)
                        else "the entry is not closed", pos)
        field_name = intern(name.group(1).lower())
        pos = name.end()
        if not text.startswith("=", pos) and (spaced := _SPACED_NAME.match(text, pos)) is not None:
            # Scopus writes "funding_text 1" with a non-breaking space: one field name, not a broken entry
            written = text[name.start(1):spaced.end(1)]
            field_name = (name.group(1) + spaced.group(1)).lower()
            if not private(field_name):
                problems.append(f"field name {written!r} holds {space_name(written)}; it is read as "
                                f"{field_name!r}: remove the space (or the field)")
            pos = spaced.end()
        if not text.startswith("=", pos):
            raise _EntryError(f"'=' expected after field name {name.group(1)!r}", pos)
        value_start = pos + 1
        try:
            value, pos = scanner.value(value_start)
        except _EntryError as skip:
            raise _EntryError(f"in the value of field {field_name!r}, {skip}", skip.offset) from None
        runaway = _LINE_ENTRY.search(text, value_start, pos)
        if runaway is not None and not _continues(text, pos, close):
            raise _EntryError(f"the value of field {field_name!r} (line {scanner.line(value_start)}) runs into the entry "
                              f"on line {scanner.line(runaway.start())}: a closing brace is missing", value_start)
        _add_field(scanner, fields, field_at, problems, bad_chars, field_name, value, name.start())
    entry = Entry(key, kind, fields, scanner.path, scanner.line(at), index, problems, bad_chars)
    for name, value in fields.items() if scanner.invisible else ():
        if INVISIBLE.search(value):
            fields[name], removed = strip_invisible(value)
            entry.invisible.extend((name, char, pos) for char, pos in removed)
    return entry, pos


def _add_field(scanner: _Scanner, fields: dict[str, str], field_at: dict[str, int], problems: list[str],
               bad_chars: list[tuple[str, str]], field_name: str, value: str, offset: int) -> None:
    if scanner.controls and CONTROL.search(value):
        for char in sorted(set(CONTROL.findall(value))):
            bad_chars.append((field_name, char))
        value = CONTROL.sub(" ", value)
    if field_name in fields:
        if private(field_name):  # Scopus repeats funding_details: bookkeeping, never shown
            return
        problems.append(f"field {field_name!r} appears twice (lines {scanner.line(field_at[field_name])} and "
                        f"{scanner.line(offset)}); the first value is kept, delete the other")
        return
    if "\ufffd" in value:  # Scopus's "\ufffdAttitude\ufffd- …" (Sumidu/calerovaldez.com): lost before the file was made
        problems.append(f"field {field_name!r} holds the character U+FFFD (\ufffd), which a program writes where it "
                        "could not read a character (the text went through a wrong encoding once); it is shown as "
                        "it is: retype the characters it stands for")
    value = " ".join(value.split())
    fields[field_name] = scanner.values.setdefault(value, value)
    field_at[field_name] = offset  # its line is counted only if it comes again


def _continues(text: str, pos: int, close: str) -> bool:
    """After a value that crossed a line opening an entry: does the entry go on as an entry would?"""
    rest = text[pos:pos + 200].lstrip()
    return rest.startswith(",") or rest.startswith(close)


def _resync(text: str, at: int, error: int) -> int:
    """Where reading goes on after a broken entry: the next entry after the error (as BibTeX skips
    to the next ``@``), or the first line after the entry's start that opens one, if that is sooner
    (a value that ran on past a missing brace has swallowed the entries after it)."""
    line_start = _LINE_ENTRY.search(text, at + 1)
    after_error = _AT_HEAD.search(text, max(error, at + 1))
    candidates = [m.start() for m in (line_start, after_error) if m]
    return min(candidates) if candidates else len(text)


def _skipped(scanner: _Scanner, kind: str, text: str, at: int, body: int, resume: int, skip: _EntryError) -> Problem:
    what = f"@{kind}"
    key = None
    if kind not in ("string", "preamble", "comment"):
        key_match = _KEY.match(text, body)
        candidate = key_match.group(1) if key_match else ""
        if candidate and text.startswith(",", key_match.end()):
            key = candidate
            what = f"entry {key!r}"
        else:
            snippet = _collapse(text[at:min(resume, at + 200)])[:40]
            what = f"an entry without a key ({snippet!r})"
    offset = min(skip.offset, max(resume - 1, at))
    line = scanner.line(offset)
    if kind in ("string", "preamble"):
        message = f"{what} here is broken and skipped: {skip}"
    else:
        message = f"{what} is skipped: {skip}; fix the braces, quotes or commas of this entry"
    if line != scanner.line(at):
        message += f" (it starts on line {scanner.line(at)})"
    return Problem("bib_syntax", message, scanner.path, line, key)


def _check_early_close(scanner: _Scanner, record: Entry, pos: int, problems: list[Problem]) -> None:
    """``title = {x}}, year = ...``: the entry closed early and BibTeX ignores the fields after it."""
    match = _EARLY_CLOSE.match(scanner.text, pos)
    if match is not None:
        problems.append(Problem(
            "bib_syntax",
            f"entry {record.key!r} ends early, on line {scanner.line(pos - 1)}: the fields after that '}}' are ignored; "
            "delete the extra '}'", scanner.path, scanner.line(pos), record.key))


def _undefined(scanner: _Scanner, name: str, offset: int, owner: Entry | None) -> Problem:
    message = (f"@string {name!r} is not defined; define it with @string{{{name} = {{...}}}} or put the value "
               "in braces")
    if owner is None:
        return Problem("bib_field", message, scanner.path, scanner.line(offset))
    owner.read_errors = True
    return Problem("bib_field", f"entry {owner.key!r}: {message}; the entry is kept without it",
                   scanner.path, scanner.line(offset), owner.key)
