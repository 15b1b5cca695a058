"""A citation style is a plug-in: registered by name, chosen in conf.py or per variant, the markers kept.

Root ``test-cv-style-plugin`` registers "title-first" (the title in small capitals, then the house entry) from
its conf.py and chooses it; its variant "plain" goes back to the house style.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup


def entry(app) -> BeautifulSoup:
    soup = BeautifulSoup((Path(app.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser")
    (item,) = soup.select("ol.cv-publication-list > li > p")
    return item


@pytest.mark.sphinx("html", testroot="cv-style-plugin", srcdir="style-plugin", freshenv=True)
def test_a_registered_style_is_used_with_the_markers_kept(app) -> None:
    app.build()
    assert "[cv." not in app._warning.getvalue()
    item = entry(app)
    assert item.get_text().startswith("Thawing permafrost seen from space. Zhang, E.")
    assert item.find("span", class_="cv-smallcaps") is not None
    assert item.find("strong").get_text() == "L. Liu"  # the owner bold
    assert item.find("sup", class_="cv-marker-student") is not None  # the supervisee marked


@pytest.mark.sphinx("html", testroot="cv-style-plugin", srcdir="style-plugin-variant", freshenv=True,
                    confoverrides={"cv_variant": "plain"})
def test_a_variant_chooses_its_own_style(app) -> None:
    app.build()
    item = entry(app)
    assert item.get_text().startswith("Zhang, E.")
    assert item.find("span", class_="cv-smallcaps") is None


def test_an_edited_style_renders_again_without_a_fresh_build(tmp_path) -> None:
    """The cache of rendered entries knows the style's own code: edit the plug-in, build as usual, and the page
    shows the new style (not the entries rendered by the old one)."""
    import os
    import shutil
    import subprocess
    import sys

    src = tmp_path / "src"
    shutil.copytree(Path(__file__).parents[1] / "roots" / "test-cv-style-plugin", src)
    out = src / "_build" / "html"

    def build() -> str:
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2] / "ext")}
        done = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", str(src), str(out)],
                              capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr
        soup = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
        return soup.select_one("ol.cv-publication-list > li > p").get_text()

    assert build().startswith("Thawing permafrost seen from space. Zhang, E.")
    conf = src / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8").replace('record.text("title")), ". "', 'record.text("title")), " — "'),
                    encoding="utf-8")
    assert build().startswith("Thawing permafrost seen from space — Zhang, E.")
