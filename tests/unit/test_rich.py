"""``core/rich.py`` makes what pybtex's own constructors make: equal objects, the same structure, the same output."""

from __future__ import annotations

from pathlib import Path

import pytest
from cvsphinx.core import latex_parser
from cvsphinx.core.bibfile import read_bib
from cvsphinx.core.latex import _decode
from cvsphinx.core.records import LITERAL_FIELDS
from cvsphinx.core.rich import make_protected, make_text
from hypothesis import given, settings
from hypothesis import strategies as st
from pybtex.richtext import HRef, Protected, String, Tag, Text

DATA = Path(__file__).parents[1] / "data"
TEXLIVE = Path("/usr/share/texlive/texmf-dist/bibtex/bib")

leaves = st.one_of(
    st.sampled_from(["", " ", "a", "Word", ", ", "."]),
    st.builds(String, st.sampled_from(["", "x", "yz"])),
)


def _nested(children: st.SearchStrategy) -> st.SearchStrategy:
    parts = st.lists(children, max_size=4)
    return st.one_of(
        parts.map(lambda p: Text(*p)),
        parts.map(lambda p: Tag("em", *p)),
        parts.map(lambda p: Tag("strong", *p)),
        parts.map(lambda p: HRef("https://example.org/a", *p)),
        parts.map(lambda p: HRef("https://example.org/b", *p)),
        parts.map(lambda p: Protected(*p)),
    )


pieces = st.recursive(leaves, _nested, max_leaves=12)


def _same(mine: Text, theirs: Text) -> None:
    assert mine == theirs
    assert repr(mine) == repr(theirs)  # the structure, not only the equality pybtex defines
    assert len(mine) == len(theirs)
    for backend in ("html", "latex", "text"):
        assert mine.render_as(backend) == theirs.render_as(backend)


@settings(max_examples=400, deadline=None)
@given(st.lists(pieces, max_size=6))
def test_make_text_is_pybtex_text(parts: list) -> None:
    _same(make_text(*parts), Text(*parts))
    _same(make_protected(*parts), Protected(*parts))


def test_a_part_of_another_type_is_refused_as_pybtex_refuses_it() -> None:
    with pytest.raises(TypeError, match="not int"):
        make_text("a", 1)


def _real_values() -> list[str]:
    files = [*sorted(DATA.glob("*.bib")), TEXLIVE / "beebe" / "tugboat.bib", TEXLIVE / "biblatex" / "biblatex-examples.bib"]
    values = []
    for path in files:
        if path.is_file():
            entries, _ = read_bib(path)
            values += [e.fields[name] for e in entries for name in LITERAL_FIELDS if e.fields.get(name)]
    return values


def test_decoded_real_fields_are_what_pybtex_constructors_make(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every literal field of seven real files, decoded with this module and with pybtex's own constructors."""
    values = _real_values()
    assert len(values) > 20000
    ours = [_decode.__wrapped__(v, ()) for v in values]
    monkeypatch.setattr("cvsphinx.core.latex.make_text", Text)
    monkeypatch.setattr(latex_parser, "make_protected", Protected)
    theirs = [_decode.__wrapped__(v, ()) for v in values]
    assert len(ours) == len(theirs)
    for value, mine, pybtex_made in zip(values, ours, theirs, strict=True):
        assert repr(mine.text) == repr(pybtex_made.text), value
