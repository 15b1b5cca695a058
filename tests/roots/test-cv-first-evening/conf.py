# A stranger's first evening: entries of the shapes real exporters write (NASA ADS, DBLP, Google Scholar,
# Zotero, MathSciNet, bioRxiv/SSRN/ECCC preprints), written here by hand, with the extension's default groups.
extensions = ["myst_parser", "cvsphinx"]
exclude_patterns = ["_build"]
project = "First evening"
latex_engine = "xelatex"
latex_documents = [("index", "first-evening.tex", "First evening", "Tester", "howto", False)]
fontpkg = r"""
\setmainfont{FreeSerif}
\setsansfont{FreeSans}
\setmonofont{FreeMono}
"""

cv_owner = "Pérez-Luque, Antonio J."
cv_bibfiles = ["refs.bib"]
cv_roster = []
