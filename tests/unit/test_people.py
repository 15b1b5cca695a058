"""people.py without Sphinx: name matching, periods, roles over time, configuration errors."""

from __future__ import annotations

import pytest
from cvsphinx.core.people import (
    DEFAULT_ROLES,
    ConfigError,
    Member,
    NameKey,
    Period,
    Role,
    Stint,
    build_owner,
    build_roles,
    build_roster,
    parse_annotation,
)

ROLES = build_roles(DEFAULT_ROLES)


def key(name: str) -> NameKey:
    return NameKey.parse(name)


# -- Names -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bib_name", "config_name"),
    [
        ("Liu, L.", "Liu, Lin"),
        ("Liu, Lin", "Liu, Lin"),
        ("L. Liu", "Liu, Lin"),
        ("Liu, {L}in", "Liu, Lin"),
        ("Lin Liu", "Liu, L."),
        (r"Bj{\o}rk, A.", "A. Bjørk"),
        (r"Bj{\o}rk, A. A.", "Anders Bjørk"),
        (r"No{\"e}l, B.", "Brice Noël"),
        ("Ma, J. H. Y.", "Joseph H.Y. Ma"),
        ("Ma, J. H.", "Joseph H.Y. Ma"),
        ("Zhang, J.-H.", "Jia-Hua Zhang"),
    ],
)
def test_namekey_matches(bib_name: str, config_name: str) -> None:
    assert key(bib_name).matches(key(config_name))
    assert key(config_name).matches(key(bib_name))


@pytest.mark.parametrize(
    ("bib_name", "config_name"),
    [
        ("Liu, G.", "Liu, Lin"),
        ("Liu, Ling", "Liu, Lin"),
        ("Lin, L.", "Liu, Lin"),
        ("Ma, J. K.", "Joseph H.Y. Ma"),
        ("Zhang, B.", "Enze Zhang"),
        ("Liu", "Liu, Lin"),
    ],
)
def test_namekey_does_not_match(bib_name: str, config_name: str) -> None:
    assert not key(bib_name).matches(key(config_name))
    assert not key(config_name).matches(key(bib_name))


def test_namekey_folds_latex_and_accents() -> None:
    assert key(r"Bj{\o}rk, A.") == key("Bjørk, A.")
    assert key(r"B{\"u}rgmann, R.").last == "burgmann"
    assert key("Liu, {L}in").given == ("lin",)
    assert key("Ma, J. H. Y.").given == ("j", "h", "y")
    assert key("Joseph H.Y. Ma").given == ("joseph", "h", "y")


def test_owner_matches_initials_but_not_other_liu() -> None:
    owner = build_owner("Liu, Lin")
    assert owner.is_owner(key("Liu, L."))
    assert owner.is_owner(key("L. Liu"))
    assert not owner.is_owner(key("Liu, G."))
    assert not owner.is_owner(key("Chen, L."))


def test_owner_aliases() -> None:
    owner = build_owner("Curie, Marie", ["Skłodowska, Maria"])
    assert owner.is_owner(key("Curie, M."))
    assert owner.is_owner(key(r"Sk{\l}odowska, M."))
    assert not owner.is_owner(key("Curie, P."))


def test_roster_find_by_initial() -> None:
    roster = build_roster(
        [
            {"name": "Enze Zhang", "roles": {"student": "2017–present"}},
            {"name": "Bao Zhang", "roles": {"postdoc": "2017–2018"}},
            {"name": "Joseph H.Y. Ma", "roles": {"student": "2017–present"}},
        ],
        ROLES,
    )
    assert [p.name for p in roster.find(key("Zhang, E."))] == ["Enze Zhang"]
    assert [p.name for p in roster.find(key("Zhang, B."))] == ["Bao Zhang"]
    assert roster.find(key("Zhang, T.")) == []
    assert [p.name for p in roster.find(key("Ma, J. H. Y."))] == ["Joseph H.Y. Ma"]
    assert roster.find(key("Ma, K.")) == []


def test_roster_find_reports_ambiguity() -> None:
    roster = build_roster(
        [
            {"name": "Jie Chen", "roles": {"student": "2018–present"}},
            {"name": "Jun Chen", "roles": {"visitor": "2018"}},
        ],
        ROLES,
    )
    assert sorted(p.name for p in roster.find(key("Chen, J."))) == ["Jie Chen", "Jun Chen"]
    assert [p.name for p in roster.find(key("Chen, Jie"))] == ["Jie Chen"]


