extensions = ["myst_parser", "cvsphinx"]
exclude_patterns = ["_build"]
project = "Marie Curie"

cv_owner = "Curie, Marie"
cv_owner_aliases = ["Skłodowska-Curie, Maria"]
cv_bibfiles = ["refs.bib"]
cv_legend_prefix = "Mentored"
cv_roles = {
    "mentee": {"label": "mentee", "symbol": "†", "heading": "Mentees"},
    "intern": {"label": "summer intern", "symbol": "‡", "heading": "Interns", "show_periods": True},
}
cv_role_lag_years = 0
cv_roster = [
    {"name": "Irène Joliot", "roles": {"mentee": "1920–present"}},
    {"name": "Pierre Dupont", "roles": {"intern": "1911"}},
]
cv_publication_groups = [
    {"name": "papers", "title": "Refereed Papers", "select": "type == 'article'"},
    {"name": "talks", "title": "Invited Lectures", "select": "type == 'misc'"},
]
