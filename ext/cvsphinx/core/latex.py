"""LaTeX in .bib field values, decoded once to pybtex rich text and to plain Unicode.

The one place where LaTeX is read: accents, escaped specials, dashes and
quotes, text commands (emphasis, bold, small caps, super/subscripts, links,
logos) and inline math.  Math becomes a ``Math`` element that keeps its LaTeX
source, so the PDF typesets real math while HTML and text show the decoded
characters; math that LaTeX could not typeset as written (an unknown or user
macro, a missing argument, non-ASCII) goes to the PDF decoded instead, so a
.bib field never breaks the PDF build.  Unknown macros never show their
backslash: their arguments stay as text and their names are reported in
``Decoded.unknown``.  TeX's own rules hold where they matter: a control word
takes the spaces after it (``\\TeX nische`` is TeXnische), user macros expand
in place.  Nothing here raises on malformed input.

A small tokenizer of our own rather than a library: latexcodec (already a
dependency) decodes accents and symbols to a flat string but keeps text
commands, math and ``\\d{i}``-style accents as they are and fails on a
trailing backslash; pylatexenc's latex2text flattens to plain text too,
reads ``%`` as a comment and drops logos (``\\LaTeXe``, ``\\BibTeX``) and
``\\euro``.  Both would still need a walker and tables of our own to build
rich text, which is most of the code below.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from pybtex.richtext import BaseMultipartText, HRef, Protected, Tag, Text

__all__ = ["Decoded", "Math", "decode", "decode_plain", "preamble_macros"]


@dataclass(frozen=True)
class Decoded:
    """A field value decoded: rich text, and the names of the macros it did not know (``"\\foo"``)."""

    text: Text
    unknown: tuple[str, ...] = ()


class Math(BaseMultipartText):
    """Inline math: the LaTeX source, for the PDF, and its decoded children, for everything else.

    Backends with ``format_cv_math(latex_source, rendered_children)`` choose; others get the
    children.  Math is atomic: case changes leave it alone (δ is not Δ), and a slice that
    takes its first character takes all of it while other slices take none, so the pieces
    of a sliced text (``capitalize()``, ``text[:1] + text[1:]``) hold the formula once, whole.
    """

    def __init__(self, source: str, *parts) -> None:
        self.source = source
        self.info = (source,)
        super().__init__(*parts)

    def __repr__(self) -> str:
        return f"Math({self.source!r}, {', '.join(repr(p) for p in self.parts)})"

    def _typeinfo(self):
        # a falsy class: two formulas side by side are never merged into one
        return None, ("math", self.source)

    def _create_similar(self, parts):
        return Math(self.source, *parts)

    def __getitem__(self, key):
        if isinstance(key, int):
            start = key + len(self) if key < 0 else key
            stop = start + 1
        else:
            start, stop, _ = key.indices(len(self))
        return self if start == 0 and stop > 0 else Text()

    def capfirst(self):
        return self

    def capitalize(self):
        return self

    def lower(self):
        return self

    def upper(self):
        return self

    def split(self, sep=None, keep_empty_parts=None):
        return [self]

    def render(self, backend):
        rendered = super().render(backend)
        formatter = getattr(backend, "format_cv_math", None)
        return formatter(self.source, rendered) if formatter is not None else rendered


# -- Tables --------------------------------------------------------------------

# Accent commands and the combining mark each puts on the first character of its argument.
_ACCENTS = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304",
    ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b", "r": "\u030a", "G": "\u030f",
    "c": "\u0327", "k": "\u0328", "polhk": "\u0328", "d": "\u0323", "b": "\u0331", "t": "\u0361", "U": "\u030e",
}
_BELOW = {"\u0327", "\u0328", "\u0323", "\u0331"}  # a dotless i keeps no dot under these: fine either way
_SPACING_ACCENT = {"'": "´", "`": "`", "^": "^", "~": "~", '"': "¨", "=": "¯", ".": "˙", "u": "˘",
                   "v": "ˇ", "H": "˝", "r": "˚", "c": "¸", "k": "˛"}

# Control words that stand for text (no argument).
_TEXT_SYMBOLS = {
    "i": "ı", "j": "ȷ", "o": "ø", "O": "Ø", "ss": "ß", "SS": "SS", "aa": "å", "AA": "Å", "ae": "æ",
    "AE": "Æ", "oe": "œ", "OE": "Œ", "l": "ł", "L": "Ł", "dh": "ð", "DH": "Ð", "th": "þ", "TH": "Þ",
    "ng": "ŋ", "NG": "Ŋ", "dj": "đ", "DJ": "Đ", "ij": "ĳ", "IJ": "Ĳ",
    # MathSciNet's preamble macros for transliterated Cyrillic: soft and hard signs
    "cprime": "′", "cdprime": "″", "Dbar": "Đ", "dbar": "đ",
    "textbackslash": "\\", "textasciitilde": "~", "textasciicircum": "^", "textasciigrave": "`",
    "textasciiacute": "´", "textasciidieresis": "¨", "textasciimacron": "¯", "textquotesingle": "'",
    "textquotedbl": '"', "textbar": "|", "textbardbl": "‖", "textless": "<", "textgreater": ">",
    "textbraceleft": "{", "textbraceright": "}", "textunderscore": "_", "textdollar": "$",
    "dag": "†", "ddag": "‡", "textdagger": "†", "textdaggerdbl": "‡", "S": "§", "P": "¶",
    "textsection": "§", "textparagraph": "¶", "copyright": "©", "textcopyright": "©",
    "textregistered": "®", "texttrademark": "™", "textcircledP": "℗", "pounds": "£", "textsterling": "£",
    "euro": "€", "texteuro": "€", "EUR": "€", "textcent": "¢", "textyen": "¥", "textcurrency": "¤",
    "textdegree": "°", "textcelsius": "℃", "textohm": "Ω", "textmu": "µ", "textperthousand": "‰",
    "textnumero": "№", "textonehalf": "½", "textonequarter": "¼", "textthreequarters": "¾",
    "texttimes": "×", "textdiv": "÷", "textpm": "±", "textminus": "−", "textlnot": "¬",
    "textordfeminine": "ª", "textordmasculine": "º", "textexclamdown": "¡", "textquestiondown": "¿",
    "textbullet": "•", "textperiodcentered": "·", "textasteriskcentered": "∗", "textvisiblespace": "␣",
    "textbrokenbar": "¦", "checkmark": "✓", "ldots": "…", "dots": "…", "textellipsis": "…",
    "slash": "/", "textslash": "/", "hyphen": "-", "textendash": "–", "textemdash": "—",
    "endash": "–", "emdash": "—", "textquoteleft": "‘", "textquoteright": "’",
    "textquotedblleft": "“", "textquotedblright": "”", "quotesinglbase": "‚", "quotedblbase": "„",
    "guillemotleft": "«", "guillemotright": "»", "guillemetleft": "«", "guillemetright": "»",
    "guilsinglleft": "‹", "guilsinglright": "›", "textleftarrow": "←", "textrightarrow": "→",
    # spaces and breaks
    "nobreakspace": "\u00a0", "space": " ", "quad": "\u2003", "qquad": "\u2003\u2003", "enspace": "\u2002",
    "enskip": "\u2002", "thinspace": "\u202f", "negthinspace": "", "hfill": " ", "hfil": " ",
    "newline": " ", "linebreak": " ", "par": " ", "break": "", "nobreak": "", "allowbreak": "",
    "relax": "", "protect": "", "null": "", "xspace": "", "ignorespaces": "", "leavevmode": "",
    "noindent": "", "indent": "", "strut": "", "bgroup": "", "egroup": "", "sloppy": "", "fussy": "",
    "frenchspacing": "", "nonfrenchspacing": "", "hbadness": "", "unskip": "", "nolinebreak": "",
    "clearpage": "", "newpage": "", "smallskip": "", "medskip": "", "bigskip": "", "centering": "",
}

# Logos, and the names they print.  The TUGboat ones are common in bibliographies about TeX.
_LOGOS = {
    "TeX": "TeX", "LaTeX": "LaTeX", "LaTeXe": "LaTeX2ε", "BibTeX": "BibTeX", "BibLaTeX": "BibLaTeX",
    "XeTeX": "XeTeX", "XeLaTeX": "XeLaTeX", "LuaTeX": "LuaTeX", "LuaLaTeX": "LuaLaTeX",
    "pdfTeX": "pdfTeX", "pdfLaTeX": "pdfLaTeX", "eTeX": "ε-TeX", "ConTeXt": "ConTeXt", "MF": "METAFONT",
    "METAFONT": "METAFONT", "MP": "MetaPost", "METAPOST": "MetaPost", "MetaPost": "MetaPost",
    "AmSTeX": "AMS-TeX", "AMSTeX": "AMS-TeX", "AmS": "AMS", "AMS": "AMS", "AmSLaTeX": "AMS-LaTeX",
    "AMSLaTeX": "AMS-LaTeX", "LAMSTeX": "LAMS-TeX", "SliTeX": "SLiTeX", "PiCTeX": "PiCTeX",
    "LyX": "LyX", "TeXLive": "TeX Live", "TUB": "TUGboat", "TUG": "TUG", "CTAN": "CTAN",
    "plainTeX": "plain TeX", "AllTeX": "(La)TeX", "ExTeX": "ExTeX", "OMEGA": "Ω", "Omega": "Ω",
}

# Greek letters: standard LaTeX math names (also accepted in text, and as \textalpha...).
_GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ", "varkappa": "ϰ",
    "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "varpi": "ϖ", "rho": "ρ", "varrho": "ϱ",
    "sigma": "σ", "varsigma": "ς", "tau": "τ", "upsilon": "υ", "phi": "ϕ", "varphi": "φ", "chi": "χ",
    "psi": "ψ", "omega": "ω", "digamma": "ϝ",
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ",
    "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
    "varGamma": "Γ", "varDelta": "Δ", "varTheta": "Θ", "varLambda": "Λ", "varXi": "Ξ", "varPi": "Π",
    "varSigma": "Σ", "varUpsilon": "Υ", "varPhi": "Φ", "varPsi": "Ψ", "varOmega": "Ω",
}
# Names people write that LaTeX does not define: decoded, but such math is not passed to LaTeX.
_GREEK_NONSTANDARD = {
    "omicron": "ο", "Alpha": "Α", "Beta": "Β", "Epsilon": "Ε", "Zeta": "Ζ", "Eta": "Η", "Iota": "Ι",
    "Kappa": "Κ", "Mu": "Μ", "Nu": "Ν", "Omicron": "Ο", "Rho": "Ρ", "Tau": "Τ", "Chi": "Χ",
}

# Math symbols (LaTeX, amsmath and amssymb, which Sphinx's LaTeX preamble loads).
_MATH_SYMBOLS = {
    "pm": "±", "mp": "∓", "times": "×", "div": "÷", "cdot": "⋅", "ast": "∗", "star": "⋆", "circ": "∘",
    "bullet": "•", "oplus": "⊕", "ominus": "⊖", "otimes": "⊗", "odot": "⊙", "cap": "∩", "cup": "∪",
    "wedge": "∧", "land": "∧", "vee": "∨", "lor": "∨", "setminus": "∖", "dagger": "†", "ddagger": "‡",
    "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "ll": "≪", "gg": "≫",
    "lesssim": "≲", "gtrsim": "≳", "leqslant": "⩽", "geqslant": "⩾", "sim": "∼", "simeq": "≃",
    "approx": "≈", "cong": "≅", "equiv": "≡", "propto": "∝", "doteq": "≐", "prec": "≺", "succ": "≻",
    "subset": "⊂", "supset": "⊃", "subseteq": "⊆", "supseteq": "⊇", "in": "∈", "notin": "∉", "ni": "∋",
    "perp": "⊥", "parallel": "∥", "mid": "∣", "vert": "|", "Vert": "‖",
    "infty": "∞", "partial": "∂", "nabla": "∇", "forall": "∀", "exists": "∃", "neg": "¬", "lnot": "¬",
    "emptyset": "∅", "varnothing": "∅", "ell": "ℓ", "hbar": "ℏ", "hslash": "ℏ", "Re": "ℜ", "Im": "ℑ",
    "aleph": "ℵ", "wp": "℘", "angle": "∠", "triangle": "△", "square": "□", "prime": "′",
    "degree": "°", "surd": "√", "top": "⊤", "bot": "⊥", "checkmark": "✓",
    "rightarrow": "→", "to": "→", "leftarrow": "←", "gets": "←", "leftrightarrow": "↔",
    "Rightarrow": "⇒", "Leftarrow": "⇐", "Leftrightarrow": "⇔", "longrightarrow": "⟶",
    "longleftarrow": "⟵", "Longrightarrow": "⟹", "implies": "⟹", "iff": "⟺", "mapsto": "↦",
    "uparrow": "↑", "downarrow": "↓", "updownarrow": "↕", "Uparrow": "⇑", "Downarrow": "⇓",
    "nearrow": "↗", "searrow": "↘", "hookrightarrow": "↪", "hookleftarrow": "↩", "rightleftharpoons": "⇌",
    "sum": "∑", "prod": "∏", "coprod": "∐", "int": "∫", "oint": "∮", "iint": "∬", "bigcup": "⋃",
    "bigcap": "⋂", "cdots": "⋯", "ldots": "…", "dots": "…", "vdots": "⋮", "ddots": "⋱",
    "langle": "⟨", "rangle": "⟩", "lfloor": "⌊", "rfloor": "⌋", "lceil": "⌈", "rceil": "⌉",
    "lbrace": "{", "rbrace": "}", "lbrack": "[", "rbrack": "]", "backslash": "\\",
    "colon": ":", "ldotp": ".", "cdotp": "⋅", "AA": "Å", "S": "§", "P": "¶", "dag": "†", "ddag": "‡",
    "quad": "\u2003", "qquad": "\u2003\u2003", "lvert": "|", "rvert": "|", "lVert": "‖", "rVert": "‖",
}
_MATH_FUNCTIONS = {
    "sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh",
    "coth", "log", "ln", "lg", "exp", "max", "min", "sup", "inf", "lim", "liminf", "limsup", "det",
    "dim", "deg", "arg", "ker", "hom", "gcd", "Pr", "mod", "bmod", "pmod",
}
# Commands that only change layout in math: dropped, no argument.
_MATH_IGNORED = {
    "left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr",
    "Biggl", "Biggr", "middle", "displaystyle", "textstyle", "scriptstyle", "scriptscriptstyle",
    "limits", "nolimits", "relax", "nonumber", "notag", "mathstrut", "strut", "protect",
}
_MATH_ACCENTS = {
    "hat": "\u0302", "widehat": "\u0302", "bar": "\u0304", "overline": "\u0305", "tilde": "\u0303",
    "widetilde": "\u0303", "vec": "\u20d7", "dot": "\u0307", "ddot": "\u0308", "dddot": "\u20db",
    "acute": "\u0301", "grave": "\u0300", "check": "\u030c", "breve": "\u0306", "mathring": "\u030a",
}
# Math font commands with one argument: upright or not, and the tag (if any).
_MATH_FONTS: dict[str, tuple[bool, str | None]] = {
    "mathrm": (True, None), "mathup": (True, None), "mathsf": (True, None), "mathtt": (True, None),
    "mathcal": (True, None), "mathscr": (True, None), "mathfrak": (True, None), "mathbb": (True, None),
    "mathbf": (True, "strong"), "boldsymbol": (False, "strong"), "mathit": (False, None),
    "mathnormal": (False, None), "operatorname": (True, None), "underline": (False, None),
}
_MATH_FONTS_NONSTANDARD = {"bm": (False, "strong"), "mathbold": (True, "strong")}
_TEXT_IN_MATH = {"{", "}", "%", "$", "#", "&", "_", "ensuremath"}
_MATH_DECLARATIONS = {"rm": True, "mathrm": True, "cal": True, "sf": True, "tt": True, "bf": True, "it": False,
                      "mit": False}

# Text commands with one argument, and the tag they give ("" for the argument as it is).
_TEXT_COMMANDS = {
    "emph": "em", "textit": "em", "textsl": "em", "mkbibemph": "em", "mkbibitalic": "em",
    "textbf": "strong", "mkbibbold": "strong", "textsc": "sc", "textsuperscript": "sup",
    "mkbibsuperscript": "sup", "textsubscript": "sub",
    "texttt": "", "textrm": "", "textsf": "", "textup": "", "textnormal": "", "textmd": "", "mbox": "",
    "hbox": "", "text": "", "fbox": "", "underline": "", "uline": "", "rlap": "", "llap": "",
    "smash": "", "textlatin": "", "textenglish": "", "nolinkurl": "",
}
_DECLARATIONS = {
    "it": "em", "em": "em", "itshape": "em", "sl": "em", "slshape": "em",
    "bf": "strong", "bfseries": "strong", "sc": "sc", "scshape": "sc",
    "rm": "", "sf": "", "tt": "", "rmfamily": "", "sffamily": "", "ttfamily": "", "upshape": "",
    "normalfont": "", "mdseries": "", "tiny": "", "scriptsize": "", "footnotesize": "", "small": "",
    "normalsize": "", "large": "", "Large": "", "LARGE": "", "huge": "", "Huge": "",
}
_DROP_ONE_ARG = {"noopsort", "sortnoop", "SortNoop", "label", "index", "hyphenation", "selectlanguage",
                 "color", "phantom", "hphantom", "vphantom", "vspace", "nocite",
                 "pagestyle", "thispagestyle", "bibnamedelima", "bibnamedelimb"}
_SHOW_SECOND_ARG = {"foreignlanguage", "textcolor", "bibinfo", "bibfield", "colorbox", "otherlanguage"}
_DIMENSIONS = {"kern": "", "hskip": " ", "vskip": "", "raise": "", "lower": "", "mkern": "", "mskip": "",
               "hspace": " "}

_SAFE_URL = re.compile(r"^(?:https?|ftp)://[^\s<>\"']+$|^mailto:[^\s<>\"']+$", re.IGNORECASE)
_PLAIN_RUN = re.compile(r"[^\\{}$~`'\-\s]+(?: [^\\{}$~`'\-\s]+)*")
_SPACE_RUN = re.compile(r"\s+")
_NEEDS_PARSING = re.compile(r"[\\{}$~`'\-]|\s\s|[^\S ]")
_LETTERS = re.compile(r"[A-Za-z]+")
_DIMEN = re.compile(r"\s*=?\s*[-+]?\s*(?:\d+\.?\d*|\.\d+)?\s*(?:(?:em|ex|pt|mm|cm|in|bp|pc|sp|dd|cc|mu|fill|fil) ?)?"
                    r"(?:\s+(?:plus|minus)\s*[-+]?\s*(?:\d+\.?\d*|\.\d+)?\s*(?:em|ex|pt|mm|cm|in|fill|fil|mu)?)*")
_CHAR_CODE = re.compile(r"\s*(?:(\d+)|'([0-7]+)|\"([0-9A-Fa-f]+)|`\\?(.))")
MAX_EXPANSIONS = 1000
RECURSIVE = " (expands without end)"  # after a macro's name in Decoded.unknown: one that expands into itself
_MAX_SOURCE = 100_000
_ENDS_WITH_WORD = re.compile(r"\\[A-Za-z]+$")


def _is_known(name: str) -> bool:
    """Whether the decoder gives ``\\name`` a meaning of its own (a user macro may not override \\providecommand)."""
    return any(name in table for table in (
        _ACCENTS, _TEXT_SYMBOLS, _LOGOS, _GREEK, _MATH_SYMBOLS, _TEXT_COMMANDS, _DECLARATIONS, _DIMENSIONS,
    )) or name in _SPECIAL_WORDS


# -- The tokenizer ---------------------------------------------------------------


@dataclass
class _State:
    """Shared by the parser of a value and those of its math and macro bodies."""

    macros: Mapping[str, str]
    unknown: list[str] = field(default_factory=list)
    expansions: int = 0
    open_quotes: int = 0

    def report(self, name: str) -> None:
        name = "\\" + name
        if name not in self.unknown:
            self.unknown.append(name)


Parts = list  # of str and BaseText


class _Parser:
    def __init__(self, src: str, state: _State, math: bool = False) -> None:
        self.src = src
        self.pos = 0
        self.state = state
        self.math = math
        self.upright = False  # math letters in roman (inside \mathrm and friends)
        self.safe = True  # this math can go to LaTeX as written

    # -- reading -------------------------------------------------------------

    def at_end(self) -> bool:
        return self.pos >= len(self.src)

    def skip_space(self) -> None:
        src, pos = self.src, self.pos
        while pos < len(src) and src[pos].isspace():
            pos += 1
        self.pos = pos

    def control_name(self) -> str | None:
        """After a backslash: a control word (eating the spaces after it) or a control symbol."""
        src = self.src
        if self.pos >= len(src):
            return None
        match = _LETTERS.match(src, self.pos)
        if match:
            self.pos = match.end()
            self.skip_space()
            return match.group()
        self.pos += 1
        return src[self.pos - 1]

    def raw_group(self) -> str:
        """The source of a ``{...}`` argument, braces balanced; or one token when there are none."""
        self.skip_space()
        src = self.src
        if self.at_end():
            return ""
        if src[self.pos] != "{":
            if src[self.pos] == "\\":
                match = _LETTERS.match(src, self.pos + 1)
                end = match.end() if match else min(self.pos + 2, len(src))
                raw, self.pos = src[self.pos:end], end
                return raw
            if src[self.pos] == "}":
                return ""
            self.pos += 1
            return src[self.pos - 1]
        depth, start = 0, self.pos + 1
        pos = self.pos
        while pos < len(src):
            char = src[pos]
            if char == "\\":
                pos += 2
                continue
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if depth == 0:
                    self.pos = pos + 1
                    return src[start:pos]
            pos += 1
        self.pos = len(src)
        return src[start:]

    def skip_optional(self) -> None:
        """Drop an optional ``[...]`` argument (and a star)."""
        src = self.src
        if self.pos < len(src) and src[self.pos] == "*":
            self.pos += 1
        self.skip_space()
        if self.pos < len(src) and src[self.pos] == "[":
            end = src.find("]", self.pos)
            self.pos = len(src) if end < 0 else end + 1

    def argument(self) -> Parts:
        """One argument, decoded: a group, a control sequence or one character."""
        self.skip_space()
        src = self.src
        if self.at_end() or src[self.pos] == "}":
            self.safe = False  # LaTeX would stop on a missing argument (``$\frac$``)
            return []
        char = src[self.pos]
        if char == "{":
            self.pos += 1
            parts = self.sequence()
            if not self.at_end():
                self.pos += 1
            return parts
        if char == "\\":
            self.pos += 1
            parts = self.control()
            return self.argument() if parts is _EXPANDED else parts
        self.pos += 1
        if self.math:
            return self.math_char(char)
        return ["\u00a0" if char == "~" else char]

    # -- text mode -------------------------------------------------------------

    def sequence(self, top: bool = False) -> Parts:
        """Parts up to the ``}`` that closes the current group (not consumed) or the end."""
        out: Parts = []
        while self.pos < len(self.src):
            src = self.src  # a macro expansion replaces it
            char = src[self.pos]
            if char == "}":
                if not top:
                    return out
                self.pos += 1  # a stray closing brace
                continue
            if self.math:
                out.extend(self.math_token())
                continue
            match = _PLAIN_RUN.match(src, self.pos)
            if match:
                out.append(match.group())
                self.pos = match.end()
                continue
            self.pos += 1
            if char == "\\":
                parts = self.control(out, top)
                if parts is _REST:
                    return out
                out.extend(parts)
            elif char == "{":
                starts_command = self.pos < len(src) and src[self.pos] == "\\"
                parts = self.sequence()
                if not self.at_end():
                    self.pos += 1
                if top and not starts_command and not self.math:
                    out.append(Protected(*parts))
                else:
                    out.extend(parts)
            elif char == "$":
                out.extend(self.dollar())
            elif char.isspace():
                self.skip_space()
                if not (out and isinstance(out[-1], str) and out[-1][-1:].isspace()):
                    out.append(" ")
            elif char == "~":
                out.append("\u00a0")
            elif char == "-":
                out.append(self.dashes())
            elif char == "`":
                out.append(self.left_quote())
            elif char == "'":
                out.append(self.right_quote())
        return out

    def dashes(self) -> str:
        src = self.src
        count = 1
        while self.pos < len(src) and src[self.pos] == "-" and count < 3:
            self.pos += 1
            count += 1
        return {1: "-", 2: "–", 3: "—"}[count]

    def left_quote(self) -> str:
        if self.pos < len(self.src) and self.src[self.pos] == "`":
            self.pos += 1
            return "“"
        self.state.open_quotes += 1
        return "‘"

    def right_quote(self) -> str:
        if self.pos < len(self.src) and self.src[self.pos] == "'":
            self.pos += 1
            return "”"
        if self.state.open_quotes:
            self.state.open_quotes -= 1
            return "’"
        return "'"  # an apostrophe stays as typed, so names still match

    def dollar(self) -> Parts:
        """``$...$`` or ``$$...$$``; a ``$`` that nothing closes is a dollar sign."""
        src = self.src
        display = self.pos < len(src) and src[self.pos] == "$"
        delimiter = "$$" if display else "$"
        start = self.pos + len(delimiter) - 1
        end = _find_unescaped(src, delimiter, start)
        if end < 0:
            return ["$"]
        self.pos = end + len(delimiter)
        return self.math_segment(src[start:end])

    def math_segment(self, source: str) -> Parts:
        parser = _Parser(source, self.state, math=True)
        children = parser.sequence(top=True)
        if not children:
            return []
        if parser.safe and source.isascii() and _balanced(source):
            return [Math(_escape_math(source), *children)]
        return children

    def control(self, out: Parts | None = None, top: bool = False) -> Parts:
        """After a backslash, in either mode."""
        name = self.control_name()
        if name is None:
            return []  # a trailing backslash
        if name in self.state.macros:
            if self.math:
                self.safe = False
            return self.expand(name)
        if self.math:
            parts = self.math_control(name)
            if parts is not None:
                return parts
            if name not in _TEXT_IN_MATH:
                self.safe = False  # decoded below, but not valid LaTeX math: the .tex gets the decoded text
        if name == "(" and not self.math:  # \(...\): inline math, as $...$
            end = self.src.find("\\)", self.pos)
            if end >= 0:
                source, self.pos = self.src[self.pos:end], end + 2
                return self.math_segment(source)
        handler = _SPECIAL_WORDS.get(name)
        if handler is not None:
            return handler(self, name, out)
        if name in _ACCENTS:
            return [_accent(_ACCENTS[name], self.argument(), name)]
        if name in _TEXT_SYMBOLS:
            return [_TEXT_SYMBOLS[name]]
        if name in _LOGOS:
            return [_LOGOS[name]]
        if name in _TEXT_COMMANDS:
            tag = _TEXT_COMMANDS[name]
            parts = self.argument()
            return [Tag(tag, *parts)] if tag else parts
        if name in _DECLARATIONS:
            tag = _DECLARATIONS[name]
            rest = self.sequence(top=top)  # the rest of the group, or of the field
            out_parts = [Tag(tag, *rest)] if tag else rest
            if out is not None:
                out.extend(out_parts)
                return _REST
            return out_parts
        greek = _GREEK.get(name) or _GREEK_NONSTANDARD.get(name)
        if greek is None and name.startswith("text"):
            greek = _GREEK.get(name[4:]) or _GREEK_NONSTANDARD.get(name[4:])
        if greek is not None:
            return [greek]
        if name in _MATH_SYMBOLS:
            return [_MATH_SYMBOLS[name]]
        if name in ("begin", "end"):
            env = self.raw_group().strip("{} ")
            if name == "begin" and env not in _DECLARATIONS:  # its content is kept; what it would do is not
                self.state.report(f"begin{{{env}}}")
            return []
        if name in _DROP_ONE_ARG:
            self.raw_group()
            return []
        if name in _SHOW_SECOND_ARG:
            self.raw_group()
            return self.argument()
        if name in _DIMENSIONS:
            if name == "hspace":
                self.skip_optional()
                self.raw_group()
            else:
                match = _DIMEN.match(self.src, self.pos)
                self.pos = match.end() if match else self.pos
            return [_DIMENSIONS[name]] if not self.math else []
        self.state.report(name)
        self.safe = False
        if name.isalpha():
            return []  # its arguments, if any, follow as groups and show as text
        return [] if name.isspace() or name in "-@!/*" else [name]

    def expand(self, name: str) -> Parts:
        """A user macro: its body replaces it in the input, as TeX expands macros."""
        state = self.state
        state.expansions += 1
        if state.expansions > MAX_EXPANSIONS or len(self.src) > _MAX_SOURCE:
            self.state.report(name + RECURSIVE)  # a macro that expands into itself: it is dropped, and said
            return []
        body, rest = state.macros[name], self.src[self.pos:]
        if rest[:1].isalpha() and _ENDS_WITH_WORD.search(body):
            body += " "  # the body's last control word must not run into the letters after it
        self.src, self.pos = body + rest, 0
        return _EXPANDED

    # -- math mode -------------------------------------------------------------

    def math_token(self) -> Parts:
        src = self.src
        char = src[self.pos]
        self.pos += 1
        if char == "\\":
            return self.control()
        if char == "{":
            saved = self.upright
            parts = self.sequence()
            self.upright = saved
            if not self.at_end():
                self.pos += 1
            return parts
        if char in "^_":
            return self.script("sup" if char == "^" else "sub")
        if char.isspace():
            return []
        if char.isascii() and char.isalpha():
            match = _LETTERS.match(src, self.pos - 1)
            self.pos = match.end()
            letters = match.group()
            return [letters] if self.upright else [Tag("em", letters)]
        return self.math_char(char)

    def math_char(self, char: str) -> Parts:
        if char.isascii() and char.isalpha() and not self.upright:
            return [Tag("em", char)]
        if char == "'":
            count = 1
            while self.pos < len(self.src) and self.src[self.pos] == "'":
                self.pos += 1
                count += 1
            return ["′" * count]
        return [{"-": "−", "~": "\u00a0", "*": "∗"}.get(char, char)]

    def script(self, tag: str) -> Parts:
        parts = self.argument()
        flat = "".join(str(p) for p in parts)
        if tag == "sup" and flat in ("∘", "°"):
            return ["°"]
        if tag == "sup" and flat and set(flat) == {"′"}:
            return [flat]
        return [Tag(tag, *parts)] if parts else []

    def math_control(self, name: str) -> Parts | None:
        """Math-only meanings; None for what text mode decodes the same way."""
        if name in _GREEK:
            return [_GREEK[name]]
        if name in _GREEK_NONSTANDARD:
            self.safe = False
            return [_GREEK_NONSTANDARD[name]]
        if name in _MATH_SYMBOLS:
            return [_MATH_SYMBOLS[name]]
        if name in _MATH_FUNCTIONS:
            return [name]
        if name in _MATH_IGNORED:
            return []
        if name in _MATH_ACCENTS:
            return [_accent(_MATH_ACCENTS[name], self.argument(), name)]
        fonts = _MATH_FONTS.get(name) or _MATH_FONTS_NONSTANDARD.get(name)
        if fonts is not None:
            if name in _MATH_FONTS_NONSTANDARD:
                self.safe = False
            upright, tag = fonts
            saved, self.upright = self.upright, upright
            parts = self.argument()
            self.upright = saved
            return [Tag(tag, *parts)] if tag else parts
        if name in _MATH_DECLARATIONS:
            self.upright = _MATH_DECLARATIONS[name]
            return []
        if name in ("text", "textrm", "textup", "textnormal", "mbox", "hbox", "textit", "textbf", "textsf",
                    "texttt", "emph"):
            self.math = False
            parts = self.argument()
            self.math = True
            tag = _TEXT_COMMANDS.get(name, "")
            return [Tag(tag, *parts)] if tag else parts
        if name in ("frac", "dfrac", "tfrac"):
            numerator, denominator = self.argument(), self.argument()
            return [*_wrap(numerator), "/", *_wrap(denominator)]
        if name == "sqrt":
            self.skip_optional()
            return ["√", *_wrap(self.argument())]
        if name in (",", ";", ":", ">", " "):
            return ["\u2009" if name == "," else " "]
        if name == "!":
            return []
        if name == "|":
            return ["‖"]
        return None


def _wrap(parts: Parts) -> Parts:
    """Brackets around a numerator, denominator or root longer than one character."""
    return ["(", *parts, ")"] if len("".join(str(p) for p in parts)) > 1 else parts


class _Rest(list):
    """Returned by a declaration (``\\em``) that took the rest of its group into ``out``."""


_REST = _Rest()
_EXPANDED = _Rest()  # a user macro was expanded in place: read on


def _accent(mark: str, parts: Parts, name: str) -> str:
    base = "".join(str(p) for p in parts)
    if not base:
        return _SPACING_ACCENT.get(name, "")
    first = base[0]
    if mark not in _BELOW:
        first = {"ı": "i", "ȷ": "j"}.get(first, first)
    return unicodedata.normalize("NFC", first + mark + base[1:])


def _find_unescaped(src: str, needle: str, start: int) -> int:
    pos = start
    while pos < len(src):
        if src[pos] == "\\":
            pos += 2
            continue
        if src.startswith(needle, pos):
            return pos
        pos += 1
    return -1


def _balanced(source: str) -> bool:
    """Braces balanced, and no lone backslash at the end (it would escape the closing ``$``)."""
    depth, pos = 0, 0
    while pos < len(source):
        char = source[pos]
        if char == "\\":
            if pos + 1 == len(source):
                return False
            pos += 2
            continue
        if char == "$":
            return False
        depth += (char == "{") - (char == "}")
        if depth < 0:
            return False
        pos += 1
    return depth == 0


def _escape_math(source: str) -> str:
    """Bare ``%``, ``&`` and ``#`` are text in a .bib field; in LaTeX math they would not be."""
    out, pos = [], 0
    while pos < len(source):
        char = source[pos]
        if char == "\\":
            out.append(source[pos:pos + 2])
            pos += 2
            continue
        out.append("\\" + char if char in "%&#" else char)
        pos += 1
    return "".join(out)


