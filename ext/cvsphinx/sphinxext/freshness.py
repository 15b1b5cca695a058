"""Never stale: what Sphinx reads again and writes again is decided on content, not on modification times.

Sphinx re-reads a document when its source or a dependency has a *newer* mtime than the last read,
and the HTML builder rewrites a page when the page's own source is newer than the output file.  Both
miss real changes:

* builders that share one doctree directory (``-M latexpdf`` then ``-M html``): the LaTeX build
  re-reads the page after an edit in an included section or in ``refs.bib``, so the environment is
  up to date and the HTML builder, which only compares ``index.md`` with ``index.html``, writes nothing;
* a file that comes back with an *older* mtime (``cp -p``, ``git checkout``, ``tar``, ``rsync``, a
  symlink pointed at another file) is never read again.

Two records, both sha256 of file contents, fix that:

* in the environment (pickled with it), per document: the digest of its source, of every file it
  depends on (``{include}``d sections, the ``.bib`` files) and of the configuration, taken just before
  the document was read.  A document whose current digests differ is read again (``env-get-outdated``).
* in each output directory, ``.cvsphinx-sources.json``: the records its files were written from,
  saved only when a build finished without an error and removed when the next one starts writing.
  If it differs from the environment in any way, every document is written again (``env-get-updated``):
  a CV has a handful of pages, and a changed title changes the navigation of the others too.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sphinx
from sphinx import addnodes
from sphinx.util import logging

from ..core.catalog import code_digest
from ..core.files import PACKAGE, write_atomic
from .collector import doc_state

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

STAMP_NAME = ".cvsphinx-sources.json"
STAMP_VERSION = 1


def file_digest(path: str | os.PathLike[str]) -> str:
    """sha256 of what ``open`` reads, so a symlink counts as the file it points to."""
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except FileNotFoundError:
        return "missing"
    except OSError as err:  # a directory, no permission: a state of its own, and read again when it changes
        return f"unreadable:{err.errno}"


def _plain(value: Any) -> Any:
    """A JSON-able, order-stable form of a configuration value; objects count by type only."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, dict):
        return [[repr(k), _plain(v)] for k, v in sorted(value.items(), key=lambda kv: repr(kv[0]))]
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((_plain(v) for v in value), key=repr)
    return f"<{type(value).__module__}.{type(value).__qualname__}>"  # its repr may hold an address


def config_digest(app: Sphinx) -> str:
    """Every plain configuration value, conf.py itself, the extensions' versions and this package's code.

    Taken once every extension has settled the configuration (``config-inited``) and before the
    builder adds its own (the HTML theme registers values, the HTML builder rewrites
    ``html_css_files``), so every builder sees the same digest and switching builders reads nothing
    again.  A change of any value (also ``"html"`` ones such as ``cv_pdf_url``, which a directive
    reads) reads everything again.
    """
    digest = hashlib.sha256()
    values = sorted((opt.name, _plain(opt.value)) for opt in app.config)
    digest.update(json.dumps(values, sort_keys=True, ensure_ascii=False).encode())
    versions = sorted((name, str(ext.version)) for name, ext in app.extensions.items())
    digest.update(json.dumps([sphinx.__version__, versions]).encode())
    if app.confdir is not None:
        digest.update(file_digest(Path(app.confdir) / "conf.py").encode())
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(f"{path.relative_to(PACKAGE)}:{file_digest(path)}".encode())
    return digest.hexdigest()


def _records(env: BuildEnvironment) -> dict[str, dict]:
    """docname -> what it was read from (a plain dict), pickled with the environment; a read that fails leaves
    none (the collector forgets it first), so the next build reads the document again."""
    return doc_state(env, "cvsphinx_sources")


