"""Variants of the CV (``cv_variants``), validated, and the rules that pick a ``cv-entries`` line for one.

The Sphinx side (sections kept, the configuration changed, page limits) is ``sphinxext/tailor.py``; the
LaTeX rewriting for a one-pass PDF is ``output/fastpdf.py``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .configerrors import ConfigError, shown, unknown_key
from .groups import Selection, selector_or_say

if TYPE_CHECKING:
    from .groups import Group

# The citation style's own check: the styles sit above the core, so the caller hands it in.
StyleCheck = Callable[[str, str], "str | None"]


# The keys a variant may have; the README's configuration reference lists the same (a test compares them).
VARIANT_KEYS = ("title", "label", "pdf", "sections", "tags", "entry_years", "select", "years", "max_per_group",
                "page_limit", "font", "font_size", "paper", "margins", "line_spacing", "citation_style")


_EXAMPLE = "{'short': {'sections': ['Education', 'Publications'], 'select': 'selected', 'page_limit': 2}}"


_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


_TAG = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


_LENGTH = re.compile(r"^\d+(?:\.\d+)?\s*(?:cm|mm|in|pt|bp)$")


_SIZES = ("10pt", "11pt", "12pt")


_PAPERS = ("a4paper", "letterpaper", "legalpaper", "a5paper", "b5paper", "executivepaper")


@dataclass(frozen=True)
class Variant:
    """One variant, validated; ``pdf`` is its own or, by default, the full CV's name with the variant's added."""

    name: str
    title: str | None = None
    label: str | None = None
    pdf: str = "cv.pdf"
    sections: tuple[str, ...] | None = None
    tags: tuple[str, ...] = ()
    # per section name (None: every section), the first year a dated cv-entries line must reach
    entry_since: tuple[tuple[str | None, int], ...] = ()
    selection: Selection = field(default_factory=Selection)
    page_limit: int | None = None
    font: str | None = None
    font_size: str | None = None
    paper: str | None = None
    margins: str | None = None
    line_spacing: float | None = None
    citation_style: str | None = None  # its own citation style (styles.registry.STYLES), else cv_citation_style


def _count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def build_variants(raw: object, groups: Sequence[Group], reference_year: int | None,
                   problems: list[str] | None = None, main: str = "cv.pdf",
                   style_problem: StyleCheck | None = None) -> dict[str, Variant]:
    """Every variant of ``cv_variants``; raises ConfigError listing every mistake, or adds them to ``problems``.
    ``style_problem`` says what is wrong with a variant's ``citation_style`` (None: any name is taken)."""
    found: list[str] = []
    if not isinstance(raw, Mapping):
        found.append(f"cv_variants must be a dict of variant name: settings, not {shown(raw)}; e.g. {_EXAMPLE}")
        raw = {}
    group_names = {g.name for g in groups}
    variants: dict[str, Variant] = {}
    pdfs: dict[str, str] = {main: "the full CV"}
    for name, spec in raw.items():
        where = f"cv_variants[{name!r}]"
        if not isinstance(name, str) or not _NAME.match(name):
            found.append(f"cv_variants key {name!r} must be one word of letters, digits, - or _ (it names folders and "
                         "-D cv_variant=...); e.g. 'short'")
            continue
        if not isinstance(spec, Mapping):
            found.append(f"{where} must be a dict of settings, not {shown(spec)}; e.g. {{'select': 'selected'}}")
            continue
        found.extend(unknown_key(where, k, VARIANT_KEYS) for k in spec if k not in VARIANT_KEYS)
        before = len(found)
        for key in ("title", "label", "font"):
            value = spec.get(key)
            if value is not None and (not isinstance(value, str) or not value.strip()):
                found.append(f"{where}[{key!r}] must be text, not {shown(value)}; e.g. "
                             + ("'TeX Gyre Termes'" if key == "font" else "'Two-page CV'"))
        pdf = spec.get("pdf", f"{main[:-4]}-{name}.pdf")
        if not isinstance(pdf, str) or not pdf.endswith(".pdf") or "/" in pdf or "\\" in pdf or pdf == ".pdf":
            found.append(f"{where}['pdf'] must be a file name ending in .pdf, not {shown(pdf)}; e.g. 'cv-short.pdf'")
        elif pdf in pdfs:
            found.append(f"{where}['pdf'] {pdf!r} is also the PDF of {pdfs[pdf]}; give each its own")
        else:
            pdfs[pdf] = repr(name)
        sections = spec.get("sections")
        if sections is not None and (not isinstance(sections, (list, tuple))
                                     or not all(isinstance(s, str) and s.strip() for s in sections)):
            found.append(f"{where}['sections'] must be a list of section titles (or None for all), not {shown(sections)}; "
                         "e.g. ['Education', 'Publications']")
        tags = spec.get("tags", [name])
        if not isinstance(tags, (list, tuple)) or not all(isinstance(t, str) and _TAG.match(t) for t in tags):
            found.append(f"{where}['tags'] must be a list of one-word tags, not {shown(tags)}; e.g. ['short']")
        years = spec.get("years")
        if years is not None:
            if not _count(years):
                found.append(f"{where}['years'] must be a whole number of years, 1 or more, or None, not {shown(years)}; "
                             "e.g. 5")
            elif reference_year is None:
                found.append(f"{where}['years'] counts back from cv_reference_year, which is not set; set it to the "
                             "year the CV is dated, e.g. cv_reference_year = 2019")
        entry_years = spec.get("entry_years")
        windows: dict[str | None, object] = {}
        if isinstance(entry_years, Mapping):
            windows = dict(entry_years)
        elif entry_years is not None:
            windows = {None: entry_years}
        for section, count in windows.items():
            at = f"{where}['entry_years']" + (f"[{section!r}]" if section is not None else "")
            if section is not None and (not isinstance(section, str) or not section.strip()):
                found.append(f"{where}['entry_years'] keys must be section titles, not {shown(section)}; "
                             "e.g. {'Completed Research Projects': 5}")
            elif not _count(count):
                found.append(f"{at} must be a whole number of years, 1 or more, not {shown(count)}; "
                             "e.g. {'Completed Research Projects': 5}")
            elif reference_year is None:
                found.append(f"{at} counts back from cv_reference_year, which is not set; set it to the "
                             "year the CV is dated, e.g. cv_reference_year = 2019")
        select = None
        source = spec.get("select")
        if source is not None:
            if not isinstance(source, str):
                found.append(f"{where}['select'] must be a selector string, not {shown(source)}; e.g. 'selected'")
            else:
                select = selector_or_say(source, where, found)
        most = spec.get("max_per_group")
        if most is not None:
            if isinstance(most, Mapping):
                for group, count in most.items():
                    if group not in group_names:
                        found.append(f"{where}['max_per_group'] names the group {group!r}, which is not in "
                                     f"cv_publication_groups ({', '.join(sorted(group_names))})")
                    elif not _count(count):
                        found.append(f"{where}['max_per_group'][{group!r}] must be a whole number, 1 or more, "
                                     f"not {shown(count)}")
            elif not _count(most):
                found.append(f"{where}['max_per_group'] must be a whole number, 1 or more, or a dict of group: number, "
                             f"not {shown(most)}; e.g. 10")
        limit = spec.get("page_limit")
        if limit is not None and not _count(limit):
            found.append(f"{where}['page_limit'] must be a whole number of pages, 1 or more, not {shown(limit)}; e.g. 2")
        size = spec.get("font_size")
        if size is not None and size not in _SIZES:
            found.append(f"{where}['font_size'] must be one of {', '.join(_SIZES)}, not {shown(size)}")
        paper = spec.get("paper")
        if paper is not None and paper not in _PAPERS:
            found.append(f"{where}['paper'] must be one of {', '.join(_PAPERS)}, not {shown(paper)}")
        margins = spec.get("margins")
        if margins is not None and (not isinstance(margins, str) or not _LENGTH.match(margins.strip())):
            found.append(f"{where}['margins'] must be a length such as '2.5cm', '25mm' or '1in', not {shown(margins)}")
        spacing = spec.get("line_spacing")
        if spacing is not None and (isinstance(spacing, bool) or not isinstance(spacing, (int, float))
                                    or not math.isfinite(spacing) or not 0.5 <= spacing <= 3):
            found.append(f"{where}['line_spacing'] must be a number from 0.5 to 3 (1 is single spacing), "
                         f"not {shown(spacing)}; e.g. 1")
        style = spec.get("citation_style")
        if style is not None and style_problem and (why := style_problem(style, f"{where}['citation_style']")) is not None:
            found.append(why)
        if len(found) > before:
            continue
        variants[name] = Variant(
            name=name, title=spec.get("title"), label=spec.get("label"), pdf=pdf,
            sections=tuple(s.strip() for s in sections) if sections is not None else None,
            tags=tuple(tags),
            entry_since=tuple((s.strip() if isinstance(s, str) else None, reference_year - c + 1)  # type: ignore[operator]
                              for s, c in windows.items()) if reference_year else (),
            selection=Selection(select, reference_year - years + 1 if years and reference_year else None, most),
            page_limit=limit, font=spec.get("font"), font_size=size, paper=paper,
            margins=margins.strip() if isinstance(margins, str) else None,
            line_spacing=float(spacing) if spacing is not None else None, citation_style=style,
        )
    if problems is None and found:
        raise ConfigError(*found)
    if problems is not None:
        problems.extend(found)
    return variants


