"""`bash cv.sh people`: co-authors grouped, counted and matched against the roster, on a small project."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cvsphinx.cli.people import Coauthor, build_report, format_report, group_names, main, years_text
from cvsphinx.core.people import NameKey

PROJECT = Path(__file__).parents[2]

CONF = '''
project = "Marie Curie"
cv_owner = "Curie, Marie"
cv_owner_aliases = ["Skłodowska, Maria"]
cv_bibfiles = ["a.bib", "b.bib"]
cv_roles = {
    "student": {"label": "graduate student", "symbol": "*"},
    "postdoc": {"label": "postdoc", "symbol": "×"},
}
cv_role_lag_years = 1
cv_roster = [
    {"name": "Enze Zhang", "roles": {"student": "2017–2019"}},
    {"name": "Joseph Ma", "roles": {"postdoc": "2016"}},
    {"name": "Bo Hu", "roles": {"postdoc": "2015"}, "expect_papers": False},
]
'''

A_BIB = r'''
@string{jgr = {Journal of Geophysical Research}}

@article{one,
  author  = {Zhang, E. and Curie, M. and Bj{\o}rk, A.},
  title   = {One}, journal = jgr, year = {2017},
}
@article{two,
  author  = {Enze Zhang and M. Curie and Zhang, Bao and Bjørk, A. A.},
  title   = {Two}, journal = jgr, year = {2018},
}
@article{three,
  author    = {Zhang, E. and Curie, Marie and Ma, H. Y.},
  author+an = {1=none},
  title     = {Three}, journal = jgr, year = {2019},
}
'''

B_BIB = r'''
@article{four,
  author  = {Zhang, B. and Zhang, Bo and Skłodowska, M. and Zhang, E.},
  title   = {Four}, journal = jgr, year = {2023},
}
@article{five,
  author  = {Curie, M. and Schaefer, K. and others},
  title   = {Five}, journal = jgr, year = {in press},
}
'''


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "conf.py").write_text(CONF, encoding="utf-8")
    (tmp_path / "a.bib").write_text(A_BIB, encoding="utf-8")
    (tmp_path / "b.bib").write_text(B_BIB, encoding="utf-8")
    return tmp_path


def by_name(coauthors: list[Coauthor]) -> dict[str, Coauthor]:
    return {c.name: c for c in coauthors}


def test_spellings_of_one_person_are_one_line(project: Path) -> None:
    report = build_report(project)
    zhang = next(c for c in report.coauthors if "Enze Zhang" in c.spellings)
    assert dict(zhang.spellings) == {"Zhang, E.": 3, "Enze Zhang": 1}
    assert sorted(zhang.papers) == ["four", "one", "three", "two"]
    assert zhang.years == [2017, 2018, 2019, 2023]
    bjork = next(c for c in report.coauthors if "Bjørk, A. A." in c.spellings)
    assert dict(bjork.spellings) == {"Bjørk, A.": 1, "Bjørk, A. A.": 1}  # {\o} is ø


def test_owner_is_left_out_in_every_spelling_and_alias(project: Path) -> None:
    report = build_report(project)
    names = {s for c in report.coauthors for s in c.spellings}
    assert not [n for n in names if "Curie" in n or "Skłodowska" in n]
    assert all(c.keys for c in report.coauthors)


def test_roster_person_and_role_per_paper(project: Path) -> None:
    report = build_report(project)
    zhang = next(c for c in report.coauthors if "Enze Zhang" in c.spellings)
    assert [p.name for p in zhang.roster] == ["Enze Zhang"]
    roles = {key: paper.role for key, paper in zhang.papers.items()}
    # 2017–2019 plus one year of lag; author+an says the 2019 "Zhang, E." is someone else
    assert roles == {"one": "graduate student", "two": "graduate student", "three": "none (author+an)",
                     "four": "outside their periods"}
    schaefer = by_name(report.coauthors)["Schaefer, K."]
    assert schaefer.roster == []
    assert schaefer.years == []  # "in press" is no year


def test_short_spelling_of_two_people_is_not_merged(project: Path) -> None:
    report = build_report(project)
    people = by_name(report.coauthors)
    assert "Zhang, B." in people and "Zhang, Bao" in people and "Zhang, Bo" in people
    assert sorted(people["Zhang, B."].could_be) == ["Zhang, Bao", "Zhang, Bo"]
    assert people["Zhang, Bao"].could_be == []


def test_roster_person_without_papers_gets_the_closest_names(project: Path) -> None:
    report = build_report(project)
    unmatched = {person.name: closest for person, closest in report.unmatched}
    assert set(unmatched) == {"Joseph Ma", "Bo Hu"}
    assert unmatched["Joseph Ma"][0] == "Ma, H. Y. (1 paper)"


def test_string_macros_carry_over_to_the_next_file(project: Path) -> None:
    report = build_report(project)
    assert report.entries == 5
    assert not [p for p in report.problems if "jgr" in p.message]


def test_printed_report(project: Path) -> None:
    text = format_report(build_report(project))
    lines = text.splitlines()
    assert lines[0].startswith("7 co-authors in 5 entries of a.bib, b.bib")
    on = lines.index("On the roster (1):")
    assert "Enze Zhang: graduate student ×2" in lines[on + 2]
    assert "2017–2019, 2023" in lines[on + 2]
    assert "Zhang, E. ×3 · Enze Zhang ×1" in lines[on + 2]
    assert any("Zhang, B." in line and "could be Zhang, Bao or Zhang, Bo" in line for line in lines)
    assert "  Joseph Ma (postdoc 2016): closest: Ma, H. Y. (1 paper)" in lines
    assert any(line.startswith("  Bo Hu (postdoc 2015) (expect_papers False)") for line in lines)


def test_configuration_mistakes_stop_it(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    conf = project / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8").replace('"student": "2017–2019"', '"studnet": "2017–2019"'),
                    encoding="utf-8")
    assert main([str(project)]) == 2
    err = capsys.readouterr().err
    assert "studnet" in err and "did you mean 'student'" in err


def test_missing_bib_file_is_reported_not_fatal(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "b.bib").unlink()
    assert main([str(project)]) == 0
    out = capsys.readouterr().out
    assert "b.bib:1: cannot be read" in out
    assert out.startswith("4 co-authors in 3 entries")


def test_grouping_keeps_only_names_that_match_each_other() -> None:
    keys = [NameKey.parse(n) for n in ("Zhang, E.", "Enze Zhang", "Erik Zhang", "Zhang, Enze", "Zhang", "E. Zhang")]
    groups, ambiguous = group_names(keys)
    shown = sorted(sorted(" ".join(k.given) for k in group) for group in groups)
    assert shown == [[""], ["e"], ["enze"], ["erik"]]  # "Zhang, E." fits Enze and Erik: not merged into either
    (index, fits), = ambiguous.items()
    assert [k.given for k in groups[index]] == [("e",)]
    assert sorted(groups[i][0].given for i in fits) == [("enze",), ("erik",)]


def test_years_text() -> None:
    assert years_text([]) == "—"
    assert years_text([2015]) == "2015"
    assert years_text([2015, 2017, 2018, 2019, 2021]) == "2015, 2017–2019, 2021"


def test_runs_on_this_project_as_cv_sh_runs_it() -> None:
    done = subprocess.run([sys.executable, "-m", "cvsphinx.cli.people"], cwd=PROJECT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": "ext"})
    assert done.returncode == 0, done.stderr
    assert "co-authors in" in done.stdout.splitlines()[0]
    assert "Roster people no author matches" in done.stdout


# -- The report and the build read names and years the same way (one name parser: records.py) --------------

AGREE_BIB = r'''
@article{marked2020,
  author = {Curie, Marie and Zhou*, Xuhui}, title = {Marked with a star}, journal = {J}, year = {2020},
}
@article{dagger2021,
  author = {Marie Curie and Xuhui Zhou$^\dagger$}, title = {Marked with a dagger}, journal = {J},
  date = {2021-05-01},
}
@article{extended2022,
  author = {family=Curie, given=Marie and family=Zhou, given=Xuhui}, title = {Extended names}, journal = {J},
  year = {2022},
}
'''


def test_the_report_matches_whom_the_build_marks(tmp_path: Path) -> None:
    """``Zhou*, Xuhui``, ``Xuhui Zhou$^\\dagger$`` and ``family=Zhou, given=Xuhui`` are one roster person, and a
    paper dated only by ``date`` has its year: in ``bash cv.sh people`` as in the build."""
    (tmp_path / "conf.py").write_text(
        'cv_owner = "Curie, Marie"\ncv_bibfiles = ["refs.bib"]\n'
        'cv_roster = [{"name": "Xuhui Zhou", "roles": {"student": "2019–2022"}}]\n', encoding="utf-8")
    (tmp_path / "refs.bib").write_text(AGREE_BIB, encoding="utf-8")
    report = build_report(tmp_path)
    (zhou,) = [c for c in report.coauthors if c.keys[0].last == "zhou"]
    assert [p.name for p in zhou.roster] == ["Xuhui Zhou"]
    assert sorted(zhou.papers) == ["dagger2021", "extended2022", "marked2020"]
    assert {k: (p.year, p.role) for k, p in zhou.papers.items()} == {
        "marked2020": (2020, "graduate student"), "dagger2021": (2021, "graduate student"),
        "extended2022": (2022, "graduate student")}
    assert report.unmatched == []
    assert set(zhou.spellings) == {"Zhou, Xuhui", "Xuhui Zhou"}  # the marks are not part of the name


def test_a_key_used_twice_counts_twice_as_the_build_shows_it(tmp_path: Path) -> None:
    """The build shows both entries of a repeated key (the second as ``key-2``); the report read the files with
    a loop of its own that kept one paper per key, so a co-author lost a paper. Both read through one reader now."""
    (tmp_path / "conf.py").write_text('cv_owner = "Curie, Marie"\ncv_bibfiles = ["a.bib", "b.bib"]\n', encoding="utf-8")
    paper = "@article{{curie{n},\n  author = {{Curie, Marie and Perrin, Jean}},\n  title = {{{title}}},\n" \
            "  journal = {{J}}, year = {{{year}}},\n}}\n"
    (tmp_path / "a.bib").write_text(paper.format(n=1903, title="Radium", year=1903), encoding="utf-8")
    (tmp_path / "b.bib").write_text(paper.format(n=1903, title="Polonium", year=1904), encoding="utf-8")
    report = build_report(tmp_path)
    (perrin,) = [c for c in report.coauthors if c.keys[0].last == "perrin"]
    assert sorted(perrin.papers) == ["curie1903", "curie1903-2"]
    assert [p.subtype for p in report.problems] == ["duplicate_key"]
