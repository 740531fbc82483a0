"""One handler for every HTTP error: a GOV.UK page, never a traceback."""

from __future__ import annotations

import logging

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.web.anonymous_writes import anonymous_write_allowed

log = logging.getLogger(__name__)

MESSAGES = {
    400: (_l("There is a problem with your request"), _l("Go back and try again.")),
    403: (_l("You do not have permission to see this page"), _l("Ask your board’s business manager if you think you should have access.")),
    404: (_l("Page not found"), _l("If you typed the web address, check it is correct.")),
    405: (_l("There is a problem with your request"), _l("Go back and try again.")),
    409: (_l("Someone else changed this at the same time"), _l("Your text has been kept. Go back to see both versions.")),
    413: (_l("What you sent is too large"), _l("Save one domain at a time, or shorten very long evidence.")),
    429: (_l("Too many attempts"), _l("Wait 15 minutes, then try again.")),
    500: (_l("Sorry, there is a problem with the service"), _l("Try again later. What you saved before this error is safe.")),
}


def _wants_json() -> bool:
    return request.is_json or request.accept_mimetypes.best == "application/json"


def form_too_large() -> bool:
    """Werkzeug drops a form body over MAX_FORM_MEMORY_SIZE, which then looks
    like a missing CSRF token; tell the person the real reason."""
    limit = current_app.config.get("MAX_FORM_MEMORY_SIZE")
    return bool(limit and request.content_length and request.content_length > limit and request.mimetype != "application/json")


def render_error(code: int, detail: str | None = None):
    lazy_title, lazy_advice = MESSAGES.get(code, MESSAGES[400] if code < 500 else MESSAGES[500])
    title, advice = str(lazy_title), str(lazy_advice)
    if _wants_json():
        return jsonify(error=title, detail=detail or advice), code
    return render_template("errors/error.html", code=code, title=title, advice=detail or advice), code


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException):
        if isinstance(error, CSRFError):
            # A refused token is raised before any view, so before the view's
            # own rate limit: anonymous writes keep a budget all the same.
            if not anonymous_write_allowed():
                return render_error(429)
            if form_too_large():
                return render_error(413)
            log.warning("CSRF failure on %s: %s", request.path, error.description)
            return render_error(400, _("The form had expired or was not sent from this service. Go back, reload the page and try again."))
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return handle_http_error(error)
        log.exception("Unhandled error on %s", request.path)
        return render_error(InternalServerError.code)
