"""Reading JSON from a file someone uploaded, refusing what would break or exhaust the reader (no Flask, no database).

:func:`read_json` is :func:`json.loads` for text from outside the app. It
refuses, with the line and column to edit, what ``json.loads`` would turn
into a traceback or a later failure:

- a whole number longer than :data:`MAX_NUMBER_DIGITS` digits (Python refuses
  to read 4,300 or more, with a ``ValueError`` that names no line), a decimal
  with more digits than that or an exponent of more than three digits, one
  too large to hold, and ``NaN`` or ``Infinity`` (not JSON, but Python reads them);
- lists and objects nested more than :data:`MAX_DEPTH` levels deep, found by a
  scan of the text before it is parsed;
- a ``\\ud800``-style escape that is half of a surrogate pair (the text it
  gives cannot be saved or shown).

Invalid JSON still raises :class:`json.JSONDecodeError`, as ``json.loads``
does. The limits are those of framework YAML (:mod:`app.core.framework_source`).
"""

from __future__ import annotations

import json
import math
import re
from itertools import accumulate
from typing import Any, Literal

from app.core.framework_source import MAX_DEPTH, MAX_NUMBER_DIGITS

__all__ = ["MAX_DEPTH", "MAX_EXPONENT_DIGITS", "MAX_NUMBER_DIGITS", "JsonShapeError", "Reason", "read_json"]

#: The most digits an exponent may have (``1e-999`` is read, ``1e-1000`` is refused).
MAX_EXPONENT_DIGITS = 3

#: What is wrong: a number with too many digits; a number too large (or with too long
#: an exponent); NaN or Infinity; nesting too deep; half of a surrogate pair.
Reason = Literal["long_number", "large_number", "constant", "depth", "surrogate"]

# A string (possessive, so a long one costs no backtracking; an unclosed one runs to the
# end), an opening bracket (group 1) or a closing one (group 2).
_STRING = r'"[^"\\]*+(?:\\.[^"\\]*+)*+"?'
_STRINGS = re.compile(_STRING, re.DOTALL)
_BRACKETS = re.compile(r"([\[{])|([\]}])|" + _STRING, re.DOTALL)
# The brackets of a text's UTF-8 bytes (no other character's bytes include them), an
# opening one as 1 and a closing one as 255, for the quick check of its depth.
_NOT_BRACKETS = bytes(byte for byte in range(256) if byte not in b"[]{}")
_BRACKET_BYTES = bytes.maketrans(b"[]{}", b"\x01\xff\x01\xff")
_STEP = {1: 1, 255: -1}
# In valid JSON every backslash is in a string: an escaped backslash, or an escape
# for a high (group 1) or low (group 2) surrogate; other escapes cannot hide a "\u".
_ESCAPES = re.compile(r"\\(?:(u[dD][89abAB][0-9a-fA-F]{2})|(u[dD][c-fC-F][0-9a-fA-F]{2})|\\)")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Without a run of this many digits anywhere, no whole number can be too long, and
# json's own int() reads them (a hook costs a Python call for every number).
_LONG_DIGITS = re.compile(f"[0-9]{{{MAX_NUMBER_DIGITS + 1}}}")


class JsonShapeError(ValueError):
    """The text cannot be read safely: what is wrong (``reason``), where, and the text at fault (``token``)."""

    def __init__(self, line: int, column: int, reason: Reason, token: str) -> None:
        self.line = line
        self.column = column
        self.reason: Reason = reason
        self.token = token
        super().__init__(f"line {line}, column {column}: {self.message}")

    @property
    def shown(self) -> str:
        """The token as a message quotes it: a long number is cut to its first 12 characters."""
        return f"{self.token[:12]}..." if len(self.token) > 16 else self.token

    @property
    def message(self) -> str:
        """What is wrong, in English (the findings importer words it for the page instead)."""
        if self.reason == "long_number":
            return f"the number {self.shown} is too long ({len(self.token):,} characters; at most {MAX_NUMBER_DIGITS} digits)"
        if self.reason == "large_number":
            return f"the number {self.shown} is too large to read"
        if self.reason == "constant":
            return f"{self.token} is not a number JSON allows"
        if self.reason == "depth":
            return f"lists and objects are nested too deeply (more than {MAX_DEPTH} levels)"
        what = "the escape" if self.token.startswith("\\") else "the character"
        return f"{what} {self.token} is half of a surrogate pair, not a character"


