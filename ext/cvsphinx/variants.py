"""``python -m cvsphinx.variants``: the full CV's PDF and every variant's PDF and page, built at once.

Each target is one process (forked, so Sphinx and MyST are imported once): the LaTeX
writer, xelatex (once, when ``tailor.fast_tex`` made the document one-pass; else latexmk),
then for a variant its HTML page, whose build checks the PDF's page limit.  The variants'
pages and PDFs are then copied to ``_build/html/variants/<name>/``, where the full CV's
page links to them.  With ``-W``, any warning fails the run, as ``sphinx-build -W --keep-going``.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .tailor import ONE_PASS, PUBLISH_DIR, pdf_pages


@dataclass
class Result:
    """One target's build: the full CV (``name`` "") or a variant."""

    name: str
    ok: bool = True
    pdf: str = ""
    pages: int | None = None
    limit: int | None = None
    seconds: float = 0.0
    output: str = ""  # Sphinx's warnings and the LaTeX errors, to print in order
    html: str = ""


def _latex_run(workdir: Path, tex: str, log_lines: list[str]) -> bool:
    """Typeset ``tex`` in ``workdir``: one xelatex run when fast_tex made it one-pass, else latexmk as Sphinx's
    Makefile runs it.  Stops at the first LaTeX error."""
    text = (workdir / tex).read_text(encoding="utf-8")
    if ONE_PASS in text:
        cmd = ["xelatex", "-interaction=nonstopmode", "-halt-on-error", "-file-line-error", tex]
    else:
        cmd = ["latexmk", "-pdf", "-dvi-", "-ps-", "-interaction=nonstopmode", "-halt-on-error", "-quiet", tex]
    run = subprocess.run(cmd, cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         errors="replace", stdin=subprocess.DEVNULL)
    log = workdir / (tex[:-4] + ".log")
    log_text = log.read_text(encoding="utf-8", errors="replace") if log.is_file() else run.stdout
    if run.returncode != 0:
        errors = [line for line in log_text.splitlines() if line.startswith("!") or (":" in line and " error" in line.lower())]
        log_lines.append(f"ERROR: LaTeX failed on {workdir / tex} (see {log}):")
        log_lines.extend(f"  {line}" for line in (errors or log_text.splitlines()[-15:])[:15])
        return False
    missing = sorted(set(re.findall(r"Missing character: There is no (.+?) in font", log_text)))
    if missing:
        log_lines.append(f"ERROR: {log}: 'Missing character' for {', '.join(missing)}: a glyph is in none of the fonts")
        return False
    return True


def _sphinx(srcdir: Path, outdir: Path, doctreedir: Path, builder: str, overrides: dict, strict: bool,
            out: io.StringIO) -> int:
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    with patch_docutils(srcdir), docutils_namespace():
        app = Sphinx(srcdir, srcdir, outdir, doctreedir, builder, overrides, status=None, warning=out,
                     warningiserror=strict, keep_going=True)
        app.build()
        return app.statuscode


def build_target(srcdir: Path, builddir: Path, name: str, strict: bool) -> Result:
    """One PDF (and, for a variant, its page), in this process; the caller runs several at once."""
    started = time.perf_counter()
    result = Result(name)
    out = io.StringIO()
    lines: list[str] = []
    overrides = {"cv_variant": name} if name else {}
    base = builddir / PUBLISH_DIR / name if name else builddir
    try:
        code = _sphinx(srcdir, base / "latex", base / "doctrees", "latex", overrides, strict, out)
        texs = sorted((base / "latex").glob("*.tex"))
        documents = [p for p in texs if p.name not in ("sphinxmessages.tex",)]
        if code != 0 and strict:
            result.ok = False
        for tex in documents:
            if not _latex_run(base / "latex", tex.name, lines):
                result.ok = False
                continue
            result.pdf = str(tex.with_suffix(".pdf"))
            result.pages = pdf_pages(tex.with_suffix(".pdf"))
        if name and result.ok:
            code = _sphinx(srcdir, base / "html", base / "doctrees", "html", overrides, strict, out)
            result.html = str(base / "html" / "index.html")
            if code != 0 and strict:
                result.ok = False
    except SystemExit as err:  # a configuration error: already logged, one line each
        result.ok = False
        lines.append(f"ERROR: the configuration has mistakes (exit status {err.code})")
    except Exception as err:  # reported, not raised, so that the other targets still finish
        result.ok = False
        lines.append(f"ERROR: {type(err).__name__}: {err}")
    result.output = out.getvalue() + "".join(f"{line}\n" for line in lines)
    result.seconds = time.perf_counter() - started
    return result


