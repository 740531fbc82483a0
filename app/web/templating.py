"""Jinja set-up shared by every page: GOV.UK helpers, filters and globals."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import govuk_frontend_jinja
import govuk_frontend_wtf
from flask import Flask
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import TemplateRuntimeError, Undefined, UndefinedError
from jinja2.utils import missing

from app.core.catalogue import InEnglish
from app.core.links import web_address
from app.web.agencies import agency_name, kind_name, nation_name
from app.web.govuk_words import govuk_words
from app.web.i18n import board_name, local_time, long_date, round_title

# Template files of the GOV.UK packages: not ours, written for Jinja's lenient default (see NameStrictUndefined).
LIBRARY_TEMPLATE_DIRS = tuple(
    {
        str(directory) + os.sep
        for package in (govuk_frontend_jinja, govuk_frontend_wtf)
        for directory in (Path(str(package.__file__)).parent, Path(str(package.__file__)).resolve().parent)
    }
)


class NameStrictUndefined(Undefined):
    """Jinja's Undefined, made to fail loudly for a variable name that nobody defined.

    Strict (printing, testing for truth, comparing, iterating, measuring, hashing or
    `in` raise jinja2.UndefinedError, as with jinja2.StrictUndefined):
      - a name the template looks up that is neither passed by the view, nor a
        global, nor set in the template (`{{ nobody_passed_this }}`);
      - a macro parameter without a default that the call left out.

    Lenient (Jinja's default: renders as '', is falsy, iterates as empty):
      - a missing attribute or key of an object that exists (`{% if params.classes %}`,
        `{{ form.errors.name }}`), which the GOV.UK macros test all the time;
      - `caller` in a macro called without `{% call %}`, and the results of filters
        such as `first` on an empty list (those carry no variable name);
      - any undefined made inside the GOV.UK packages' own templates
        (LIBRARY_TEMPLATE_DIRS), which, ported from Nunjucks, rely on undefined names
        (`undefined`, `null`, and page-template options such as `htmlClasses`).
        Which template made the undefined is read from the creating frame's code
        file, as Jinja names compiled template code after its template file.

    `x is defined`, `x | default(...)` and `x is undefined` never raise, so
    they remain the way to write a truly optional variable.
    """

    __slots__ = ("_strict",)

    def __init__(self, hint: str | None = None, obj: Any = missing, name: str | None = None, exc: type[TemplateRuntimeError] = UndefinedError) -> None:
        super().__init__(hint, obj, name, exc)
        self._strict = obj is missing and name is not None and name != "caller" and not _made_in_library_template()

    def _check(self) -> None:
        if self._strict:
            self._fail_with_undefined_error()

    def __str__(self) -> str:
        self._check()
        return super().__str__()

    def __iter__(self) -> Any:
        self._check()
        return super().__iter__()

    def __len__(self) -> int:
        self._check()
        return super().__len__()

    def __bool__(self) -> bool:
        self._check()
        return super().__bool__()

    def __eq__(self, other: object) -> bool:
        self._check()
        return super().__eq__(other)

    def __ne__(self, other: object) -> bool:
        self._check()
        return super().__ne__(other)

    def __hash__(self) -> int:
        self._check()
        return super().__hash__()

    def __contains__(self, item: object) -> bool:
        self._check()
        return False


def _made_in_library_template() -> bool:
    """Whether the code creating an undefined (two frames up: past __init__) is a GOV.UK package's template."""
    return sys._getframe(2).f_code.co_filename.startswith(LIBRARY_TEMPLATE_DIRS)


def plain_text(value: Any) -> Any:
    """``value`` without its language mark (InEnglish), for places no tag may go; anything else unchanged."""
    return str(value) if isinstance(value, InEnglish) else value


def init_app(app: Flask) -> None:
    WTFormsHelpers(app)
    # A variable that no view passed fails the page instead of rendering as nothing.
    app.jinja_env.undefined = NameStrictUndefined
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.filters["agency_name"] = agency_name
    app.jinja_env.filters["board_kind_name"] = kind_name
    app.jinja_env.filters["nation_name"] = nation_name
    # A board's name and a round's title in the page's language (Welsh when given).
    app.jinja_env.filters["board_name"] = board_name
    app.jinja_env.filters["round_title"] = round_title
    # Numbers with the page language's separators (e.g. 12,345).
    app.jinja_env.filters["number"] = format_decimal
    # Where no markup may go (a page title, an attribute): English marked as English (InEnglish) as plain text.
    app.jinja_env.filters["plain_text"] = plain_text
    # An evidence reference's link target when it is a whole http(s) address, else None (shown as text).
    app.jinja_env.filters["web_address"] = web_address
    app.jinja_env.globals["service_name"] = _l("Safeguarding board self-assessment")
    app.jinja_env.globals["govuk_words"] = govuk_words
    register_globals(app)


def register_globals(app: Flask) -> None:
    from app.web.labels import ROLE_NAMES, ROUND_STATUS_CLASSES, ROUND_STATUS_NAMES
    from app.web.permissions import can

    app.jinja_env.globals.update(
        can=can,
        role_names=ROLE_NAMES,
        round_status_names=ROUND_STATUS_NAMES,
        round_status_classes=ROUND_STATUS_CLASSES,
    )
