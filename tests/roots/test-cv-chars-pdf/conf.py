# Control characters, a glyph no font has, and a huge field, built to PDF with the real CV's engine and fonts;
# the path of the project's conf.py in CV_PROJECT_CONF.
import os
import runpy

_project = runpy.run_path(os.environ["CV_PROJECT_CONF"])

extensions = ["myst_parser", "cvsphinx"]
exclude_patterns = ["_build"]
project = "Characters PDF"
author = "Lin Liu"
language = "en"

cv_owner = "Liu, Lin"
cv_bibfiles = ["refs.bib"]
cv_roles = {"student": {"label": "graduate student", "symbol": "*"}}
cv_roster = []
cv_publication_groups = [
    {"name": "all", "title": "Publications", "select": "type != ''"},
]

latex_engine = _project["latex_engine"]
latex_theme = "howto"
latex_documents = [("index", "chars.tex", "Characters PDF", "", "howto", False)]
latex_domain_indices = False
latex_elements = {
    "papersize": "a4paper",
    "pointsize": "11pt",
    # the real CV's fonts (with the CJK fallback), read from its conf.py so the test follows it
    "fontpkg": _project["latex_elements"]["fontpkg"],
    "fncychap": "",
    "releasename": "",
    "tableofcontents": "",
    "printindex": "",
    "makeindex": "",
}
