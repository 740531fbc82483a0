"""Password hashing (Argon2id) and the rules a new password must meet.

Besides a minimum length, a new password must be hard to guess, as zxcvbn
estimates it offline from the lists it ships: common and breached passwords,
English words, names, keyboard patterns, repeats, sequences and dates, plus
the person's own email address and name and the service's own words
(`CONTEXT_WORDS`). No composition rules (OWASP ASVS 5.0 6.2.5).
"""

from __future__ import annotations

import re
import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _
from zxcvbn import zxcvbn

_hasher = PasswordHasher()
# Verified against when an email is unknown, so a login takes the same time
# whether or not the account exists.
_DUMMY_HASH = _hasher.hash("not a real password, only for timing")

MAX_LENGTH = 256
# zxcvbn's lowest score for "safely unguessable" (about 10^8 guesses or more).
MIN_STRENGTH = 3
# zxcvbn refuses longer input; a longer password is judged by its start,
# which errs towards refusing (the whole password is still what is hashed).
_STRENGTH_CHARS = 72
# Words anyone attacking this service would try first (ASVS 6.1.2, 6.2.11),
# with the person's own email address and name added for each check.
CONTEXT_WORDS = (
    "sait",
    "safeguarding",
    "safeguarding board",
    "self assessment",
    "self-assessment",
    "board",
    "children",
    "password",
    "cyfrinair",
    "diogelu",
)
# zxcvbn keeps the user's words in a module-level dictionary while it checks,
# so two checks at once in threads must not interleave.
_strength_lock = threading.Lock()
_PATTERNS = {"repeat", "sequence", "spatial"}


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def personal_words(email: str = "", name: str = "") -> list[str]:
    """The person's own words a password must not lean on: address, its parts, name and names."""
    email = (email or "").strip().lower()
    local, _, domain = email.partition("@")
    words = [email, local, domain, *re.split(r"[._+\-]+", local), (name or "").strip(), *(name or "").split()]
    return [word for word in dict.fromkeys(w.lower() for w in words) if len(word) >= 3]


def password_problems(password: str, *, min_length: int, email: str = "", name: str = "") -> list[str]:
    """What is wrong with a proposed password, in GOV.UK error wording ([] if fine).

    One message at most, the one to act on first, as GOV.UK asks for one
    error per field.
    """
    if len(password) < min_length:
        return [_("Password must be %(min_length)s characters or more", min_length=min_length)]
    if len(password) > MAX_LENGTH:
        return [_("Password must be 256 characters or fewer")]
    weakness = strength_problem(password, personal_words(email, name))
    return [weakness] if weakness else []


def strength_problem(password: str, personal: list[str]) -> str | None:
    """Why `password` is easy to guess, or None if it is not.

    It must be hard to guess on its own (zxcvbn), and still hard to guess
    once the person's own words are taken out of it: someone who knows your
    name and email address should learn nothing from them.
    """
    result = _estimate(password, personal)
    if result["score"] >= MIN_STRENGTH:
        rest = _without(password, personal)
        if rest == password or _estimate(rest, personal)["score"] >= MIN_STRENGTH:
            return None
        return _("Password is too easy to guess. Do not use your name or email address")
    sequence = result["sequence"]
    if any(match.get("dictionary_name") == "user_inputs" and match.get("matched_word") in personal for match in sequence):
        return _("Password is too easy to guess. Do not use your name or email address")
    if any(match.get("dictionary_name") == "passwords" for match in sequence):
        return _("Password is too easy to guess. Choose a less common password")
    if any(match["pattern"] in _PATTERNS for match in sequence):
        return _("Password is too easy to guess. Avoid repeated letters, sequences like abcd or 1234 and rows of keys like qwerty")
    return _("Password is too easy to guess. Choose a less common password")


def _estimate(password: str, personal: list[str]) -> dict:
    with _strength_lock:
        return zxcvbn(password[:_STRENGTH_CHARS], user_inputs=[*personal, *CONTEXT_WORDS])


def _without(password: str, words: list[str]) -> str:
    """`password` with every occurrence of `words` (longest first, any case) taken out."""
    for word in sorted(words, key=len, reverse=True):
        password = re.sub(re.escape(word), "", password, flags=re.IGNORECASE)
    return password
