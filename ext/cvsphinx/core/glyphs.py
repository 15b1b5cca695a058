"""Which characters the PDF's fonts can show, so a missing glyph is a warning naming the entry.

xelatex leaves a character no font has out of the PDF and only says so deep in
its log.  The fonts are the ones ``latex_elements['fontpkg']`` sets with
``\\setmainfont`` and ``\\setCJKmainfont`` (Sphinx's own default is FreeSerif);
fontconfig (``fc-match``) knows their files and character sets.  Without
fontconfig, nothing is checked.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from functools import lru_cache

_FONT_COMMAND = re.compile(r"\\set(?:main|CJKmain)font\s*(?:\[[^\]]*\])?\s*\{([^{}]+)\}")


def font_names(fontpkg: str) -> tuple[str, ...]:
    names = tuple(_FONT_COMMAND.findall(fontpkg or ""))
    return names or ("FreeSerif",)


_RTL_FONT = re.compile(r"\\(?:re|provide)?newcommand\s*\{?\\cv(Arabic|Hebrew)Font\}?\s*\{([^{}]+)\}")
RTL_FONTS = {"Arabic": "Amiri", "Hebrew": "FreeSerif"}  # cvsphinx.sty's defaults (nodes.LATEX_PREAMBLE)


def rtl_font_names(fontpkg: str) -> tuple[str, ...]:
    """The fonts of right-to-left runs: cvsphinx.sty's, or those fontpkg names with \\newcommand{\\cvArabicFont}."""
    chosen = {**RTL_FONTS, **dict(_RTL_FONT.findall(fontpkg or ""))}
    return tuple(dict.fromkeys(chosen.values()))


@lru_cache(maxsize=16)
def coverage(names: tuple[str, ...]) -> frozenset[int] | None:
    """Code points any of the fonts has; None when fontconfig cannot say."""
    if shutil.which("fc-match") is None:
        return None
    points: set[int] = set()
    found = False
    for name in names:
        try:
            run = subprocess.run(["fc-match", "-f", "%{family}\n%{charset}", name], capture_output=True, text=True,
                                 timeout=30)
        except (OSError, subprocess.SubprocessError):
            return None
        family, _, charset = run.stdout.partition("\n")
        if name.lower() not in family.lower():
            continue  # fontconfig fell back to another font: xelatex would stop on the missing font anyway
        found = True
        for span in charset.split():
            low, _, high = span.partition("-")
            points.update(range(int(low, 16), int(high or low, 16) + 1))
    return frozenset(points) if found else None


# Variation selectors ask for a presentation of the character before them ("❤️" is ❤ and U+FE0F): they are not
# glyphs, no text font has them, and the character shows without them (bebatut-research's HAL file had one)
SELECTORS = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")


def without_selectors(text: str) -> str:
    return SELECTORS.sub("", text)


def missing(text: str, covered: frozenset[int] | None) -> list[str]:
    """Characters of ``text`` outside ``covered`` (ASCII is always there), in order of first use; variation
    selectors are not characters to show."""
    if covered is None:
        return []
    seen: dict[str, None] = {}
    for char in text:
        if ord(char) > 0x7E and ord(char) not in covered and char not in seen and not SELECTORS.match(char):
            seen[char] = None
    return list(seen)