# -- Commands that read their arguments in their own way -------------------------


def _symbol(value: str) -> Callable[[_Parser, str, Parts | None], Parts]:
    return lambda parser, name, out: [value]


def _url(parser: _Parser, name: str, out: Parts | None) -> Parts:
    url = parser.raw_group().strip()
    return [_link(url, url)]


def _href(parser: _Parser, name: str, out: Parts | None) -> Parts:
    url = parser.raw_group().strip()
    label = parser.argument()
    return [_link(url, *label)] if label else [_link(url, url)]


def _doi(parser: _Parser, name: str, out: Parts | None) -> Parts:
    doi = parser.raw_group().strip()
    return [_link(f"https://doi.org/{doi}", doi)] if doi else []


def _link(url: str, *label) -> BaseMultipartText:
    return HRef(url, *label) if _SAFE_URL.match(url) else Text(*label)


def _verbatim(parser: _Parser, name: str, out: Parts | None) -> Parts:
    """``\\verb|x|``, ``\\path|x|``, ``\\path{x}``: the characters as they are."""
    src = parser.src
    if parser.at_end():
        return []
    if src[parser.pos] == "{":
        return [parser.raw_group()]
    if parser.src[parser.pos] == "*":
        parser.pos += 1
    delimiter = src[parser.pos] if parser.pos < len(src) else ""
    end = src.find(delimiter, parser.pos + 1) if delimiter else -1
    if end < 0:
        text, parser.pos = src[parser.pos + 1:], len(src)
        return [text]
    text = src[parser.pos + 1:end]
    parser.pos = end + 1
    return [text]


