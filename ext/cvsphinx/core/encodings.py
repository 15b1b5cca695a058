"""A .bib file's bytes as text, whatever encoding its program wrote: byte-order marks, UTF-8, UTF-16 without a
mark, Windows-1252, Mac OS Roman and Latin-1 told apart, every line end made LF (``bibfile.read_bib`` reads it);
and the characters a reader removes or names: controls, invisible ones, spaces in a field name."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

_BOMS = (  # longest first: the UTF-32 LE mark begins with the UTF-16 LE one
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32LE"), (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32BE"),
    (b"\xef\xbb\xbf", "utf-8", "UTF-8"), (b"\xff\xfe", "utf-16-le", "UTF-16LE"), (b"\xfe\xff", "utf-16-be", "UTF-16BE"),
)
# bytes 0x80-0x9F: C1 controls in Latin-1 (never text), curly quotes, dashes and the euro sign in Windows-1252,
# which leaves these five undefined
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
_C1 = re.compile(rb"[\x80-\x9f]")


def _newlines(text: str) -> str:
    """CR LF (Windows) and a lone CR (old Mac OS) become LF, so line numbers count every line end."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _convert_hint(name: str, path: str) -> str:
    base = Path(path).name
    return f"save it as UTF-8 (e.g. iconv -f {name} -t UTF-8 {base} > utf8.bib && mv utf8.bib {base})"


def decode_text(raw: bytes, path: str) -> tuple[str, tuple[str, int] | None]:
    """The text of a .bib file whatever its encoding, and what to say (a message and a line) if not UTF-8.

    A byte-order mark decides; else UTF-8; else UTF-16 without a mark (every other byte NUL); else
    Windows-1252 if bytes 0x80-0x9F are all characters of it, Mac OS Roman if the file has old-Mac
    line ends, and Latin-1 (which reads any byte) otherwise.  Nothing is lost: a byte that still does
    not decode becomes U+FFFD, and the message says where.
    """
    for bom, codec, name in _BOMS:
        if raw.startswith(bom):
            text = raw[len(bom):].decode(codec, errors="replace")
            if "\ufffd" in text:
                at = text.index("\ufffd")
                return _newlines(text), (
                    f"starts with a {name} byte-order mark but is not valid {name} (at character "
                    f"{at}); damaged text shows as \ufffd; {_convert_hint(name, path)}",
                    _newlines(text[:at]).count("\n") + 1)
            return _newlines(text), None
    try:
        return _newlines(raw.decode("utf-8")), None
    except UnicodeDecodeError as err:
        bad = err.start
    line = _newlines(raw[:bad].decode("latin-1")).count("\n") + 1
    even, odd = raw[0::2], raw[1::2]
    if len(raw) >= 4 and (odd.count(0) > len(odd) * 0.3 or even.count(0) > len(even) * 0.3):
        codec, name = ("utf-16-le", "UTF-16LE") if odd.count(0) >= even.count(0) else ("utf-16-be", "UTF-16BE")
        text = raw.decode(codec, errors="replace")
        return _newlines(text), (
            f"is {name} text without a byte-order mark (every other byte is 0); it was read as "
            f"{name}; {_convert_hint(name, path)}", 1)
    high = set(_C1.findall(raw))
    if b"\r" in raw and b"\n" not in raw:
        codec, name, why = "mac_roman", "MACINTOSH", "Mac OS Roman (its lines end as on old Macs)"
    elif high and not any(b[0] in _CP1252_UNDEFINED for b in high):
        codec, name, why = "cp1252", "WINDOWS-1252", "Windows-1252 (bytes 0x80-0x9F are its quotes and dashes)"
    else:
        codec, name, why = "latin-1", "LATIN1", "Latin-1"
    return _newlines(raw.decode(codec)), (
        f"is not UTF-8 (byte {bad}, {raw[bad]:#04x}, on line {line} is not valid UTF-8); it was read as "
        f"{why}: check its accented letters and quotes, and {_convert_hint(name, path)}", line)


# C0/C1 controls and DEL, except the whitespace BibTeX folds into spaces
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# Invisible characters that text copied from web pages and PDFs carries: zero-width space, word joiner,
# byte-order mark, soft hyphen, invisible operators, bidirectional marks and embeddings.  They make two
# spellings of one name differ, so they are removed; the joiners (U+200C, U+200D) only where they join
# nothing (Latin, Greek, Cyrillic, CJK), for Persian, Indic scripts and emoji need them.
INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def _joins(char: str) -> bool:
    """A neighbour for which ZWJ/ZWNJ mean something: Hebrew to Myanmar and the Indic scripts, emoji."""
    code = ord(char)
    return 0x0590 <= code <= 0x1fff or 0xa800 <= code <= 0xabff or code >= 0x1f000 or 0x2600 <= code <= 0x27bf


def strip_invisible(value: str) -> tuple[str, list[tuple[str, int]]]:
    """The value without invisible characters, and each one removed with its position (from 1)."""
    removed: list[tuple[str, int]] = []
    kept: list[str] = []
    for pos, char in enumerate(value):
        if INVISIBLE.fullmatch(char) and not (
                char in "\u200c\u200d" and any(_joins(c) for c in value[max(pos - 1, 0):pos] + value[pos + 1:pos + 2])):
            removed.append((char, pos + 1))
        else:
            kept.append(char)
    return "".join(kept), removed


def space_name(written: str) -> str:
    spaces = sorted({c for c in written if c.isspace()})
    return " and ".join("a space" if c == " " else f"an invisible {unicodedata.name(c, 'space').lower()} "
                        f"(U+{ord(c):04X})" for c in spaces)


def describe_char(char: str) -> str:
    """``U+001B (ESCAPE)``: how a character is named in warnings."""
    name = unicodedata.name(char, "")
    if not name:
        name = {"\x1b": "ESCAPE", "\x07": "BELL", "\x00": "NULL", "\x7f": "DELETE", "\x08": "BACKSPACE",
                "\x0c": "FORM FEED"}.get(char, "control character")
    return f"U+{ord(char):04X} ({name})"
