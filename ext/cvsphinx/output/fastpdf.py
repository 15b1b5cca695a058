"""The LaTeX of a variant and of a fast PDF: its fonts and layout, one run without auxiliary files, and xeCJK
only when the text has a CJK character.  Text in, text out: ``sphinxext/tailor.py`` applies it to the build."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from ..core.braces import group_end

if TYPE_CHECKING:
    from ..core.variants import Variant


def _skip_groups(text: str, start: int, limit: int | None = None) -> int:
    """The end of the ``[...]`` and ``{...}`` arguments that follow ``start`` (balanced; spaces allowed between)."""
    pos, taken = start, 0
    while limit is None or taken < limit:
        probe = pos
        while probe < len(text) and text[probe] in " \t\r\n":
            probe += 1
        if probe >= len(text) or text[probe] not in "[{":
            break
        close = "]" if text[probe] == "[" else "}"
        end = group_end(text, probe, tex=True, opener=text[probe], closer=close)
        pos, taken = (end if end is not None else len(text) + 1), taken + 1
    return pos


def replace_fonts(fontpkg: str, font: str) -> str:
    r"""``fontpkg`` with ``font`` for the text and the headings: its ``\setmainfont`` and ``\setsansfont``
    (name and options, on any number of lines) replaced; the monospaced font stays."""
    for command in ("setmainfont", "setsansfont"):
        new = rf"\{command}{{{font}}}"
        match = re.search(rf"\\{command}(?![A-Za-z])", fontpkg)
        if match is None:
            fontpkg = f"{fontpkg}\n{new}\n"
            continue
        end = _skip_groups(fontpkg, match.end(), 2)
        fontpkg = fontpkg[:match.start()] + new + fontpkg[end:]
    return fontpkg


def layout_preamble(variant: Variant) -> str:
    """What the variant adds at the end of the LaTeX preamble: margins and line spacing."""
    out = []
    if variant.margins:
        out.append(rf"\geometry{{margin={variant.margins}}}")
    if variant.line_spacing is not None:
        out.append(rf"\linespread{{{variant.line_spacing:g}}}")
    return "\n% -- cvsphinx: the layout of the variant\n" + "\n".join(out) + "\n" if out else ""


# CJK ideographs, kana, hangul, CJK punctuation and full-width forms: what xeCJK is loaded for
# (compiled when first needed: a pattern with these ranges takes a while to compile).
_CJK_RANGES = ("[\u1100-\u11ff\u2e80-\u2fdf\u2ff0-\u303f\u3040-\u31ff\u3200-\u9fff\ua960-\ua97f"
               "\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff]")


@functools.cache
def _cjk() -> re.Pattern[str]:
    return re.compile(_CJK_RANGES)


_XECJK_PACKAGE = re.compile(r"\\usepackage\s*(?:\[[^\]]*\])?\s*\{xeCJK\}[ \t]*\n?")


_XECJK_COMMAND = re.compile(r"\\(?:setCJK[A-Za-z]*font|xeCJK[A-Za-z]*)(?![A-Za-z])")


# What needs a second LaTeX run: references to labels, citations, contents lists, index entries
# (Sphinx's default \printindex alone prints nothing when there are none).
_NEEDS_AUX = re.compile(r"\\(?:ref|pageref|hyperref\s*\[|autoref|nameref|cite[a-zA-Z]*|sphinxpageref|footref|"
                        r"sphinxfootref|sphinxfootnotemark|tableofcontents|sphinxtableofcontents|listoffigures|"
                        r"listoftables|index|bibliography)(?![A-Za-z])")


ONE_PASS = "% cvsphinx: one LaTeX run (no cross-references): no auxiliary files, bookmarks by the bookmark package"


# \nofiles right after \documentclass: no .aux (latexmk runs LaTeX again whenever the .aux changed), and
# no index file even when \makeindex follows; page labels would need the .aux.
ONE_PASS_PREAMBLE = ONE_PASS + "\n\\nofiles\n\\PassOptionsToPackage{pdfpagelabels=false}{hyperref}\n"


# The bookmark package writes the PDF's outline in the same run, but only when files are written:
# each bookmark is made as if they were.
BOOKMARKS = r"""% cvsphinx: PDF bookmarks in the same run
\usepackage{bookmark}
\makeatletter
\let\cvsphinx@writebookmark\Hy@writebookmark
\def\Hy@writebookmark#1#2#3#4#5{{\@fileswtrue\cvsphinx@writebookmark{#1}{#2}{#3}{#4}{#5}}}
\makeatother
"""


NO_CJK = "% cvsphinx: no CJK character in the text, so xeCJK and the CJK fonts are not loaded"


def drop_xecjk(preamble: str) -> str:
    """The preamble without ``\\usepackage{xeCJK}`` and the xeCJK commands (with their arguments)."""
    if not _XECJK_PACKAGE.search(preamble):
        return preamble  # loaded some other way: leave it alone
    out = _XECJK_PACKAGE.sub("", preamble)
    while (match := _XECJK_COMMAND.search(out)) is not None:
        end = _skip_groups(out, match.end())
        if end < len(out) and out[end] == "\n":
            end += 1
        out = out[:match.start()] + out[end:]
    return out


def fast_tex(tex: str) -> str:
    """The same document, typeset in one xelatex run when nothing needs a second, without unused CJK fonts."""
    head, sep, body = tex.partition("\\begin{document}")
    if not sep or ONE_PASS in head:
        return tex
    if "xeCJK" in head and not _cjk().search(tex):
        stripped = drop_xecjk(head)
        if stripped != head:
            head = stripped + NO_CJK + "\n"
    documentclass = re.search(r"^\\documentclass.*$", head, re.MULTILINE)
    if not _NEEDS_AUX.search(body) and "hyperref" in head and documentclass:
        at = documentclass.end() + 1
        head = head[:at] + ONE_PASS_PREAMBLE + head[at:] + BOOKMARKS
    return head + sep + body
