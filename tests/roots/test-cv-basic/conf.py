extensions = ["myst_parser", "cvsphinx"]
exclude_patterns = ["_build"]
project = "CV basic"

cv_owner = "Liu, Lin"
cv_bibfiles = ["refs.bib"]
cv_roles = {
    "student": {"label": "graduate student", "symbol": "*", "heading": "Graduate Students"},
    "postdoc": {"label": "postdoc", "symbol": "×", "heading": "Postdocs", "show_periods": True},
}
cv_roster = [
    {"name": "Xiyu Chen", "roles": {"student": "2019–present"}},
    {"name": "Enze Zhang", "roles": {"student": "2017–present"}},
    {"name": "Bao Zhang", "roles": {"postdoc": "2017–2018"}},
]
cv_publication_groups = [
    {"name": "journal", "title": "Journal Articles", "select": "type == 'article'"},
    {"name": "other", "title": "Other Publications", "select": "type in ('misc', 'phdthesis')"},
]
