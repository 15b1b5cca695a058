# A tiny CV built to PDF with the same engine and fonts as the real one (/work/main/conf.py).
extensions = ["myst_parser", "cvsphinx"]
exclude_patterns = ["_build"]
project = "Hostile PDF"
author = "Lin Liu"
language = "en"

cv_owner = "Liu, Lin"
cv_bibfiles = ["refs.bib"]
cv_roles = {"student": {"label": "graduate student", "symbol": "*"}}
cv_roster = []
cv_publication_groups = [
    {"name": "all", "title": "Publications", "select": "type != ''"},
]

latex_engine = "xelatex"
latex_theme = "howto"
latex_documents = [("index", "hostile.tex", "Hostile PDF", "", "howto", False)]
latex_domain_indices = False
latex_elements = {
    "papersize": "a4paper",
    "pointsize": "11pt",
    "fontpkg": r"""
\setmainfont{FreeSerif}[Extension=.otf, UprightFont=*, ItalicFont=*Italic,
  BoldFont=*Bold, BoldItalicFont=*BoldItalic]
\setsansfont{FreeSans}[Extension=.otf, UprightFont=*, ItalicFont=*Oblique,
  BoldFont=*Bold, BoldItalicFont=*BoldOblique]
\setmonofont{FreeMono}[Extension=.otf, UprightFont=*, ItalicFont=*Oblique,
  BoldFont=*Bold, BoldItalicFont=*BoldOblique, Scale=0.9]
% Chinese, Japanese and Korean names fall back to Noto CJK; quotes, dashes and
% the markers stay in the main font.
\usepackage{xeCJK}
\setCJKmainfont{Noto Serif CJK SC}
\setCJKsansfont{Noto Sans CJK SC}
\setCJKmonofont{Noto Sans Mono CJK SC}
\xeCJKDeclareCharClass{Default}{"2013, "2014, "2018, "2019, "201C, "201D, "2026, "00D7, "25CA, "00B7}
""",
    "fncychap": "",
    "releasename": "",
    "tableofcontents": "",
    "printindex": "",
    "makeindex": "",
}
