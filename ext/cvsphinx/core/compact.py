"""Texts kept for a whole build, in their smallest form.

CPython keeps a str with any character beyond Latin-1 at two or four bytes a character, and once such a str has
been pickled it also keeps a UTF-8 copy of itself for the rest of its life.  An entry's HTML ("6021–6041") is
such a str.  Kept as UTF-8 bytes, a text costs one byte a character and pickles as it is: the rendered lists and
the exports' facts of 51,265 entries held 70 MB more as str after they were saved.  ASCII text is kept as str,
which is already one byte a character.
"""

from __future__ import annotations


def pack(text: str) -> str | bytes:
    return text if text.isascii() else text.encode("utf-8", "surrogatepass")


def unpack(value: str | bytes) -> str:
    return value if isinstance(value, str) else value.decode("utf-8", "surrogatepass")
