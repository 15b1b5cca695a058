# Right-to-left text, built to HTML and (with the real CV's fonts, CV_PROJECT_CONF) to a PDF.
import os
import runpy

_project = runpy.run_path(os.environ["CV_PROJECT_CONF"]) if os.environ.get("CV_PROJECT_CONF") else {}

extensions = ["myst_parser", "cvsphinx"]
exclude_patterns = ["_build"]
project = "Right to left"
author = "Lin Liu"
language = "en"
html_theme = "basic"

cv_owner = "Liu, Lin"
cv_bibfiles = ["refs.bib"]
cv_roster = []
cv_publication_groups = [{"name": "all", "title": "Publications", "select": "type != ''"}]

latex_engine = "xelatex"
latex_theme = "howto"
latex_documents = [("index", "rtl.tex", "Right to left", "", "howto", False)]
latex_domain_indices = False
latex_elements = {
    "papersize": "a4paper",
    "fontpkg": _project.get("latex_elements", {}).get("fontpkg", ""),
    "fncychap": "",
    "releasename": "",
    "tableofcontents": "",
    "printindex": "",
    "makeindex": "",
}