# -- Periods -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2018", 2018, 2018),
        ("2017–2018", 2017, 2018),
        ("2017-2018", 2017, 2018),
        ("2017-18", 2017, 2018),
        ("2017 – 18", 2017, 2018),
        ("2016–present", 2016, None),
        ("2016-present", 2016, None),
        ("2016–Present", 2016, None),
        ("2016–", 2016, None),
        ("2009-10", 2009, 2010),
        # A two-digit end rolls over the century, as in "1998–02".
        ("1999-01", 1999, 2001),
        ("1998–02", 1998, 2002),
    ],
)
def test_period_parse(text: str, start: int, end: int | None) -> None:
    assert Period.parse(text) == Period(start, end)


@pytest.mark.parametrize("text", ["18-2017", "soon", "2019–2017", "2019-17", "", "20189", "2017–2018–2019"])
def test_period_parse_errors(text: str) -> None:
    with pytest.raises(ConfigError) as err:
        Period.parse(text)
    assert repr(text) in str(err.value)


def test_period_error_says_what_is_wrong() -> None:
    with pytest.raises(ConfigError, match="ends before it starts"):
        Period.parse("2019–2017")
    with pytest.raises(ConfigError, match="not understood"):
        Period.parse("soon")


@pytest.mark.parametrize(
    ("period", "shown"),
    [
        (Period(2016, 2017), "2016–17"),
        (Period(2016, None), "2016–present"),
        (Period(2015, 2015), "2015"),
        (Period(1999, 2001), "1999–2001"),
        (Period(2000, 2009), "2000–09"),
    ],
)
def test_period_display(period: Period, shown: str) -> None:
    assert period.display() == shown


def test_period_display_round_trips() -> None:
    for text in ("2016–17", "2016–present", "2015"):
        assert Period.parse(text).display() == text


def test_period_covers_with_lag() -> None:
    period = Period(2017, 2018)
    assert not period.covers(2016)
    assert period.covers(2017)
    assert period.covers(2018)
    assert not period.covers(2019)
    assert period.covers(2019, lag=1)
    assert not period.covers(2020, lag=1)
    assert Period(2016, None).covers(2100)


# -- Roles over time ---------------------------------------------------------


def person(name: str, **stints: str) -> Member:
    return Member(name, key(name), tuple(Stint(ROLES[r], Period.parse(p)) for r, p in stints.items()))


def test_role_in_visitor_then_student() -> None:
    yan = person("Yan Hu", visitor="2018", student="2019–present")
    assert yan.role_in(2017, lag=2) is None
    assert yan.role_in(2018, lag=2) is ROLES["visitor"]
    # The visitor role still reaches 2019 and 2020 by the lag; the later-started student role wins.
    assert yan.role_in(2019, lag=2) is ROLES["student"]
    assert yan.role_in(2020, lag=2) is ROLES["student"]


def test_role_in_stint_order_does_not_matter() -> None:
    yan = person("Yan Hu", student="2019–present", visitor="2018")
    assert yan.role_in(2018, lag=2) is ROLES["visitor"]
    assert yan.role_in(2019, lag=2) is ROLES["student"]


def test_role_in_lag() -> None:
    bao = person("Bao Zhang", postdoc="2017–2018")
    assert bao.role_in(2016, lag=1) is None
    assert bao.role_in(2017, lag=1) is ROLES["postdoc"]
    assert bao.role_in(2019, lag=1) is ROLES["postdoc"]
    assert bao.role_in(2020, lag=1) is None
    assert bao.role_in(2019, lag=0) is None


def test_roster_keeps_lag_and_comma_separated_periods() -> None:
    roster = build_roster([{"name": "Bo Hu", "roles": {"postdoc": "2012, 2015–2016"}}], ROLES, lag=0)
    (bo,) = roster.people
    assert roster.lag == 0
    assert [s.period for s in bo.stints] == [Period(2012, 2012), Period(2015, 2016)]
    assert bo.role_in(2013, roster.lag) is None
    assert bo.role_in(2016, roster.lag) is ROLES["postdoc"]


# -- Configuration errors ----------------------------------------------------


