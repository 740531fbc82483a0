"""English and Welsh: choosing the language and formatting dates for it.

The language is, in order: the signed-in person's saved choice, the choice
made in this browser's session, the browser's Accept-Language, English.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import Blueprint, Flask, redirect, request, session, url_for
from flask_babel import format_date, format_time, get_locale, gettext
from flask_login import current_user

from app.extensions import babel, db
from app.safe_redirect import safe_next_url

LANGUAGES = {"en": "English", "cy": "Cymraeg"}
LONDON = ZoneInfo("Europe/London")

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    if current_user and current_user.is_authenticated and current_user.language in LANGUAGES:
        return current_user.language
    if session.get("lang") in LANGUAGES:
        return session["lang"]
    return request.accept_languages.best_match(list(LANGUAGES)) or "en"


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "en"


@bp.get("/language/<code>")
def choose_language(code: str):
    """The 'English | Cymraeg' links: remember the choice, then go back."""
    if code in LANGUAGES:
        session["lang"] = code
        if current_user.is_authenticated:
            current_user.language = code
            db.session.commit()
    return redirect(safe_next_url(request.args.get("next")) or url_for("main.home"))


def local_time(value: datetime | None) -> str:
    """A time as people in Wales read it, e.g. '14:32 on 3 March 2026' / '14:32 ar 3 Mawrth 2026'."""
    if value is None:
        return ""
    local = value.astimezone(LONDON)
    return gettext("%(time)s on %(date)s", time=format_time(local, "HH:mm"), date=format_date(local.date(), "d MMMM y"))


def long_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    day = value.date() if isinstance(value, datetime) else value
    return format_date(day, "d MMMM y")


def init_app(app: Flask) -> None:
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(Path(app.root_path) / "translations"),
    )
    app.register_blueprint(bp)
    app.jinja_env.globals.update(current_language=current_language, languages=LANGUAGES)

