# Variants of one small CV: "brief" (sections, tags, selected papers, a count, one page at most)
# and "grant" (a year window on papers and on one section's lines, its own title and layout).
extensions = ["myst_parser", "cvsphinx"]
exclude_patterns = ["_build"]
project = "Variant Tester"

cv_owner = "Liu, Lin"
cv_roles = {"student": {"label": "graduate student", "symbol": "*", "heading": "Graduate Students"}}
cv_roster = [{"name": "Xiyu Chen", "roles": {"student": "2017–present"}}]
cv_publication_groups = [
    {"name": "journal", "title": "Journal Articles", "select": "type == 'article'"},
    {"name": "other", "title": "Other Publications", "select": "type in ('misc', 'phdthesis')"},
]
cv_reference_year = 2019
cv_variants = {
    "brief": {
        "label": "One-page CV",
        "sections": ["Education", "Teaching", "Publications"],
        "select": "selected",
        "max_per_group": {"journal": 2},
        "page_limit": 1,
    },
    "grant": {
        "title": "Variant Tester — Grant CV",
        "pdf": "grant-cv.pdf",
        "sections": ["education", "projects", "publications"],  # ids and file names work too
        "years": 3,
        "entry_years": {"Projects": 3},
        "font": "TeX Gyre Termes",
        "font_size": "12pt",
        "paper": "letterpaper",
        "margins": "2.5cm",
        "line_spacing": 1.5,
    },
}

latex_engine = "xelatex"
latex_documents = [("index", "tester-cv.tex", project, "", "howto", False)]
latex_elements = {
    "fontpkg": r"""
\setmainfont{FreeSerif}[Extension=.otf, UprightFont=*, ItalicFont=*Italic,
  BoldFont=*Bold, BoldItalicFont=*BoldItalic]
\setsansfont{FreeSans}[Extension=.otf, UprightFont=*, ItalicFont=*Oblique,
  BoldFont=*Bold, BoldItalicFont=*BoldOblique]
\usepackage{xeCJK}
\setCJKmainfont{Noto Serif CJK SC}
\xeCJKDeclareCharClass{Default}{"2013, "2014, "00D7, "25CA}
""",
    "maketitle": r"\begin{center}{\LARGE\bfseries\csname @title\endcsname\par}\end{center}",
    "tableofcontents": "",  # a CV has none; with one, LaTeX needs a second run for it
}
