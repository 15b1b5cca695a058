"""Configuration checks: every cv_* value and key, all mistakes at once, exit status 2, no crash report.

Also keeps the README honest: its configuration reference and its warning table
list exactly what the code has.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from cvsphinx.core.groups import GROUP_KEYS
from cvsphinx.core.people import ROLE_KEYS, ROSTER_KEYS
from cvsphinx.core.variants import VARIANT_KEYS
from cvsphinx.sphinxext.warnings_ import Subtype
from sphinx.util.docutils import docutils_namespace

HERE = Path(__file__).parents[1]
PROJECT = HERE.parent
BAD_ROOT = HERE / "roots" / "test-cv-config-bad"
README = (PROJECT / "README.md").read_text(encoding="utf-8")

# test-cv-config-bad/conf.py: (text of the line, what its error says). One error per mistake.
BAD_ROOT_ERRORS = [
    ('cv_owner = ","', "cv_owner must be a person's name, not ','; e.g. cv_owner = 'Curie, Marie'"),
    ("cv_owner_aliases =", "cv_owner_aliases must be a list of names, not 'Curie, M.'"),
    ("cv_bibfiles = None", "cv_bibfiles must be a list of .bib files, not None; e.g. ['refs.bib']"),
    ("cv_legend_prefix = 3", "cv_legend_prefix must be text, not 3"),
    ('"colour": "red"', "cv_roles['mentee'] has unknown key 'colour'; allowed: label, symbol, heading, show_periods"),
    ('"summer intern"', "cv_roles['intern']['symbol'] '†' is also the symbol of 'mentee'"),
    ('"summer intern"', "cv_roles['intern']['show_periods'] must be True or False, not 'yes'"),
    ("cv_role_lag_years = True", "cv_role_lag_years must be a whole number of years, 0 or more, not True"),
    ('"roles": "mentee"', "cv_roster[0] (Irène Joliot)['roles'] must be a dict of role: period, not 'mentee'"),
    ('"expect_papers": "no"', "cv_roster[1] (Pierre Dupont)['expect_papers'] must be True or False, not 'no'"),
    ('"mentor": "1905"', "cv_roster[2] (Paul Langevin) has unknown role 'mentor'; did you mean 'mentee'?"),
    ('"mentor": "1905"', "cv_roster[2] (Paul Langevin), role 'mentee': period '1905–1903' ends before it starts"),
    ("cv_rooster = []", "cv_rooster is not a cvsphinx setting; did you mean cv_roster?"),
    ("cv_publication_group = []", "cv_publication_group is not a cvsphinx setting; did you mean cv_publication_groups?"),
    ('"show_years": False', "cv_publication_groups[0] (papers) has unknown key 'show_years'; did you mean 'show_year'?"),
    ('"show_years": False', "cv_publication_groups[0] (papers)['markers'] must be True or False, not 'no'"),
    ('"show_years": False', "cv_publication_groups[0] (papers): the selector \"type = 'article'\" does not parse"),
]


def plain(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def error_lines(text: str) -> list[str]:
    return [line for line in plain(text).splitlines() if "ERROR:" in line]


def expected_errors() -> list[str]:
    """Each expected error with the location it must carry: conf.py and the line holding the mistake."""
    lines = (BAD_ROOT / "conf.py").read_text(encoding="utf-8").splitlines()
    expected = []
    for snippet, message in BAD_ROOT_ERRORS:
        (number,) = [n for n, line in enumerate(lines, 1) if snippet in line]
        expected.append(f"conf.py:{number}: ERROR: {message}")
    return expected


def assert_all_reported(stderr: str) -> None:
    reported = error_lines(stderr)
    for line in expected_errors():
        assert any(line in r for r in reported), f"missing: {line}\ngot:\n" + "\n".join(reported)
    assert len(reported) == len(BAD_ROOT_ERRORS), reported  # one line per mistake, nothing else


def fails_to_start(make_app: Callable, *args, **kwargs) -> str:
    """Create an app that must stop at config-inited; returns what it logged."""
    warning = StringIO()
    # The app never finishes __init__, so nothing unregisters its directives: docutils_namespace does.
    with docutils_namespace(), pytest.raises(SystemExit) as exit_:
        make_app(*args, **{**kwargs, "warning": warning})
    assert exit_.value.code == 2
    return plain(warning.getvalue())


# -- sphinx-build as a user runs it ------------------------------------------


@pytest.mark.parametrize("options", [[], ["-W", "--keep-going"]], ids=["plain", "-W"])
def test_sphinx_build_reports_every_mistake_without_a_crash_report(tmp_path: Path, options: list[str]) -> None:
    src = tmp_path / "src"
    shutil.copytree(BAD_ROOT, src)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(PROJECT / "ext"), os.environ.get("PYTHONPATH", "")])}
    run = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "src", "out", *options],
                         cwd=tmp_path, capture_output=True, text=True, env=env)
    assert run.returncode == 2, run.stderr
    stderr = plain(run.stderr)
    assert_all_reported(stderr)
    assert error_lines(stderr)[0].startswith(f"src{os.sep}conf.py:")  # relative to the working directory
    for sign_of_a_crash in ("Traceback", "Versions", "Extension error", "crash", "sphinx-err-"):
        assert sign_of_a_crash.lower() not in (stderr + run.stdout).lower()
    assert not (tmp_path / "out" / "index.html").exists()


@pytest.mark.sphinx("html", testroot="cv-config-bad")
def test_in_process_every_mistake_at_once(app_params, make_app: Callable) -> None:
    args, kwargs = app_params
    assert_all_reported(fails_to_start(make_app, *args, **kwargs))


@pytest.mark.sphinx("html", testroot="cv-config-bad")
def test_readme_example_is_real_output(app_params, make_app: Callable) -> None:
    args, kwargs = app_params
    reported = error_lines(fails_to_start(make_app, *args, **kwargs))
    section = readme_section("## Configuration reference")
    examples = [line for line in section.splitlines() if line.startswith("conf.py:")]
    assert examples
    for line in examples:
        assert any(r.endswith(line) for r in reported), line


# -- One mistake at a time ---------------------------------------------------


def _mistake(srcdir: str, overrides: dict, fragment: str):
    return pytest.param(
        fragment,
        marks=pytest.mark.sphinx("html", testroot="cv-config", srcdir="cv-config-mistake", freshenv=True,
                                 confoverrides=overrides),
        id=srcdir,
    )


_ROLES = {"mentee": {"label": "mentee", "symbol": "†"}}


@pytest.mark.parametrize(
    "fragment",
    [
        _mistake("owner-none", {"cv_owner": None}, "cv_owner is not set"),
        _mistake("owner-comma", {"cv_owner": ","}, "cv_owner must be a person's name, not ','"),
        _mistake("owner-list", {"cv_owner": ["Curie, Marie"]}, "cv_owner must be a person's name, not ['Curie, Marie']"),
        _mistake("aliases-none", {"cv_owner_aliases": None}, "cv_owner_aliases must be a list of names, not None"),
        _mistake("alias-blank", {"cv_owner_aliases": ["Curie, M.", " "]}, "cv_owner_aliases[1] must be a person's name"),
        _mistake("bibfiles-none", {"cv_bibfiles": None}, "cv_bibfiles must be a list of .bib files, not None"),
        _mistake("bibfile-empty", {"cv_bibfiles": ["refs.bib", ""]}, "cv_bibfiles[1] must be a path, not ''"),
        _mistake("bibfile-twice", {"cv_bibfiles": ["refs.bib", "./refs.bib"]},
                 "cv_bibfiles[1] './refs.bib' repeats cv_bibfiles[0]"),
        _mistake("roles-list", {"cv_roster": [], "cv_roles": ["mentee"]},
                 "cv_roles must be a non-empty dict of roles, not ['mentee']"),
        _mistake("role-key", {"cv_roster": [], "cv_roles": {"none": {"label": "x", "symbol": "*"}}},
                 "cv_roles key 'none' must be one word"),
        _mistake("role-key-space", {"cv_roster": [], "cv_roles": {"grad student": {"label": "x", "symbol": "*"}}},
                 "cv_roles key 'grad student' must be one word"),
        _mistake("role-no-label", {"cv_roster": [], "cv_roles": {"mentee": {"symbol": "†"}}}, "cv_roles['mentee'] needs a 'label'"),
        _mistake("role-label-type", {"cv_roster": [], "cv_roles": {"mentee": {"label": 1, "symbol": "†"}}},
                 "cv_roles['mentee']['label'] must be text, not 1"),
        _mistake("role-same-symbol",
                 {"cv_roster": [], "cv_roles": {"a": {"label": "a", "symbol": "*"}, "b": {"label": "b", "symbol": " * "}}},
                 "cv_roles['b']['symbol'] ' * ' is also the symbol of 'a', so the legend would be ambiguous"),
        _mistake("role-heading", {"cv_roster": [], "cv_roles": {"mentee": {"label": "m", "symbol": "†", "heading": ["Mentees"]}}},
                 "cv_roles['mentee']['heading'] must be a string or None, not ['Mentees']"),
        _mistake("role-show-periods", {"cv_roster": [], "cv_roles": {"mentee": {"label": "m", "symbol": "†", "show_periods": 1}}},
                 "cv_roles['mentee']['show_periods'] must be True or False, not 1"),
        _mistake("role-typo", {"cv_roster": [], "cv_roles": {"mentee": {"label": "m", "symbol": "†", "show_period": True}}},
                 "cv_roles['mentee'] has unknown key 'show_period'; did you mean 'show_periods'?"),
        _mistake("roster-none", {"cv_roster": None}, "cv_roster must be a list of people, not None"),
        _mistake("roster-roles-str", {"cv_roles": _ROLES, "cv_roster": [{"name": "Irène Joliot", "roles": "mentee"}]},
                 "cv_roster[0] (Irène Joliot)['roles'] must be a dict of role: period, not 'mentee'; e.g. {'mentee': "),
        _mistake("roster-no-roles", {"cv_roles": _ROLES, "cv_roster": [{"name": "Irène Joliot"}]},
                 "cv_roster[0] (Irène Joliot) needs 'roles'"),
        _mistake("roster-name", {"cv_roles": _ROLES, "cv_roster": [{"name": "-", "roles": {"mentee": "1920"}}]},
                 "cv_roster[0]['name'] must be a person's name, not '-'"),
        _mistake("roster-expect-papers", {"cv_roles": _ROLES,
                                          "cv_roster": [{"name": "I. Joliot", "roles": {"mentee": "1920"}, "expect_papers": "no"}]},
                 "cv_roster[0] (I. Joliot)['expect_papers'] must be True or False, not 'no'"),
        _mistake("roster-period-type", {"cv_roles": _ROLES, "cv_roster": [{"name": "I. Joliot", "roles": {"mentee": 1920.5}}]},
                 "cv_roster[0] (I. Joliot)['roles']['mentee'] must be a period or a list of periods, not 1920.5"),
        _mistake("roster-period-bool", {"cv_roles": _ROLES, "cv_roster": [{"name": "I. Joliot", "roles": {"mentee": True}}]},
                 "['roles']['mentee'] must be a period or a list of periods, not True"),
        _mistake("roster-period-text", {"cv_roles": _ROLES, "cv_roster": [{"name": "I. Joliot", "roles": {"mentee": "soon"}}]},
                 "cv_roster[0] (I. Joliot), role 'mentee': period 'soon' is not understood; write e.g. '2018'"),
        _mistake("lag-bool", {"cv_role_lag_years": False},
                 "cv_role_lag_years must be a whole number of years, 0 or more, not False"),
        _mistake("lag-negative", {"cv_role_lag_years": -1}, "cv_role_lag_years must be a whole number of years, 0 or more, not -1"),
        _mistake("groups-none", {"cv_publication_groups": None},
                 "cv_publication_groups must be a non-empty list of groups, not None"),
        _mistake("groups-empty", {"cv_publication_groups": []}, "cv_publication_groups must be a non-empty list of groups, not []"),
        _mistake("group-name-space", {"cv_publication_groups": [{"name": "my papers", "select": "type == 'article'"}]},
                 "cv_publication_groups[0]['name'] must be one word, not 'my papers'"),
        _mistake("group-markers", {"cv_publication_groups": [{"name": "p", "select": "type == 'article'", "markers": "no"}]},
                 "cv_publication_groups[0] (p)['markers'] must be True or False, not 'no'"),
        _mistake("group-show-year", {"cv_publication_groups": [{"name": "p", "select": "type == 'article'", "show_year": 0}]},
                 "cv_publication_groups[0] (p)['show_year'] must be True or False, not 0"),
        _mistake("group-select-type", {"cv_publication_groups": [{"name": "p", "select": ["article"]}]},
                 "cv_publication_groups[0] (p)['select'] must be a selector string, not ['article']"),
        _mistake("legend-none", {"cv_legend_prefix": None}, "cv_legend_prefix must be text, not None"),
        _mistake("pdf-url-none", {"cv_pdf_url": None}, "cv_pdf_url must be a URL, or '' for the PDF beside the page, not None"),
        _mistake("style-unknown", {"cv_citation_style": "hous"},
                 "cv_citation_style 'hous' is not a citation style here; did you mean 'house'"),
        _mistake("page-limit-negative", {"cv_page_limit": -5},
                 "cv_page_limit must be a whole number of entries (0: one page however long), not -5; e.g. 2000"),
        _mistake("page-limit-bool", {"cv_page_limit": True},
                 "cv_page_limit must be a whole number of entries (0: one page however long), not True"),
        # one mistake, one line: no follow-on errors blaming the values that depend on it
        _mistake("reference-year-text", {"cv_reference_year": "2019",
                                         "cv_variants": {"recent": {"years": 3, "entry_years": {"Projects": 3}}}},
                 "cv_reference_year must be a four-digit year or None, not '2019'"),
        _mistake("roles-empty-with-roster", {"cv_roles": {},
                                            "cv_roster": [{"name": "I. Joliot", "roles": {"student": "1920"}},
                                                          {"name": "P. Curie", "roles": {"postdoc": "1921"}}]},
                 "cv_roles must be a non-empty dict of roles, not {}"),
    ],
)
def test_each_mistake_is_named(fragment: str, app_params, make_app: Callable) -> None:
    args, kwargs = app_params
    reported = error_lines(fails_to_start(make_app, *args, **kwargs))
    assert len(reported) == 1, reported
    (line,) = reported
    assert fragment in line
    assert re.match(r"ERROR: \S*conf\.py or -D: ", line)  # confoverrides are -D values


@pytest.mark.sphinx("html", testroot="cv-config", srcdir="cv-config-good")
def test_every_value_set_right_builds_cleanly(app) -> None:
    """Tuples where lists are usual, int and list periods, None where allowed: all accepted and used."""
    app.build()
    assert app.warning.getvalue() == ""
    body = BeautifulSoup((Path(app.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser")
    text = " ".join(body.get_text().split())
    assert "(Mentored mentee† (mentee) and summer intern‡ (summer intern))" in text
    assert "Mentees: Irène Joliot (1918, 1920)" in text
    items = body.select("ol.cv-publication-list > li")
    assert len(items) == 1
    assert "1920" not in items[0].p.get_text()  # show_year False


# -- The README lists exactly what the code has -------------------------------


def readme_section(heading: str) -> str:
    start = README.index(f"\n{heading}\n")
    end = README.find("\n## ", start + len(heading) + 2)
    return README[start:end if end != -1 else None]


def table_names(text: str) -> list[list[str]]:
    """The first-column names of each Markdown table in ``text``, table by table."""
    tables: list[list[str]] = []
    in_table = False
    for line in text.splitlines():
        if line.startswith("|") and not in_table:
            tables.append([])
        in_table = line.startswith("|")
        match = re.match(r"\|\s*`([^`]+)`\s*\|", line)
        if match:
            tables[-1].append(match[1])
    return tables


@pytest.mark.sphinx("html", testroot="cv-config", srcdir="cv-config-names")
def test_readme_configuration_reference_matches_code(app) -> None:
    registered = sorted(value.name for value in app.config if value.name.startswith("cv_"))
    settings, roster, roles, groups, variants = table_names(readme_section("## Configuration reference"))
    assert sorted(settings) == registered
    assert len(set(settings)) == len(settings)
    assert roster == list(ROSTER_KEYS)
    assert roles == list(ROLE_KEYS)
    assert groups == list(GROUP_KEYS)
    assert variants == list(VARIANT_KEYS)


def test_readme_warning_table_lists_every_subtype() -> None:
    (subtypes,) = table_names(readme_section("## When the build complains"))
    assert sorted(subtypes) == sorted(f"cv.{s.value}" for s in Subtype)