def _ensuremath(parser: _Parser, name: str, out: Parts | None) -> Parts:
    source = parser.raw_group()
    if not parser.math:
        return parser.math_segment(source)
    inner = _Parser(source, parser.state, math=True)
    parts = inner.sequence(top=True)
    parser.safe = parser.safe and inner.safe
    return parts


def _paren_math(parser: _Parser, name: str, out: Parts | None) -> Parts:
    """``\\(...\\)`` and ``\\[...\\]``."""
    if parser.math:
        return [name]
    close = "\\)" if name == "(" else "\\]"
    end = parser.src.find(close, parser.pos)
    if end < 0:
        return [name]
    source = parser.src[parser.pos:end]
    parser.pos = end + 2
    return parser.math_segment(source)


def _case(method: str) -> Callable[[_Parser, str, Parts | None], Parts]:
    def handler(parser: _Parser, name: str, out: Parts | None) -> Parts:
        return [getattr(Text(*parser.argument()), method)()]
    return handler


def _enquote(parser: _Parser, name: str, out: Parts | None) -> Parts:
    return ["“", *parser.argument(), "”"]


def _with_optional(parser: _Parser, name: str, out: Parts | None) -> Parts:
    parser.skip_optional()
    parser.skip_optional()
    return parser.argument()


def _raisebox(parser: _Parser, name: str, out: Parts | None) -> Parts:
    parser.raw_group()
    parser.skip_optional()
    parser.skip_optional()
    return parser.argument()


