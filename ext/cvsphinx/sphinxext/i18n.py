"""The CV's language: the extension's words through Sphinx's message catalogs, and ``cv_labels``.

The translations are ``locale/<language>/LC_MESSAGES/cvsphinx.po`` in the package; the ``.mo``
that gettext reads is compiled from it by the build (into the doctree folder, when the ``.po`` is
newer), never committed.  ``setup`` registers the catalog with Sphinx for ``language``; ``labels``
then looks up every message of ``locale/cvsphinx.pot`` once through ``get_translation`` and lays
the CV's own ``cv_labels`` over them: the ``Labels`` table the core formats with.  Warnings stay
English.
"""

from __future__ import annotations

import difflib
import os
from io import BytesIO
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.locale import get_translation
from sphinx.util import logging

from ..core.configerrors import conf_line, shown
from ..core.labels import (
    CATALOG,
    LOCALE_DIR,
    TEMPLATE,
    Labels,
    cjk_region,
    fields,
    is_english,
    language_code,
    message_ids,
    po_file,
    read_catalog,
    same_language,
)

LANGUAGES = ("de", "es", "fr", "it", "ja", "pt_BR", "zh_CN")  # complete: tests/test_i18n.py checks each
logger = logging.getLogger(__name__)


def compile_catalog(language: str, target: Path) -> Path | None:
    """``<target>/<language>/LC_MESSAGES/cvsphinx.mo`` from its ``.po``, when missing or older; the folder."""
    source = po_file(language)
    if source is None:
        return None
    # as Sphinx was given it (zh-cn, Read the Docs' spelling, which gettext does not expand) and under the bare
    # language (zh, pt), which gettext tries last for the other spellings: zh_CN, pt (whose catalog is pt_BR)
    stale = [mo for mo in (target / folder / "LC_MESSAGES" / f"{CATALOG}.mo"
                           for folder in dict.fromkeys((language, language_code(language)[1])))
             if not mo.is_file() or mo.stat().st_mtime < source.stat().st_mtime]
    if stale:
        from babel.messages.mofile import write_mo

        compiled = BytesIO()
        write_mo(compiled, read_catalog(source))
        for mo in stale:
            mo.parent.mkdir(parents=True, exist_ok=True)
            partial = mo.with_name(f"{mo.name}.{os.getpid()}.tmp")
            partial.write_bytes(compiled.getvalue())
            os.replace(partial, mo)
    return target


def setup_catalog(app: Sphinx) -> None:
    """Registered in ``setup``: Sphinx knows ``language`` by then (its ``-D language=`` too)."""
    language = app.config.language or ""
    folder = None
    if not is_english(language):
        if po_file(language) is None:  # said, not warned: the CV builds, in English words, as before
            logger.info(f"cvsphinx: no translation of its words for language = {language!r} (it has "
                        f"{', '.join(LANGUAGES)}); they stay English unless conf.py gives them as cv_labels")
        try:
            folder = compile_catalog(language, Path(app.doctreedir) / "cvsphinx-locale")
        except OSError:  # a read-only build folder: English, and the build says so through its own checks
            folder = None
    app.add_message_catalog(CATALOG, folder or LOCALE_DIR)


def cjk_font_block(language: str) -> str:
    """xeCJK with Noto CJK for a Chinese, Japanese or Korean CV whose ``fontpkg`` loads no CJK font: the
    extension's own words are in that script, so the PDF needs one (``fastpdf.fast_tex`` drops it again when
    the text has no CJK character).  Empty for other languages."""
    region = cjk_region(language)
    if not region:
        return ""
    return ("\n% cvsphinx: the CV's language is written in CJK characters, so they fall back to Noto CJK\n"
            "\\usepackage{xeCJK}\n"
            f"\\setCJKmainfont{{Noto Serif CJK {region}}}\n\\setCJKsansfont{{Noto Sans CJK {region}}}\n"
            f"\\setCJKmonofont{{Noto Sans Mono CJK {region}}}\n")


