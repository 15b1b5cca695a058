"""The built web page in a real browser: Debian's headless Chromium, driven by Playwright.

The page is served from _build/html by Python's http.server on a free localhost port
(fixtures in conftest.py).  Every check runs at a phone width (375) and a desktop width
(1280), in the light and the dark colour scheme.  A screenshot of each goes into the
test's tmp_path.  Nothing here knows whose CV it is: the headings are the page's own,
so ``cv.sh new`` copies this file into every new CV project.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from conftest import open_page

HEIGHT = 800
VIEWS = [(375, "light"), (375, "dark"), (1280, "light"), (1280, "dark")]


def _pdf_link_text() -> str:
    """The PDF link's words as index.md has them: a CV made by ``cv.sh new --language`` writes them in its language."""
    index = Path(__file__).resolve().parents[2] / "index.md"
    found = re.search(r"```\{cv-pdf-link\}[ \t]*(.*)", index.read_text(encoding="utf-8")) if index.is_file() else None
    return found.group(1).strip() if found and found.group(1).strip() else "Download this CV as PDF"


PDF_LINK_TEXT = _pdf_link_text()

pytestmark = pytest.mark.slow


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


@pytest.fixture(scope="module", params=VIEWS, ids=[f"{w}-{s}" for w, s in VIEWS])
def view(request, browser, server, tmp_path_factory):
    """The CV open at one width and colour scheme; yields (page, width, scheme, base url).

    One page per width and scheme, shared by the tests of this module; its full-page
    screenshot goes into a pytest tmp directory (never into the repository).
    """
    width, scheme = request.param
    context, page = open_page(browser, server, width, HEIGHT, scheme)
    try:
        page.wait_for_timeout(100)
        shots = tmp_path_factory.mktemp(f"screenshots-{width}-{scheme}")
        page.screenshot(path=str(shots / f"cv-{width}-{scheme}.png"), full_page=True)
        yield page, width, scheme, server
    finally:
        context.close()


_HEADING_TEXT_JS = (
    "(el) => { const c = el.cloneNode(true); c.querySelectorAll('.headerlink').forEach(x => x.remove());"
    " return c.textContent; }"
)


def _h2_titles(page) -> list[str]:
    """The text of every <h2> of the article: the CV's sections."""
    loc = page.locator("article h2")
    return [norm(loc.nth(i).evaluate(_HEADING_TEXT_JS)) for i in range(loc.count())]


def _h2(page, title: str):
    """The <h2> of the article whose text (without its ¶ permalink) is ``title``, case-insensitively."""
    wanted = norm(title).lower()
    loc = page.locator("article h2")
    for i in range(loc.count()):
        h = loc.nth(i)
        if norm(h.evaluate(_HEADING_TEXT_JS)).lower() == wanted:
            return h
    return None


def test_section_headings_visible(view):
    page, _, _, _ = view
    problems = []
    titles = _h2_titles(page)
    assert titles, "the article has no <h2>: no CV sections"
    for title in titles:
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
    context, page = open_page(browser, server, 1280, HEIGHT, request.param)
    try:
        yield page
    finally:
        page.screenshot(path=str(tmp_path / f"cv-1280-{request.param}-after-click.png"))
        context.close()


def test_sidebar_links_to_every_section(desktop):
    page = desktop
    sidebar = page.locator(".sidebar-drawer")
    assert sidebar.is_visible(), "no left sidebar at 1280px"
    problems = []
    titles = _h2_titles(page)
    assert titles, "the article has no <h2>: no CV sections"
    for title in titles:
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
    """The sidebar's link to the section that holds the publication lists brings its heading into view."""
    page = desktop
    title = page.evaluate(
        "() => { const p = document.querySelector('article .cv-publications');"
        " const s = p && p.closest('section'); let h = s && s.querySelector(':scope > h2');"
        " for (let e = s; !h && e; e = e.parentElement && e.parentElement.closest('section')) h = e.querySelector(':scope > h2');"
        " if (!h) return null; const c = h.cloneNode(true); c.querySelectorAll('.headerlink').forEach(x => x.remove());"
        " return c.textContent; }"
    )
    if title is None:
        pytest.skip("the CV has no publication lists")
    heading = _h2(page, title)
    assert heading is not None, f"no <h2> {title!r}"
    anchor = heading.evaluate("(el) => (el.closest('section') || el).id")
    link = page.locator(f'.sidebar-drawer a[href="#{anchor}"]').first
    assert link.is_visible()
    link.click()
    page.wait_for_function("(id) => location.hash === '#' + id", arg=anchor)
    page.wait_for_timeout(300)  # a smooth scroll, if any, settles
    box = heading.bounding_box()
    vh = page.evaluate("() => window.innerHeight")
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= vh, (
        f"after the click the {title!r} heading is at {box}, outside the {vh}px viewport"
    )
