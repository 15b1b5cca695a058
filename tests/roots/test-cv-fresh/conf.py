extensions = ["myst_parser", "cvsphinx"]
exclude_patterns = ["_build", "sections"]
project = 'CV fresh'

cv_owner = "Liu, Lin"
cv_bibfiles = ['refs.bib']
cv_legend_prefix = 'Supervised'
cv_roles = {
    "student": {"label": "graduate student", "symbol": "*", "heading": "Graduate Students"},
}
cv_roster = [
    {"name": "Xiyu Chen", "roles": {"student": "2019–present"}},
]
cv_publication_groups = [
    {"name": "journal", "title": "Journal Articles", "select": "type == 'article'"},
    {"name": "other", "title": "Other Publications", "select": "type in ('misc', 'phdthesis')"},
]
