"""The Welsh catalogue for code that takes a ``lang`` argument and runs without Flask.

Pure modules (the rigour checks) mark their text with ``_`` and ``ngettext``
like the rest of the app, but translate it into the language they are given,
not the page's, so a report in Welsh gets Welsh whoever asks for it.
"""

from __future__ import annotations

import gettext
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


def named_in(english: str, welsh: str | None, lang: str | None) -> str:
    """A name people gave in English and, optionally, Welsh (a board's, a round's), in ``lang``: the Welsh when asked for and given."""
    return welsh if welsh and is_welsh(lang) else english
