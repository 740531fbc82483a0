"""The framework in force and the pinned versions that rounds were opened with.

`app.core.framework` parses; this module ties parsed frameworks to the app and the
database: the configured file is loaded once at start-up (a broken file stops
the app with the loader's `file:line` messages), and each round keeps an exact
copy of the file it was opened with, so later edits never change it.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app

from app.config import REPO_ROOT
from app.core.framework import Framework, FrameworkError, load_framework, parse_framework
from app.extensions import db

#: Earlier versions of the shipped framework, kept so rounds on them can be
#: recreated (the demo's last-year round is on 2026.1): sait_domains-<version>.yaml.
PAST_FRAMEWORKS_DIR = REPO_ROOT / "frameworks"

EXTENSION_KEY = "sait_framework"
# Parsed pinned frameworks by FrameworkVersion id. A stored version never
# changes, so a round's framework is read from the database once per process,
# not on every request (the source text is the largest thing a page would load).
PINNED_KEY = "sait_pinned_frameworks"


def init_app(app: Flask) -> None:
    """Load the configured framework file, refusing to start if it is broken."""
    try:
        framework = load_framework(app.config["SAIT_FRAMEWORK_PATH"])
    except FrameworkError as error:
        raise SystemExit(
            "The framework file is not valid, so the app cannot start:\n" + str(error)
        ) from None
    app.extensions[EXTENSION_KEY] = framework


def current_framework() -> Framework:
    """The framework loaded from the configured file."""
    return current_app.extensions[EXTENSION_KEY]


@lru_cache(maxsize=32)
def _parse_pinned(content_hash: str, source_text: str, version: str) -> Framework:
    # Keyed by hash: a pinned text never changes, so parsing once per process is enough.
    return parse_framework(source_text, f"framework version {version}")


@lru_cache(maxsize=8)
def past_framework(version: str) -> Framework:
    """An earlier shipped version of the framework, from ``frameworks/`` (FrameworkError if missing or broken)."""
    return load_framework(Path(PAST_FRAMEWORKS_DIR) / f"sait_domains-{version}.yaml")


def framework_for_version(framework_version) -> Framework:
    """The parsed framework of a stored FrameworkVersion row."""
    return _parse_pinned(
        framework_version.content_hash,
        framework_version.source_text,
        framework_version.version,
    )


def frameworks_by_version(version_ids: Collection[int]) -> dict[int, Framework]:
    """The parsed frameworks of some stored versions, by FrameworkVersion id (one query)."""
    from app.data.models import FrameworkVersion

    versions = db.session.scalars(db.select(FrameworkVersion).where(FrameworkVersion.id.in_(list(version_ids)))).all()
    return {version.id: framework_for_version(version) for version in versions}


def framework_for_round(assessment_round) -> Framework:
    """The framework a round was opened with (from the database the first time only)."""
    pinned: dict[int, Framework] = current_app.extensions.setdefault(PINNED_KEY, {})
    framework = pinned.get(assessment_round.framework_version_id)
    if framework is None:
        framework = framework_for_version(assessment_round.framework_version)
        pinned[assessment_round.framework_version_id] = framework
    return framework


def pin_current_framework():
    """The FrameworkVersion row for the framework in force, stored if new."""
    return pin_framework(current_framework())


def pin_framework(framework: Framework):
    """The FrameworkVersion row holding exactly this framework's text, stored if new.

    Rounds are opened on the framework in force; this is also how the demo and
    the tests give a round an earlier version (e.g. last year's round on 2026.1).
    """
    from app.data.models import FrameworkVersion

    row = db.session.execute(
        db.select(FrameworkVersion).filter_by(content_hash=framework.content_hash)
    ).scalar_one_or_none()
    if row is None:
        row = FrameworkVersion(
            version=framework.version,
            content_hash=framework.content_hash,
            source_text=framework.source_text,
        )
        db.session.add(row)
        db.session.flush()
    return row
