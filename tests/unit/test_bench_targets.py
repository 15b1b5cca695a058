"""The benchmark judges issue 18's targets (a one-entry edit in 1.5 s, 150 MB, a full build at 0.2x stock) for the
5,000 generated entries and for TUGboat, from what it measured."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[2]))
run = pytest.importorskip("bench.run")


def _measured(project: str, variant: str, full: float, edit: float, peak: float) -> object:
    m = run.Measured(project, variant, 5000)
    m.runs["full"] = [run.Run(full, peak, 0, 0, 0)]
    m.runs["bib"] = [run.Run(edit, peak - 10, 0, 0, 0, reflected=True)]
    return m


def _verdicts(results) -> dict[str, str]:
    return {target: verdict for target, _, verdict in run.targets(results, 5000)}


def test_met_and_unmet_targets_are_told_apart() -> None:
    found = _verdicts([_measured("gen-5000", "ours", 6.0, 1.4, 149.0), _measured("gen-5000", "stock", 35.0, 40.0, 265.0),
                       _measured("tugboat", "ours", 6.0, 2.6, 168.0), _measured("tugboat", "stock", 24.0, 25.0, 206.0)])
    assert found["5000 entries: one-entry .bib edit ≤ 1.5 s"] == "PASS"
    assert found["5000 entries: peak memory (full build, .bib edit) ≤ 150 MB"] == "PASS"
    assert found["5000 entries: full HTML ≤ 0.2× stock"] == "PASS"
    assert found["TUGboat: one-entry .bib edit ≤ 1.5 s"] == "FAIL"
    assert found["TUGboat: peak memory (full build, .bib edit) ≤ 150 MB"] == "FAIL"
    assert found["TUGboat: full HTML ≤ 0.2× stock"] == "FAIL"


def test_an_edit_the_page_did_not_show_fails() -> None:
    ours = _measured("gen-5000", "ours", 6.0, 1.0, 140.0)
    ours.runs["bib"][0].reflected = False
    assert _verdicts([ours])["5000 entries: one-entry .bib edit ≤ 1.5 s"] == "FAIL"
