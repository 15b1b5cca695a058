"""What LaTeX's commands in .bib fields mean: accents, symbols, logos, Greek and math, text commands and
declarations, and the patterns the tokenizer reads with.  Tables only."""

from __future__ import annotations

import re

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


# \mathbb, \mathcal, \mathfrak on the page and in text: the letters' own Unicode forms (the PDF keeps the math).
# Unicode has some of them in its letterlike block, not with the rest (the ``holes``).
def _alphabet(start: int, holes: dict[str, str], lower_start: int | None = None) -> dict[int, str]:
    table = {ord(c): holes.get(c, chr(start + i)) for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}
    if lower_start is not None:
        table.update({ord(c): holes.get(c, chr(lower_start + i)) for i, c in enumerate("abcdefghijklmnopqrstuvwxyz")})
    return table


_SCRIPT = _alphabet(0x1D49C, {"B": "ℬ", "E": "ℰ", "F": "ℱ", "H": "ℋ", "I": "ℐ", "L": "ℒ", "M": "ℳ", "R": "ℛ"})
_LETTER_STYLES: dict[str, dict[int, str]] = {
    "mathbb": {**_alphabet(0x1D538, {"C": "ℂ", "H": "ℍ", "N": "ℕ", "P": "ℙ", "Q": "ℚ", "R": "ℝ", "Z": "ℤ"}, 0x1D552),
               **{ord(str(d)): chr(0x1D7D8 + d) for d in range(10)}},
    "mathcal": _SCRIPT,
    "mathscr": _SCRIPT,
    "mathfrak": _alphabet(0x1D504, {"C": "ℭ", "H": "ℌ", "I": "ℑ", "R": "ℜ", "Z": "ℨ"}, 0x1D51E),
}


# AMS-TeX's \Bbb and \frak, which amsfonts keeps as obsolete names: MathSciNet's titles write {$\Bbb R^d$}
# (chenle02/SPDEs-Bib); the PDF gets their letters, not the obsolete command
_MATH_FONTS_NONSTANDARD = {"bm": (False, "strong"), "mathbold": (True, "strong"), "Bbb": (True, None),
                           "frak": (True, None)}
_LETTER_STYLES["Bbb"], _LETTER_STYLES["frak"] = _LETTER_STYLES["mathbb"], _LETTER_STYLES["mathfrak"]


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
