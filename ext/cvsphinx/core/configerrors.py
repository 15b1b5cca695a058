"""Mistakes in conf.py's ``cv_*`` values: collected, each phrased with how to fix it, raised at once.

Every part that checks configuration (people, groups, variants, config) reports through these, so that one
build start lists every mistake, one line each; and where in conf.py a setting is, for the line a message names.
"""

from __future__ import annotations

import ast
import difflib
import os
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


# -- Where in conf.py: a mistake or a warning about a setting points at its line ------------------------------


def assignments(confpath: str) -> dict[str, ast.stmt]:
    """The last top-level statement that assigns each name in conf.py."""
    try:
        with open(confpath, "rb") as file:
            tree = ast.parse(file.read())
    except (OSError, SyntaxError, ValueError):
        return {}
    found: dict[str, ast.stmt] = {}
    for stmt in tree.body:
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [getattr(stmt, "target", None)]
        for target in targets:
            if isinstance(target, ast.Name):
                found[target.id] = stmt
    return found


def conf_line(confpath: str | os.PathLike[str], name: str) -> int | None:
    """The line of conf.py that sets ``name`` last, or None: a warning about a setting's value points at it."""
    return line_of(assignments(os.fspath(confpath)).get(name), None)


def line_of(stmt: ast.stmt | None, subscript: str | None) -> int | None:
    """The statement's line, or the line of item ``subscript`` when the value is a literal list or dict."""
    if stmt is None:
        return None
    value = stmt.value if isinstance(stmt, ast.Assign) else None
    if isinstance(value, (ast.List, ast.Tuple)) and subscript and subscript.isdigit() and int(subscript) < len(value.elts):
        return value.elts[int(subscript)].lineno
    if subscript is not None and isinstance(value, ast.Dict):
        for key in value.keys:
            if isinstance(key, ast.Constant) and repr(key.value) == subscript:
                return key.lineno
    return stmt.lineno
