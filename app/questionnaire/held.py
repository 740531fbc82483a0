"""Keeping what a person typed when their session or CSRF token had expired.

A domain page carries a signed owner token (``typed_by``, also sent by
autosave) naming the person it was shown to and the page. When a save of
that page arrives after the session has ended, or with a stale CSRF token,
the typed form is stored server-side (``held_saves``) for that person; the
next time they open the page signed in (in any browser) it is shown back in
the form, once, ready to save.

Text is held only when all of these hold, so nobody can plant text in
someone's form (a cross-site post, or someone who has seen a page's token):

- the token's signature is good and it is younger than the longest a session
  can last (``SAIT_ABSOLUTE_SESSION_HOURS``, or the idle timeout if longer);
- it was issued in this browser: the token carries a digest of a random
  nonce kept in an HttpOnly, SameSite=Lax cookie (:data:`NONCE_COOKIE`) that
  outlives the session cookie. A cross-site post does not send it, and
  the token alone does not reveal it;
- it is for this page, and the person it names can still answer it (the
  round exists and is open, they are a member or business manager of its
  board with a response not yet submitted, and the domain is in the round's
  framework);
- it has not been used up: a token holds text for its page once (later holds
  from the same page, e.g. autosaves then the Save button, add to that one
  row), and once the text has been taken back it holds nothing more.

Only the page's own fields are kept, each with a ceiling. A person keeps at
most :data:`KEEP_PER_PAGE` held texts per page (the newest), held text is
deleted after ``SAIT_HELD_TEXT_DAYS`` (default 7) days, and used-up rows once
their token has expired; old rows are deleted on each write.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import after_this_request, current_app, g, request, url_for
from flask_login import current_user
from itsdangerous import BadData, URLSafeTimedSerializer
from werkzeug.datastructures import MultiDict

from app.core.framework import Domain
from app.data.framework_store import framework_for_round
from app.data.held_saves import hold_fields, take_newest
from app.data.questionnaire import response_status_of, round_by_id
from app.questionnaire.forms import field_key, without_nul
from app.web.permissions import roles_with

log = logging.getLogger("sait.security")

# The form field (and autosave key) that carries owner_token().
OWNER_FIELD = "typed_by"
# The cookie holding this browser's typing nonce (only sent to the questionnaire's pages).
NONCE_COOKIE = "sait_typing"
NONCE_PATH = "/rounds/"
_NONCE_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")
# Held texts kept per person and page, newest first.
KEEP_PER_PAGE = 3
DEFAULT_KEEP_DAYS = 7
# Each benchmark's fields on a domain form (see forms.build_domain_form).
FIELD_PARTS = ("rating", "evidence", "no_evidence_yet", "cites", "version")
# More values than any field of a domain form has (the register's checkboxes).
MAX_VALUES = 1_000


@dataclass(frozen=True)
class Owner:
    """Whose text a save is, read from a valid owner token: the person, and the token's id."""

    user_id: int
    token_id: str


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="held-text-owner")


def token_max_age() -> timedelta:
    """How long an owner token can hold text: the longest a session can last."""
    absolute = timedelta(hours=current_app.config["SAIT_ABSOLUTE_SESSION_HOURS"])
    return max(absolute, current_app.permanent_session_lifetime)


def _keep_for() -> timedelta:
    return timedelta(days=current_app.config.get("SAIT_HELD_TEXT_DAYS", DEFAULT_KEEP_DAYS))


