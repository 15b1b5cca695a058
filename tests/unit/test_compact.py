"""Texts kept for a whole build are packed (``core/compact.py``) and read back as they were written."""

from __future__ import annotations

import pickle

from cvsphinx.core.compact import pack, unpack
from cvsphinx.core.links import Extras
from cvsphinx.output.formats import Pub
from cvsphinx.sphinxext.render import Rendered
from hypothesis import given
from hypothesis import strategies as st


@given(st.text())
def test_any_text_comes_back_as_it_was(text: str) -> None:
    packed = pack(text)
    assert unpack(packed) == text
    assert isinstance(packed, str) == text.isascii()  # ASCII is one byte a character already


def test_a_lone_surrogate_survives() -> None:
    assert unpack(pack("a\udc80b")) == "a\udc80b"


def test_rendered_entries_read_pickle_and_compare_as_their_texts() -> None:
    one = Rendered("<strong>Liu, L.</strong> (2019), 1–9", r"\textbf{Liu, L.} (2019), 1--9", "Liu, L. (2019), 1–9")
    assert one.html == "<strong>Liu, L.</strong> (2019), 1–9" and one.latex.startswith(r"\textbf")
    assert isinstance(one._html, bytes) and isinstance(one._latex, str)  # packed where not ASCII
    back = pickle.loads(pickle.dumps(one, pickle.HIGHEST_PROTOCOL))
    assert back == one and hash(back) == hash(one) and back.text == one.text
    assert back != Rendered(one.html, one.latex, "other")
    assert "1–9" in repr(one)


def test_the_exports_texts_and_the_bibtex_shown_read_as_written() -> None:
    pub = Pub.made("k", "articles", 1, "pub-k", 2019, True, ((1, "owner", "Liu, L."),),
                   {"id": "k", "type": "article-journal", "title": "Über alles"}, "@article{k, title = {Über}}")
    assert '"Über alles"' in pub.csl_text and pub.csl["title"] == "Über alles"
    assert pub.bibtex == "@article{k, title = {Über}}" and "Über alles" in pub.ld
    assert pickle.loads(pickle.dumps(pub)) == pub
    extra = Extras((), "", pack("@misc{k, note = {Ça}}"))
    assert extra.bibtex == "@misc{k, note = {Ça}}"