def _char(parser: _Parser, name: str, out: Parts | None) -> Parts:
    match = _CHAR_CODE.match(parser.src, parser.pos)
    if not match:
        return []
    parser.pos = match.end()
    decimal, octal, hexa, literal = match.groups()
    if literal:
        return [literal]
    code = int(decimal) if decimal else int(octal, 8) if octal else int(hexa, 16)
    return [chr(code)] if 32 <= code < 0x110000 else []


def _line_break(parser: _Parser, name: str, out: Parts | None) -> Parts:
    """``\\\\``: a line break, which in running text is a space."""
    parser.skip_optional()
    return [" "]


def _dash(parser: _Parser, name: str, out: Parts | None) -> Parts:
    """TUGboat's ``\\Dash``: an em dash between thin spaces, taking the space before it."""
    if out and isinstance(out[-1], str) and out[-1].endswith(" "):
        out[-1] = out[-1].rstrip()
    return ["\u2009—\u2009"]


def _quote(value: str) -> Callable[[_Parser, str, Parts | None], Parts]:
    return lambda parser, name, out: [value]


_SPECIAL_WORDS: dict[str, Callable[[_Parser, str, Parts | None], Parts]] = {
    "url": _url, "href": _href, "doi": _doi, "verb": _verbatim, "path": _verbatim,
    "ensuremath": _ensuremath, "(": _paren_math, "[": _paren_math,
    "MakeUppercase": _case("upper"), "uppercase": _case("upper"), "MakeTextUppercase": _case("upper"),
    "MakeLowercase": _case("lower"), "lowercase": _case("lower"), "MakeTextLowercase": _case("lower"),
    "enquote": _enquote, "mkbibquote": _enquote, "makebox": _with_optional, "framebox": _with_optional,
    "parbox": _with_optional, "raisebox": _raisebox, "char": _char, "\\": _line_break, "Dash": _dash,
    "&": _symbol("&"), "%": _symbol("%"), "$": _symbol("$"), "#": _symbol("#"), "_": _symbol("_"),
    "{": _symbol("{"), "}": _symbol("}"), ",": _symbol("\u202f"), " ": _symbol(" "), "\n": _symbol(" "),
    "\t": _symbol(" "), "\r": _symbol(" "), "/": _symbol(""), "-": _symbol(""), "@": _symbol(""),
    "!": _symbol(""), ";": _symbol(" "), ":": _symbol(" "), ">": _symbol(" "), ")": _symbol(""),
    "]": _symbol(""), "|": _symbol("‖"),
}


