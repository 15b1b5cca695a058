"""Every encoding and every line end: a .bib file is read whole, and the message names what it found.

The property test writes random entries (accents, curly quotes, Greek, CJK, Arabic) in each encoding
a .bib file comes in, with random line ends and stray bytes, and compares with biber told the
encoding (``--input-encoding``): every entry biber reads is read by us or named in a warning, and
every title that the encoding can hold comes back letter for letter.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from cvsphinx.core.bibfile import decode, read_bib, strip_invisible
from cvsphinx.core.records import build_records
from helpers.builds import biber_keys, build
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ENTRY = "@article{{{key},{nl}  author = {{{author}}},{nl}  title = {{{title}}},{nl}  journal = {{J}},{nl}  year = 2020,{nl}}}{nl}"
TITLE = "Glacier “flow” – rates… at Ærø, naïve façade"  # curly quotes and dashes: Windows-1252's 0x80-0x9F


def bib(titles: list[str], nl: str = "\n") -> str:
    return "".join(ENTRY.format(key=f"k{i}", author="Liu, Lin", title=t, nl=nl) for i, t in enumerate(titles)) + nl


def titles_of(path: Path) -> list[str]:
    entries, _ = read_bib(path)
    return [e.fields["title"] for e in entries]


@pytest.mark.parametrize(("codec", "bom", "named"), [
    ("utf-8", b"", None),
    ("utf-8", b"\xef\xbb\xbf", None),
    ("utf-16-le", b"\xff\xfe", None),
    ("utf-16-be", b"\xfe\xff", None),
    ("utf-32-le", b"\xff\xfe\x00\x00", None),
    ("utf-16-le", b"", "UTF-16LE"),
    ("utf-16-be", b"", "UTF-16BE"),
    ("cp1252", b"", "Windows-1252"),
])
def test_each_encoding_is_read_whole(tmp_path: Path, codec: str, bom: bytes, named: str | None) -> None:
    path = tmp_path / "refs.bib"
    path.write_bytes(bom + bib([TITLE, "Second"]).encode(codec))
    entries, problems = read_bib(path)
    assert [e.fields["title"] for e in entries] == [TITLE, "Second"]
    if named is None:
        assert problems == []
    else:
        (problem,) = problems
        assert problem.subtype == "bib_unreadable" and named in problem.message and "iconv -f" in problem.message


def test_latin1_is_told_from_windows_1252(tmp_path: Path) -> None:
    """Latin-1 has no characters at 0x80-0x9F; a file without them, or with bytes Windows-1252 lacks, is Latin-1."""
    path = tmp_path / "refs.bib"
    path.write_bytes(bib(["Ærø naïve façade"]).encode("latin-1"))
    (problem,) = read_bib(path)[1]
    assert "read as Latin-1" in problem.message and "iconv -f LATIN1" in problem.message
    assert titles_of(path) == ["Ærø naïve façade"]
    path.write_bytes(bib(["Ærø"]).encode("latin-1") + b"% \x81\x8d\n")  # undefined in Windows-1252
    assert "read as Latin-1" in read_bib(path)[1][0].message


def test_old_mac_file_is_mac_roman_with_right_lines(tmp_path: Path) -> None:
    path = tmp_path / "refs.bib"
    path.write_bytes(bib(["Ærø “quoted”", "x"], nl="\r").encode("mac_roman"))
    entries, problems = read_bib(path)
    assert [e.fields["title"] for e in entries] == ["Ærø “quoted”", "x"]
    assert "Mac OS Roman" in problems[0].message
    assert [e.line for e in entries] == [1, 7]


@pytest.mark.parametrize("nl", ["\n", "\r\n", "\r"])
def test_line_numbers_count_every_line_end(tmp_path: Path, nl: str) -> None:
    text = bib(["one", "two"], nl=nl) + "@article{broken," + nl + "  title = {no close" + nl
    path = tmp_path / "refs.bib"
    path.write_bytes(text.encode("utf-8"))
    entries, problems = read_bib(path)
    assert [e.line for e in entries] == [1, 7]
    assert [p.line for p in problems if p.subtype == "bib_syntax"] == [15]  # the unclosed brace's line


def test_damaged_utf16_says_so(tmp_path: Path) -> None:
    path = tmp_path / "refs.bib"
    path.write_bytes(b"\xff\xfe" + bib(["ok"]).encode("utf-16-le") + b"\x00\xd8")  # a lone surrogate at the end
    entries, problems = read_bib(path)
    assert [e.key for e in entries] == ["k0"]
    assert "UTF-16LE byte-order mark but is not valid UTF-16LE" in problems[0].message


def test_invisible_characters_are_removed_where_they_join_nothing() -> None:
    assert strip_invisible("Li\u200bu, L\u2060in") == ("Liu, Lin", [("\u200b", 3), ("\u2060", 8)])
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # ZWNJ inside a Persian word is spelling
    assert strip_invisible(persian) == (persian, [])
    family = "\U0001f469\u200d\U0001f52c"  # an emoji sequence keeps its joiner
    assert strip_invisible(family) == (family, [])
    assert strip_invisible("Zha\u200dng")[0] == "Zhang"


def test_invisible_characters_in_names_do_not_cost_bold_or_markers(tmp_path: Path) -> None:
    """A zero-width space in the owner's name and joiners in supervisees' names, as copied from a publisher's page."""
    src = tmp_path / "cv"
    shutil.copytree(Path(__file__).parents[1] / "roots" / "test-cv-basic", src)
    refs = src / "refs.bib"
    text = refs.read_text(encoding="utf-8")
    text = text.replace("Zhang, B. and Liu, L. and Zhang, E.", "Zha\u200bng, B. and Li\u2060u, L. and Zhang, E\ufeff.")
    refs.write_text(text, encoding="utf-8")
    result = build(src)
    assert result.returncode != 0
    (line,) = [w for w in result.stderr.splitlines() if "invisible character" in w]
    assert "refs.bib:" in line and "'zhang2018geodetic'" in line and "U+200B ZERO WIDTH SPACE" in line
    page = (src / "_build" / "html" / "journal.html").read_text(encoding="utf-8")
    item = next(li for li in re.findall(r"<li[^>]*>(.*?)</li>", page, re.S) if "Geodetic" in li)
    assert "<strong>L. Liu</strong>" in item
    assert re.search(r"Zhang, B\.<sup[^>]*><span[^>]*>×", item) and re.search(r"E\. Zhang<sup[^>]*><span[^>]*>\*", item), item


