"""The CV's performance benchmark: ``bash cv.sh bench`` (``python -m bench.run [options]``).

For the seed CV, generated bibliographies (``--sizes``) and a real-world one
(TUGboat's, 4,800 entries), builds the same CV twice -- with cvsphinx
("ours") and with stock sphinxcontrib-bibtex ("stock") -- and measures, each
``sphinx-build`` in its own process:

(a) full HTML build, (b) rebuild with nothing changed, (c) rebuild after
editing a section, (d) rebuild after editing one .bib entry, (e) for the seed
CV the full PDF build; then the live-preview latency of sphinx-autobuild and
``-j auto`` against a serial build; and the seed CV's PDFs against the version
before fast PDFs and variants (commit ``BASELINE``, checked out in a git
worktree in the same run): its main PDF (``sphinx-build -M latexpdf``) and all
the PDFs ``bash cv.sh build`` makes (``python -m cvsphinx.cli.variants``).  Prints a Markdown table with the targets
checked, and writes ``bench/out/results.md`` and ``bench/out/results.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as _dt
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import projects as P  # noqa: N812
from .generate import change_one_title, generate_bib

BIN = Path(sys.executable).parent
SPHINX_BUILD = str(BIN / "sphinx-build")
SPHINX_AUTOBUILD = str(BIN / "sphinx-autobuild")
GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None
REAL_BIB = Path("/usr/share/texlive/texmf-dist/bibtex/bib/beebe/tugboat.bib")
OUT = Path(__file__).resolve().parent / "out"
BUILD_TIMEOUT = 3600
BASELINE = "9826648"  # the last commit before fast PDFs and variants (issue 12)

STEPS = [
    ("full", "full HTML build"),
    ("nochange", "rebuild, nothing changed"),
    ("section", "rebuild, one section edited"),
    ("bib", "rebuild, one .bib entry edited"),
    ("pdf", "full PDF build (latexpdf)"),
]


# -- one build ---------------------------------------------------------------------------------------

@dataclass
class Run:
    seconds: float
    peak_mb: float | None
    returncode: int
    warnings: int
    errors: int
    cpu_seconds: float | None = None  # user + system CPU time of the build and its children
    reflected: bool | None = None  # did the output pick up the edit?
    log: str = ""

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and self.errors == 0


def _env() -> dict[str, str]:
    env = dict(os.environ)
    for name in ("READTHEDOCS", "READTHEDOCS_VERSION", "READTHEDOCS_LANGUAGE", "SPHINXOPTS"):
        env.pop(name, None)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def timed(args: list[str], log: Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Wall time and peak RSS (MB) of one command, its output in ``log``."""
    log.parent.mkdir(parents=True, exist_ok=True)
    rss_file = log.with_suffix(".rss")
    rss_file.unlink(missing_ok=True)
    cmd = [GNU_TIME, "-f", "%M %U %S", "-o", str(rss_file), *args] if GNU_TIME else args
    with open(log, "w", encoding="utf-8", errors="replace") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=cwd, env={**_env(), **(env or {})})
        if GNU_TIME:
            try:
                rc = proc.wait(timeout=BUILD_TIMEOUT)
            except subprocess.TimeoutExpired:
                proc.kill()
                rc = proc.wait()
            peak_kb = cpu = None
        else:  # the child's own rusage: max RSS of it and every descendant it waited for
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = rc = os.waitstatus_to_exitcode(status)
            peak_kb = usage.ru_maxrss
            cpu = usage.ru_utime + usage.ru_stime
        seconds = time.perf_counter() - start
    if GNU_TIME:
        try:  # "Command exited with non-zero status N" may come first
            kb, user, system = rss_file.read_text().strip().splitlines()[-1].split()
            peak_kb, cpu = int(kb), float(user) + float(system)
        except (OSError, ValueError, IndexError):
            peak_kb = cpu = None
    text = log.read_text(encoding="utf-8", errors="replace")
    warnings = len(re.findall(r"\bWARNING:", text))
    errors = len(re.findall(r"\b(?:ERROR|CRITICAL|SEVERE):|^(?:Exception occurred|Extension error)", text, re.MULTILINE))
    return Run(seconds, peak_kb / 1024 if peak_kb else None, rc, warnings, errors, cpu, log=str(log))


def html_build(root: Path, log: Path, jobs: str | None = None, outdir: Path | None = None) -> Run:
    out = outdir or root / "_build" / "html"
    args = [SPHINX_BUILD, "-b", "html", "-q", str(root), str(out)]
    if jobs:
        args[1:1] = ["-j", jobs]
    return timed(args, log)


def pdf_build(root: Path, outdir: Path, log: Path) -> Run:
    return timed([SPHINX_BUILD, "-M", "latexpdf", str(root), str(outdir), "-q"], log)


