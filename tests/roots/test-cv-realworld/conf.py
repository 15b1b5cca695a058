# A large bibliography no one here wrote; the test copies it in as refs.bib at build time.
extensions = ["myst_parser", "cvsphinx"]
exclude_patterns = ["_build"]
project = "Real-world bibliography"

cv_owner = "Knuth, Donald"
cv_bibfiles = ["refs.bib"]
cv_roles = {"student": {"label": "graduate student", "symbol": "*"}}
cv_roster = []
cv_publication_groups = [
    {"name": "all", "title": "All", "select": "type != ''"},
]
suppress_warnings = [
    "cv.owner_absent",
    "cv.missing_field",
    "cv.bad_year",
    "cv.duplicate_doi",
    "cv.bad_doi",
    "cv.bad_url",
]