class _Refused(Exception):
    """Raised from json's number hooks, which are not told where the number is."""

    def __init__(self, reason: Reason, token: str) -> None:
        self.reason: Reason = reason
        self.token = token
        super().__init__(token)


def read_json(text: str) -> Any:
    """The value ``json.loads(text)`` gives, or :class:`JsonShapeError` (or ``json.JSONDecodeError``).

    Linear in the length of ``text``: the nesting is checked before parsing,
    so nothing is built for a file that is refused for it.
    """
    if (position := _too_deep(text)) is not None:
        raise _error(text, position, "depth", text[position])
    if (raw := _SURROGATE.search(text)) is not None:
        raise _error(text, raw.start(), "surrogate", f"U+{ord(raw.group()):04X}")
    try:
        parse_int = _int if _LONG_DIGITS.search(text) else None
        value = json.loads(text, parse_int=parse_int, parse_float=_float, parse_constant=_constant)
    except _Refused as refused:
        raise _error(text, _number_position(text, refused.token), refused.reason, refused.token) from None
    if (escape := _lone_surrogate(text)) is not None:
        raise _error(text, escape.start(), "surrogate", escape.group())
    return value


def _error(text: str, position: int, reason: Reason, token: str) -> JsonShapeError:
    # Line and column counted as json.JSONDecodeError counts them (both from 1).
    line = text.count("\n", 0, position) + 1
    return JsonShapeError(line, position - text.rfind("\n", 0, position), reason, token)


def _too_deep(text: str) -> int | None:
    """Where the first list or object more than ``MAX_DEPTH`` deep opens; brackets in strings do not count."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None
    # Quick (no Python step per character): the greatest depth of the brackets outside strings.
    brackets = _STRINGS.sub("", text).encode("utf-8", "surrogatepass").translate(_BRACKET_BYTES, _NOT_BRACKETS)
    if b"\x01" * (MAX_DEPTH + 1) not in brackets and max(accumulate(map(_STEP.__getitem__, brackets), initial=0)) <= MAX_DEPTH:
        return None
    # Only for a text that will be refused: the same sum, bracket by bracket, to say where.
    depth = 0
    for match in _BRACKETS.finditer(text):
        if match.lastindex == 1:
            depth += 1
            if depth > MAX_DEPTH:
                return match.start()
        elif match.lastindex == 2:
            depth -= 1
    return None


def _int(token: str) -> int:
    if len(token.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise _Refused("long_number", token)
    return int(token)


def _float(token: str) -> float:
    mantissa, _, exponent = token.lower().partition("e")
    if len(mantissa.lstrip("-").replace(".", "", 1)) > MAX_NUMBER_DIGITS:
        raise _Refused("long_number", token)
    if len(exponent.lstrip("+-")) > MAX_EXPONENT_DIGITS:
        raise _Refused("large_number", token)
    value = float(token)
    if not math.isfinite(value):
        raise _Refused("large_number", token)
    return value


def _constant(token: str) -> float:
    raise _Refused("constant", token)


def _number_position(text: str, token: str) -> int:
    """Where ``token``, the first number json refused, is: its first appearance outside a string."""
    # Its first characters and then any number characters, as many as it has: a pattern
    # of the whole token would take seconds to compile for a number of a million digits.
    head = token[:16]
    rest = f"[-+.0-9eE]{{{len(token) - len(head)}}}" if len(token) > len(head) else ""
    pattern = re.compile(_STRING + rf"|(?<![\w.+-])({re.escape(head)}{rest})(?![\w.+-])", re.DOTALL)
    for match in pattern.finditer(text):
        if match.lastindex == 1 and match.group(1) == token:
            return match.start()
    return 0


def _lone_surrogate(text: str) -> re.Match[str] | None:
    """The first ``\\uD800``-``\\uDFFF`` escape in valid JSON ``text`` that is not one half of a pair."""
    if _SURROGATE_ESCAPE.search(text) is None:
        return None
    high: re.Match[str] | None = None
    for match in _ESCAPES.finditer(text):
        if match.lastindex == 2 and high is not None and high.end() == match.start():
            high = None
            continue
        if high is not None:
            return high
        if match.lastindex == 1:
            high = match
        elif match.lastindex == 2:
            return match
    return high
