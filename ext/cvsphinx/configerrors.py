"""Mistakes in conf.py's ``cv_*`` values: collected, each phrased with how to fix it, raised at once.

Every part that checks configuration (people, groups, variants, config) reports through these, so that one
build start lists every mistake, one line each.
"""

from __future__ import annotations

import difflib
import reprlib
from collections.abc import Sequence


class ConfigError(ValueError):
    """Configuration values that cannot be used: one message per mistake, each saying how to fix it."""

    def __init__(self, *problems: str) -> None:
        super().__init__(*problems)
        self.problems = list(problems)

    def __str__(self) -> str:
        return "\n".join(self.problems)


_SHORT = reprlib.Repr()  # keyword arguments only from Python 3.12
_SHORT.maxstring = _SHORT.maxother = 60
_SHORT.maxlist, _SHORT.maxdict, _SHORT.maxlevel = 4, 3, 2


def shown(value: object) -> str:
    """A value as conf.py would spell it, cut short: a message names the value without quoting a whole roster."""
    return _SHORT.repr(value)


def report(found: list[str], problems: list[str] | None) -> None:
    """Add the mistakes to the caller's list, or, without one, raise them all at once."""
    if problems is not None:
        problems.extend(found)
    elif found:
        raise ConfigError(*found)


def unknown_key(where: str, key: object, allowed: Sequence[str]) -> str:
    """The message for a key no code reads: without it, a misspelt key would be silently ignored."""
    close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"{where} has unknown key {key!r}; {hint}allowed: {', '.join(allowed)}"
