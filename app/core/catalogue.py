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
