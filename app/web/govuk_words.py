"""The words GOV.UK Frontend's components supply themselves, in the page's language.

The components write some English of their own unless told otherwise: the
hidden "Error:" before an error message, "Day", "Month" and "Year" under a
date, "Show" and "Hide" on a password, the character count's messages. On a
Welsh page these must be Welsh too. ``govuk_words(params, component)`` adds
them to a component's parameters (anything the caller gave wins).

Templates call it round the macros they use directly; the form fields
rendered by govuk-frontend-wtf get it through the templates of the same
name in ``app/templates/govuk_frontend_wtf/``, which the app's template
loader finds before the package's own.
"""

from __future__ import annotations

from typing import Any

from babel import Locale
from flask_babel import gettext as _
from flask_babel import ngettext

from app.web.i18n import current_language

# GOV.UK Frontend fills in %{count} itself (in JavaScript, and in the macro for the hint).
COUNT = "%{count}"


def govuk_words(params: dict[str, Any], component: str = "") -> dict[str, Any]:
    """``params`` with the component's own words in the page's language.

    ``component`` is "date", "password" or "character-count" for the words
    only those have; every component gets the hidden "Error" of its error message.
    """
    params = dict(params)
    error = params.get("errorMessage")
    if error and "visuallyHiddenText" not in error:
        params["errorMessage"] = {**error, "visuallyHiddenText": _("Error")}
    if component == "date":
        params["items"] = [_date_item(item) for item in params.get("items") or _date_items()]
        _day_box_takes_the_id(params)
    elif component == "password":
        for key, text in _password_words().items():
            params.setdefault(key, text)
    elif component == "character-count":
        for key, text in character_count_words().items():
            params.setdefault(key, text)
    return params


def _date_items() -> list[dict[str, Any]]:
    # The macro's own items when none are given.
    return [
        {"name": "day", "classes": "govuk-input--width-2"},
        {"name": "month", "classes": "govuk-input--width-2"},
        {"name": "year", "classes": "govuk-input--width-4"},
    ]


def _day_box_takes_the_id(params: dict[str, Any]) -> None:
    """Give the Day box the field's own id, so the error summary's link (``#field``) focuses it.

    GOV.UK asks for the summary to link to a date's first box; govuk-frontend-wtf
    puts the field's id on the boxes' container, which cannot take focus. The
    container keeps a distinct id (``field-date``), used by its hint and error.
    """
    field_id, items = params.get("id"), params["items"]
    if field_id and items and items[0].get("id") != field_id:
        params["items"] = [{**items[0], "id": field_id}, *items[1:]]
        params["id"] = f"{field_id}-date"


def _date_item(item: dict[str, Any]) -> dict[str, Any]:
    names = {"day": _("Day"), "month": _("Month"), "year": _("Year")}
    label = item.get("label") or item.get("name") or ""
    key = str(label).lower()
    return {**item, "label": names[key]} if key in names else item


def _password_words() -> dict[str, str]:
    return {
        "showPasswordText": _("Show"),
        "hidePasswordText": _("Hide"),
        "showPasswordAriaLabelText": _("Show password"),
        "hidePasswordAriaLabelText": _("Hide password"),
        "passwordShownAnnouncementText": _("Your password is visible"),
        "passwordHiddenAnnouncementText": _("Your password is hidden"),
    }


def character_count_words() -> dict[str, Any]:
    """The character count's messages, with a form for each plural category of the language."""
    examples = _plural_examples(current_language())
    return {
        "textareaDescriptionText": _("You can enter up to %(count)s characters", count=COUNT),
        "charactersUnderLimitText": {
            category: ngettext("You have %(count)s character remaining", "You have %(count)s characters remaining", n, count=COUNT)
            for category, n in examples.items()
        },
        "charactersAtLimitText": _("You have 0 characters remaining"),
        "charactersOverLimitText": {
            category: ngettext("You have %(count)s character too many", "You have %(count)s characters too many", n, count=COUNT)
            for category, n in examples.items()
        },
    }


def _plural_examples(lang: str) -> dict[str, int]:
    """A number in each CLDR plural category of ``lang`` (Welsh has six: zero, one, two, few, many, other)."""
    rule = Locale.parse(lang).plural_form
    examples: dict[str, int] = {}
    for n in range(0, 101):
        examples.setdefault(rule(n), n)
    return examples
