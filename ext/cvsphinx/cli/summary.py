"""What a finished build holds, said in a few lines: ``bash cv.sh build`` ends with it, and with the to-do list of
the warnings a new CV accepted.  It reads the build's own account (``core/files.read_summary``), not the HTML."""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

from ..core.files import read_summary
from ..output.pdftools import pdf_name_in, pdf_pages

_UNREADABLE = object()


def conf_literal(conf: Path, name: str, default: object = None) -> object:
    """A value conf.py assigns as a literal, without running conf.py; ``_UNREADABLE`` when it is not a literal."""
    try:
        tree = ast.parse(conf.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return default
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in stmt.targets):
            try:
                return ast.literal_eval(stmt.value)
            except ValueError:
                return _UNREADABLE
    return default


def suppressed_warnings(conf: Path) -> list[str]:
    """``suppress_warnings`` as conf.py writes it (a literal list)."""
    value = conf_literal(conf, "suppress_warnings", [])
    if value is _UNREADABLE:
        return ["(not a literal list)"]
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else []


def _accepted_name(conf: Path) -> str:
    """``cv_accepted_warnings`` as conf.py writes it (a literal)."""
    value = conf_literal(conf, "cv_accepted_warnings", "accepted-warnings.txt")
    if value is _UNREADABLE:
        return "accepted-warnings.txt"
    return value if isinstance(value, str) else ""


def accepted_state(build: Path, project: Path, prune: bool = False
                   ) -> tuple[list[tuple[str, str, str]], list[str], list[str], str]:
    """What the last build said of the accepted-warnings list: the accepted warnings it gave, as (file:line,
    line of the list, message); the warnings it gave that are not listed; with ``prune`` (after a build that read
    everything, as ``bash cv.sh build``'s), the listed ones it no longer gave, which are deleted; the list's name."""
    from ..sphinxext.accepted import last_build, read, write

    name = _accepted_name(project / "conf.py")
    path = project / name if name else None
    listed = read(path) if path else []
    seen = last_build(build / "doctrees")
    todo = [(at, ident, message) for ident, at, accepted, message in seen if accepted]
    new = [ident for ident, _, accepted, _ in seen if not accepted]
    said = {ident for ident, *_ in seen}
    fixed = [line for line in listed if line not in said] if prune else []
    if fixed and path is not None:
        rest = [line for line in listed if line in said]
        if rest:
            write(path, rest)
        else:
            path.unlink()
    return todo, new, fixed, name


def todo_list(todo: list[tuple[str, str, str]]) -> list[str]:
    """The accepted warnings as a to-do list, by kind: what each kind means, then file:line and what to change."""
    from ..sphinxext.warnings_ import describe

    if not todo:
        return []
    by_kind: dict[str, list[tuple[str, str]]] = {}
    for at, ident, message in todo:
        match = re.match(r"\[cv\.(\w+)\]", ident)
        by_kind.setdefault(match.group(1) if match else "other", []).append((at, message))
    lines = ["", f"To do: {_n(len(todo), 'problem')} in your data and sections, by kind (fix one and its line goes "
             "from the list at the next build)"]
    for kind, items in sorted(by_kind.items(), key=lambda kv: -len(kv[1])):
        meaning = describe(kind)
        lines.append(f"  {kind} ({len(items)}): {meaning}" if meaning else f"  {kind} ({len(items)})")
        for at, text in items:
            lines.append(f"    {at}: {text}")
    return lines


def summary(build: Path, project: Path | None = None, prune: bool = False) -> str:
    """What ``bash cv.sh build`` says when it is done: what the page and the PDF hold, and where they are."""
    build = build.resolve()
    project = (project or build.parent).resolve()
    html_dir, latex_dir = build / "html", build / "latex"
    lines = ["", "Summary"]
    placed = read_summary(build)  # what the catalog placed, written by the last web build (report.py)
    groups = placed["groups"] if placed else []
    total = sum(g["entries"] for g in groups)
    if placed is None:
        lines.append(f"  Publications: not known (no web build in {build})")
    elif groups:
        lines.append(f"  Publications: {total} in {len(groups)} group{'s' if len(groups) != 1 else ''}")
        width = max(len(g["name"]) for g in groups)
        for g in groups:
            n, start = g["entries"], g["start"]
            span = f"  ({start}–{start + n - 1})" if n > 1 else f"  ({start})"
            title = f"  “{g['title']}”" if g["title"] else ""
            lines.append(f"    {g['name']:<{width}}  {n:>4}{span}{title}")
    else:
        lines.append("  Publications: none shown (no {publications} directive, or no entry in its groups)")
    roles = placed["roles"] if placed else {}
    if roles:
        lines.append("  Supervised co-authors marked:")
        for role in sorted(roles.values(), key=lambda r: -r["markers"]):
            count, papers = role["markers"], role["papers"]
            lines.append(f"    {role['label']} {role['symbol']}: {count} marker{'s' if count != 1 else ''} on {papers} "
                         f"paper{'s' if papers != 1 else ''}")
    elif placed is not None:
        lines.append("  Supervised co-authors marked: none (cv_roster in conf.py lists them)")
    suppressed = suppressed_warnings(project / "conf.py")
    todo, new, fixed, listed_in = accepted_state(build, project, prune)
    if new:
        said = (f"{_n(len(new), 'new warning')} (above), which fail the build until fixed"
                + (f"; {_n(len(todo), 'accepted warning')} to fix ({listed_in})" if todo else ""))
    elif todo:
        said = (f"{_n(len(todo), 'accepted warning')} to fix ({listed_in}); any other warning would have stopped "
                "the build")
    else:
        said = "none (the build is strict: any warning would have stopped it)"
    lines.append(f"  Warnings: {said}" + (f"; silenced in conf.py: {', '.join(suppressed)}" if suppressed else ""))
    if fixed:
        lines.append(f"  Fixed: {_n(len(fixed), 'accepted warning')} no longer given, deleted from {listed_in}"
                     + ("; the list is empty, so the build is strict from now on" if not todo else ""))
    lines.extend(todo_list(todo))
    pdf_name = pdf_name_in(project / "conf.py")
    pdfs = [latex_dir / pdf_name] if pdf_name and (latex_dir / pdf_name).is_file() else sorted(latex_dir.glob("*.pdf"))
    index = html_dir / "index.html"
    lines.append("")
    lines.append(f"HTML: {index}" if index.is_file() else f"HTML: no index.html in {html_dir}")
    for pdf in pdfs:
        count = pdf_pages(pdf)
        pages_text = f"{count} page{'s' if count != 1 else ''}" if count is not None else "pages unknown: the PDF cannot be read"
        beside = html_dir / pdf.name
        copied = f", also copied to {os.path.relpath(beside, project)}" if beside.is_file() else ""
        lines.append(f"PDF:  {pdf} ({pages_text}{copied})")
    if not pdfs:
        lines.append(f"PDF:  none in {latex_dir}")
    for pdf in sorted((html_dir / "variants").glob("*/*.pdf")):  # python -m cvsphinx.cli.variants puts them there
        count = pdf_pages(pdf)
        lines.append(f"PDF:  {pdf} ({pdf.parent.name}" + (f", {count} page{'s' if count != 1 else ''})" if count else ")"))
    return "\n".join(lines)


def _n(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {'entries' if word == 'entry' else word + 's'}"
