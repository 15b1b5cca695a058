"""pybtex's ``Text(*parts)`` and ``Protected(*parts)``, made the same way without its generators.

pybtex wraps strings, drops empty parts, unpacks nested ``Text`` and merges neighbours of one kind
(``<em>a</em><em>b</em>`` becomes ``<em>ab</em>``) through four chained generators and ``itertools.groupby``.
The decoder and the house style make a few dozen such objects per entry: that machinery was a fifth of the
time of rendering an institute's list.  The steps and their order are pybtex's, so the objects are equal to
pybtex's own (``tests/unit/test_rich.py`` compares them on real entries).
"""

from __future__ import annotations

from pybtex.richtext import BaseMultipartText, BaseText, Protected, String, Text


def _parts(parts: tuple) -> list:
    flat: list = []
    for part in parts:
        if part.__class__ is str:
            if part:
                flat.append(String(part))
        elif isinstance(part, BaseText):
            if part:
                flat.extend(part._unpack())
        else:
            raise TypeError("parts must be strings or BaseText instances, not " + type(part).__name__)
    if len(flat) < 2:
        return flat
    merged: list = []
    run = [flat[0]]
    kind = flat[0]._typeinfo()
    for part in flat[1:]:
        info = part._typeinfo()
        if info == kind:
            run.append(part)
            continue
        _close(run, kind, merged)
        run, kind = [part], info
    _close(run, kind, merged)
    return merged


def _close(run: list, kind: tuple, merged: list) -> None:
    cls, info = kind
    if cls and len(run) > 1:
        merged.append(cls(*info, *[piece for text in run for piece in text.parts]))
    else:
        merged.extend(run)


def _made(cls: type[BaseMultipartText], parts: tuple) -> BaseMultipartText:
    made = cls.__new__(cls)
    made.parts = _parts(parts)
    made.length = sum(len(part) for part in made.parts)
    return made


def make_text(*parts: str | BaseText) -> Text:
    """``Text(*parts)``."""
    return _made(Text, parts)  # type: ignore[return-value]


def make_protected(*parts: str | BaseText) -> Protected:
    """``Protected(*parts)``."""
    return _made(Protected, parts)  # type: ignore[return-value]
