# A small CV for the page's exports, metadata and statistics (tests/sphinx/test_exports.py,
# test_meta.py, test_stats.py).  Built to PDF with the real CV's engine and fonts when the
# test passes the project's conf.py in CV_PROJECT_CONF.
import os
import runpy

_project = runpy.run_path(os.environ["CV_PROJECT_CONF"]) if os.environ.get("CV_PROJECT_CONF") else {}

extensions = ["myst_parser", "cvsphinx"]
exclude_patterns = ["_build"]
project = "Marie Curie"
author = "Marie Curie"
language = "en"
html_theme = "furo"
html_sidebars = {"**": ["sidebar/brand.html", "sidebar/cv-sections.html"]}

cv_owner = "Curie, Marie"
cv_owner_aliases = ["Skłodowska, Maria"]
cv_roles = {
    "student": {"label": "graduate student", "symbol": "*", "heading": "Graduate Students"},
    "postdoc": {"label": "postdoc", "symbol": "×", "heading": "Postdocs"},
}
cv_roster = [
    {"name": "Irène Joliot", "roles": {"student": "2016–2019"}},
    {"name": "Marguerite Perey", "roles": {"student": "2018–present"}},
    {"name": "André Debierne", "roles": {"postdoc": "2015–2017"}},
]
cv_publication_groups = [
    {"name": "articles", "title": "Journal Articles", "select": "type == 'article' and not pubstate"},
    {"name": "in-review", "title": "Papers in Review", "select": "type == 'article' and pubstate"},
    {"name": "proceedings", "title": None, "select": "type == 'inproceedings'"},
    {"name": "data", "title": "Data", "select": "type == 'dataset'", "markers": False},
    {"name": "other", "title": "Other Publications", "select": "type in ('misc', 'phdthesis', 'proceedings')"},
]
cv_person = {
    "job_title": "Professor of Physics",
    "affiliation": ["University of Paris", "Radium Institute"],
    "email": "marie.curie@example.org",
    "url": "https://example.org/curie-lab",
    "orcid": "https://orcid.org/0000-0002-1825-0097",
    "google_scholar": "qc6CJjYAAAAJ",
    "same_as": ["https://en.wikipedia.org/wiki/Marie_Curie"],
}
cv_keywords = ["radioactivity", "polonium", "radium"]

latex_engine = _project.get("latex_engine", "xelatex")
latex_theme = "howto"
latex_documents = [("index", "marie-curie-cv.tex", "Marie Curie", "", "howto", False)]
latex_domain_indices = False
latex_elements = {
    "papersize": "a4paper",
    "pointsize": "11pt",
    "fontpkg": _project.get("latex_elements", {}).get("fontpkg", ""),
    "fncychap": "",
    "releasename": "",
    "tableofcontents": "",
    "printindex": "",
    "makeindex": "",
    "maketitle": r"\begin{center}{\LARGE\bfseries Marie Curie\par}\end{center}",
}
