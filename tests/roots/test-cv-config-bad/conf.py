# One mistake (or two) per line; tests/sphinx/test_config.py expects one error for each, at its line.
extensions = ["myst_parser", "cvsphinx"]
exclude_patterns = ["_build"]
project = "CV config mistakes"

cv_owner = ","
cv_owner_aliases = "Curie, M."
cv_bibfiles = None
cv_legend_prefix = 3
cv_roles = {
    "mentee": {"label": "mentee", "symbol": "†", "colour": "red"},
    "intern": {"label": "summer intern", "symbol": "†", "show_periods": "yes"},
}
cv_role_lag_years = True
cv_roster = [
    {"name": "Irène Joliot", "roles": "mentee"},
    {"name": "Pierre Dupont", "roles": {"intern": "1911"}, "expect_papers": "no"},
    {"name": "Paul Langevin", "roles": {"mentor": "1905", "mentee": "1905–1903"}},
]
cv_rooster = []
cv_publication_group = []
cv_publication_groups = [
    {"name": "papers", "select": "type = 'article'", "markers": "no", "show_years": False},
]
