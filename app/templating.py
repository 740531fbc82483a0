"""Jinja set-up shared by every page: GOV.UK helpers, filters and globals."""

from __future__ import annotations

from flask import Flask
from govuk_frontend_wtf.main import WTFormsHelpers

from app.agencies import agency_name

# Dates follow the page's language; kept here under their old names for callers.
from app.i18n import LONDON, local_time, long_date  # noqa: E402,F401


def init_app(app: Flask) -> None:
    WTFormsHelpers(app)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.filters["agency_name"] = agency_name
    app.jinja_env.globals["service_name"] = "Safeguarding board self-assessment"
    register_globals(app)


ROUND_STATUS_NAMES = {
    "open": "Open",
    "closed": "Closed",
    "moderated": "Moderated",
    "published": "Published",
}
ROUND_STATUS_CLASSES = {
    "open": "govuk-tag--blue",
    "closed": "govuk-tag--grey",
    "moderated": "govuk-tag--green",
    "published": "govuk-tag--purple",
}


def register_globals(app: Flask) -> None:
    from app.models.accounts import ROLE_NAMES

    app.jinja_env.globals.update(
        role_names=ROLE_NAMES,
        round_status_names=ROUND_STATUS_NAMES,
        round_status_classes=ROUND_STATUS_CLASSES,
    )