@dataclass
class Freshness:
    """The state of one build: file digests taken once, the stamp it started from, the documents it wrote."""

    app: Sphinx
    digests: dict[str, str] = field(default_factory=dict)
    config: str = ""
    reading: list[str] = field(default_factory=list)
    stamp_path: Path | None = None
    written_from: dict[str, dict] = field(default_factory=dict)
    written: set[str] = field(default_factory=set)

    def digest(self, path: str | os.PathLike[str]) -> str:
        """Each file is hashed at most once per build, the first time it is needed (before it is read)."""
        key = os.fspath(path)
        if key not in self.digests:
            self.digests[key] = file_digest(key)
        return self.digests[key]

    def record(self, env: BuildEnvironment, docname: str) -> dict:
        """What a document's doctree depends on, now: its source, its dependencies, the configuration, and the
        extension's code (a new copy with the same version number, as ``cvsphinx upgrade`` makes while it is
        developed, writes every page again)."""
        paths = {os.fspath(env.doc2path(docname)), *(os.fspath(p) for p in env.dependencies.get(docname, ()))}
        # relative names: the stamp is published with the HTML, and the project may move
        files = {os.path.relpath(p, env.srcdir): self.digest(p) for p in sorted(paths)}
        return {"config": self.config, "code": code_digest(), "files": files}

    # -- events -------------------------------------------------------------

    def config_inited(self, app: Sphinx, config: object) -> None:
        self.config = config_digest(app)

    def start(self, app: Sphinx) -> None:
        """A new build (one application may run several): forget the last one, load this outdir's stamp."""
        self.digests, self.reading, self.written, self.written_from = {}, [], set(), {}
        self.stamp_path = Path(app.outdir) / STAMP_NAME
        try:
            data = json.loads(self.stamp_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(data, dict) and data.get("version") == STAMP_VERSION and isinstance(data.get("docs"), dict):
            self.written_from = data["docs"]

    def outdated(self, app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str],
                 removed: set[str]) -> list[str]:
        """Documents whose sources differ in content from those their doctrees were read from.

        The first event of every build, so it also starts this build's state.
        """
        self.start(app)
        records = _records(env)
        again = []
        for docname in sorted((env.found_docs & set(env.all_docs)) - added - changed):
            old = records.get(docname)
            new = self.record(env, docname)
            if old != new:
                again.append(docname)
                logger.verbose("cvsphinx: %s is read again: %s", docname, _why(old, new))
        return again

    def before_read(self, app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
        self.reading = list(docnames)
        for docname in docnames:  # hash the sources before they are read, never after
            self.digest(env.doc2path(docname))

    def updated(self, app: Sphinx, env: BuildEnvironment) -> None:
        """Record the documents just read; a dependency first seen in this read is hashed now."""
        records = _records(env)
        for docname in self.reading:
            if docname in env.all_docs:
                records[docname] = self.record(env, docname)

    def to_write(self, app: Sphinx, env: BuildEnvironment) -> list[str]:
        """Every document, when this output directory was written from other sources than the environment's."""
        current = {d: r for d, r in _records(env).items() if d in env.found_docs}
        if current == self.written_from:
            return []
        logger.verbose("cvsphinx: %s was written from other sources; every page is written again", self.app.outdir)
        return sorted(env.found_docs)

    def write_started(self, app: Sphinx, builder: object) -> None:
        """From here the output changes: until the build succeeds, no stamp vouches for it."""
        if self.stamp_path is not None:
            self.stamp_path.unlink(missing_ok=True)

    def resolved(self, app: Sphinx, doctree: nodes.document, docname: str) -> None:
        """A document going into an output file; LaTeX and singlehtml resolve one tree made of many."""
        self.written.add(docname)
        self.written.update(n["docname"] for n in doctree.findall(addnodes.start_of_file) if "docname" in n)

    def finished(self, app: Sphinx, exception: BaseException | None) -> None:
        if exception is not None or self.stamp_path is None or app.env is None:
            return
        records = _records(app.env)
        stamp = {d: r for d, r in self.written_from.items() if d in app.env.found_docs}
        for docname in self.written:
            if docname in records:
                stamp[docname] = records[docname]
        try:
            write_atomic(self.stamp_path,
                         json.dumps({"version": STAMP_VERSION, "docs": stamp}, sort_keys=True).encode("utf-8"))
        except OSError as err:  # no stamp only costs a full write next time
            logger.verbose("cvsphinx: cannot write %s: %s", self.stamp_path, err)


def _why(old: dict | None, new: dict) -> str:
    if old is None:
        return "no record of its sources"
    if old.get("config") != new["config"]:
        return "the configuration or the extension changed"
    names = sorted(n for n in old["files"].keys() | new["files"].keys() if old["files"].get(n) != new["files"].get(n))
    return "content changed in " + ", ".join(names) if names else "its dependencies changed"
