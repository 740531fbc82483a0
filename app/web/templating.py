"""Jinja set-up shared by every page: GOV.UK helpers, filters and globals."""

from __future__ import annotations

from flask import Flask
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.main import WTFormsHelpers

from app.web.agencies import agency_name
from app.web.govuk_words import govuk_words

# Dates follow the page's language; kept here under their old names for callers.
from app.web.i18n import LONDON, TranslatedNames, local_time, long_date  # noqa: E402,F401


def init_app(app: Flask) -> None:
    WTFormsHelpers(app)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.filters["agency_name"] = agency_name
    # Numbers with the page language's separators (e.g. 12,345).
    app.jinja_env.filters["number"] = format_decimal
    app.jinja_env.globals["service_name"] = _l("Safeguarding board self-assessment")
    app.jinja_env.globals["govuk_words"] = govuk_words
    register_globals(app)


ROUND_STATUS_NAMES = TranslatedNames({
    "open": _l("Open"),
    "closed": _l("Closed"),
    "moderated": _l("Moderated"),
    "published": _l("Published"),
})
ROUND_STATUS_CLASSES = {
    "open": "govuk-tag--blue",
    "closed": "govuk-tag--grey",
    "moderated": "govuk-tag--green",
    "published": "govuk-tag--purple",
}


def register_globals(app: Flask) -> None:
    from app.data.models.accounts import ROLE_NAMES
    from app.web.permissions import can

    app.jinja_env.globals.update(
        can=can,
        role_names=ROLE_NAMES,
        round_status_names=ROUND_STATUS_NAMES,
        round_status_classes=ROUND_STATUS_CLASSES,
    )