def _digest(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def _browser_nonce() -> str:
    """This browser's typing nonce, made if it has none; the reply (re)sets the cookie."""
    if "typing_nonce" in g:
        return g.typing_nonce
    nonce = request.cookies.get(NONCE_COOKIE, "")
    if not _NONCE_SHAPE.fullmatch(nonce):
        nonce = secrets.token_urlsafe(32)
    g.typing_nonce = nonce

    @after_this_request
    def set_nonce_cookie(response):
        response.set_cookie(
            NONCE_COOKIE,
            nonce,
            max_age=int(token_max_age().total_seconds()),
            path=NONCE_PATH,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
            httponly=True,
            samesite="Lax",
        )
        return response

    return nonce


def owner_token() -> str:
    """A signed token naming the signed-in person and this page, for text held if their session ends."""
    return _serializer().dumps(
        {"u": current_user.id, "p": request.path, "b": _digest(_browser_nonce()), "t": secrets.token_urlsafe(16)}
    )


def owner_of(token: object, path: str) -> Owner | None:
    """The owner a token names, if it is valid for `path` in this browser now (see the module's rules)."""
    if not isinstance(token, str) or not token or len(token) > 1_000:
        return None
    try:
        claims = _serializer().loads(token, max_age=int(token_max_age().total_seconds()))
    except BadData:
        return None
    if not isinstance(claims, dict):
        return None
    user_id, page, digest, token_id = (claims.get(k) for k in ("u", "p", "b", "t"))
    if not (isinstance(user_id, int) and isinstance(page, str) and isinstance(digest, str) and isinstance(token_id, str)):
        return None
    nonce = request.cookies.get(NONCE_COOKIE, "")
    if page != path or not nonce or not hmac.compare_digest(_digest(nonce), digest):
        return None
    return Owner(user_id, token_id)


def _answerable_domain(user_id: int, round_id: int, domain_id: str) -> Domain | None:
    """The domain, if the person can still answer it in this round; else None."""
    assessment_round = round_by_id(round_id)
    if assessment_round is None or assessment_round.status != "open":
        return None
    response_status = response_status_of(user_id, assessment_round, roles_with("respond"))
    if response_status is None or response_status == "submitted":
        return None
    return next((d for d in framework_for_round(assessment_round).domains if d.id == domain_id), None)


def _page_fields(domain: Domain, form: MultiDict) -> dict[str, list[str]]:
    """The domain form's own fields from `form`, each value within a ceiling; nothing else."""
    longest = 4 * current_app.config["SAIT_EVIDENCE_MAX_CHARS"]
    kept = {}
    for benchmark in domain.benchmarks:
        for part in FIELD_PARTS:
            name = f"{field_key(benchmark.id)}-{part}"
            if name in form:
                kept[name] = [without_nul(str(value))[:longest] for value in form.getlist(name)[:MAX_VALUES]]
    return kept


def hold_typed_text(round_id: int, domain_id: str, form: MultiDict, token: object) -> bool:
    """Hold the page's fields from `form` for the person `token` names; True if held.

    Nothing is held (False) unless the token is valid for this page in this
    browser, its owner can answer the page, and the token is not used up.
    """
    path = url_for("questionnaire.domain_page", round_id=round_id, domain_id=domain_id)
    owner = owner_of(token, path)
    if owner is None:
        log.warning("typed text not held on %s: no valid owner token for this page and browser", path)
        return False
    domain = _answerable_domain(owner.user_id, round_id, domain_id)
    fields = _page_fields(domain, form) if domain is not None else {}
    if not fields:
        log.warning("typed text not held on %s: user=%s cannot answer it", path, owner.user_id)
        return False
    for _attempt in range(2):
        held = hold_fields(owner.token_id, owner.user_id, path, fields, keep=KEEP_PER_PAGE, text_for=_keep_for(), token_for=token_max_age())
        if held is True:
            return True
        if held is False:
            log.warning("typed text not held on %s: owner token already used", path)
            return False
        # None: the page's other autosave held text under this token first (rolled back): add to it.
    return False


def take_held_text(path: str) -> MultiDict | None:
    """The newest typed form held for `path` for the signed-in person, if any (once).

    Text held for someone else, or older than ``SAIT_HELD_TEXT_DAYS``, is never returned.
    """
    if not current_user.is_authenticated:
        return None
    # Used up once taken: the row stays, without the text, so its token cannot hold again.
    form_data = take_newest(current_user.id, path, text_for=_keep_for())
    if form_data is None:
        return None
    return MultiDict([(name, value) for name, values in form_data.items() for value in values])
