extensions = ["myst_parser", "cvsphinx"]
exclude_patterns = ["_build"]
project = "CV data checks"

cv_owner = "Liu, Lin"
cv_bibfiles = ["refs.bib"]
cv_roles = {
    "student": {"label": "graduate student", "symbol": "*", "heading": "Graduate Students"},
    "postdoc": {"label": "postdoc", "symbol": "×", "heading": "Postdocs"},
}
cv_roster = [
    {"name": "Xiyu Chen", "roles": {"student": "2019–present"}},
    {"name": "Enze Zhang", "roles": {"student": "2017–present"}},
    {"name": "Eric Zhang", "roles": {"student": "2018–present"}},
    # No entry names either of these two; only the first is expected to have papers.
    {"name": "Ghost Writer", "roles": {"postdoc": "2016–2017"}},
    {"name": "Quiet Visitor", "roles": {"postdoc": "2015"}, "expect_papers": False},
]
cv_publication_groups = [
    {"name": "journal", "title": "Journal Articles", "select": "type == 'article'"},
    {"name": "featured", "title": "Featured", "select": "'featured' in keywords"},
    {"name": "conference", "title": "Conference Papers", "select": "type == 'inproceedings'"},
    # Never placed by a publications directive.
    {"name": "talks", "title": "Talks", "select": "type == 'unpublished'"},
]
