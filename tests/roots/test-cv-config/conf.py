# Every cv_* value set, some as tuples: a configuration the checks must accept.
extensions = ["myst_parser", "cvsphinx"]
exclude_patterns = ["_build"]
project = "CV config"

cv_owner = "Curie, Marie"
cv_owner_aliases = ("Skłodowska-Curie, Maria",)
cv_bibfiles = ("refs.bib",)
cv_legend_prefix = "Mentored"
cv_pdf_url = "https://example.org/cv.pdf"
cv_roles = {
    "mentee": {"label": "mentee", "symbol": "†", "heading": "Mentees", "show_periods": True},
    "intern": {"label": "summer intern", "symbol": "‡", "heading": None, "show_periods": False},
}
cv_role_lag_years = 0
cv_roster = (
    {"name": "Irène Joliot", "roles": {"mentee": ["1918", 1920]}, "expect_papers": True},
    {"name": "Pierre Dupont", "roles": {"intern": 1911}, "expect_papers": False},
)
cv_publication_groups = (
    {"name": "papers", "title": None, "select": "type == 'article'", "markers": True, "show_year": False},
)