def _targets(srcdir: Path, only: Sequence[str] | None, with_main: bool) -> tuple[list[str], dict[str, int | None]]:
    """The variant names of conf.py (read as Sphinx reads it) and their page limits."""
    from sphinx.config import Config
    from sphinx.util.tags import Tags

    config = Config.read(srcdir, overrides={}, tags=Tags())
    raw = config._raw_config.get("cv_variants", {})  # checked in full by the builds themselves
    names = [n for n in raw if isinstance(n, str)] if isinstance(raw, Mapping) else []
    if only:
        unknown = [n for n in only if n not in names]
        if unknown:
            raise SystemExit(f"no variant {', '.join(map(repr, unknown))} in cv_variants (there are: {', '.join(names) or 'none'})")
        names = [n for n in names if n in only]
    limits = {n: raw[n].get("page_limit") if isinstance(raw[n], Mapping) else None for n in names}
    return ([""] if with_main else []) + names, limits


def publish(builddir: Path, dest: Path, names: Sequence[str], all_names: Sequence[str]) -> None:
    """Copy each variant's page and PDF to ``dest/<name>/`` (the full CV's page links there); drop folders of
    variants that no longer exist."""
    dest.mkdir(parents=True, exist_ok=True)
    for old in dest.iterdir():
        if old.is_dir() and old.name not in all_names:
            shutil.rmtree(old)
    for name in names:
        html = builddir / PUBLISH_DIR / name / "html"
        target = dest / name
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(html, target, ignore=shutil.ignore_patterns(".doctrees", ".buildinfo", ".cvsphinx-sources.json"))
        for pdf in (builddir / PUBLISH_DIR / name / "latex").glob("*.pdf"):
            shutil.copy2(pdf, target / pdf.name)


def _run_all(srcdir: Path, builddir: Path, targets: Sequence[str], strict: bool, jobs: int) -> list[Result]:
    if jobs <= 1 or len(targets) <= 1:
        return [build_target(srcdir, builddir, t, strict) for t in targets]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork: the children start with Sphinx, MyST and this package already imported
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    with ProcessPoolExecutor(max_workers=min(jobs, len(targets)), mp_context=context) as pool:
        futures = [pool.submit(build_target, srcdir, builddir, t, strict) for t in targets]
        return [f.result() for f in futures]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cvsphinx.variants",
        description="Build the full CV's PDF and every variant's PDF and page (cv_variants in conf.py) at once.")
    parser.add_argument("srcdir", nargs="?", default=".", help="the CV's folder (conf.py), default: .")
    parser.add_argument("--builddir", default=None, help="default: <srcdir>/_build")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="these variants only")
    parser.add_argument("--no-main", action="store_true", help="the variants only, not the full CV's PDF")
    parser.add_argument("--publish", metavar="DIR", default=None,
                        help=f"where the variants' pages and PDFs go (default: <builddir>/html/{PUBLISH_DIR}); "
                             "the full CV's page links to <its folder>/" + PUBLISH_DIR + "/<name>/<pdf>")
    parser.add_argument("-W", dest="strict", action="store_true",
                        help="warnings are errors (the exit status is 1), as sphinx-build -W --keep-going")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, help="builds at once (default: CPUs)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print warnings and errors only")
    args = parser.parse_args(argv)
    srcdir = Path(args.srcdir).resolve()
    builddir = Path(args.builddir).resolve() if args.builddir else srcdir / "_build"
    sys.path.insert(0, str(srcdir))
    targets, limits = _targets(srcdir, args.only, not args.no_main)
    started = time.perf_counter()
    results = _run_all(srcdir, builddir, targets, args.strict, args.jobs)
    ok = all(r.ok for r in results)
    for result in results:
        if result.output:
            sys.stderr.write(result.output)
    variants = [r.name for r in results if r.name and r.ok]
    if variants or not args.only:
        dest = Path(args.publish).resolve() if args.publish else builddir / "html" / PUBLISH_DIR
        all_names = list(limits) if not args.only else [*limits, *(p.name for p in dest.glob("*") if p.is_dir())]
        publish(builddir, dest, variants, all_names)
    if not args.quiet:
        for result in results:
            what = result.name or "full CV"
            pages = f"{result.pages} page{'s' if result.pages != 1 else ''}" if result.pages is not None else "no PDF"
            limit = f" (limit {limits.get(result.name)})" if limits.get(result.name) else ""
            state = "" if result.ok else "  FAILED"
            print(f"{what:<12} {pages}{limit}, {result.seconds:.1f} s: {result.pdf or '-'}{state}")
        print(f"all PDFs in {time.perf_counter() - started:.1f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