def test_build_roles() -> None:
    roles = build_roles({"mentee": {"label": "mentee", "symbol": "†", "heading": "Mentees", "show_periods": True}})
    assert roles == {"mentee": Role("mentee", "mentee", "†", "Mentees", True)}


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ({}, "non-empty"),
        ({"student": "graduate student"}, "cv_roles['student'] must be a dict"),
        ({"student": {"label": "graduate student", "symbol": "*", "colour": "red"}}, "unknown key 'colour'"),
        ({"student": {"symbol": "*"}}, "cv_roles['student'] needs a 'label'"),
        ({"student": {"label": "graduate student"}}, "cv_roles['student'] needs a 'symbol'"),
        ({"student": {"label": "graduate student", "symbol": " "}}, "cv_roles['student']['symbol'] must be a mark"),
        ({"student": {"label": "graduate student", "symbol": "*", "heading": 3}}, "['heading'] must be a string"),
    ],
)
def test_build_roles_errors(raw: object, fragment: str) -> None:
    with pytest.raises(ConfigError) as err:
        build_roles(raw)  # type: ignore[arg-type]
    assert fragment in str(err.value)


def test_build_roster_unknown_role() -> None:
    with pytest.raises(ConfigError) as err:
        build_roster([{"name": "Jie Chen", "roles": {"studnet": "2018–present"}}], ROLES)
    message = str(err.value)
    assert "cv_roster[0] (Jie Chen)" in message
    assert "unknown role 'studnet'" in message
    assert "student" in message.split("known roles:")[1]


def test_build_roster_malformed_period() -> None:
    with pytest.raises(ConfigError) as err:
        build_roster(
            [
                {"name": "Jie Chen", "roles": {"student": "2018–present"}},
                {"name": "Bao Zhang", "roles": {"postdoc": "2018–2017"}},
            ],
            ROLES,
        )
    message = str(err.value)
    assert "cv_roster[1] (Bao Zhang)" in message
    assert "'postdoc'" in message
    assert "'2018–2017'" in message


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("Jie Chen", "cv_roster must be a list"),
        ([{"roles": {"student": "2018"}}], "cv_roster[0] needs a 'name'"),
        ([{"name": "Jie Chen"}], "cv_roster[0] (Jie Chen) needs 'roles'"),
        ([{"name": "Jie Chen", "roles": {}}], "needs 'roles'"),
        ([{"name": "Jie Chen", "role": {"student": "2018"}}], "unknown key 'role'; did you mean 'roles'?"),
        ([{"name": "Jie Chen", "roles": {"student": "sometime"}}], "'sometime' is not understood"),
    ],
)
def test_build_roster_errors(raw: object, fragment: str) -> None:
    with pytest.raises(ConfigError) as err:
        build_roster(raw, ROLES)  # type: ignore[arg-type]
    assert fragment in str(err.value)


@pytest.mark.parametrize("lag", [-1, "2", 1.5])
def test_build_roster_bad_lag(lag: object) -> None:
    with pytest.raises(ConfigError, match="cv_role_lag_years"):
        build_roster([], ROLES, lag)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "fragment"),
    [("", "cv_owner is not set"), ("   ", "cv_owner is not set"), (None, "cv_owner is not set"),
     (3, "cv_owner must be a person's name, not 3"), (",", "cv_owner must be a person's name, not ','")],
)
def test_build_owner_missing(name: object, fragment: str) -> None:
    with pytest.raises(ConfigError) as err:
        build_owner(name)
    assert fragment in str(err.value)


# -- Annotations -------------------------------------------------------------


def test_parse_annotation() -> None:
    assert parse_annotation("2=student; 6=none", ROLES) == {2: "student", 6: None}
    assert parse_annotation("3=-", ROLES) == {3: None}
    assert parse_annotation(" 1 = postdoc ;; ", ROLES) == {1: "postdoc"}
    assert parse_annotation("1=highlight; 2=visitor", ROLES) == {2: "visitor"}
    assert parse_annotation("", ROLES) == {}


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("x=student", "'x=student' should look like '2=student'"),
        ("2", "should look like"),
        ("2=", "should look like"),
        ("2=mentor", "unknown role 'mentor'"),
    ],
)
def test_parse_annotation_errors(text: str, fragment: str) -> None:
    with pytest.raises(ValueError) as err:
        parse_annotation(text, ROLES)
    assert fragment in str(err.value)


def test_build_owner_single_alias_string_is_one_name() -> None:
    """A string where a list is expected must not become one alias per letter ("u" would match every "U")."""
    try:
        owner = build_owner("Curie, Marie", "Skłodowska, Maria")
    except ConfigError as err:
        assert "cv_owner_aliases" in str(err)
        return
    assert owner.is_owner(key("Skłodowska, M."))
    assert not owner.is_owner(key("U"))
    assert len(owner.keys) == 2
