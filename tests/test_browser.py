"""The built web page in a real browser: Debian's headless Chromium, driven by Playwright.

The page is served from _build/html by Python's http.server on a free localhost port.
Every check runs at a phone width (375) and a desktop width (1280), in the light and
the dark colour scheme.  A screenshot of each goes into the test's tmp_path.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from pathlib import Path

import pytest
import seed as cv_seed
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HEIGHT = 800
VIEWS = [(375, "light"), (375, "dark"), (1280, "light"), (1280, "dark")]
PDF_LINK_TEXT = "Download this CV as PDF"

pytestmark = pytest.mark.slow


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def server(cv_build):
    """Base URL of _build/html, served on a free port of 127.0.0.1 from a background thread."""
    root = Path(cv_build["html"]).parent
    handler = functools.partial(_QuietHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module", params=VIEWS, ids=[f"{w}-{s}" for w, s in VIEWS])
def view(request, browser, server, tmp_path_factory):
    """The CV open at one width and colour scheme; yields (page, width, scheme, base url).

    One page per width and scheme, shared by the tests of this module; its full-page
    screenshot goes into a pytest tmp directory (never into the repository).
    """
    width, scheme = request.param
    context = browser.new_context(viewport={"width": width, "height": HEIGHT}, color_scheme=scheme)
    # Only the local server: nothing may leave the machine.
    context.route(re.compile(r"^(?!http://127\.0\.0\.1:).*"), lambda route: route.abort())
    page = context.new_page()
    try:
        page.goto(server + "index.html", wait_until="load")
        # furo keeps the theme in body[data-theme] (and in localStorage); pin it to the scheme.
        page.evaluate(
            "(s) => { localStorage.setItem('theme', s); document.body.dataset.theme = s; }",
            scheme,
        )
        page.wait_for_timeout(100)
        shots = tmp_path_factory.mktemp(f"screenshots-{width}-{scheme}")
        page.screenshot(path=str(shots / f"cv-{width}-{scheme}.png"), full_page=True)
        yield page, width, scheme, server
    finally:
        context.close()


def _h2(page, title: str):
    """The <h2> of the article whose text (without its ¶ permalink) is ``title``, case-insensitively."""
    wanted = cv_seed.norm(title).lower()
    loc = page.locator("article h2")
    for i in range(loc.count()):
        h = loc.nth(i)
        text = h.evaluate(
            "(el) => { const c = el.cloneNode(true); c.querySelectorAll('.headerlink').forEach(x => x.remove());"
            " return c.textContent; }"
        )
        if cv_seed.norm(text).lower() == wanted:
            return h
    return None


_TEXT_OUTSIDE_JS = """
() => {
  const art = document.querySelector('article');
  const box = art.getBoundingClientRect();
  const walker = document.createTreeWalker(art, NodeFilter.SHOW_TEXT);
  const out = [];
  const range = document.createRange();
  const clipped = (el) => {  // visually hidden on purpose (screen-reader text): clipped to nothing
    for (let e = el; e && e !== art; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.display === 'none' || cs.visibility === 'hidden') return true;
      if (cs.clip !== 'auto' || cs.clipPath !== 'none') return true;
      const b = e.getBoundingClientRect();
      if (cs.overflow !== 'visible' && (b.width <= 1 || b.height <= 1)) return true;
    }
    return false;
  };
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim() || clipped(n.parentElement)) continue;
    range.selectNodeContents(n);
    for (const r of range.getClientRects()) {
      if (r.width > 0 && (r.right > box.right + 1 || r.left < box.left - 1)) {
        out.push([n.textContent.trim().slice(0, 40), Math.round(r.left), Math.round(r.right)]);
        break;
      }
    }
    if (out.length >= 5) break;
  }
  return out;
}
"""


def test_no_horizontal_overflow(view):
    page, width, _, _ = view
    sizes = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert sizes[0] <= sizes[1], f"the page is {sizes[0]}px wide in a {sizes[1]}px window (width {width})"
    # furo clips what sticks out of its content column, so also look for text outside the article's box.
    outside = page.evaluate(_TEXT_OUTSIDE_JS)
    assert not outside, f"text sticks out of the article's column at width {width}: {outside}"


def test_section_headings_visible(view, seed_text):
    page, _, _, _ = view
    problems = []
    for title in cv_seed.headings(seed_text, level=2):
        h = _h2(page, title)
        if h is None:
            problems.append(f"no <h2> {title!r}")
            continue
        h.scroll_into_view_if_needed()
        if not h.is_visible():
            problems.append(f"{title!r} is not visible")
            continue
        box = h.bounding_box()
        vh = page.evaluate("() => window.innerHeight")
        if box is None or box["y"] + box["height"] <= 0 or box["y"] >= vh:
            problems.append(f"{title!r} is not in the viewport after scrolling to it ({box})")
    assert not problems, "\n".join(problems)


_CONTRAST_JS = """
(selectors) => {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 1;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  const rgba = (css) => {
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = '#000'; ctx.fillStyle = css;
    ctx.fillRect(0, 0, 1, 1);
    const d = ctx.getImageData(0, 0, 1, 1).data;
    return [d[0], d[1], d[2], d[3] / 255];
  };
  const over = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    let bg = [255, 255, 255, 1];
    for (const c of layers.reverse()) bg = over(c, bg);
    return bg;
  };
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const out = {};
  for (const sel of selectors) {
    const el = document.querySelector(sel);
    if (!el) { out[sel] = null; continue; }
    const bg = background(el);
    const fg = over(rgba(getComputedStyle(el).color), bg);
    const [a, b] = [lum(fg), lum(bg)];
    out[sel] = {ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05), fg, bg, bgLum: b};
  }
  return out;
}
"""

CONTRAST_SELECTORS = [
    "article",
    "article p",
    "article .cv-entry .cv-what",
    "article .cv-entry .cv-date",
    "article ol.cv-publication-list li",
    "article h2",
]


def test_text_contrast(view):
    page, _, scheme, _ = view
    result = page.evaluate(_CONTRAST_JS, CONTRAST_SELECTORS)
    assert result["article"] is not None, "no <article>"
    bg_lum = result["article"]["bgLum"]
    if scheme == "dark":
        assert bg_lum < 0.2, f"the dark scheme did not take: the article's background is {result['article']['bg']}"
    else:
        assert bg_lum > 0.6, f"the light scheme has a dark background: {result['article']['bg']}"
    low = {sel: r for sel, r in result.items() if r is not None and r["ratio"] < 4.5}
    assert not low, f"contrast below 4.5 in the {scheme} scheme: {low}"


def test_pdf_link(view):
    page, _, _, _ = view
    link = page.get_by_role("link", name=PDF_LINK_TEXT)
    assert link.count() >= 1, f"no link {PDF_LINK_TEXT!r}"
    link = link.first
    link.scroll_into_view_if_needed()
    assert link.is_visible()
    href = link.evaluate("(a) => a.href")  # resolved against the page's URL
    response = page.request.get(href)
    assert response.status == 200, f"{href}: HTTP {response.status}"
    assert response.body().startswith(b"%PDF"), f"{href} is not a PDF"


@pytest.fixture(params=["light", "dark"])
def desktop(request, browser, server, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": HEIGHT}, color_scheme=request.param)
    context.route(re.compile(r"^(?!http://127\.0\.0\.1:).*"), lambda route: route.abort())
    page = context.new_page()
    try:
        page.goto(server + "index.html", wait_until="load")
        page.evaluate("(s) => { localStorage.setItem('theme', s); document.body.dataset.theme = s; }", request.param)
        yield page
    finally:
        page.screenshot(path=str(tmp_path / f"cv-1280-{request.param}-after-click.png"))
        context.close()


def test_sidebar_links_to_every_section(desktop, seed_text):
    page = desktop
    sidebar = page.locator(".sidebar-drawer")
    assert sidebar.is_visible(), "no left sidebar at 1280px"
    problems = []
    for title in cv_seed.headings(seed_text, level=2):
        h = _h2(page, title)
        if h is None:
            problems.append(f"no <h2> {title!r}")
            continue
        anchor = h.evaluate("(el) => (el.closest('section') || el).id")
        link = sidebar.locator(f'a[href="#{anchor}"]')
        if link.count() == 0:
            problems.append(f"no sidebar link to {title!r} (#{anchor})")
        elif not link.first.is_visible():
            problems.append(f"the sidebar link to {title!r} is not visible")
    assert not problems, "\n".join(problems)


def test_sidebar_publications_link_scrolls_to_publications(desktop):
    page = desktop
    heading = _h2(page, "Publications")
    assert heading is not None
    anchor = heading.evaluate("(el) => (el.closest('section') || el).id")
    link = page.locator(f'.sidebar-drawer a[href="#{anchor}"]').first
    assert link.is_visible()
    link.click()
    page.wait_for_function("(id) => location.hash === '#' + id", arg=anchor)
    page.wait_for_timeout(300)  # a smooth scroll, if any, settles
    box = heading.bounding_box()
    vh = page.evaluate("() => window.innerHeight")
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= vh, (
        f"after the click the Publications heading is at {box}, outside the {vh}px viewport"
    )
