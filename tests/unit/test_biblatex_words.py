"""Our CV against biblatex itself: for each entry of TeX Live's biblatex-examples.bib, the words biblatex + biber
print in the ``authoryear`` style are words our line shows too, less the few a CV leaves out by design (listed in
``biblatex_words``, which also prints the whole report: ``PYTHONPATH=ext:tests .venv/bin/python -m helpers.biblatex_words``).

biblatex is the reference because it implements the biblatex data model that records.py follows: a field biblatex
prints and we drop is a field the CV silently loses.  The words are compared as multisets, so order and punctuation
(which differ by design) do not count; what we add (markers, links) does not count either.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter

import pytest
from helpers.biblatex_words import (
    EXAMPLES,
    TOOLS,
    biblatex_side,
    build_ours,
    compare,
    describe,
    expected,
    our_texts,
    share,
    summary,
    words,
)

MEAN = 0.97  # the mean share over all entries
FLOOR = 0.85  # no entry under this

_HEAD = re.compile(r"^[ \t]*@[ \t]*([A-Za-z][\w-]*)[ \t]*[{(][ \t]*([^,\s{}()]+)[ \t]*,", re.MULTILINE)


@pytest.fixture(scope="module")
def measured(tmp_path_factory) -> dict:
    """Both builds once: biblatex's (cached under /tmp on the .bib file's sha256) and our HTML page."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (bash cv.sh setup installs them)")
    if not EXAMPLES.is_file():
        pytest.skip(f"{EXAMPLES} is not installed (Debian package texlive-bibtex-extra)")
    texts, entries = biblatex_side(EXAMPLES, tmp_path_factory.mktemp("biblatex"))
    ours = our_texts(build_ours(EXAMPLES, tmp_path_factory.mktemp("ours")))
    return {"texts": texts, "entries": entries, "ours": ours, "rows": compare(texts, entries, ours)}


def test_words_are_letters_and_digits() -> None:
    """The unit of comparison: "pp." and "pp" are one word, "2nd" stays one, case and ligatures do not count."""
    assert words("In: J. Chem. Phys. 124, pp. 1–10") == Counter(["in", "j", "chem", "phys", "124", "pp", "1", "10"])
    assert words("2nd edn. ﬁnal “Über”") == Counter(["2nd", "edn", "final", "über"])
    assert share(Counter(["a", "a", "b"]), Counter(["a", "b", "c"])) == pytest.approx(2 / 3)


def test_by_design_words_come_from_the_entry() -> None:
    """The publication date's month and day are left out only as the entry's fields give them: a page number
    that happens to equal the day stays."""
    entry = {"type": "online", "fields": {"month": "10", "day": "27"}, "lists": {}, "names": {}}
    assert expected("Baez, J. C. (Oct. 27, 2004). Title. pp. 27–30.", entry) == words("Baez J. C. 2004 Title pp 27 30")
    assert expected("Doe, J. (2004). T. 27.", {**entry, "fields": {}}) == words("Doe J 2004 T 27")


@pytest.mark.slow
def test_biblatex_prints_every_entry_but_sets(measured) -> None:
    """The measurement itself: biblatex printed each entry of the file once, each member of a @set under its own
    key (inside the set's item), and no @set, @xdata or @string of its own."""
    heads = [(m.group(1).lower(), m.group(2)) for m in _HEAD.finditer(EXAMPLES.read_text(encoding="utf-8"))]
    printed = {key for kind, key in heads if kind not in ("string", "preamble", "comment", "set", "xdata")}
    assert set(measured["texts"]) == printed
    assert "stdmodel" not in measured["texts"] and "glashow" in measured["texts"]
    assert all(len(words(text)) >= 5 for text in measured["texts"].values())


@pytest.mark.slow
def test_every_entry_biblatex_prints_is_on_our_page(measured) -> None:
    missing = sorted(set(measured["texts"]) - set(measured["ours"]))
    assert not missing, f"{len(missing)} entries biblatex prints are not on our page: {missing}"


@pytest.mark.slow
def test_no_entry_loses_many_words(measured) -> None:
    """Every entry shows at least FLOOR of biblatex's words: a lower share is a field the CV drops."""
    under = [row for row in measured["rows"] if row.share < FLOOR]
    assert len(under) == 0, f"{len(under)} entries show under {FLOOR:.0%} of biblatex's words:\n" + "\n".join(map(describe, under))


@pytest.mark.slow
def test_mean_share_of_biblatex_words(measured) -> None:
    """On the whole, at least MEAN of biblatex's words: the entries under 0.90 are listed worst first."""
    mean, under90, under85 = summary(measured["rows"])
    worst = [row for row in measured["rows"] if row.share < 0.90]
    assert mean >= MEAN, (f"mean share {mean:.3f} < {MEAN} over {len(measured['rows'])} entries "
                          f"({under90} under 0.90, {under85} under 0.85):\n" + "\n".join(map(describe, worst)))
