"""Differential test of the .bib reader against biber, the reference reader of biblatex.

For TeX Live's real bibliographies and for generated files with random
layouts (and some broken entries), the keys we read equal the keys biber
reads (``biber --tool`` writes back every entry it accepted), except for keys
one of our warnings names.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from cvsphinx.core.bibfile import read_bib
from helpers.builds import biber_keys

TEXMF_BIB = Path("/usr/share/texlive/texmf-dist/bibtex/bib")
REAL = {
    "tugboat": TEXMF_BIB / "beebe" / "tugboat.bib",
    "typeset": TEXMF_BIB / "beebe" / "typeset.bib",
    "biblatex-examples": TEXMF_BIB / "biblatex" / "biblatex" / "biblatex-examples.bib",
}

pytestmark = pytest.mark.skipif(shutil.which("biber") is None, reason="biber is not installed (bash cv.sh setup)")


def explained(path: Path, workdir: Path) -> tuple[set[str], set[str], set[str]]:
    records, problems = read_bib(path)
    ours = {r.key for r in records}
    named = {p.key for p in problems if p.key}
    return ours, biber_keys(path, workdir), named


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(REAL))
def test_real_bibliographies_read_as_biber_reads_them(name: str, tmp_path: Path) -> None:
    path = REAL[name]
    if not path.is_file():
        pytest.skip(f"{path} is not installed (texlive-bibtex-extra)")
    ours, theirs, named = explained(path, tmp_path)
    assert len(ours) > 50
    assert theirs - ours <= named, f"biber reads {sorted(theirs - ours)[:10]}, we skip them without a warning"
    assert ours - theirs <= named, f"we read {sorted(ours - theirs)[:10]}, which biber does not"
    assert ours == theirs  # on these well-formed files, exactly the same


# -- Generated files -----------------------------------------------------------

_WORDS = "ice radar glacier snow permafrost model signal data arctic"
_WS = [" ", "", "\n", "  ", "\t", "\n\n  "]


def _value(rng: random.Random) -> str:
    words = rng.sample(_WORDS.split(), 3)
    text = " ".join(words)
    kind = rng.randrange(6)
    if kind == 0:
        return '"' + text + ' {"} quoted"'
    if kind == 1:
        return "{" + text + "\n@handle at a line start, " + "{Nested {deeper}} braces}"
    if kind == 2:
        return "jgr # { " + text + "}"
    if kind == 3:
        return str(rng.randrange(1990, 2030))
    if kind == 4:
        return "{" + text + " (with parens) and an e-mail liu@cuhk.edu.hk}"
    return "{" + text + "}"


def _entry(rng: random.Random, key: str, broken: bool) -> str:
    open_, close = rng.choice([("{", "}"), ("(", ")")])
    sp = lambda: rng.choice(_WS)  # noqa: E731
    fields = [f"{name}{sp()}={sp()}{_value(rng)}" for name in rng.sample(["title", "note", "journal", "year", "howpublished"], 3)]
    body = f",{sp()}".join(fields)
    if broken:
        body = body.replace("=", "", 1) if rng.random() < 0.5 else body + ", title = {unclosed"
    return f"@{rng.choice(['misc', 'Article', 'BOOK'])}{sp()}{open_}{key},{sp()}{body}{rng.choice(['', ','])}{sp()}{close}"


def generated(seed: int, count: int = 40) -> tuple[str, str, set[str]]:
    """A file with random layouts, and the same file with some broken entries among them."""
    rng = random.Random(seed)
    parts = ["@string{jgr = {J. Geophys. Res.}}\n", "Text between entries is a comment.\n", "@comment{jabref-meta: x;}\n"]
    clean: list[str] = []
    broken: set[str] = set()
    for n in range(count):
        key = f"k{seed}-{n}"
        separator = rng.choice(["\n", "\n\n", " ", "", "\n% a comment line\n"])
        parts.append(_entry(rng, key, False) + separator)
        clean.append(parts[-1])
        if rng.random() < 0.15:
            bad = f"bad{seed}-{n}"
            broken.add(bad)
            parts.append(_entry(rng, bad, True) + "\n")
        if rng.random() < 0.1:
            parts.append('@preamble{"\\newcommand{\\noop}[1]{#1}"}\n')
            clean.append(parts[-1])
    head = "".join(parts[:3])
    return head + "".join(clean), head + "".join(parts[3:]), broken


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(6))
def test_generated_layouts_read_as_biber_reads_them(seed: int, tmp_path: Path) -> None:
    """Well-formed random layouts: exactly biber's keys.  biber stops at the first syntax error and
    writes nothing, so with broken entries mixed in we must read what biber reads of the file
    without them, and name every broken entry by its key."""
    clean_text, mixed_text, broken = generated(seed)
    clean = tmp_path / f"gen{seed}.bib"
    clean.write_text(clean_text, encoding="utf-8")
    ours, theirs, named = explained(clean, tmp_path)
    assert named == set()
    assert ours == theirs == {f"k{seed}-{n}" for n in range(40)}
    mixed = tmp_path / f"mixed{seed}.bib"
    mixed.write_text(mixed_text, encoding="utf-8")
    records, problems = read_bib(mixed)
    assert {r.key for r in records} == theirs, "a broken entry took a good one down"
    assert {p.key for p in problems} == broken, "every broken entry is named by its key, and only those"
