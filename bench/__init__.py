"""Performance benchmark of the CV project: ``bash cv.sh bench`` (``python -m bench.run``).

* ``bench.generate``: seeded, realistic BibTeX bibliographies of any size.
* ``bench.projects``: temporary Sphinx projects, ours (cvsphinx) and stock
  (sphinxcontrib-bibtex), built from the repository's own sections.
* ``bench.run``: the measurements, the table and ``bench/out/results.{md,json}``.
"""