# -- The API ---------------------------------------------------------------------


def decode(value: str, macros: Mapping[str, str] | None = None) -> Decoded:
    """A field value as rich text; ``macros`` are the file's own (``preamble_macros``)."""
    key = tuple(sorted((name.lstrip("\\"), body) for name, body in macros.items())) if macros else ()
    return _decode(value, key)


@lru_cache(maxsize=65536)
def _decode(value: str, macros: tuple[tuple[str, str], ...]) -> Decoded:
    if not value:
        return Decoded(Text())
    value = unicodedata.normalize("NFC", value)
    if "textdollar" in value:
        value = _DBLP_MATH.sub(_dblp_math, value)
    if "textbackslash" in value:  # DBLP's escaped command: {\textbackslash}textsf\{NC\} is \textsf{NC}
        value = _DBLP_COMMAND.sub(lambda m: f"\\{m.group(1)}{{{m.group(2)}}}", value)
    if not _NEEDS_PARSING.search(value):
        return Decoded(Text(value))
    state = _State(dict(macros))
    try:
        parts = _Parser(value, state).sequence(top=True)
        text = Text(*_merge_spaces(parts))
    except Exception:  # never raise on a field: keep what can be read
        text = Text(_SPACE_RUN.sub(" ", re.sub(r"\\[A-Za-z]+|[\\{}$]", "", value)))
    return Decoded(text, tuple(state.unknown))


