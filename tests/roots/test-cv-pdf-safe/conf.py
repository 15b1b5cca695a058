# A CV whose PDF must fail safe: long unbreakable words, and (with CV_TEST_HANG set) a LaTeX run that
# never ends at one entry, as a recursive macro or a pathological paragraph would.
import os
import runpy

_project = runpy.run_path(os.environ["CV_PROJECT_CONF"])

extensions = ["myst_parser", "cvsphinx"]
exclude_patterns = ["_build"]
project = "PDF fail-safe"
author = "Lin Liu"
language = "en"
html_theme = "basic"

cv_owner = "Liu, Lin"
cv_bibfiles = ["refs.bib"]
cv_roster = []
cv_publication_groups = [{"name": "all", "title": "Publications", "select": "type != ''"}]

latex_engine = _project["latex_engine"]
latex_theme = "howto"
latex_documents = [("index", "safe.tex", "PDF fail-safe", "", "howto", False)]
latex_domain_indices = False
_hang = ""
if os.environ.get("CV_TEST_HANG"):
    # TeX loops for ever once it starts the entry named in CV_TEST_HANG
    _hang = (r"\let\cvtestentry\cvsphinxentry"
             r"\def\cvtesthang{" + os.environ["CV_TEST_HANG"] + "}"
             r"\renewcommand{\cvsphinxentry}[1]{\cvtestentry{#1}\def\cvtestthis{#1}"
             r"\ifx\cvtestthis\cvtesthang\loop\iftrue\repeat\fi}")
latex_elements = {
    "papersize": "a4paper",
    "fontpkg": _project["latex_elements"]["fontpkg"],
    "fncychap": "",
    "releasename": "",
    "tableofcontents": "",
    "printindex": "",
    "makeindex": "",
    "preamble": _hang,
}
