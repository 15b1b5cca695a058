"""Every build tells the truth: a warning comes back on every build until its cause is fixed.

Sphinx warns about a document only while it reads it, and checks consistency only when something
was read, so a second, cached build of a CV with a bad entry would pass ``-W`` and say "no
warnings".  The ledger keeps each cv warning with where it came from and says it again on every
build that does not produce it afresh:

* warnings given while a document is read are kept per document in the environment (by the
  collector, so parallel reading works) and said again, at ``write-started``, for every
  document that this build did not read;
* the bibliography's problems are said by the catalog on every build (``directives.preload``);
* the extension's consistency checks run again at ``write-started`` when Sphinx skipped its
  consistency phase because nothing was read.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from .collector import doc_state

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

Check = Callable[["Sphinx", "BuildEnvironment"], None]  # one of the extension's consistency checks


def _kept(env: BuildEnvironment) -> dict[str, list[tuple[str, str, object]]]:
    """docname -> [(subtype, message, location)], pickled with the environment."""
    return doc_state(env, "cvsphinx_ledger")


def _plain_location(location: object) -> object:
    """A location that pickles small and means the same later: a node becomes ``file:line``."""
    if location is None or isinstance(location, str | tuple):
        return location
    from sphinx.util.nodes import get_node_location

    return get_node_location(location)  # type: ignore[arg-type]


class Ledger(logging.Filter):
    """On the extension's logger: notes each cv warning given while a document is read."""

    def __init__(self, app: Sphinx, checks: tuple[Check, ...] = ()) -> None:
        super().__init__()
        self.app = app
        self.checks = checks  # run at env-check-consistency (wiring.py), and here when Sphinx skips that phase
        self.replaying = False
        self.read_now: set[str] = set()
        self.consistency_ran = False

    def filter(self, record: logging.LogRecord) -> bool:
        if self.replaying or record.levelno < logging.WARNING or getattr(record, "type", "") != "cv":
            return True
        env = getattr(self.app, "env", None)
        docname = env.temp_data.get("docname") if env is not None else None
        if docname:
            entry = (getattr(record, "subtype", ""), record.getMessage(), _plain_location(getattr(record, "location", None)))
            _kept(env).setdefault(docname, []).append(entry)
        return True

    # -- events -------------------------------------------------------------

    def before_read(self, app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
        self.read_now = set(docnames)
        self.consistency_ran = False

    def consistency(self, app: Sphinx, env: BuildEnvironment) -> None:
        self.consistency_ran = True

    def write_started(self, app: Sphinx, builder: object) -> None:
        """Say again what the documents this build did not read said when they were read."""
        env = app.env
        from .warnings_ import logger

        self.replaying = True
        try:
            for docname in sorted(_kept(env)):
                if docname in self.read_now or docname not in env.all_docs:
                    continue
                for subtype, message, location in _kept(env)[docname]:
                    logger.warning(message, location=location, type="cv", subtype=subtype)
            if not self.consistency_ran:
                self.consistency_ran = True
                for check in self.checks:
                    check(app, env)
        finally:
            self.replaying = False


def install_ledger(app: Sphinx, checks: tuple[Check, ...]) -> Ledger:
    """The ledger of this application, on the extension's logger; wiring.py connects its events."""
    ledger = Ledger(app, checks)
    python_logger = logging.getLogger("sphinx.cvsphinx")  # the logger of warnings_.logger
    for old in [f for f in python_logger.filters if isinstance(f, Ledger)]:
        python_logger.removeFilter(old)  # one application at a time (tests run many in one process)
    python_logger.addFilter(ledger)
    return ledger
