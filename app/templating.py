"""Jinja set-up shared by every page: GOV.UK helpers, filters and globals."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask
from govuk_frontend_wtf.main import WTFormsHelpers

from app.agencies import agency_name

LONDON = ZoneInfo("Europe/London")


def local_time(value: datetime | None) -> str:
    """A time as people in Wales read it, e.g. '14:32 on 3 March 2026'."""
    if value is None:
        return ""
    local = value.astimezone(LONDON)
    return f"{local:%H:%M} on {local.day} {local:%B %Y}"


def long_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


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