def known_tags(variants: Mapping[str, Variant]) -> frozenset[str]:
    """Words that are tags in ``[...]`` at the end of a ``cv-entries`` line: variant names and their tags."""
    return frozenset(variants) | frozenset(t for v in variants.values() for t in v.tags)


_TRAILING_TAGS = re.compile(r"\s+\[\s*([A-Za-z][\w-]*(?:[\s,]+[A-Za-z][\w-]*)*)\s*\]\s*$")


_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|2\d\d\d)(?!\d)")


_OPEN = re.compile(r"present|now|today|current|ongoing|(?:\d{4}\s*[–—-]\s*$)", re.IGNORECASE)


def split_tags(line: str, known: frozenset[str]) -> tuple[str, tuple[str, ...]]:
    """``'Award | 2016 [short rgc]'`` -> ``('Award | 2016', ('short', 'rgc'))``, when every word is a known tag.

    Brackets holding anything else (``[in Chinese]``) are the line's text.
    """
    match = _TRAILING_TAGS.search(line) if known else None
    if not match:
        return line, ()
    words = tuple(w for w in re.split(r"[\s,]+", match[1]) if w)
    if not words or not all(w in known for w in words):
        return line, ()
    return line[:match.start()], words


def reaches(when: str, since: int) -> bool:
    """Whether a date such as ``2011–2013``, ``2014–present`` or ``2016`` reaches into the years from ``since``.

    A line without a year is kept: nothing says it is old.
    """
    years = [int(y) for y in _YEAR.findall(when)]
    if not years or _OPEN.search(when.strip()):
        return True
    return max(years) >= since


def picks_lines(variant: Variant | None, tags: Sequence[Sequence[str]]) -> bool:
    """Whether a block (the tags of its lines) has lines picked for this variant: then it keeps only those."""
    return variant is not None and any(set(t) & set(variant.tags) for t in tags)


def keeps_entry(variant: Variant | None, tags: Sequence[str], picked: bool = False) -> bool:
    """A line of ``cv-entries`` in this variant: in a block where some lines carry one of the variant's tags
    (``picked``), only those.  The full CV keeps every line, and a variant every line of a block that picks
    none for it.  (Dates are the transform's: they depend on the section, see ``entry_years``.)"""
    return variant is None or not picked or bool(set(tags) & set(variant.tags))
