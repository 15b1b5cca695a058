"""Citation styles by name: the house style, the CSL styles, and any a CV registers.

A citation style is a function with ``format_entry``'s signature, registered by name: conf.py's
``cv_citation_style`` (or a variant's ``citation_style``) picks one.  The house style is the default.
"""

from __future__ import annotations

from collections.abc import Callable

from pybtex.richtext import Text

from .house import format_entry

# A citation style is a function with format_entry's signature, registered by name: conf.py's
# cv_citation_style (or a variant's "citation_style") picks one.  The house style is the default.
Formatter = Callable[..., Text]


STYLES: dict[str, Formatter] = {"house": format_entry}


def register_style(name: str, formatter: Formatter) -> None:
    """A second style is a module that calls this; nothing of the house style is copied or changed."""
    STYLES[name] = formatter


def style_digest(name: str) -> str:
    """A hash of the source of the module that defines style ``name``: a CV's own style, edited, renders again
    (the house style changes only with the extension's version, which the cache key holds too)."""
    import hashlib
    import inspect

    formatter = STYLES.get(name)
    try:  # a CSL style by its .csl file; a decorated style (functools.wraps) by the module of what it wraps
        path = getattr(formatter, "path", None) or (
            inspect.getsourcefile(inspect.unwrap(formatter)) if formatter is not None else None)
        data = open(path, "rb").read() if path else b""  # noqa: SIM115  (one read)
    except (OSError, TypeError):
        data = b""
    return hashlib.sha256(data).hexdigest()


def register_csl(name: object, confdir: str = ".") -> None:
    """A CSL style named in conf.py (an id of the CSL styles repository, or a .csl file) becomes a registered style."""
    if not isinstance(name, str) or name in STYLES:
        return
    from .csl import CSLStyle, style_path

    path = style_path(name, confdir)
    if path is not None:
        STYLES[name] = CSLStyle(name, path)


def style_problem(name: object, where: str = "cv_citation_style") -> str | None:
    """The message for a style nobody registered, with the closest names; None for a known one."""
    if isinstance(name, str) and name in STYLES:
        return None
    import difflib

    from .csl import style_names

    close = difflib.get_close_matches(str(name), [*STYLES, *style_names()], n=3, cutoff=0.6)
    hint = f"did you mean {' or '.join(map(repr, close))}? " if close else ""
    return (f"{where} {name!r} is not a citation style here; {hint}write one of {', '.join(sorted(STYLES))}, the id "
            "of a style of the CSL styles repository (e.g. 'apa', 'ieee', 'nature') or the path of a .csl file")