def test_utf16_cv_builds_with_every_entry(tmp_path: Path) -> None:
    """Zotero and some Windows editors save UTF-16: the page and the exports hold every entry."""
    src = tmp_path / "cv"
    shutil.copytree(Path(__file__).parents[1] / "roots" / "test-cv-basic", src)
    refs = src / "refs.bib"
    text = refs.read_text(encoding="utf-8")
    count = len(re.findall(r"^@\w+\{", text, re.M))
    refs.write_bytes(b"\xff\xfe" + text.replace("\n", "\r\n").encode("utf-16-le"))
    result = build(src)
    assert result.returncode == 0, result.stderr
    exported = json.loads((src / "_build" / "html" / "publications.json").read_text(encoding="utf-8"))
    assert len(exported) == count


# -- Property: random bytes in every encoding, against biber ------------------

ENCODINGS = {  # our codec -> biber's name for it, and the byte-order mark the file starts with
    "utf-8": ("UTF-8", b""), "utf-8-sig": ("UTF-8", b""), "utf-16": ("UTF-16", b""),
    "cp1252": ("cp1252", b""), "latin-1": ("latin1", b""),
}
LETTERS = st.sampled_from([*list("abcxyz ÆæØøéèüñç“”‘’–—…€ΑβγЖжσ日本語中文العربيةעברית"), "\u200b", "\\'e", "{\\o}", "$x^2$"])


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("biber") is None, reason="biber is not installed (bash cv.sh setup)")
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(codec=st.sampled_from(sorted(ENCODINGS)), nl=st.sampled_from(["\n", "\r\n"]),
       titles=st.lists(st.lists(LETTERS, min_size=1, max_size=12).map("".join).map(str.strip).filter(bool),
                      min_size=1, max_size=6),
       junk=st.binary(max_size=8), junk_at=st.integers(min_value=0, max_value=5))
def test_random_files_read_as_biber_reads_them(tmp_path: Path, codec: str, nl: str, titles: list[str],
                                               junk: bytes, junk_at: int) -> None:
    workdir = tmp_path / f"w{abs(hash((codec, nl, tuple(titles), junk, junk_at)))}"
    workdir.mkdir()
    parts = [ENTRY.format(key=f"k{i}", author="Liu, Lin", title=t, nl=nl) for i, t in enumerate(titles)]
    data = b"".join(p.encode(codec, errors="replace") for p in parts[:junk_at]) + junk.replace(b"@", b"")
    data += b"".join(p.encode(codec, errors="replace") for p in parts[junk_at:])
    path = workdir / "refs.bib"
    path.write_bytes(data)
    entries, problems = read_bib(path)
    ours = {e.key for e in entries}
    named = {p.key for p in problems if p.key} | ({"*"} if any(p.key is None for p in problems) else set())
    shown, _ = build_records(entries, {}, {})
    assert len({r.key for r in shown}) == len(shown) == len(entries)  # each once
    biber_name = ENCODINGS[codec][0]
    run = subprocess.run(["biber", "--tool", "--quiet", f"--input-encoding={biber_name}", "--output-format=bibtex",
                          "--output-file=out.bib", "refs.bib"], cwd=workdir, capture_output=True, text=True,
                         timeout=120)
    out = workdir / "out.bib"
    if not out.is_file():
        assert problems, f"biber failed ({run.stderr[-300:]}) and we said nothing"
        return
    theirs = {m.group(1) for m in re.finditer(r"^@\w+\{(.+),\s*$", out.read_text(encoding="utf-8"), re.M)}
    assert theirs <= ours or "*" in named or (theirs - ours) <= named, (theirs - ours, problems)
    if not junk and codec != "latin-1" and not problems:
        for entry, title in zip(entries, titles, strict=True):
            expected = " ".join(title.encode(codec, errors="replace").decode(codec).split())
            assert strip_invisible(expected)[0] == entry.fields["title"]


def test_decode_names_the_encoding_it_found() -> None:
    text, problem = decode("“x”".encode("cp1252"), "refs.bib")
    assert text == "“x”" and "Windows-1252" in problem.message
    assert decode(b"", "refs.bib") == ("", None)
    assert biber_keys  # the helper this module shares with the reader's differential test
