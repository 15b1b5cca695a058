"""Builder-specific pieces: CSS and sidebar for HTML, macros for LaTeX, the PDF beside the page."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging

from .directives import pdf_name
from .nodes import LATEX_PREAMBLE

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

logger = logging.getLogger(__name__)
HERE = Path(__file__).parent


def add_paths(app: Sphinx, config: Config) -> None:
    """Templates must be known before the builder starts; static files are copied later."""
    config.templates_path = [*config.templates_path, str(HERE / "templates")]
    config.html_static_path = [*config.html_static_path, str(HERE / "static")]
    if not config.cv_pdf_url and os.environ.get("READTHEDOCS") == "True":
        language = os.environ.get("READTHEDOCS_LANGUAGE", "en")
        version = os.environ.get("READTHEDOCS_VERSION", "latest")
        config.cv_pdf_url = f"/_/downloads/{language}/{version}/pdf/"


def write_latex_support(app: Sphinx) -> None:
    if app.builder.format != "latex":
        return
    Path(app.outdir).mkdir(parents=True, exist_ok=True)
    (Path(app.outdir) / "cvsphinx.sty").write_text(
        "\\NeedsTeXFormat{LaTeX2e}\n\\ProvidesPackage{cvsphinx}\n" + LATEX_PREAMBLE, encoding="utf-8")


def copy_pdf(app: Sphinx, exception: Exception | None) -> None:
    """Put the PDF built by ``-M latexpdf`` next to the HTML page that links to it."""
    if exception is not None or app.builder.format != "html" or app.config.cv_pdf_url:
        return
    pdf = Path(app.outdir).parent / "latex" / pdf_name(app.config)
    if pdf.is_file():
        shutil.copy2(pdf, Path(app.outdir) / pdf.name)
    else:
        logger.info(f"cvsphinx: {pdf} is not built yet, so the page's PDF link has no target; "
                    "build the PDF first (sphinx-build -M latexpdf)")


def setup_output(app: Sphinx) -> None:
    app.connect("config-inited", add_paths)
    app.connect("builder-inited", write_latex_support)
    app.connect("build-finished", copy_pdf)
    app.add_css_file("cvsphinx.css")
    app.add_latex_package("cvsphinx")
