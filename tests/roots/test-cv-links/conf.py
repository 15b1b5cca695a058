extensions = ["myst_parser", "cvsphinx"]
exclude_patterns = ["_build"]
project = "Links"

cv_owner = "Liu, Lin"
cv_bibfiles = ["refs.bib"]
cv_roster = []
cv_publication_groups = [{"name": "all", "title": None, "select": "type != ''"}]
