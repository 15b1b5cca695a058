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
