"""Braces counted one way (core/braces.py): BibTeX's way for the reader and the names, TeX's for LaTeX."""

from __future__ import annotations

import re

import pytest
from cvsphinx.core.bibfile import read_bib
from cvsphinx.core.braces import encloses, group_end, split_outside
from cvsphinx.core.latex import decode_plain
from cvsphinx.core.names import parse_names
from cvsphinx.output.fastpdf import replace_fonts
from hypothesis import given, settings
from hypothesis import strategies as st


@pytest.mark.parametrize(("text", "tex", "end"), [
    ("{a}b", False, 3),
    ("{a{b}c}d", False, 7),
    (r"{a\}b}c", False, 4),  # BibTeX and biber count the escaped brace too
    (r"{a\}b}c", True, 6),  # TeX does not
    ("{a{b}", False, None),
    ("{}", True, 2),
])
def test_where_a_group_ends(text: str, tex: bool, end: int | None) -> None:
    assert group_end(text, 0, tex=tex) == end


def test_a_bracket_group_counts_its_own_brackets_only() -> None:
    assert group_end("[a{]}b]", 0, tex=True, opener="[", closer="]") == 4
    assert group_end(r"[a\]b]x", 0, tex=True, opener="[", closer="]") == 6


def test_one_group_is_the_whole_text() -> None:
    assert encloses("{Barnes and Noble}") and encloses("{{a} b}")
    assert not encloses("{a} {b}") and not encloses("a {b}") and not encloses("{a")


def test_split_where_the_separator_is_outside_every_group() -> None:
    assert split_outside("Curie, {Marie, Sk}, Jr", ",") == ["Curie", " {Marie, Sk}", " Jr"]
    publishers = split_outside("Springer and {Barnes and Noble} AND Wiley", re.compile(r"\s+and\s+", re.IGNORECASE))
    assert publishers == ["Springer", "{Barnes and Noble}", "Wiley"]


def test_every_consumer_counts_alike(tmp_path) -> None:
    """The reader, the names, the decoder and the LaTeX rewriting, each through the one scanner."""
    bib = tmp_path / "refs.bib"
    bib.write_text("@article{k,\n  author = {{Barnes and Noble} and Curie, {Marie Sk}},\n  title = {A {B} \\{C\\}},\n"
                   "  journal = {J}, year = {2020}}\n", encoding="utf-8")
    entries, problems = read_bib(bib)
    assert [e.key for e in entries] == ["k"] and not problems
    names, _ = parse_names(entries[0].fields["author"], {})
    assert [str(n.person) for n in names] == ["Barnes and Noble", "Curie, Marie Sk"]  # "and" in braces is text
    assert decode_plain(r"\textbf{a\}b} c") == "a}b c"
    assert decode_plain(entries[0].fields["title"]) == "A B {C}"
    fonts = replace_fonts(r"\setmainfont[Scale={1.0}]{Old}" + "\n", "New")  # the whole [..]{..} replaced
    assert "Old" not in fonts and "Scale" not in fonts and r"\setmainfont{New}" in fonts



@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab ,;{}\\", max_size=30), st.sampled_from([",", ";", " ", "a,", ", "]))
def test_a_text_without_braces_splits_as_the_counting_does(text: str, separator: str) -> None:
    """The short way (a string separator and no brace: ``str.split``) gives the parts the counting way gives (a
    pattern separator always counts)."""
    assert split_outside(text, separator) == split_outside(text, re.compile(re.escape(separator)))