def cjk_fonts(app: Sphinx, config: Config) -> None:
    """On ``config-inited``: the CJK fallback font for xelatex, unless the CV chose its own (``xeCJK`` in
    ``fontpkg``)."""
    language = config.language or ""
    if config.latex_engine != "xelatex":
        return
    # Sphinx gives Japanese pLaTeX's classes (jreport, jsbook), which xelatex has not: its own ones then
    docclass = dict(config.latex_docclass or {})
    if language_code(language)[1] == "ja" and {docclass.get("howto"), docclass.get("manual")} & {"jreport", "jsbook"}:
        config.latex_docclass = {**docclass, "howto": "article", "manual": "report"}
    block = cjk_font_block(language)
    if not block:
        return
    elements = dict(config.latex_elements or {})
    fontpkg = elements.get("fontpkg")
    if fontpkg is None:  # Sphinx's own default for xelatex, FreeSerif, which the block adds to
        from sphinx.builders.latex.constants import XELATEX_DEFAULT_FONTPKG

        fontpkg = XELATEX_DEFAULT_FONTPKG
    if "xeCJK" in fontpkg or "xeCJK" in (elements.get("fontenc") or ""):
        return
    elements["fontpkg"] = fontpkg + block
    config.latex_elements = elements


def read_the_docs_language(app: Sphinx, config: Config) -> None:
    """Read the Docs builds the page with ``-D language=<its project's Language setting>``, English unless
    changed, which overrides conf.py's: a German CV would be published with English words and no warning."""
    if not os.environ.get("READTHEDOCS"):
        return
    own = getattr(config, "_raw_config", {}).get("language")  # conf.py's own value, before -D
    given = config.language or ""
    if not isinstance(own, str) or not own or same_language(own, given):
        return
    confpath = Path(app.confdir, "conf.py")
    logger.warning(f"Read the Docs builds this CV with language = {given!r} (its project's Language setting), "
                   f"but conf.py says language = {own!r}, so the page would not be in the CV's language; in Read "
                   f"the Docs, set Admin > Settings > Language to the CV's ({own})",
                   location=f"{os.path.relpath(confpath)}:{conf_line(confpath, 'language') or 1}",
                   type="cv", subtype="language")


_ = get_translation(CATALOG)


def labels(config: Config, problems: list[str]) -> Labels:
    """The table for this build: the catalog's translations, then ``cv_labels`` (checked here, once)."""
    language = config.language or ""
    table: dict[str, str] = {}
    ids = message_ids()
    if not is_english(language):
        for msgid in ids:
            text = _(msgid)
            if text != msgid:
                table[msgid] = text
    own = config.cv_labels
    if not isinstance(own, dict):
        problems.append(f"cv_labels must be a dict from the English text to this CV's own, not {shown(own)}; "
                        "e.g. {'Download as PDF': 'PDF version'}")
        return Labels(table, language)
    known = set(ids)
    for msgid, text in own.items():
        if not isinstance(msgid, str) or msgid not in known:
            close = difflib.get_close_matches(str(msgid), ids, n=2, cutoff=0.5)
            hint = f"did you mean {' or '.join(map(repr, close))}? " if close else ""
            problems.append(f"cv_labels has {shown(msgid)}, which the extension never writes; {hint}the keys are "
                            f"the English texts of {TEMPLATE.name} (README, 'Languages')")
        elif not isinstance(text, str):
            problems.append(f"cv_labels[{msgid!r}] must be text, not {shown(text)}")
        elif not fields(text) <= fields(msgid):
            extra = ", ".join("{" + f + "}" for f in sorted(fields(text) - fields(msgid)))
            problems.append(f"cv_labels[{msgid!r}] has {extra}, which {msgid!r} does not fill; "
                            f"use only {', '.join('{' + f + '}' for f in sorted(fields(msgid))) or 'plain text'}")
        else:
            table[msgid] = text
    return Labels(table, language)
