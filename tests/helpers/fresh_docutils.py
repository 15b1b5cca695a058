"""A clean docutils registry for tests that build with sphinx.testing.

conftest's session fixture ``cv_data`` creates a Sphinx application and never cleans it up, so its
directives, roles and nodes stay registered in docutils for the rest of the session, and the next
application warns that they are registered already.  Tests that assert a build without warnings
import ``fresh_docutils`` (an autouse fixture) to start from the registry as it was when the tests
were collected.
"""

from __future__ import annotations

from copy import copy

import pytest
from docutils.parsers.rst import directives, roles
from sphinx.util.docutils import docutils_namespace

_PRISTINE = (copy(directives._directives), copy(roles._roles))  # taken at collection, before any build


@pytest.fixture(autouse=True)
def fresh_docutils() -> None:
    with docutils_namespace():  # leaving it unregisters every node an application added
        pass
    directives._directives = copy(_PRISTINE[0])
    roles._roles = copy(_PRISTINE[1])
