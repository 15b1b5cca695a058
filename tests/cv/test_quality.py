"""The page as visitors' tools judge it: axe-core and Lighthouse in the installed Chromium.

axe-core (WCAG 2.2 A and AA, and best practice): no violation at 375 and 1280 px, light and dark,
on the real CV and on a CV with {publication-stats} (a chart and wide tables).  Lighthouse
(accessibility, best practices, SEO): each at least 98 on mobile and desktop.  No console error,
no failed request, no unused asset shipped.  The npm packages are pinned in
tests/quality/package.json: ``npm ci --prefix tests/quality``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import CHROMIUM, HERE, LOCAL_ONLY, PROJECT, serve

pytestmark = pytest.mark.slow

NODE_DIR = HERE / "quality"
AXE = NODE_DIR / "node_modules" / "axe-core" / "axe.min.js"
LIGHTHOUSE = NODE_DIR / "node_modules" / "lighthouse" / "cli" / "index.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
VIEWS = [(375, "light"), (375, "dark"), (1280, "light"), (1280, "dark")]
LIGHTHOUSE_MIN = 0.98
UNUSED = ("pygments.css", "sphinx_highlight.js")


def _npm_tools() -> None:
    if not AXE.is_file() or not LIGHTHOUSE.is_file():
        pytest.fail(f"axe-core and Lighthouse are not installed: run npm ci --prefix {NODE_DIR.relative_to(PROJECT)}")





HUB = HERE / "roots" / "test-cv-hub"


@pytest.fixture(scope="module")
def hub_server(tmp_path_factory) -> Iterator[str]:
    """The small CV with {publication-stats}, built to HTML as a user builds it, and served."""
    if not HUB.is_dir():
        pytest.skip("the extension's own test roots are not in this project (a CV made by cv.sh new)")
    src = tmp_path_factory.mktemp("hub") / "src"
    shutil.copytree(HUB, src)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(PROJECT / "ext"), os.environ.get("PYTHONPATH", "")])}
    run = subprocess.run([sys.executable, "-m", "sphinx", "-M", "html", str(src), str(src / "_build"), "-W",
                          "--keep-going", "-q"], capture_output=True, text=True, env=env, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    with serve(src / "_build" / "html") as url:
        yield url


def _visit(browser, url: str, width: int, scheme: str):
    """The page at this size and scheme, with everything the browser complained about while loading it."""
    context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
    context.route(LOCAL_ONLY, lambda route: route.abort())
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    page.goto(url + "index.html", wait_until="load")
    page.evaluate("(s) => { localStorage.setItem('theme', s); document.body.dataset.theme = s; }", scheme)
    page.wait_for_timeout(100)
    return context, page, problems


def _axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                           AXE_TAGS)
    assert result["testEngine"]["version"].startswith("4.")
    return result["violations"]


def _describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        lines += [f"    {n['target']}: {n['failureSummary']}" for n in v["nodes"][:5]]
    return "\n".join(lines)


@pytest.mark.parametrize(("width", "scheme"), VIEWS, ids=[f"{w}-{s}" for w, s in VIEWS])
def test_axe_real_cv(browser, server, width, scheme) -> None:
    _npm_tools()
    context, page, problems = _visit(browser, server, width, scheme)
    try:
        violations = _axe(page)
    finally:
        context.close()
    assert not violations, _describe(violations)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("width", "scheme"), VIEWS, ids=[f"{w}-{s}" for w, s in VIEWS])
def test_axe_statistics(browser, hub_server, width, scheme) -> None:
    _npm_tools()
    context, page, problems = _visit(browser, hub_server, width, scheme)
    try:
        assert page.locator("figure.cv-stats-chart svg").count() == 1
        violations = _axe(page)
        # the bars stand out from the background in both schemes (WCAG 1.4.11: 3:1 for graphics)
        ratios = page.evaluate("""() => {
          const lum = (c) => { const [r, g, b] = c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number).map(v => {
            v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
            return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
          const bg = lum(getComputedStyle(document.body).backgroundColor);
          return [...document.querySelectorAll('svg.cv-chart rect')].map(r => {
            const f = lum(getComputedStyle(r).fill);
            return (Math.max(f, bg) + 0.05) / (Math.min(f, bg) + 0.05); });
        }""")
    finally:
        context.close()
    assert not violations, _describe(violations)
    assert not problems, "\n".join(problems)
    assert ratios and min(ratios) >= 3, ratios


def test_unused_assets_not_shipped(cv_build) -> None:
    out = Path(cv_build["html"]).parent
    page = Path(cv_build["html"]).read_text(encoding="utf-8")
    for name in UNUSED:
        assert not (out / "_static" / name).exists(), name
        assert name not in page, name
    for url in re.findall(r'(?:href|src)="(_static/[^"?]+)', page):
        assert (out / url).is_file(), url
    assert not (out / "genindex.html").exists() and not (out / "search.html").exists()


@pytest.mark.parametrize("form_factor", ["mobile", "desktop"])
def test_lighthouse(server, tmp_path, form_factor) -> None:
    _npm_tools()
    report = tmp_path / f"lighthouse-{form_factor}.json"
    command = ["node", str(LIGHTHOUSE), server + "index.html", f"--chrome-path={CHROMIUM}",
               "--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run",
               "--only-categories=accessibility,best-practices,seo", "--output=json", f"--output-path={report}",
               "--quiet", *(["--preset=desktop"] if form_factor == "desktop" else [])]
    run = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(report.read_text(encoding="utf-8"))
    assert not result.get("runtimeError"), result.get("runtimeError")
    scores = {key: category["score"] for key, category in result["categories"].items()}
    failing = [f"{ref['id']}: {result['audits'][ref['id']]['title']}"
               for category in result["categories"].values() for ref in category["auditRefs"]
               if ref["weight"] and (result["audits"][ref["id"]]["score"] or 0) < 1
               and result["audits"][ref["id"]]["scoreDisplayMode"] not in ("notApplicable", "manual", "informative")]
    assert set(scores) == {"accessibility", "best-practices", "seo"}
    assert all(score is not None and score >= LIGHTHOUSE_MIN for score in scores.values()), (scores, failing)
