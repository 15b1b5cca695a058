"""The core: the .bib reader, LaTeX decoding, records, people, groups, checks and the catalog.

Nothing here imports Sphinx or docutils (``tests/test_core.py`` holds every module of this folder to it).
"""