# DBLP escapes the math of a title as text: ``{\textdollar}{\textbackslash}mathrm\{AC\}{\^{}}0{\textdollar}``
# is ``$\mathrm{AC}^0$``.  Between two escaped dollars the escapes are undone, so the math is math again.
_DBLP_MATH = re.compile(r"\{?\\textdollar\}?(.+?)\{?\\textdollar\}?")
_DBLP_COMMAND = re.compile(r"\{?\\textbackslash\}?\s*([A-Za-z]+)\\\{([^{}\\]*)\\\}")
_DBLP_ESCAPES = ((r"{\textbackslash}", "\\"), (r"\textbackslash ", "\\"), (r"\textbackslash", "\\"),
                 ("{\\^{}}", "^"), ("\\^{}", "^"), ("{\\textasciicircum}", "^"), ("{\\_}", "_"), ("\\_", "_"),
                 ("{\\textunderscore}", "_"), ("\\{", "{"), ("\\}", "}"))


def _dblp_math(match: re.Match) -> str:
    inner = match.group(1)
    if "textbackslash" not in inner and "^" not in inner and "\\_" not in inner:
        return match.group(0)  # two dollar signs in a text, not escaped math
    for escaped, char in _DBLP_ESCAPES:
        inner = inner.replace(escaped, char)
    return "$" + inner + "$"


