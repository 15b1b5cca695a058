"""A CV's settings, validated once: what every stage after the reader needs of ``conf.py``.

``sphinxext/config.py`` makes it from Sphinx's configuration; the core takes it as a plain value.
"""

from __future__ import annotations

from dataclasses import dataclass

from .groups import Group
from .labels import ENGLISH, Labels
from .people import Owner, Roster
from .variants import Variant


@dataclass
class CVConfig:
    owner: Owner
    roster: Roster
    groups: list[Group]
    bibfiles: list[str]
    legend_prefix: str
    confpath: str
    digest: str = ""  # of every value that changes formatted output; keys the caches kept in the env
    author_marks: dict[str, tuple[str, str]] | None = None  # written mark -> (shown symbol, legend label)
    show_isbn: bool = False
    bibtex_fields: frozenset[str] = frozenset()  # private fields kept in the BibTeX shown on the page
    variants: dict[str, Variant] | None = None  # every variant of cv_variants
    variant: Variant | None = None  # the one this build makes (cv_variant), or None for the full CV
    journal_names: str = "abbreviated"  # AASTeX's journal macros (\\apj): "abbreviated" (ApJ) or "full"
    merge_preprints: bool = False  # a preprint whose published version is listed: shown once, with it
    citation_style: str = "house"  # a name in styles.registry.STYLES: cv_citation_style, or the variant's own
    language: str = ""  # Sphinx's own setting, for the locale of a CSL style
    numbered: bool | None = None  # cv_numbered: None as the citation style does (the house style numbers)
    labels: Labels = ENGLISH  # the words the extension writes, in that language, with cv_labels (i18n.py)
