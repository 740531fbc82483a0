"""Every string marked for translation has Welsh, and the catalogue matches the code."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

REPO = Path(__file__).resolve().parents[2]
CATALOGUE = REPO / "app" / "translations" / "cy" / "LC_MESSAGES" / "messages.po"
METHOD_MAP = [("app/**.py", "python"), ("app/templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None, "pgettext": ((1, "c"), 2)}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _marked_in_code() -> set[str]:
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(REPO), METHOD_MAP, keywords=KEYWORDS, options_map={"app/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def _singular(msgid) -> str:
    return msgid[0] if isinstance(msgid, tuple) else msgid


def _catalogue():
    with CATALOGUE.open("rb") as handle:
        return read_po(handle, locale="cy")


def _singular(value):
    """A message's id or text; for a plural (ngettext) message, its first form."""
    return value[0] if isinstance(value, tuple) else value


def _translated(message) -> bool:
    # Every plural form must be filled in, not only the first.
    forms = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(forms) and not message.fuzzy


def test_every_marked_string_has_a_welsh_translation():
    catalogue = _catalogue()
    missing = []
    for msgid in sorted(_marked_in_code()):
        message = catalogue.get(msgid)
        if message is None or not _translated(message):
            missing.append(msgid)
    assert missing == [], f"{len(missing)} strings have no Welsh translation: run `make translations-extract` and translate them:\n" + "\n".join(missing[:40])


def test_catalogue_has_nothing_the_code_no_longer_uses():
    in_code = _marked_in_code()
    stale = sorted(_singular(m.id) for m in _catalogue() if m.id and _singular(m.id) not in in_code)
    assert stale == [], "The catalogue is out of date with the code (run `make translations-extract`):\n" + "\n".join(stale[:40])


def test_translations_keep_every_placeholder():
    wrong = []
    for message in _catalogue():
        if message.id and message.string:
            source = _singular(message.id)
            targets = message.string if isinstance(message.string, tuple) else (message.string,)
            if any(set(PLACEHOLDER.findall(source)) != set(PLACEHOLDER.findall(target)) for target in targets):
                wrong.append(source)
    assert wrong == []
