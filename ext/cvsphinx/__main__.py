"""``python -m cvsphinx``: the ``cvsphinx`` command without installing the package."""

import sys

from .cli.main import main

sys.exit(main())
