"""One commit per request: what a request changed is saved once, after its view has answered.

The data layer adds, updates and flushes, and never commits. When a view has
returned its answer (anything below 500, including a page shown again with
errors or with someone else's newer version, whose audit events must be
kept), the request's changes are committed here, in one transaction. When the
request failed (500), they are rolled back, so nothing half-done is saved.

A view commits earlier only where something outside the database must not
happen before the data is durable, and says so where it does: an email that
links to what was just stored, a background thread that reads it, a session
token changed before the new session is started.
"""

from __future__ import annotations

from flask import Flask, Response

from app.data.database import finish_request


def init_app(app: Flask) -> None:
    # Registered before the other after-request hooks, so it runs after them
    # (Flask runs them in reverse) and commits whatever they wrote too.
    app.after_request(commit_the_request)


def commit_the_request(response: Response) -> Response:
    finish_request(failed=response.status_code >= 500)
    return response
