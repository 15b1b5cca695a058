"""The catalog of the extension's words, read from its code: ``locale/cvsphinx.pot`` and the ``.po`` files.

A message is an English string literal handed to a ``Labels`` lookup (``labels("...")``,
``words.fill("...")``, ``cfg.labels("...")``), marked with ``N_("...")`` in a table,
or ``cv_label('...')`` in a template.  ``python -m cvsphinx.cli.messages`` writes the template and
brings every language's ``.po`` up to date (new messages untranslated, old ones dropped); the
test suite checks that the committed files are what this reads.  No Sphinx import.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
_TEMPLATE_CALL = re.compile(r"""cv_label\(\s*'([^']+)'\s*\)""")
_LOOKUPS = {"labels", "words", "N_"}


def _is_lookup(func: ast.expr) -> bool:
    if isinstance(func, ast.Name):
        return func.id in _LOOKUPS
    if isinstance(func, ast.Attribute):
        return func.attr in ("labels", "fill")
    return False


def _literals(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _literals(node.body) + _literals(node.orelse)
    return []


def extract() -> dict[str, list[str]]:
    """Message id -> where it is used (``styles/house.py:412``), in the order first met."""
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args and _is_lookup(node.func):
                for text in _literals(node.args[0]):
                    if text.strip():
                        found.setdefault(text, []).append(f"{path.relative_to(PACKAGE).as_posix()}:{node.lineno}")
    for path in sorted((PACKAGE / "templates").rglob("*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for text in _TEMPLATE_CALL.findall(line):
                found.setdefault(text, []).append(f"{path.relative_to(PACKAGE)}:{number}")
    return dict(sorted(found.items(), key=lambda item: item[0].lower()))


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def pot_text(found: dict[str, list[str]] | None = None) -> str:
    """The template as gettext writes it, without dates, so that it only changes when a message does."""
    found = extract() if found is None else found
    out = ['msgid ""', 'msgstr ""', '"Project-Id-Version: cvsphinx\\n"', '"Content-Type: text/plain; charset=UTF-8\\n"',
           '"Content-Transfer-Encoding: 8bit\\n"', ""]
    for msgid, where in found.items():
        out.append("#: " + " ".join(where[:4]))
        if "{" in msgid:
            out.append("#, python-brace-format")
        out += [f"msgid {_quote(msgid)}", 'msgstr ""', ""]
    return "\n".join(out)


def update(language: str, found: dict[str, list[str]] | None = None, new: dict[str, str] | None = None) -> Path:
    """``locale/<language>/LC_MESSAGES/cvsphinx.po`` with every message, keeping the translations it has
    (``new``: translations to add or change)."""
    from babel.messages.pofile import read_po

    found = extract() if found is None else found
    path = PACKAGE / "locale" / language / "LC_MESSAGES" / "cvsphinx.po"
    old: dict[str, str] = {}
    if path.is_file():
        with open(path, "rb") as handle:
            old = {m.id: m.string for m in read_po(handle) if m.id}
    old.update(new or {})
    out = ['msgid ""', 'msgstr ""', '"Project-Id-Version: cvsphinx\\n"', f'"Language: {language}\\n"',
           '"Content-Type: text/plain; charset=UTF-8\\n"', '"Content-Transfer-Encoding: 8bit\\n"', ""]
    for msgid in found:
        if "{" in msgid:
            out.append("#, python-brace-format")
        out += [f"msgid {_quote(msgid)}", f"msgstr {_quote(old.get(msgid, ''))}", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out), encoding="utf-8")
    return path


def main() -> None:
    from ..sphinxext.i18n import LANGUAGES

    found = extract()
    (PACKAGE / "locale").mkdir(exist_ok=True)
    (PACKAGE / "locale" / "cvsphinx.pot").write_text(pot_text(found), encoding="utf-8")
    for language in LANGUAGES:
        update(language, found)
    print(f"{len(found)} messages; locale/cvsphinx.pot and {len(LANGUAGES)} .po files written")


if __name__ == "__main__":
    main()
