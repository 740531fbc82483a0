"""The Welsh catalogue for code that takes a ``lang`` argument and runs without Flask.

Pure modules (the rigour checks) mark their text with ``_`` and ``ngettext``
like the rest of the app, but translate it into the language they are given,
not the page's, so a report in Welsh gets Welsh whoever asks for it.
"""

from __future__ import annotations

import gettext
import html
from functools import lru_cache
from pathlib import Path

from babel.support import Translations

TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"


@lru_cache(maxsize=8)
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue for ``lang`` ("cy", "cy-GB" ...); English (no change) when there is none."""
    code = lang.replace("_", "-").split("-")[0].lower() or "en"
    return Translations.load(str(TRANSLATIONS_DIR), [code])


def is_welsh(lang: str | None) -> bool:
    """Whether ``lang`` ("cy", "cy-GB", "cy_GB" ...) is Welsh."""
    return lang is not None and lang.replace("_", "-").split("-")[0].lower() == "cy"


class InEnglish(str):
    """English text standing in for Welsh that does not exist (a framework without Welsh, a board with no Welsh name).

    It is an ordinary string everywhere, except where HTML is written with
    Jinja or markupsafe: there it is marked ``<span lang="en">`` so that a Welsh
    screen reader reads it with English sounds (WCAG 3.1.2, language of parts).
    Joined into a sentence or a file it becomes plain text again.
    """

    __slots__ = ()

    def __html__(self) -> str:
        return f'<span lang="en">{html.escape(str(self))}</span>'


def in_english_on_welsh(english: str, lang: str | None) -> str:
    """``english``, marked as English when it stands on a Welsh page or report."""
    return InEnglish(english) if is_welsh(lang) else english


def named_in(english: str, welsh: str | None, lang: str | None) -> str:
    """A name people gave in English and, optionally, Welsh (a board's, a round's), in ``lang``: the Welsh when asked for and given.

    Without a Welsh name, a Welsh page gets the English one marked as English (InEnglish).
    """
    if welsh and is_welsh(lang):
        return welsh
    return in_english_on_welsh(english, lang)
