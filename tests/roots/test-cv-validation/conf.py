extensions = ["myst_parser", "cvsphinx"]
exclude_patterns = ["_build"]
project = "CV validation"

cv_owner = "Liu, Lin"
cv_bibfiles = ["refs.bib"]
cv_roles = {"student": {"label": "graduate student", "symbol": "*"}}
cv_roster = []
cv_publication_groups = [
    {"name": "all", "title": "Publications", "select": "type != ''"},
]
