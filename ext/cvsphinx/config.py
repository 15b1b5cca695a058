"""Configuration values, validated once into the objects the rest of the package uses."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sphinx.errors import ExtensionError

from .groups import Group, build_groups
from .people import DEFAULT_ROLES, ConfigError, Owner, Roster, build_owner, build_roles, build_roster

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

DEFAULT_GROUPS = [
    {"name": "peer-reviewed", "title": None, "select": "type not in ('misc', 'dataset', 'phdthesis') and not pubstate"},
    {"name": "in-review", "title": "Papers in Review", "select": "pubstate != ''"},
    {"name": "data", "title": "Published Data Products", "select": "type == 'dataset'"},
    {"name": "other", "title": "Other Publications", "select": "type in ('misc', 'phdthesis')"},
]


# Keyed by id() of the Sphinx config: validated objects (with compiled selectors)
# cannot be pickled with the environment, and every app validates its own config.
_VALIDATED: dict[int, CVConfig] = {}


@dataclass
class CVConfig:
    owner: Owner
    roster: Roster
    groups: list[Group]
    bibfiles: list[str]
    legend_prefix: str
    confpath: str
    digest: str = ""  # of every value that changes formatted output; keys the caches kept in the env


def validate(app: Sphinx, config: Config) -> None:
    """Stop the build early, with a message that says what to change."""
    try:
        roles = build_roles(config.cv_roles)
        roster = build_roster(config.cv_roster, roles, config.cv_role_lag_years)
        owner = build_owner(config.cv_owner, config.cv_owner_aliases)
        groups = build_groups(config.cv_publication_groups)
    except ConfigError as err:
        raise ExtensionError(f"cvsphinx configuration in conf.py: {err}") from None
    bibfiles = config.cv_bibfiles
    if isinstance(bibfiles, str) or not all(isinstance(b, str) for b in bibfiles):
        raise ExtensionError("cvsphinx configuration in conf.py: cv_bibfiles must be a list of paths, e.g. ['refs.bib']")
    names = ("cv_owner", "cv_owner_aliases", "cv_bibfiles", "cv_roles", "cv_roster", "cv_role_lag_years",
             "cv_publication_groups", "cv_legend_prefix", "latex_engine")
    digest = hashlib.sha256(repr([config[n] for n in names]).encode()).hexdigest()
    _VALIDATED[id(config)] = CVConfig(
        owner, roster, groups, [os.path.join(app.srcdir, b) for b in bibfiles], config.cv_legend_prefix,
        os.path.join(app.confdir, "conf.py"), digest,
    )


def cv_config(config: Config) -> CVConfig:
    """The validated form of ``config``; directives and handlers reach it through their config."""
    return _VALIDATED[id(config)]


def setup_config(app: Sphinx) -> None:
    app.add_config_value("cv_owner", "", "env", types=frozenset({str}))
    app.add_config_value("cv_owner_aliases", [], "env", types=frozenset({list, tuple}))
    app.add_config_value("cv_bibfiles", ["refs.bib"], "env", types=frozenset({list, tuple}))
    app.add_config_value("cv_roles", DEFAULT_ROLES, "env", types=frozenset({dict}))
    app.add_config_value("cv_roster", [], "env", types=frozenset({list, tuple}))
    app.add_config_value("cv_role_lag_years", 2, "env", types=frozenset({int}))
    app.add_config_value("cv_publication_groups", DEFAULT_GROUPS, "env", types=frozenset({list, tuple}))
    app.add_config_value("cv_legend_prefix", "Supervised", "env", types=frozenset({str}))
    app.add_config_value("cv_pdf_url", "", "html", types=frozenset({str}))
    app.connect("config-inited", validate, priority=400)