def _merge_spaces(parts: Parts) -> Parts:
    """A space run that was split between two parts (``a {} b``) becomes one space."""
    out: Parts = []
    for part in parts:
        if isinstance(part, str) and part.startswith(" ") and out and isinstance(out[-1], str) \
                and out[-1].endswith(" "):
            part = part.lstrip(" ")
        if part:
            out.append(part)
    return out


def decode_plain(value: str, macros: Mapping[str, str] | None = None) -> str:
    """Plain Unicode, for matching, sorting and selectors: no markup, super/subscripts as plain
    characters, every run of white space (no-break and thin spaces too) one space."""
    if macros:
        return _flatten(decode(value, macros).text)
    return _plain(value)


@lru_cache(maxsize=65536)
def _plain(value: str) -> str:
    return _flatten(_decode(value, ()).text)


def _flatten(text: Text) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text)).split())


_DEFINITION = re.compile(
    r"\\(?P<cmd>newcommand|renewcommand|providecommand|DeclareRobustCommand|def|gdef|edef|xdef|let)\*?\s*"
)


def preamble_macros(preamble_text: str) -> dict[str, str]:
    """Argument-free macros a .bib file defines in its ``@preamble``, as ``{"\\foo": "body"}``.

    ``\\newcommand``, ``\\renewcommand``, ``\\providecommand`` (only for names the decoder does
    not know), ``\\DeclareRobustCommand``, ``\\def`` and ``\\let``; macros with arguments are
    skipped (their uses then show their arguments as text, as unknown macros do).
    """
    found: dict[str, str] = {}
    for match in _DEFINITION.finditer(preamble_text or ""):
        parser = _Parser(preamble_text, _State({}))
        parser.pos = match.end()
        command = match.group("cmd")
        raw_name = parser.raw_group().strip()
        if not raw_name.startswith("\\") or len(raw_name) < 2:
            continue
        name = raw_name[1:]
        if command == "let":
            parser.skip_space()
            if preamble_text.startswith("=", parser.pos):
                parser.pos += 1
            target = parser.raw_group().strip()
            if target.startswith("\\"):
                found["\\" + name] = target
            continue
        if command.endswith("def"):
            parser.skip_space()
            if not preamble_text.startswith("{", parser.pos):
                continue  # a parameter text: the macro takes arguments
        else:
            parser.skip_space()
            if preamble_text.startswith("[", parser.pos):
                continue  # [n] arguments
        if not preamble_text.startswith("{", parser.pos):
            parser.skip_space()
        if not preamble_text.startswith("{", parser.pos):
            continue
        body = parser.raw_group()
        if command == "providecommand" and (_is_known(name) or "\\" + name in found):
            continue
        found["\\" + name] = body
    return found
