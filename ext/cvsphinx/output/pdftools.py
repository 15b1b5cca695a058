"""What a PDF is called and how many pages it has: one answer for the build, its page limits, the variants'
command and the build's summary.  No Sphinx, no poppler: the page count is read from the file itself."""

from __future__ import annotations

import ast
import os
import re
import zlib
from collections.abc import Sequence
from pathlib import Path


def pdf_name(latex_documents: Sequence[Sequence[object]]) -> str:
    """The PDF the LaTeX builder writes for the first of ``latex_documents`` (Sphinx's own rule)."""
    target = str(latex_documents[0][1]) if latex_documents else "cv.tex"
    return target.rsplit(".", 1)[0] + ".pdf"


def pdf_name_in(conf: Path) -> str | None:
    """The same, read from conf.py without running it; None when its ``latex_documents`` names no file as text."""
    try:
        tree = ast.parse(conf.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return None
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "latex_documents"
                                                for t in stmt.targets):
            first = stmt.value.elts[0] if isinstance(stmt.value, (ast.List, ast.Tuple)) and stmt.value.elts else None
            if isinstance(first, (ast.Tuple, ast.List)) and len(first.elts) > 1 and isinstance(first.elts[1], ast.Constant):
                return pdf_name([("", first.elts[1].value)])
    return None


_PAGES_DICT = re.compile(rb"<<((?:(?!<<|>>).)*?/Type\s*/Pages(?![A-Za-z])(?:(?!<<|>>).)*)>>", re.DOTALL)
_COUNT = re.compile(rb"/Count\s+(\d+)")
_STREAM = re.compile(rb"<<((?:(?!>>).)*?/ObjStm(?:(?!>>).)*)>>\s*stream\r?\n", re.DOTALL)


def pdf_pages(path: str | os.PathLike[str]) -> int | None:
    """The number of pages of a PDF (the count of its page tree's root), also when the tree is in
    compressed object streams, as xelatex writes it; None if it cannot be read."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    chunks = [data]
    for match in _STREAM.finditer(data):
        length = re.search(rb"/Length\s+(\d+)(?!\s+\d+\s+R)", match[1])
        start = match.end()
        raw = data[start:start + int(length[1])] if length else data[start:data.find(b"endstream", start)]
        try:
            chunks.append(zlib.decompress(raw))
        except zlib.error:
            continue
    counts = [int(c[1]) for chunk in chunks for d in _PAGES_DICT.finditer(chunk) if (c := _COUNT.search(d[1]))]
    return max(counts) if counts else None
