"""English and Welsh: choosing the language, formatting dates for it, and names that follow it.

The language is, in order: the signed-in person's saved choice, the choice
made in this browser's session, the browser's Accept-Language, English.
Outside a request (the command line) it is English. How to add or correct a
translation: docs/translation.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import Blueprint, Flask, has_request_context, redirect, request, session, url_for
from flask_babel import format_date, format_time, get_locale, gettext
from flask_babel.speaklater import LazyString
from flask_login import current_user

from app.core.catalogue import named_in
from app.extensions import babel
from app.web.safe_redirect import safe_next_url

LANGUAGES = {"en": "English", "cy": "Cymraeg"}
# Session flag: the language was chosen with the links while signed out.
CHOSEN_SIGNED_OUT = "lang_chosen"
LONDON = ZoneInfo("Europe/London")


def today_here() -> date:
    """Today's date in Wales (the service's one time zone), whatever the server's clock zone."""
    return datetime.now(LONDON).date()

bp = Blueprint("i18n", __name__)


def select_locale() -> str | None:
    if not has_request_context():
        return None  # the command line and other work outside a request: English
    if current_user and current_user.is_authenticated and current_user.language in LANGUAGES:
        return current_user.language
    if session.get("lang") in LANGUAGES:
        return session["lang"]
    return request.accept_languages.best_match(list(LANGUAGES)) or "en"


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "en"


def board_name(board) -> str:
    """A board's name in the page's language (its Welsh name on a Welsh page, when it has one)."""
    return named_in(board.name, board.name_cy, current_language())


def round_title(assessment_round) -> str:
    """A round's title in the page's language (its Welsh title on a Welsh page, when it has one)."""
    return named_in(assessment_round.title, assessment_round.title_cy, current_language())


@bp.get("/language/<code>")
def choose_language(code: str):
    """The 'English | Cymraeg' links: remember the choice, then go back.

    Signed in, the choice is saved on the person's account. Signed out, it is
    kept in the session and saved on the account of whoever signs in next in
    this browser (see app.auth.routes.start_session).
    """
    if code in LANGUAGES:
        session["lang"] = code
        if current_user.is_authenticated:
            current_user.language = code
        else:
            session[CHOSEN_SIGNED_OUT] = True
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


class TranslatedNames(Mapping[str, str]):
    """Display names marked with ``lazy_gettext``, read as plain text in the page's language.

    Looking a name up gives a ``str`` (safe to store, hash or put in JSON), in
    the language of the current request, or English outside a request. Form
    classes, built before any request, take ``choices()``: lazy labels that
    are translated when the form is shown.
    """

    def __init__(self, names: Mapping[str, LazyString]) -> None:
        self._names = dict(names)

    def __getitem__(self, key: str) -> str:
        return str(self._names[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def choices(self, keys: Iterable[str] | None = None) -> list[tuple[str, LazyString]]:
        """(key, lazy label) pairs for a WTForms field, in ``keys`` order (default: all)."""
        return [(key, self._names[key]) for key in (self._names if keys is None else keys)]


def init_app(app: Flask) -> None:
    babel.init_app(
        app,
        locale_selector=select_locale,
        # Flask-Babel converts times to this zone before formatting them.
        default_timezone=str(LONDON),
        default_translation_directories=str(Path(app.root_path) / "translations"),
    )
    app.register_blueprint(bp)
    app.jinja_env.globals.update(current_language=current_language, languages=LANGUAGES)

