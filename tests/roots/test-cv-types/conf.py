# One entry of every standard biblatex type, in BibTeX and in biblatex form (tests/sphinx/test_types.py).
# For the PDF, the path of the project's conf.py is in CV_PROJECT_CONF: its engine and fonts are used.
import os
import runpy

_conf = os.environ.get("CV_PROJECT_CONF")
_project = runpy.run_path(_conf) if _conf else {"latex_engine": "xelatex", "latex_elements": {"fontpkg": ""}}

extensions = ["myst_parser", "cvsphinx"]
exclude_patterns = ["_build"]
project = "Entry types"
author = "Lin Liu"
language = "en"

cv_owner = "Liu, Lin"
cv_bibfiles = ["refs.bib"]
cv_roles = {"student": {"label": "graduate student", "symbol": "*"}}
cv_roster = [{"name": "Xiyu Chen", "roles": {"student": "2019–present"}}]
# Editors-only and other people's books have no owner; each pair is one paper twice (same DOI).
suppress_warnings = ["cv.owner_absent", "cv.duplicate_doi"]
cv_publication_groups = [
    {"name": "all", "title": None, "select": "type != ''"},
]

latex_engine = _project["latex_engine"]
latex_theme = "howto"
latex_documents = [("index", "types.tex", "Entry types", "", "howto", False)]
latex_domain_indices = False
latex_show_urls = "no"
latex_elements = {
    "papersize": "a4paper",
    "pointsize": "11pt",
    "fontpkg": _project["latex_elements"]["fontpkg"],
    "fncychap": "",
    "releasename": "",
    "tableofcontents": "",
    "printindex": "",
    "makeindex": "",
}
