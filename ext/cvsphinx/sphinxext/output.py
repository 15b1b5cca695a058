"""Builder-specific pieces: CSS and sidebar for HTML, macros for LaTeX, the PDF beside the page."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util import logging

from ..core.files import PACKAGE
from .directives import PDF_STATE, pdf_name
from .nodes import LATEX_PREAMBLE
from .warnings_ import Subtype

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

logger = logging.getLogger(__name__)

# What latexmk leaves of one LaTeX document, by suffix: all of it goes when the document is renamed.
_LATEX_JOB_FILES = (".tex", ".pdf", ".log", ".aux", ".out", ".toc", ".fls", ".fdb_latexmk", ".xdv",
                    ".idx", ".ind", ".ilg", ".synctex.gz")


def on_read_the_docs() -> bool:
    return os.environ.get("READTHEDOCS") == "True"


def add_paths(app: Sphinx, config: Config) -> None:
    """Templates must be known before the builder starts; static files are copied later."""
    config.templates_path = [*config.templates_path, str(PACKAGE / "templates")]
    config.html_static_path = [*config.html_static_path, str(PACKAGE / "static")]
    if not config.cv_pdf_url and on_read_the_docs():
        language = os.environ.get("READTHEDOCS_LANGUAGE", "en")
        version = os.environ.get("READTHEDOCS_VERSION", "latest")
        config.cv_pdf_url = f"/_/downloads/{language}/{version}/pdf/"


def write_latex_support(app: Sphinx) -> None:
    if app.builder.format != "latex":
        return
    Path(app.outdir).mkdir(parents=True, exist_ok=True)
    remove_stale_latex(app)
    (Path(app.outdir) / "cvsphinx.sty").write_text(
        "\\NeedsTeXFormat{LaTeX2e}\n\\ProvidesPackage{cvsphinx}\n" + LATEX_PREAMBLE, encoding="utf-8")


def remove_stale_latex(app: Sphinx) -> None:
    """A document renamed in ``latex_documents`` leaves its old ``.tex`` behind, and Sphinx's
    Makefile typesets every ``.tex`` it finds: the old PDF would come back on every build."""
    outdir = Path(app.outdir)
    current = {Path(doc[1]).stem for doc in app.config.latex_documents}
    copied = {Path(f).name for f in app.config.latex_additional_files}
    for tex in outdir.glob("*.tex"):
        if tex.stem in current or tex.name in copied:
            continue
        for suffix in _LATEX_JOB_FILES:
            (outdir / (tex.stem + suffix)).unlink(missing_ok=True)
        logger.info(f"cvsphinx: removed {tex.stem}.tex and its PDF from {outdir}: latex_documents no longer names it")


def pdf_problem(pdf: Path) -> str | None:
    """Why ``pdf`` must not be published, from the LaTeX log beside it (a failed run may leave a cut-off PDF,
    or none, and an older copy beside the page); None when the log says the run finished, or there is no log
    (a PDF made another way is taken as it is)."""
    log = pdf.with_suffix(".log")
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    error = next((line for line in text.splitlines() if line.startswith("!")), None)
    if error is not None:
        return f"its last LaTeX run failed ({error.lstrip('! ').strip()}; see {log})"
    if "may not be valid" in text or f"Output written on {pdf.stem}." not in text:
        return f"its last LaTeX run did not finish writing it (see {log})"
    return None


def _pdf_beside_page(app: Sphinx) -> Path | None:
    if app.builder.format != "html" or app.config.cv_pdf_url:
        return None
    return Path(app.outdir).parent / "latex" / pdf_name(app.config)


def drop_broken_buildinfo(app: Sphinx) -> None:
    """A build cut off by a full disk leaves an empty ``.buildinfo``, and every later HTML build then crashes in
    Sphinx (IndexError) until it is deleted by hand: a file that is not whole is deleted here, so the next build
    simply writes every page again."""
    if app.builder.format != "html":
        return
    info = Path(app.outdir) / ".buildinfo"
    try:
        text = info.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = "" if info.exists() else None
    if text is not None and "config:" not in text:
        try:
            info.unlink()
        except OSError:
            return
        logger.info(f"cvsphinx: removed {info}, cut off by an earlier build: every page is written again")


def note_pdf_state(app: Sphinx) -> None:
    """Before reading: whether the PDF may be linked.  The state file changes only when the answer does, and the
    page with the link depends on it, so that page is read again then (and only then)."""
    pdf = _pdf_beside_page(app)
    problem = pdf_problem(pdf) if pdf is not None else None
    app.env.cvsphinx_pdf_problem = problem  # type: ignore[attr-defined]
    state = Path(app.doctreedir) / PDF_STATE
    text = "failed" if problem else "ok"
    try:
        if not state.is_file() or state.read_text(encoding="utf-8") != text:
            state.parent.mkdir(parents=True, exist_ok=True)
            state.write_text(text, encoding="utf-8")
    except OSError:
        return  # an unwritable output folder is reported where the build writes


def copy_pdf(app: Sphinx, exception: Exception | None) -> None:
    """Put the PDF built by ``-M latexpdf`` next to the HTML page that links to it, and only that PDF, and only
    when its LaTeX run finished: a cut-off PDF is never published."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    pdf = _pdf_beside_page(app)
    remove_stale_pdfs(app, outdir, pdf.name if pdf is not None else None)
    if pdf is None:
        return
    problem = getattr(app.env, "cvsphinx_pdf_problem", None)  # read from the log before the pages (note_pdf_state)
    if problem:
        (outdir / pdf.name).unlink(missing_ok=True)
        logger.warning(f"{pdf} is not published beside the page: {problem}; the page says the PDF is not "
                       "available until a LaTeX run finishes", location=f"{pdf.with_suffix('.log')}:1",
                       type="cv", subtype=Subtype.pdf_failed.value)
    elif pdf.is_file():
        shutil.copy2(pdf, outdir / pdf.name)
    else:
        logger.info(f"cvsphinx: {pdf} is not built yet, so the page's PDF link has no target; "
                    "build the PDF first (sphinx-build -M latexpdf)")


def remove_stale_pdfs(app: Sphinx, outdir: Path, keep: str | None) -> None:
    """A PDF at the top of the HTML output is one this module copied there, unless
    ``html_extra_path`` put it there: any other name than today's is left over from an old name."""
    extra = _extra_names(app)
    for old in outdir.glob("*.pdf"):
        if old.name != keep and old.name not in extra:
            old.unlink()
            logger.info(f"cvsphinx: removed {old}: the PDF is now {keep or app.config.cv_pdf_url}")


def _extra_names(app: Sphinx) -> set[str]:
    names: set[str] = set()
    for entry in app.config.html_extra_path:
        path = Path(app.confdir, entry)
        if path.is_dir():
            names.update(p.name for p in path.iterdir())
        else:
            names.add(path.name)
    return names


def hide_pdf_link_in_previews(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Read the Docs builds no PDF for a pull request's preview, so its page offers none."""
    if app.builder.format != "html" or not on_read_the_docs() or os.environ.get("READTHEDOCS_VERSION_TYPE") != "external":
        return
    for para in list(doctree.findall(nodes.paragraph)):
        if "cv-pdf" in para["classes"]:
            para.parent.remove(para)


def setup_output(app: Sphinx) -> None:
    app.add_css_file("cvsphinx.css")
    app.add_latex_package("cvsphinx")
