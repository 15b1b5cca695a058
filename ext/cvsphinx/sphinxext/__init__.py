"""The Sphinx side: configuration, directives, nodes, the cache in the environment and every event, wired in
``wiring.py``.  The only folder that imports Sphinx or docutils."""
