extensions = ["myst_parser", "cvsphinx"]
exclude_patterns = ["_build"]
project = "CV unknown group"

cv_owner = "Liu, Lin"
cv_bibfiles = ["refs.bib"]
cv_roles = {"student": {"label": "graduate student", "symbol": "*"}}
cv_roster = [{"name": "Xiyu Chen", "roles": {"student": "2019–present"}}]
cv_publication_groups = [
    {"name": "journal", "title": "Journal Articles", "select": "type == 'article'"},
]
