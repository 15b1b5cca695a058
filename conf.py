# Configuration of the CV of Lin Liu.  Settings only: the code lives in ext/cvsphinx.
# "Use it for your own CV" in README.md explains each cv_* value.

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "ext"))

# -- Project -----------------------------------------------------------------

project = "Lin Liu"
author = "Lin Liu"
copyright = "2019, Lin Liu"
language = "en"

extensions = [
    "myst_parser",
    "cvsphinx",
]
source_suffix = {".md": "markdown"}
root_doc = "index"
# The section files are pulled into index.md with {include}; they are not pages of their own.
exclude_patterns = ["_build", "_readthedocs", "sections", "tests", "ext", "bench", "README.md", ".*"]

# -- Options for MyST --------------------------------------------------------

myst_enable_extensions = ["colon_fence", "attrs_inline", "attrs_block"]
myst_heading_anchors = 3

# -- Options for the CV (cvsphinx) -------------------------------------------

cv_owner = "Liu, Lin"
cv_bibfiles = ["refs.bib"]

# Roles: marker symbol and meaning; "heading" puts the role's people into the
# Research Students Supervised section, "show_periods" adds their years.
cv_roles = {
    "student": {"label": "graduate student", "symbol": "*", "heading": "CUHK Postgraduates"},
    "postdoc": {"label": "postdoc", "symbol": "×", "heading": "Postdocs", "show_periods": True},
    "visitor": {"label": "visiting student", "symbol": "◊"},
}

# A role also covers papers that appear this many years after it ended.
cv_role_lag_years = 2

# Supervised people, in the order the CV lists them.  The CV gives the postdocs'
# years; for the graduate students it gives none, so each period here starts in
# the first year the CV marks that student.
cv_roster = [
    {"name": "Joseph H.Y. Ma", "roles": {"student": "2017–present"}},
    {"name": "Jie Chen", "roles": {"student": "2018–present"}},
    {"name": "Xiyu Chen", "roles": {"student": "2019–present"}},
    {"name": "Enze Zhang", "roles": {"student": "2017–present"}},
    {"name": "Lingcao Huang", "roles": {"student": "2018–present"}},
    {"name": "Yan Hu", "roles": {"visitor": "2018", "student": "2019–present"}},
    {"name": "Jiahua Zhang", "roles": {"student": "2018–present"}},
    {"name": "Bo Hu", "roles": {"postdoc": "2015"}, "expect_papers": False},
    {"name": "Zhiwei Zhou", "roles": {"postdoc": "2016–2017"}, "expect_papers": False},
    {"name": "Bao Zhang", "roles": {"postdoc": "2017–2018"}},
    {"name": "Guoyan Jiang", "roles": {"postdoc": "2016–present"}},
    {"name": "Jiangjun Ran", "roles": {"postdoc": "2018"}},
    {"name": "Z. Wu", "roles": {"visitor": "2018"}},
    {"name": "X. Wang", "roles": {"visitor": "2017"}},
]

# Publication groups, in CV order; numbering runs on from one group to the next.
cv_publication_groups = [
    {"name": "peer-reviewed", "title": None, "select": "type == 'article' and not pubstate"},
    {"name": "in-review", "title": "Papers in Review", "select": "type == 'article' and pubstate"},
    # The CV does not mark supervisees on its data products.
    {"name": "data", "title": "Published Data Products (selected)", "select": "type == 'dataset'",
     "markers": False},
    {"name": "other", "title": "Other Publications (non-peer-reviewed)",
     "select": "type in ('misc', 'phdthesis', 'techreport')"},
]

# -- The page as a public profile (schema.org data, meta tags, PDF metadata) -----

cv_person = {
    "job_title": "Assistant Professor",
    "affiliation": "The Chinese University of Hong Kong",
    "email": "liulin@cuhk.edu.hk",
    "url": "http://cryocuhk.github.io",
    "orcid": "0000-0002-9581-1337",
}
cv_keywords = ["cryosphere", "near surface geophysics", "geodesy", "remote sensing", "deep learning"]

# -- Variants of the CV (README: "Variants: a short CV, a grant format") ----

# Year windows ("years", "entry_years") count back from this year, so that a build next
# year makes the same PDFs; the year this CV is dated.
cv_reference_year = 2019

cv_variants = {
    # A two-page CV for job applications: the main sections, the publications marked
    # `selected = {true}` in refs.bib, the courses tagged [short] in sections/teaching.md.
    "short": {
        "label": "Two-page CV",
        "sections": ["Education", "Honors and Awards", "Professional Experience", "Teaching Experience",
                     "Publications", "Active Research Projects", "Research Students Supervised"],
        "select": "selected",
        "page_limit": 2,
    },
    # The format the Hong Kong Research Grants Council asks of applicants: Times-like 12 pt,
    # single spacing, 2.5 cm margins, publications of the last five years with the owner and
    # the supervisees marked, research grants of the last five years.
    "rgc": {
        "title": "Lin Liu — Curriculum Vitae",
        "label": "Research Grants Council format",
        "sections": ["Education", "Honors and Awards", "Professional Experience", "Publications",
                     "Active Research Projects", "Completed Research Projects"],
        "years": 5,
        "entry_years": {"Completed Research Projects": 5},
        "font": "TeX Gyre Termes",
        "font_size": "12pt",
        "paper": "a4paper",
        "margins": "2.5cm",
        "line_spacing": 1,
    },
}

# -- Options for HTML output -------------------------------------------------

html_theme = "furo"
html_title = "Lin Liu — Curriculum Vitae"
html_static_path = ["_static"]
html_css_files = ["cv.css"]
html_copy_source = False
html_show_sourcelink = False
html_sidebars = {
    "**": [
        "sidebar/brand.html",
        "sidebar/cv-sections.html",
    ]
}
html_theme_options = {
    "navigation_with_keys": True,
}

# -- Options for LaTeX / PDF output -------------------------------------------

latex_engine = "xelatex"
latex_theme = "howto"
latex_documents = [("index", "lin-liu-cv.tex", project, "", "howto", False)]
latex_domain_indices = False
latex_show_urls = "no"
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
    "sphinxsetup": "hmargin=2cm, vmargin={2cm,2.5cm}, TitleColor={rgb}{0.1,0.15,0.3}, "
    "InnerLinkColor={rgb}{0.1,0.2,0.5}, OuterLinkColor={rgb}{0.1,0.2,0.5}",
    # the title only (project, or a variant's "title"): the contact block below it comes from index.md
    "maketitle": r"\begin{center}{\LARGE\bfseries\csname @title\endcsname\par}\end{center}",
    "preamble": r"""
\setcounter{secnumdepth}{0}
\pagestyle{plain}
\makeatletter
\fancypagestyle{normal}{\fancyhf{}\fancyfoot[C]{\thepage}\renewcommand{\headrulewidth}{0pt}}
\fancypagestyle{plain}{\fancyhf{}\fancyfoot[C]{\thepage}\renewcommand{\headrulewidth}{0pt}\renewcommand{\footrulewidth}{0pt}}
\makeatother
\setlength{\parskip}{2pt}
\newenvironment{sphinxclasscv-contact}{\begin{center}}{\end{center}}
""",
}
