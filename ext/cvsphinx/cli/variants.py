"""``python -m cvsphinx.cli.variants``: the full CV's PDF and every variant's PDF and page, built at once.

Each target is one process (forked, so Sphinx and MyST are imported once): the LaTeX
writer, xelatex (once, when ``fastpdf.fast_tex`` made the document one-pass; else latexmk),
then for a variant its HTML page, whose build checks the PDF's page limit.  The variants'
pages and PDFs are then copied to ``_build/html/variants/<name>/``, where the full CV's
page links to them.  With ``-W``, any warning fails the run, as ``sphinx-build -W --keep-going``.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

if __package__:  # run as a file (``python ext/cvsphinx/cli/variants.py --preview``), only --preview works: see the end
    from ..core.files import write_atomic
    from ..core.forks import can_fork
    from ..output.fastpdf import ONE_PASS
    from ..output.pdftools import pdf_pages
    from ..sphinxext.tailor import PUBLISH_DIR


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


LATEX_TIMEOUT = 300.0  # seconds for one document's LaTeX step; ``--latex-timeout`` or CVSPHINX_LATEX_TIMEOUT
_ENTRY_MARK = re.compile(r"\[cv entry ([^\]]*)\]")  # \cvsphinxentry (nodes.LATEX_PREAMBLE) says each entry it starts


_FILE_LINE_ERROR = re.compile(r"^[^\s:]+\.(?:tex|sty|cls):\d+: ")  # -file-line-error's form of "! ..."


def latex_timeout() -> float:
    raw = os.environ.get("CVSPHINX_LATEX_TIMEOUT", "")
    try:
        return float(raw) if raw else LATEX_TIMEOUT
    except ValueError:
        raise SystemExit(f"CVSPHINX_LATEX_TIMEOUT={raw!r} is not a number of seconds") from None


def _stop(proc: subprocess.Popen) -> str:
    """SIGINT first: TeX then stops with "! Interruption" and writes out its log; SIGKILL if it does not."""
    for sig, wait in ((signal.SIGINT, 5), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            return proc.communicate(timeout=wait)[0] or ""
        except subprocess.TimeoutExpired:
            continue
    return ""


def _die_with_parent(sig: int = signal.SIGKILL) -> Callable[[], None] | None:
    """Linux: a process started with this gets ``sig`` when the process that started it dies, however it dies (a
    build stopped with ``kill -9``, or a CI's time limit).  The LaTeX run, in a session of its own, ran on at 99 %
    CPU with nobody left to stop it; a build's worker is told (SIGTERM) and stops its LaTeX run."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None

    def set_death_signal() -> None:  # in the new process
        prctl(1, sig)  # PR_SET_PDEATHSIG

    return set_death_signal


def _latex_run(workdir: Path, tex: str, log_lines: list[str], timeout: float | None = None) -> bool:
    """Typeset ``tex`` in ``workdir``: one xelatex run when fast_tex made it one-pass, else latexmk as Sphinx's
    Makefile runs it.  Stops at the first LaTeX error, or after ``timeout`` seconds naming the entry it was on.
    A failed run leaves no PDF: a cut-off one must never be published (output.pdf_state reads the log)."""
    text = (workdir / tex).read_text(encoding="utf-8")
    if ONE_PASS in text:
        cmd = ["xelatex", "-interaction=nonstopmode", "-halt-on-error", "-file-line-error", tex]
    else:
        cmd = ["latexmk", "-pdf", "-dvi-", "-ps-", "-interaction=nonstopmode", "-halt-on-error", "-quiet", tex]
    timeout = latex_timeout() if timeout is None else timeout
    proc = subprocess.Popen(cmd, cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            errors="replace", stdin=subprocess.DEVNULL, start_new_session=True,
                            preexec_fn=_die_with_parent())
    try:
        stdout, timed_out = proc.communicate(timeout=timeout)[0], False
    except subprocess.TimeoutExpired as err:
        partial = err.stdout.decode(errors="replace") if isinstance(err.stdout, bytes) else (err.stdout or "")
        stdout, timed_out = partial + _stop(proc), True
    except BaseException:  # Ctrl-C or SIGTERM (main): the run and what it started stop with this process
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        raise
    log = workdir / (tex[:-4] + ".log")
    pdf = workdir / (tex[:-4] + ".pdf")
    log_text = log.read_text(encoding="utf-8", errors="replace") if log.is_file() else stdout
    if timed_out:
        entries = _ENTRY_MARK.findall(stdout) or _ENTRY_MARK.findall(log_text)
        where = (f"while typesetting entry {entries[-1]!r} ({len(entries)} entries begun)" if entries
                 else "before its first publication entry")
        pdf.unlink(missing_ok=True)
        with log.open("a", encoding="utf-8") as out:
            out.write(f"\n! cvsphinx: stopped after {timeout:g} s {where}\n")
        log_lines.append(f"ERROR: LaTeX took longer than {timeout:g} s on {workdir / tex} and was stopped {where}; "
                         "look at that entry (a very long word, a macro that calls itself) or raise the limit "
                         "with --latex-timeout or CVSPHINX_LATEX_TIMEOUT")
        return False
    if proc.returncode != 0:
        errors = [line for line in log_text.splitlines() if line.startswith("!") or _FILE_LINE_ERROR.match(line)]
        pdf.unlink(missing_ok=True)
        how = f" ({cmd[0]} crashed with signal {-proc.returncode})" if proc.returncode < 0 else ""
        log_lines.append(f"ERROR: LaTeX failed on {workdir / tex}{how} (see {log}):")
        log_lines.extend(f"  {line}" for line in (errors or stdout.splitlines()[-8:])[:15])
        if not errors:  # no TeX error: TeX or its PDF driver died, and the log is cut off
            with log.open("a", encoding="utf-8") as out:
                out.write(f"\n! cvsphinx: {cmd[0]} ended with status {proc.returncode} and no TeX error\n")
        entries = _ENTRY_MARK.findall(stdout) or _ENTRY_MARK.findall(log_text)
        if entries:
            log_lines.append(f"  (the last entry it began was {entries[-1]!r})")
        return False
    missing = sorted(set(re.findall(r"Missing character: There is no (.+?) in font", log_text)))
    if missing:
        log_lines.append(f"ERROR: {log}: 'Missing character' for {', '.join(missing)}: a glyph is in none of the fonts")
        return False
    return True


def _sphinx(srcdir: Path, outdir: Path, doctreedir: Path, builder: str, overrides: dict, strict: bool,
            out: io.StringIO, fresh: bool = False) -> int:
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    with patch_docutils(srcdir), docutils_namespace():
        app = Sphinx(srcdir, srcdir, outdir, doctreedir, builder, overrides, status=None, warning=out,
                     warningiserror=strict, keep_going=True, freshenv=fresh)
        app.build()
        return app.statuscode


def build_target(srcdir: Path, builddir: Path, name: str, strict: bool, fresh: bool = False) -> Result:
    """One PDF (and, for a variant, its page), in this process; the caller runs several at once."""
    started = time.perf_counter()
    result = Result(name)
    out = io.StringIO()
    lines: list[str] = []
    overrides = {"cv_variant": name} if name else {}
    base = builddir / PUBLISH_DIR / name if name else builddir
    try:
        code = _sphinx(srcdir, base / "latex", base / "doctrees", "latex", overrides, strict, out, fresh)
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
            code = _sphinx(srcdir, base / "html", base / "doctrees", "html", overrides, strict, out, fresh)
            result.html = str(base / "html" / "index.html")
            if code != 0 and strict:
                result.ok = False
    except SystemExit as err:  # a configuration error: already logged, one line each
        result.ok = False
        lines.append(f"ERROR: the configuration has mistakes (exit status {err.code})")
    except OSError as err:  # a full disk, a read-only folder: one line that names the path
        result.ok = False
        lines.append(write_error(err, base))
    except Exception as err:  # reported, not raised, so that the other targets still finish
        result.ok = False
        lines.append(f"ERROR: {type(err).__name__}: {err}")
    result.output = out.getvalue() + "".join(f"{line}\n" for line in lines)
    result.seconds = time.perf_counter() - started
    return result


def write_error(err: OSError, folder: Path | None = None) -> str:
    where = err.filename or folder or "the build folder"
    return (f"ERROR: cannot write {where}: {err.strerror or err}; free some space (df -h {Path(str(where)).parent}) "
            "or make the folder writable, then build again")


def build_page(srcdir: Path, builddir: Path, strict: bool, fresh: bool) -> int:
    """The full CV's page, as ``sphinx-build -M html <srcdir> <builddir>`` builds it, but a full disk or a
    read-only folder ends in one line instead of a traceback."""
    try:
        return _sphinx(srcdir, builddir / "html", builddir / "doctrees", "html", {}, strict, sys.stderr, fresh)
    except OSError as err:
        sys.stderr.write(write_error(err, builddir) + "\n")
        return 1
    except SystemExit as err:  # a configuration error, already said
        return err.code if isinstance(err.code, int) else 2


def _targets(srcdir: Path, only: Sequence[str] | None, with_main: bool,
             with_variants: bool = True) -> tuple[list[str], dict[str, int | None]]:
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
    return ([""] if with_main else []) + (names if with_variants else []), limits


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


def _warm_up() -> None:
    """Import, once and before forking, what every build imports: each child then starts with it."""
    import importlib

    for name in ("sphinx.application", "sphinx.builders.latex", "sphinx.writers.latex", "sphinx.builders.html",
                 "sphinx.writers.html5", "sphinx.builders.epub3", "sphinx.search", "sphinx.domains.std",
                 "myst_parser.sphinx_ext.main", "myst_parser.parsers.sphinx_", "furo", "cvsphinx.sphinxext.wiring"):
        try:
            importlib.import_module(name)
        except ImportError:
            continue


def _run_all(srcdir: Path, builddir: Path, targets: Sequence[str], strict: bool, jobs: int,
             fresh: bool = False) -> list[Result]:
    if jobs <= 1 or len(targets) <= 1:
        return [build_target(srcdir, builddir, t, strict, fresh) for t in targets]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    _warm_up()

    # fork: the children start with Sphinx, MyST and this package already imported
    context = multiprocessing.get_context("fork" if can_fork() else None)
    with ProcessPoolExecutor(max_workers=min(jobs, len(targets)), mp_context=context,
                             initializer=_die_with_parent(signal.SIGTERM)) as pool:
        futures = [pool.submit(build_target, srcdir, builddir, t, strict, fresh) for t in targets]
        try:
            return [f.result() for f in futures]
        except BaseException:  # stopped (Ctrl-C, SIGTERM): each worker stops its LaTeX run, not waited for to the end
            for process in list((getattr(pool, "_processes", None) or {}).values()):
                process.terminate()
            raise


def build_all(srcdir: Path, builddir: Path, *, only: Sequence[str] | None = None, main: bool = True,
              variants: bool = True, publish_to: Path | None = None, strict: bool = False,
              jobs: int = 1, fresh: bool = False) -> tuple[bool, list[Result], dict[str, int | None]]:
    """Every PDF (and variant page) at once; the variants' pages and PDFs published beside the full CV's page."""
    targets, limits = _targets(srcdir, only, main, variants)
    results = _run_all(srcdir, builddir, targets, strict, jobs, fresh)
    for result in results:
        result.limit = limits.get(result.name)
    built = [r.name for r in results if r.name and r.ok]
    if built or (variants and not only):
        dest = publish_to or builddir / "html" / PUBLISH_DIR
        all_names = list(limits) if not only else [*limits, *(p.name for p in dest.glob("*") if p.is_dir())]
        publish(builddir, dest, built, all_names)
    return all(r.ok for r in results), results, limits


def _summary(result: Result) -> str:
    what = result.name or "full CV"
    pages = f"{result.pages} page{'s' if result.pages != 1 else ''}" if result.pages is not None else "no PDF"
    limit = f" (limit {result.limit})" if result.limit else ""
    over = "  OVER THE LIMIT" if result.limit and result.pages and result.pages > result.limit else ""
    state = "" if result.ok else "  FAILED"
    return f"{what:<12} {pages}{limit}, {result.seconds:.1f} s: {result.pdf or '-'}{over}{state}"


# -- Live preview: the PDFs rebuilt in the background --------------------------------------------

STATUS = "_cvsphinx/pdf-status.json"  # in the HTML output; the preview page polls it


def _write_status(html: Path, state: str, **fields: object) -> None:
    write_atomic(html / STATUS, json.dumps({"state": state, "time": time.time(), **fields}).encode("utf-8"))


def preview_worker(srcdir: Path, builddir: Path) -> int:
    """Rebuild every PDF until no save asked for another: one build at a time, a save during a build queues
    exactly one more.  The page (``PREVIEW_JS`` in sphinxext/tailor.py) shows the state from ``STATUS``."""
    html = builddir / "html"
    os.environ.pop("CVSPHINX_PREVIEW", None)  # the variants' own pages need no note
    lock_path, pending = builddir / ".cvsphinx-pdf.lock", builddir / ".cvsphinx-pdf.pending"
    builddir.mkdir(parents=True, exist_ok=True)
    pending.touch()
    while pending.exists():
        with open(lock_path, "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return 0  # the running build sees ``pending`` when it finishes
            while pending.exists():
                pending.unlink(missing_ok=True)
                _write_status(html, "building")
                try:
                    ok, results, _ = build_all(srcdir, builddir, jobs=os.cpu_count() or 1)
                except (Exception, SystemExit) as err:  # the configuration is broken: the HTML build says why
                    _write_status(html, "failed", message=str(err))
                    continue
                for result in results:
                    sys.stderr.write(result.output)
                    print(_summary(result), flush=True)
                    if not result.name and result.pdf and Path(result.pdf).is_file():
                        shutil.copy2(result.pdf, html / Path(result.pdf).name)  # the page's own PDF link
                _write_status(html, "done" if ok else "failed", pdfs=[
                    {"name": r.name, "pdf": Path(r.pdf).name if r.pdf else "", "pages": r.pages, "limit": r.limit,
                     "ok": r.ok} for r in results])
        # a save between the last check and the unlock left ``pending``: the loop takes it
    return 0


def start_preview(srcdir: Path, builddir: Path) -> None:
    """sphinx-autobuild's post-build command: start the PDFs in the background and return at once."""
    builddir.mkdir(parents=True, exist_ok=True)
    log = open(builddir / "cvsphinx-pdf.log", "a", encoding="utf-8")  # noqa: SIM115  (the child keeps it)
    subprocess.Popen([sys.executable, "-m", "cvsphinx.cli.variants", str(srcdir), "--builddir", str(builddir),
                      "--preview-worker"], stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True,
                     env={**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parents[2]),
                                                                       os.environ.get("PYTHONPATH", "")])})
    print(f"cvsphinx: rebuilding the PDFs in the background (log: {builddir / 'cvsphinx-pdf.log'})")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cvsphinx.cli.variants",
        description="Build the full CV's PDF and every variant's PDF and page (cv_variants in conf.py) at once.")
    parser.add_argument("srcdir", nargs="?", default=".", help="the CV's folder (conf.py), default: .")
    parser.add_argument("--builddir", default=None, help="default: <srcdir>/_build")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="these variants only")
    parser.add_argument("--no-main", action="store_true", help="the variants only, not the full CV's PDF")
    parser.add_argument("--no-variants", action="store_true", help="the full CV's PDF only")
    parser.add_argument("--publish", metavar="DIR", default=None,
                        help="where the variants' pages and PDFs go (default: <builddir>/html/variants); "
                             "the full CV's page links to <its folder>/variants/<name>/<pdf>")
    parser.add_argument("-W", dest="strict", action="store_true",
                        help="warnings are errors (the exit status is 1), as sphinx-build -W --keep-going")
    parser.add_argument("-E", dest="fresh", action="store_true",
                        help="read every source again, so that every warning is said (as sphinx-build -E)")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, help="builds at once (default: CPUs)")
    parser.add_argument("--latex-timeout", type=float, metavar="SECONDS", default=None,
                        help=f"stop LaTeX after this long on one PDF and name the entry it was on (default: "
                             f"CVSPHINX_LATEX_TIMEOUT or {LATEX_TIMEOUT:g})")
    parser.add_argument("--page", action="store_true",
                        help="the full CV's HTML page only (as sphinx-build -M html), after the PDFs were built")
    parser.add_argument("-q", "--quiet", action="store_true", help="print warnings and errors only")
    parser.add_argument("--preview", action="store_true",
                        help="for live preview (sphinx-autobuild --post-build): rebuild in the background, return at once")
    parser.add_argument("--preview-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    # stopped (a CI's time limit): the builds' workers and their LaTeX runs stop too (_latex_run)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    if args.latex_timeout is not None:
        os.environ["CVSPHINX_LATEX_TIMEOUT"] = str(args.latex_timeout)  # the forked builds read it
    latex_timeout()  # a bad value is said once, here
    srcdir = Path(args.srcdir).resolve()
    builddir = Path(args.builddir).resolve() if args.builddir else srcdir / "_build"
    if args.preview:  # sphinx-autobuild waits for this: start the builds and return, importing nothing more
        start_preview(srcdir, builddir)
        return 0
    sys.path.insert(0, str(srcdir))
    if not sys.stderr.isatty():
        from sphinx.util.console import nocolor

        nocolor()
    if args.preview_worker:
        return preview_worker(srcdir, builddir)
    if args.page:
        return build_page(srcdir, builddir, args.strict, args.fresh)
    started = time.perf_counter()
    try:
        ok, results, _ = build_all(srcdir, builddir, only=args.only, main=not args.no_main,
                                   variants=not args.no_variants,
                                   publish_to=Path(args.publish).resolve() if args.publish else None,
                                   strict=args.strict, jobs=args.jobs, fresh=args.fresh)
    except OSError as err:  # publishing the variants' pages: a full disk or a read-only folder
        sys.stderr.write(write_error(err, builddir) + "\n")
        return 1
    for result in results:
        if result.output:
            sys.stderr.write(result.output)
    if not args.quiet:
        for result in results:
            print(_summary(result))
        print(f"all PDFs in {time.perf_counter() - started:.1f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    if not __package__ and "--preview" not in sys.argv[1:]:
        # as a file, anything but --preview runs as the module, with the package on the path
        ext = str(Path(__file__).resolve().parents[2])
        os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (ext, os.environ.get("PYTHONPATH")) if p)
        os.execv(sys.executable, [sys.executable, "-m", "cvsphinx.cli.variants", *sys.argv[1:]])
    sys.exit(main())
