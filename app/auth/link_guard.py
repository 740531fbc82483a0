"""Pages that send links by email refuse, and say why, while SAIT_BASE_URL is unset.

Links are built only on SAIT_BASE_URL (app/web/mail.py). Without it the pages
whose purpose is to send one (asking for a reset link, inviting someone,
adding a business manager) show why no link can be sent instead of their
form, before anything is stored. Anything else that tries to build a link
gets the same page from the `LinksUnavailable` error handler.
"""

from __future__ import annotations

import logging

from flask import Flask, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app.web.mail import LinksUnavailable, link_base_problem, links_available

log = logging.getLogger("sait.mail")

# Endpoints that exist to send a link (checked by tests/integration/test_security_auth.py).
LINK_SENDING_ENDPOINTS = frozenset({"auth.reset_request", "admin.invite_member", "admin.new_business_manager"})
# Of those, the ones open to anyone; the others ask who you are first.
_PUBLIC = frozenset({"auth.reset_request"})


def init_app(app: Flask) -> None:
    app.before_request(_refuse_without_base_url)
    app.register_error_handler(LinksUnavailable, links_unavailable)
    problem = link_base_problem(app.config.get("SAIT_BASE_URL"))
    if problem:
        log.warning("%s: password reset and invitation links cannot be sent (see docs/deployment.md)", problem)


def _refuse_without_base_url():
    endpoint = request.endpoint
    if endpoint not in LINK_SENDING_ENDPOINTS or links_available():
        return None
    if endpoint not in _PUBLIC and not current_user.is_authenticated:
        return None  # the sign-in redirect comes first
    return links_unavailable(None)


def links_unavailable(error: LinksUnavailable | None):
    """The page that says links cannot be sent until SAIT_BASE_URL is set (503)."""
    if request.method == "GET" and error is None:
        return _page()
    log.error(
        "%s: refused to send a link from %s; set SAIT_BASE_URL to the address people use (docs/deployment.md)",
        link_base_problem(current_app.config.get("SAIT_BASE_URL")) or error,
        request.path,
    )
    return _page()


def _page():
    return render_template("auth/links_unavailable.html", page_title=_("Links cannot be sent yet")), 503