def page_text(root: Path) -> str:
    try:
        return (root / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    except OSError:
        return ""


def article(html: str) -> str:
    match = re.search(r"<article\b[^>]*>(.*?)</article>", html, re.DOTALL)
    return match.group(1) if match else ""


def shown_entries(html: str) -> int:
    """Publication list items: both cvsphinx and sphinxcontrib-bibtex give them an id; other list items have none."""
    return len(re.findall(r'<li id="', article(html)))


# -- one project, every step ---------------------------------------------------------------------------

@dataclass
class Measured:
    project: str
    variant: str
    entries: int
    runs: dict[str, list[Run]] = field(default_factory=dict)
    shown: int | None = None  # publication list items in the first full build's page
    note: str = ""

    def median(self, step: str) -> float | None:
        ok = [r.seconds for r in self.runs.get(step, []) if r.ok]
        return statistics.median(ok) if ok else None

    def cpu(self, step: str) -> float | None:
        ok = [r.cpu_seconds for r in self.runs.get(step, []) if r.ok and r.cpu_seconds is not None]
        return statistics.median(ok) if ok else None

    def peak(self, step: str) -> float | None:
        peaks = [r.peak_mb for r in self.runs.get(step, []) if r.ok and r.peak_mb]
        return max(peaks) if peaks else None

    def failed(self, step: str) -> bool:
        return any(not r.ok for r in self.runs.get(step, []))


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def measure(project: P.Project, entries: int, repeat: int, logs: Path, pdf: bool) -> Measured:
    m = Measured(project.name, project.variant, entries)
    root = project.root
    tag = f"{project.name}-{project.variant}"

    def record(step: str, run: Run) -> None:
        m.runs.setdefault(step, []).append(run)
        state = "ok" if run.ok else f"FAILED (rc={run.returncode}, errors={run.errors}; log {run.log})"
        extra = "" if run.reflected is None else f", edit {'seen' if run.reflected else 'NOT seen'} in output"
        mb = f", {run.peak_mb:.1f} MB" if run.peak_mb else ""
        mb += f", CPU {run.cpu_seconds:.2f} s" if run.cpu_seconds is not None else ""
        say(f"    {tag:<22} {step:<9} {run.seconds:7.2f} s{mb}, {run.warnings} warnings{extra}: {state}")

    for i in range(repeat):
        shutil.rmtree(project.build, ignore_errors=True)
        record("full", html_build(root, logs / f"{tag}-full-{i}.log"))
        if i == 0 and page_text(root):
            m.shown = shown_entries(page_text(root))
    if not page_text(root):  # no output to rebuild from
        return m
    for i in range(repeat):
        record("nochange", html_build(root, logs / f"{tag}-nochange-{i}.log"))
    teaching = root / "sections" / "teaching.md"
    for i in range(repeat):
        word = f"Benchsectionedit{i}x"
        with open(teaching, "a", encoding="utf-8") as handle:
            handle.write(f"\n{word}: a line the benchmark appended.\n")
        run = html_build(root, logs / f"{tag}-section-{i}.log")
        run.reflected = word in page_text(root)
        record("section", run)
    bib = root / "refs.bib"
    for i in range(repeat):
        word = f"Benchbibedit{i}x"
        bib.write_text(change_one_title(bib.read_text(encoding="utf-8"), word), encoding="utf-8")
        run = html_build(root, logs / f"{tag}-bib-{i}.log")
        run.reflected = word.lower() in page_text(root).lower()
        record("bib", run)
    if pdf:
        for i in range(repeat):
            outdir = root.parent / f"{tag}-pdf"
            shutil.rmtree(outdir, ignore_errors=True)
            run = pdf_build(root, outdir, logs / f"{tag}-pdf-{i}.log")
            pdfs = list((outdir / "latex").glob("*.pdf"))
            if not pdfs:
                run.returncode = run.returncode or 1
            record("pdf", run)
    return m


# -- live preview ------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError):
        return None  # not up yet, or the page is being rewritten: try again


def wait_for(url: str, condition, timeout: float, interval: float = 0.05) -> float | None:
    """Seconds until the page at ``url`` satisfies ``condition``; None on timeout."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        page = fetch(url)
        if page is not None and condition(page):
            return time.perf_counter() - start
        time.sleep(interval)
    return None


def _period_edit(conf_text: str, conf: dict) -> tuple[str, str, str] | None:
    """(person name, new conf.py text) for a one-period change of someone whose years the CV shows."""
    shown = {k for k, r in conf.get("cv_roles", {}).items() if r.get("show_periods")}
    for person in conf.get("cv_roster", []):
        for role, period in person.get("roles", {}).items():
            if role not in shown:
                continue
            text = str(period)
            closed = re.fullmatch(r"\s*(\d{4})\s*[–—-]\s*(\d{4})\s*", text)
            single = re.fullmatch(r"\s*(\d{4})\s*", text)
            if closed:
                new = f"{closed[1]}–{int(closed[2]) + 1}"
            elif single:
                new = f"{single[1]}–{int(single[1]) + 1}"
            else:
                continue
            old_literal = json.dumps(text, ensure_ascii=False)
            lines = conf_text.splitlines(keepends=True)
            for n, line in enumerate(lines):
                if person["name"] in line and old_literal in line:
                    lines[n] = line.replace(old_literal, json.dumps(new, ensure_ascii=False), 1)
                    return person["name"], "".join(lines), new
    return None


def live_preview(workdir: Path, logs: Path, timeout: float = 180) -> dict:
    """Save-to-served-page latency of sphinx-autobuild on the seed CV (ours)."""
    project = P.make_seed(workdir / "live-seed-cv")
    out = workdir / "live-html"
    port = free_port()
    url = f"http://127.0.0.1:{port}/index.html"
    log = open(logs / "live-autobuild.log", "w", encoding="utf-8")  # noqa: SIM115  (closed in finally)
    cmd = [SPHINX_AUTOBUILD, str(project.root), str(out), "--port", str(port), "--host", "127.0.0.1", "-q"]
    start = time.perf_counter()
    server = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=_env(), start_new_session=True)
    result: dict = {"project": "seed-cv", "variant": "ours", "edits": {}}
    try:
        first = wait_for(url, lambda page: "</article>" in page, timeout, interval=0.2)
        result["initial_build_and_serve"] = None if first is None else time.perf_counter() - start
        if first is None:
            result["error"] = "the server never served index.html (see bench/out/logs/live-autobuild.log)"
            return result
        time.sleep(1.0)  # let the watcher settle after the initial build

        # 1. a section file
        word = "Benchlivesection"
        teaching = project.root / "sections" / "teaching.md"
        with open(teaching, "a", encoding="utf-8") as handle:
            handle.write(f"\n{word}: a line the benchmark appended.\n")
        result["edits"]["section"] = wait_for(url, lambda page: word in page, timeout)
        say(f"    section edit: {fmt(result['edits']['section'])} s")
        time.sleep(1.0)

        # 2. refs.bib: one title
        word = "Benchlivebib"
        bib = project.root / "refs.bib"
        bib.write_text(change_one_title(bib.read_text(encoding="utf-8"), word), encoding="utf-8")
        result["edits"]["refs.bib"] = wait_for(url, lambda page: word.lower() in page.lower(), timeout)
        say(f"    refs.bib edit: {fmt(result['edits']['refs.bib'])} s")
        time.sleep(1.0)

        # 3. conf.py: one roster period, then back
        conf_path = project.root / "conf.py"
        original = conf_path.read_text(encoding="utf-8")
        edit = _period_edit(original, P.repo_conf())
        if edit is None:
            result["edits"]["conf.py roster"] = None
            result["note"] = "no roster period with shown years to edit"
        else:
            name, changed, new = edit
            pattern = re.compile(re.escape(name) + r"\s*\(([^)]*)\)")
            before_page = fetch(url) or ""
            before = pattern.search(before_page)
            before_text = before.group(1) if before else None

            def differs(page: str) -> bool:
                found = pattern.search(page)
                if before_text is None:
                    return article(page) != article(before_page)
                return bool(found) and found.group(1) != before_text

            conf_path.write_text(changed, encoding="utf-8")
            result["edits"]["conf.py roster"] = wait_for(url, differs, timeout)
            result["roster_edit"] = f"{name}: period -> {new}"
            say(f"    conf.py roster edit: {fmt(result['edits']['conf.py roster'])} s")
            time.sleep(1.0)
            conf_path.write_text(original, encoding="utf-8")
            result["restore_conf"] = wait_for(
                url, lambda page: (pattern.search(page) or [None, None])[1] == before_text, timeout)
        late = [name for name, seconds in result["edits"].items() if seconds is None]
        if late:
            result["error"] = (f"the page never showed the edit of {', '.join(late)} within {timeout:.0f} s "
                               "(see bench/out/logs/live-autobuild.log)")
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)  # the server and the build it may be running
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()
    return result


# -- -j auto -------------------------------------------------------------------------------------------

def parallel_check(project: P.Project, logs: Path) -> dict:
    serial_out = project.root.parent / f"{project.name}-serial-html"
    parallel_out = project.root.parent / f"{project.name}-parallel-html"
    for d in (serial_out, parallel_out):
        shutil.rmtree(d, ignore_errors=True)
    serial = html_build(project.root, logs / f"{project.name}-j1.log", outdir=serial_out)
    parallel = html_build(project.root, logs / f"{project.name}-jauto.log", jobs="auto", outdir=parallel_out)
    texts = []
    for d in (serial_out, parallel_out):
        try:
            texts.append(article((d / "index.html").read_text(encoding="utf-8")))
        except OSError:
            texts.append(None)
    identical = texts[0] is not None and texts[0] == texts[1] and bool(texts[0])
    return {"project": project.name, "serial": asdict(serial), "parallel": asdict(parallel),
            "identical_article": identical, "cpus": os.cpu_count()}


# -- PDFs against the version before ----------------------------------------------------------------

PDF_STEPS = [
    ("old", f"main PDF at {BASELINE} (`sphinx-build -M latexpdf`)"),
    ("main", "main PDF now (`sphinx-build -M latexpdf`)"),
    ("driver", "main PDF now (`python -m cvsphinx.cli.variants --no-variants`)"),
    ("all", "all PDFs now (`python -m cvsphinx.cli.variants`, as `bash cv.sh build`)"),
]


# issue 17: an institute's list of 51,265 entries (20 MB) builds its page in 30 s, in 600 MB, to a usable page
SCALE_TARGETS = {"seconds": 30.0, "peak_mb": 600.0, "page_mb": 40.0}


def scale_check(workdir: Path, logs: Path, n: int, seed: int, conf: dict) -> dict:
    """One full HTML build of ours with ``n`` generated entries: time, peak memory, the page's size."""
    bib = generate_bib(n, seed, conf.get("cv_roster", []))
    project = P.make_ours(workdir / f"scale-{n}-ours", f"scale-{n}", bib)
    run = html_build(project.root, logs / f"scale-{n}.log")
    page = project.build / "html" / "index.html"
    pages = sorted(p for p in (project.build / "html").rglob("*.html") if "_static" not in p.parts)
    return {"entries": n, "bib_mb": len(bib.encode()) / 1e6, "seconds": run.seconds, "peak_mb": run.peak_mb,
            "page_mb": page.stat().st_size / 1e6 if page.is_file() else None,
            "largest_page_mb": max((p.stat().st_size for p in pages), default=0) / 1e6,
            "pages": len(pages), "returncode": run.returncode, "warnings": run.warnings, "errors": run.errors}


# issue 19: a CSL style's .bib edit on the seed CV at most 1.3x the house style's; 1,000 entries reported
CSL_STYLE = "apa"
CSL_EDIT_TARGET = 1.3


def csl_check(workdir: Path, logs: Path, seed: int, conf: dict, runs: int = 5) -> dict:
    """The seed CV and 1,000 generated entries with a CSL style and with the house style, builds taking turns:
    a full HTML build, then one-entry .bib edits."""
    seed_bib = (P.REPO / "refs.bib").read_text(encoding="utf-8")
    gen_bib = generate_bib(1000, seed, conf.get("cv_roster", []))
    out: dict[str, Any] = {"style": CSL_STYLE}
    for name, bib in (("seed-cv", seed_bib), ("gen-1000", gen_bib)):
        projects = {style: P.make_ours(workdir / f"csl-{name}-{style}", f"{name}-{style}", bib,
                                       P.ONE_PAGE_CONF + f"cv_citation_style = {style!r}\n")
                    for style in ("house", CSL_STYLE)}
        times: dict[str, dict[str, list[float]]] = {s: {"full": [], "bib": []} for s in projects}
        for i in range(runs):
            for style, project in projects.items():
                if i == 0 or name == "gen-1000":
                    shutil.rmtree(project.build, ignore_errors=True)
                    times[style]["full"].append(html_build(project.root, logs / f"csl-{name}-{style}-full-{i}.log").seconds)
                bib_path = project.root / "refs.bib"
                bib_path.write_text(change_one_title(bib_path.read_text(encoding="utf-8"), f"Cslbenchedit{i}x"),
                                    encoding="utf-8")
                times[style]["bib"].append(html_build(project.root, logs / f"csl-{name}-{style}-bib-{i}.log").seconds)
        out[name] = {style: {k: statistics.median(v) for k, v in t.items() if v} for style, t in times.items()}
    return out


def csl_report(found: dict) -> list[str]:
    style = found["style"]
    out = ["", f"## A CSL style ({style}, pandoc's citeproc) against the house style", "",
           f"| project | measurement | house (s) | {style} (s) | {style}/house |", "|---|---|---:|---:|---:|"]
    for name in ("seed-cv", "gen-1000"):
        for key, label in (("full", "full HTML build"), ("bib", "rebuild, one .bib entry edited")):
            house, csl = found[name]["house"].get(key), found[name][style].get(key)
            if house and csl:
                out.append(f"| {name} | {label} | {house:.2f} | {csl:.2f} | {csl / house:.2f} |")
    edit = found["seed-cv"][style]["bib"] / found["seed-cv"]["house"]["bib"]
    out += ["", f"Target: the seed CV's .bib edit with {style} at most {CSL_EDIT_TARGET}× the house style's: "
            f"{edit:.2f}× — {'PASS' if edit <= CSL_EDIT_TARGET else 'FAIL'}"]
    return out


def scale_report(scale: dict) -> list[str]:
    out = ["", f"## An institute's list ({scale['entries']} generated entries, {scale['bib_mb']:.1f} MB of BibTeX)", "",
           "| measure | value | target | met |", "|---|---:|---:|---|"]
    measured = {"seconds": scale["seconds"], "peak_mb": scale["peak_mb"], "page_mb": scale["largest_page_mb"]}
    names = {"seconds": "full HTML build (s)", "peak_mb": "peak memory (MB)", "page_mb": "largest HTML page (MB)"}
    for key, target in SCALE_TARGETS.items():
        value = measured[key]
        met = "yes" if value is not None and value <= target else "NO"
        out.append(f"| {names[key]} | {fmt(value, 1)} | {target:g} | {met} |")
    out.append(f"| HTML pages | {scale['pages']} | | |")
    return out


def pdf_comparison(workdir: Path, logs: Path, repeat: int, baseline: str = BASELINE) -> dict:
    """The seed CV's PDFs now and at ``baseline``, each build in a fresh output folder, the kinds of
    build taking turns so that load on the machine falls on all of them alike."""
    old_root = workdir / f"seed-{baseline}"
    made = subprocess.run(["git", "-C", str(P.REPO), "worktree", "add", "--detach", "--force", str(old_root), baseline],
                          capture_output=True, text=True)
    if made.returncode != 0:
        return {"error": f"git worktree add {baseline} failed: {made.stderr.strip()}"}
    try:
        new_root = P.make_seed(workdir / "seed-pdf-now").root
        commands = {
            "old": lambda out: [SPHINX_BUILD, "-M", "latexpdf", str(old_root), str(out), "-q"],
            "main": lambda out: [SPHINX_BUILD, "-M", "latexpdf", str(new_root), str(out), "-q"],
            "driver": lambda out: [sys.executable, "-m", "cvsphinx.cli.variants", str(new_root), "--builddir", str(out), "-q",
                                   "--no-variants"],
            "all": lambda out: [sys.executable, "-m", "cvsphinx.cli.variants", str(new_root), "--builddir", str(out), "-q"],
        }
        runs: dict[str, list[dict]] = {step: [] for step in commands}
        pdfs: dict[str, list[str]] = {}
        order = list(commands)
        for i in range(repeat):
            for step in order[i % len(order):] + order[:i % len(order)]:
                out = workdir / f"pdf-{step}-{i}"
                shutil.rmtree(out, ignore_errors=True)
                run = timed(commands[step](out), logs / f"pdf-{step}-{i}.log", env={"PYTHONPATH": str(P.EXT)})
                found = sorted(str(p.relative_to(out)) for p in out.rglob("*.pdf") if "html" not in p.parts)
                if not found:
                    run.returncode = run.returncode or 1
                pdfs[step] = found
                runs[step].append(asdict(run))
                state = "ok" if run.ok else f"FAILED (log {run.log})"
                say(f"    pdf {step:<5} {run.seconds:7.2f} s, CPU {fmt(run.cpu_seconds)} s, {len(found)} PDF(s): {state}")
        return {"baseline": baseline, "runs": runs, "pdfs": pdfs}
    finally:
        subprocess.run(["git", "-C", str(P.REPO), "worktree", "remove", "--force", str(old_root)], capture_output=True)
        subprocess.run(["git", "-C", str(P.REPO), "worktree", "prune"], capture_output=True)


def _pdf_median(comparison: dict | None, step: str, key: str = "seconds") -> float | None:
    if not comparison or "runs" not in comparison:
        return None
    values = [r[key] for r in comparison["runs"].get(step, []) if r["returncode"] == 0 and r["errors"] == 0
              and r.get(key) is not None]
    return statistics.median(values) if values else None


def pdf_targets(comparison: dict | None) -> list[tuple[str, str, str]]:
    old, main, every = (_pdf_median(comparison, s) for s in ("old", "main", "all"))
    checks = []
    for target, now, limit in ((f"seed CV: main PDF ≤ 2/3 of {BASELINE}'s", main, 2 / 3),
                               (f"seed CV: all PDFs of `cv.sh build` ≤ 1.5× {BASELINE}'s one PDF", every, 1.5)):
        if comparison is None or old is None or now is None:
            checks.append((target, "not run" if comparison is None else "failed", "n.a." if comparison is None else "FAIL"))
        else:
            checks.append((target, f"{fmt(now)} s vs {fmt(old)} s ({fmt(now / old, 3)}×)",
                           "PASS" if now <= limit * old else "FAIL"))
    return checks


def pdf_report(comparison: dict) -> list[str]:
    if "error" in comparison:
        return ["", f"## PDFs against {BASELINE}", "", f"Not run: {comparison['error']}"]
    old = _pdf_median(comparison, "old")
    old_cpu = _pdf_median(comparison, "old", "cpu_seconds")
    out = ["", f"## PDFs against {comparison['baseline']} (seed CV, same run)", "",
           "Each build from scratch in its own folder; the builds take turns.", "",
           "| build | runs | median s | vs old | CPU s | CPU vs old | PDFs |", "|---|---:|---:|---:|---:|---:|---|"]
    for step, label in PDF_STEPS:
        seconds = _pdf_median(comparison, step)
        cpu = _pdf_median(comparison, step, "cpu_seconds")
        runs = len(comparison["runs"].get(step, []))
        ratio = fmt(seconds / old, 3) if seconds and old else "—"
        cpu_ratio = fmt(cpu / old_cpu, 3) if cpu and old_cpu else "—"
        names = ", ".join(Path(p).name for p in comparison["pdfs"].get(step, [])) or "none"
        out.append(f"| {label} | {runs} | {fmt(seconds)} | {ratio} | {fmt(cpu)} | {cpu_ratio} | {names} |")
    return out


# -- report --------------------------------------------------------------------------------------------

def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    try:
        import sphinx

        sphinx_version = sphinx.__version__
    except ImportError:
        sphinx_version = "?"
    try:
        load = os.getloadavg()
    except OSError:
        load = None
    return {
        "cpu": cpu, "cores": os.cpu_count(), "usable_cores": usable,
        "python": platform.python_version(), "implementation": platform.python_implementation(),
        "sphinx": sphinx_version, "platform": platform.platform(),
        "date": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "load_average_at_start": load, "cvsphinx_sources_at_start": ext_fingerprint(),
        "peak_memory_by": "/usr/bin/time -f %M" if GNU_TIME else "os.wait4 rusage",
    }


def ext_fingerprint() -> str:
    """A short hash of the cvsphinx sources, to tell whether the extension changed during the run."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted((P.EXT / "cvsphinx").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(P.EXT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _shown(m: Measured | None) -> str:
    return "—" if m is None or m.shown is None else str(m.shown)


def _load(load: tuple | None) -> str:
    return "?" if not load else "/".join(f"{x:.1f}" for x in load)


def fmt(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def table(results: list[Measured]) -> list[str]:
    pairs: dict[str, dict[str, Measured]] = {}
    for m in results:
        pairs.setdefault(m.project, {})[m.variant] = m
    lines = ["| project | entries | measurement | runs | ours (s) | stock (s) | ours/stock | ours peak MB | stock peak MB "
             "| ours CPU (s) | stock CPU (s) | CPU ours/stock |",
             "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, variants in pairs.items():
        ours, stock = variants.get("ours"), variants.get("stock")
        entries = (ours or stock).entries
        for step, label in STEPS:
            if not any(v and step in v.runs for v in (ours, stock)):
                continue

            def cell(m: Measured | None, step: str = step) -> str:
                if m is None or step not in m.runs:
                    return "—"
                if m.median(step) is None:
                    return "FAIL"
                value = fmt(m.median(step))
                reflected = [r.reflected for r in m.runs[step] if r.reflected is not None]
                if reflected and not all(reflected):
                    value += " (edit not in output!)"
                return value + (" (some runs failed)" if m.failed(step) else "")

            o = ours.median(step) if ours else None
            s = stock.median(step) if stock else None
            if step == "full":
                label = f"{label} (entries shown: {_shown(ours)} / {_shown(stock)})"
            ratio = fmt(o / s) if o is not None and s else "—"
            runs = max(len(v.runs.get(step, [])) for v in (ours, stock) if v)
            peaks = (fmt(ours.peak(step), 1) if ours and step in ("full", "pdf") else "",
                     fmt(stock.peak(step), 1) if stock and step in ("full", "pdf") else "")
            oc = ours.cpu(step) if ours else None
            sc = stock.cpu(step) if stock else None
            cpu_ratio = fmt(oc / sc) if oc is not None and sc else "—"
            lines.append(f"| {name} | {entries} | {label} | {runs} | {cell(ours)} | {cell(stock)} | {ratio} | "
                         f"{peaks[0]} | {peaks[1]} | {fmt(oc)} | {fmt(sc)} | {cpu_ratio} |")
    return lines


def targets(results: list[Measured], size: int | None) -> list[tuple[str, str, str]]:
    """(target, measured, PASS/FAIL/n.a.)."""
    by = {(m.project, m.variant): m for m in results}
    checks: list[tuple[str, str, str]] = []

    def verdict(ok: bool | None) -> str:
        return "n.a." if ok is None else ("PASS" if ok else "FAIL")

    if size is not None:
        ours, stock = by.get((f"gen-{size}", "ours")), by.get((f"gen-{size}", "stock"))
        o = ours.median("full") if ours else None
        s = stock.median("full") if stock else None
        checks.append((f"{size} entries: full HTML ≤ 0.5× stock",
                       f"{fmt(o)} s vs {fmt(s)} s ({fmt(o / s, 3) if o and s else '—'}×)",
                       verdict(None if o is None or s is None else o <= 0.5 * s)))
        o = ours.median("nochange") if ours else None
        s = stock.median("nochange") if stock else None
        checks.append((f"{size} entries: no-change rebuild ≤ 1.5 s", f"{fmt(o)} s", verdict(None if o is None else o <= 1.5)))
        checks.append((f"{size} entries: no-change rebuild ≤ 0.1× stock",
                       f"{fmt(o)} s vs {fmt(s)} s ({fmt(o / s, 3) if o and s else '—'}×)",
                       verdict(None if o is None or s is None else o <= 0.1 * s)))
        o = ours.median("section") if ours else None
        reflected = ours is not None and all(r.reflected for r in ours.runs.get("section", []))
        seen = "" if reflected else " (edit not in output)"
        checks.append((f"{size} entries: section-edit rebuild ≤ 2 s", f"{fmt(o)} s{seen}",
                       verdict(None if o is None else (o <= 2.0 and reflected))))
        o = ours.peak("full") if ours else None
        s = stock.peak("full") if stock else None
        checks.append((f"{size} entries: peak memory (full build) ≤ stock", f"{fmt(o, 1)} MB vs {fmt(s, 1)} MB",
                       verdict(None if o is None or s is None else o <= s)))
    # issue 18: a one-entry edit in 1.5 s, 150 MB, a full build at 0.2x stock: 5,000 generated entries and TUGboat
    for name, label in ((f"gen-{size}", f"{size} entries") if size == 5000 else (None, None), ("tugboat", "TUGboat")):
        ours, stock = by.get((name, "ours")), by.get((name, "stock"))
        if ours is None:
            continue
        o = ours.median("bib")
        reflected = all(r.reflected for r in ours.runs.get("bib", []))
        checks.append((f"{label}: one-entry .bib edit ≤ 1.5 s", f"{fmt(o)} s" + ("" if reflected else " (edit not in output)"),
                       verdict(None if o is None else (o <= 1.5 and reflected))))
        peaks = [p for p in (ours.peak("full"), ours.peak("bib")) if p is not None]
        checks.append((f"{label}: peak memory (full build, .bib edit) ≤ 150 MB",
                       " / ".join(f"{fmt(p, 1)} MB" for p in peaks) or "—",
                       verdict(None if not peaks else max(peaks) <= 150)))
        o = ours.median("full")
        s = stock.median("full") if stock else None
        checks.append((f"{label}: full HTML ≤ 0.2× stock", f"{fmt(o)} s vs {fmt(s)} s ({fmt(o / s, 3) if o and s else '—'}×)",
                       verdict(None if o is None or s is None else o <= 0.2 * s)))
    seed = by.get(("seed-cv", "ours"))
    o = seed.median("full") if seed else None
    checks.append(("seed CV: full HTML ≤ 2.5 s", f"{fmt(o)} s", verdict(None if o is None else o <= 2.5)))
    o = seed.median("pdf") if seed and "pdf" in seed.runs else None
    checks.append(("seed CV: PDF ≤ 10 s", f"{fmt(o)} s" if seed and "pdf" in seed.runs else "not run",
                   verdict(None if o is None and not (seed and seed.failed("pdf")) else (o is not None and o <= 10))))
    return checks


def report(results: list[Measured], live: dict | None, par: dict | None, info: dict, args: argparse.Namespace,
           target_size: int | None, pdfs: dict | None = None) -> str:
    out = ["# CV benchmark results", "",
           f"Machine: {info['cpu']}, {info['cores']} cores ({info['usable_cores']} usable), "
           f"{info['implementation']} {info['python']}, Sphinx {info['sphinx']}, {info['platform']}; "
           f"{info['date']}; load average (1/5/15 min) at start {_load(info.get('load_average_at_start'))}, "
           f"at end {_load(info.get('load_average_at_end'))}; "
           f"peak memory by {info['peak_memory_by']}; cvsphinx sources {info['cvsphinx_sources_at_start']}"
           + ("" if info.get("cvsphinx_sources_at_end") in (None, info["cvsphinx_sources_at_start"])
              else f" at start, {info['cvsphinx_sources_at_end']} at end (ext/cvsphinx changed during the run)")
           + ".", "",
           f"Options: sizes {args.sizes_list}, repeat {args.repeat or 'auto (3 below 5000 entries, else 1)'}, "
           f"{'quick, ' if args.quick else ''}seed {args.seed}. Times are medians of the runs "
           "(wall clock of one `sphinx-build -q` process); peak MB is the build process's max RSS; CPU is its "
           "user+system time, which other load on the machine disturbs less than wall time.", "",
           "## Builds", ""]
    out += table(results)
    failures = [(m, step, r) for m in results for step, runs in m.runs.items() for r in runs if not r.ok]
    notes = [f"- {m.project}/{m.variant}: {m.note}" for m in results if m.note]
    if notes:
        out += ["", "Notes:", *notes]
    warn_rows = [f"{m.project}/{m.variant}: {m.runs['full'][0].warnings}" for m in results if m.runs.get("full")]
    out += ["", "Warnings in the first full build: " + "; ".join(warn_rows) + "."]
    if failures:
        out += ["", "Failed builds:"]
        out += [f"- {m.project}/{m.variant} {step}: rc={r.returncode}, {r.errors} error lines; log {r.log}"
                for m, step, r in failures]
    if live is not None:
        out += ["", "## Live preview (sphinx-autobuild, seed CV, ours)", "",
                "| edit | seconds from save to rebuilt page |", "|---|---:|"]
        out.append(f"| initial build and serve | {fmt(live.get('initial_build_and_serve'))} |")
        for name, seconds in live.get("edits", {}).items():
            out.append(f"| {name} | {fmt(seconds) if seconds is not None else 'timed out'} |")
        if "restore_conf" in live:
            out.append(f"| conf.py restored | {fmt(live['restore_conf'])} |")
        for key in ("roster_edit", "note", "error"):
            if key in live:
                out += ["", f"{key}: {live[key]}"]
    if par is not None:
        s, p = par["serial"], par["parallel"]
        out += ["", f"## `-j auto` vs serial (ours, {par['project']}, {par['cpus']} CPUs)", "",
                "| build | seconds | peak MB | ok |", "|---|---:|---:|---|",
                f"| serial | {fmt(s['seconds'])} | {fmt(s['peak_mb'], 1)} | {s['returncode'] == 0 and s['errors'] == 0} |",
                f"| -j auto | {fmt(p['seconds'])} | {fmt(p['peak_mb'], 1)} | {p['returncode'] == 0 and p['errors'] == 0} |",
                "", f"`<article>` of index.html identical: **{'yes' if par['identical_article'] else 'NO'}**"]
    if pdfs is not None:
        out += pdf_report(pdfs)
    out += ["", "## Targets" + (f" (sizes {target_size})" if target_size else ""), "",
            "| target | measured | result |", "|---|---|---|"]
    out += [f"| {t} | {v} | {r} |" for t, v, r in [*targets(results, target_size), *pdf_targets(pdfs)]]
    return "\n".join(out) + "\n"


# -- main ----------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,5000", help="generated bibliography sizes (default 1000,5000)")
    parser.add_argument("--repeat", type=int, default=0,
                        help="runs per timing (default: 3 below 5000 entries and for the seed CV, else 1)")
    parser.add_argument("--quick", action="store_true", help="smoke test: size 200, one run, no PDF, no real-world bib")
    parser.add_argument("--seed", type=int, default=20240601, help="seed of the bibliography generator")
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF build")
    parser.add_argument("--no-real", action="store_true", help="skip the real-world bibliography (tugboat.bib)")
    parser.add_argument("--no-live", action="store_true", help="skip the live-preview latency")
    parser.add_argument("--no-parallel", action="store_true", help="skip -j auto vs serial")
    parser.add_argument("--no-pdf-compare", action="store_true",
                        help=f"skip the seed CV's PDFs against {BASELINE} (also skipped by --no-pdf)")
    parser.add_argument("--pdf-repeat", type=int, default=5, help="runs of each PDF build in that comparison (default 5)")
    parser.add_argument("--only-pdf-compare", action="store_true", help="only the PDFs against the version before")
    parser.add_argument("--scale", type=int, default=51265,
                        help="entries of the institute-sized list built once to HTML (default 51265; 0 skips it)")
    parser.add_argument("--no-csl", action="store_true", help=f"skip the CSL style ({CSL_STYLE}) against the house style")
    parser.add_argument("--keep", action="store_true", help="keep the temporary projects (path printed)")
    parser.add_argument("--out", type=Path, default=OUT, help=f"where results.md and results.json go (default {OUT})")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.no_pdf, args.no_real, args.scale = "200", True, True, 0
        args.repeat = args.repeat or 1
    args.sizes_list = [int(s) for s in args.sizes.split(",") if s.strip()]

    def repeats(n: int | None) -> int:
        if args.repeat:
            return args.repeat
        return 1 if n is None or n >= 5000 else 3

    info = machine()
    workdir = Path(tempfile.mkdtemp(prefix="cv-bench-"))
    logs = workdir / "logs"
    logs.mkdir()
    say(f"bench: working in {workdir}")
    conf = P.repo_conf()
    results: list[Measured] = []
    live = par = pdfs = scale = csl = None
    started = time.perf_counter()
    try:
        if not args.no_pdf and not args.no_pdf_compare:
            say(f"bench: the seed CV's PDFs now and at {BASELINE}")
            pdfs = pdf_comparison(workdir, logs, args.pdf_repeat)
        if args.only_pdf_compare:
            args.sizes_list, args.no_real, args.no_live, args.no_parallel = [], True, True, True
        # The seed CV: ours as in the repository, stock with the same content.
        seed_bib = (P.REPO / "refs.bib").read_text(encoding="utf-8")
        seed_entries = len(re.findall(r"^\s*@(?!string|comment|preamble)\w+", seed_bib, re.MULTILINE | re.IGNORECASE))
        say("bench: seed CV")
        for project in (P.make_seed(workdir / "seed-cv-ours"), P.make_stock(workdir / "seed-cv-stock", "seed-cv", seed_bib, conf)):
            if not args.only_pdf_compare:
                results.append(measure(project, seed_entries, repeats(seed_entries), logs, pdf=not args.no_pdf))

        largest = None
        for n in args.sizes_list:
            say(f"bench: generated bibliography, {n} entries")
            bib = generate_bib(n, args.seed, conf.get("cv_roster", []))
            ours = P.make_ours(workdir / f"gen-{n}-ours", f"gen-{n}", bib, P.ONE_PAGE_CONF)
            stock = P.make_stock(workdir / f"gen-{n}-stock", f"gen-{n}", bib, conf)
            for project in (ours, stock):
                results.append(measure(project, n, repeats(n), logs, pdf=False))
            largest = ours

        if not args.no_real:
            if REAL_BIB.is_file():
                say(f"bench: real-world bibliography {REAL_BIB}")
                bib = REAL_BIB.read_text(encoding="utf-8", errors="replace")
                n = len(re.findall(r"^\s*@(?!string|comment|preamble)\w+", bib, re.MULTILINE | re.IGNORECASE))
                ours = P.make_ours(workdir / "tugboat-ours", "tugboat", bib, P.CATCH_ALL_CONF)
                clean, removed = P.drop_repeated_fields(bib)
                stock = P.make_stock(workdir / "tugboat-stock", "tugboat", clean, conf, catch_all=True)
                for project in (ours, stock):
                    results.append(measure(project, n, repeats(None), logs, pdf=False))
                if removed:
                    results[-1].note = (f"stock reads a copy of {REAL_BIB.name} without its {removed} repeated fields: "
                                        "pybtex stops reading a file at the first one and drops every later entry; "
                                        "ours reads the original (it keeps the first value and warns).")
            else:
                say(f"bench: {REAL_BIB} not found; skipping the real-world bibliography")

        if args.scale and not args.only_pdf_compare:
            say(f"bench: an institute's list, {args.scale} entries, one full HTML build")
            scale = scale_check(workdir, logs, args.scale, args.seed, conf)
            say(f"    {scale}")

        if not args.no_csl and not args.quick and not args.only_pdf_compare:
            say(f"bench: a CSL style ({CSL_STYLE}) against the house style")
            csl = csl_check(workdir, logs, args.seed, conf)
            say(f"    {csl}")

        if not args.no_live:
            say("bench: live preview (sphinx-autobuild)")
            live = live_preview(workdir, logs)
            say(f"    {live}")

        if not args.no_parallel and largest is not None:
            say(f"bench: -j auto vs serial ({largest.name})")
            par = parallel_check(largest, logs)
            say(f"    serial {par['serial']['seconds']:.2f} s, -j auto {par['parallel']['seconds']:.2f} s, "
                f"identical: {par['identical_article']}")
    finally:
        try:
            write_results(args, info, results, live, par, started, logs, pdfs, scale, csl)
        finally:
            if args.keep:
                say(f"bench: projects kept in {workdir}")
            else:
                shutil.rmtree(workdir, ignore_errors=True)
    failed = any(not r.ok for m in results for runs in m.runs.values() for r in runs)
    failed = failed or (pdfs is not None and ("error" in pdfs or any(
        r["returncode"] != 0 or r["errors"] for runs in pdfs["runs"].values() for r in runs)))
    return 1 if failed else 0


def write_results(args: argparse.Namespace, info: dict, results: list[Measured], live: dict | None, par: dict | None,
                  started: float, logs: Path, pdfs: dict | None = None, scale: dict | None = None,
                  csl: dict | None = None) -> None:
    """Print the report; write results.md, results.json and the logs of whatever failed."""
    info["total_seconds"] = time.perf_counter() - started
    info["cvsphinx_sources_at_end"] = ext_fingerprint()
    try:
        info["load_average_at_end"] = os.getloadavg()
    except OSError:
        info["load_average_at_end"] = None
    target_size = 5000 if 5000 in args.sizes_list else (max(args.sizes_list) if args.sizes_list else None)
    text = report(results, live, par, info, args, target_size, pdfs)
    if scale is not None:
        text += "\n".join(scale_report(scale)) + "\n"
    if csl is not None:
        text += "\n".join(csl_report(csl)) + "\n"
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.md").write_text(text, encoding="utf-8")
    raw = {
        "machine": info,
        "options": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "builds": [{"project": m.project, "variant": m.variant, "entries": m.entries, "shown": m.shown, "note": m.note,
                    "runs": {step: [asdict(r) for r in runs] for step, runs in m.runs.items()}}
                   for m in results],
        "live_preview": live, "parallel": par, "pdf_comparison": pdfs, "scale": scale, "csl": csl,
        "targets": [{"target": t, "measured": v, "result": r}
                    for t, v, r in [*targets(results, target_size), *pdf_targets(pdfs)]],
    }
    (args.out / "results.json").write_text(json.dumps(raw, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    # Keep the logs of failed builds; everything else goes with the temporary directory.
    failed_logs = [r.log for m in results for runs in m.runs.values() for r in runs if not r.ok and r.log]
    if pdfs and "runs" in pdfs:
        failed_logs += [r["log"] for runs in pdfs["runs"].values() for r in runs if r["returncode"] != 0 and r["log"]]
    keep = args.out / "logs"
    shutil.rmtree(keep, ignore_errors=True)
    if failed_logs or (live and live.get("error")):
        keep.mkdir()
        for log in [*failed_logs, str(logs / "live-autobuild.log")]:
            if Path(log).is_file():
                shutil.copy2(log, keep / Path(log).name)
    say(f"bench: wrote {args.out / 'results.md'} and {args.out / 'results.json'} ({info['total_seconds']:.0f} s)")


if __name__ == "__main__":
    sys.exit(main())
