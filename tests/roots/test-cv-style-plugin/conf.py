# A second citation style as a plug-in: a module (here, conf.py itself) registers it by name, and
# cv_citation_style picks it; nothing of the house style is copied.
from pybtex.richtext import Tag, Text

from cvsphinx.styles import format_entry, register_style


def title_first(record, ctx, **options):
    """The title in small capitals first, then the house style's entry."""
    return Text(Tag("sc", record.text("title")), ". ", format_entry(record, ctx, **options))


register_style("title-first", title_first)

extensions = ["myst_parser", "cvsphinx"]
exclude_patterns = ["_build"]
project = "Style plug-in"
html_theme = "basic"
cv_owner = "Liu, Lin"
cv_bibfiles = ["refs.bib"]
cv_roles = {"student": {"label": "graduate student", "symbol": "*"}}
cv_roster = [{"name": "Enze Zhang", "roles": {"student": "2017–2020"}}]
cv_publication_groups = [{"name": "all", "title": "Publications", "select": "type != ''"}]
cv_citation_style = "title-first"
cv_variants = {"plain": {"citation_style": "house"}}
