"""Sending a one-time link (password reset, invitation) by email.

Links are built only on `SAIT_BASE_URL`, never on the request's Host header
(which a client can forge to point a reset link at their own server). Without
it no link is made: `link_to` raises `LinksUnavailable` and the pages that
send links say why (see app/auth/link_guard.py).

With `MAIL_SERVER` configured the message goes by SMTP. Without it, or if
sending fails, the link is written to the application log at WARNING so the
administrator can pass it on: a person is never left without a way in.

`in_background` runs a piece of mail work in this process's mail thread, so a
request can reply before the work is done (password reset requests, whose
reply must take the same time whether or not the address has an account).
"""

from __future__ import annotations

import logging
import os
import smtplib
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app

from app.web.i18n import LANGUAGES, current_language

log = logging.getLogger("sait.mail")


class LinksUnavailable(RuntimeError):
    """Links for emails cannot be made: `SAIT_BASE_URL` is unset or not a web address."""


def email_language(chosen: str | None, fallback: str | None = None) -> str:
    """The language to write to someone in: their own choice if they made one, else `fallback` or the page's.

    Use it with ``flask_babel.force_locale`` around the subject and body.
    """
    if chosen in LANGUAGES:
        return chosen
    return fallback if fallback in LANGUAGES else current_language()


def link_base_problem(base: str | None) -> str | None:
    """Why `base` cannot be the start of links in emails (None if it can)."""
    if not base:
        return "SAIT_BASE_URL is not set"
    parts = urlsplit(base)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.query or parts.fragment:
        return f"SAIT_BASE_URL is not a web address like https://sait.example.gov.wales ({base!r})"
    return None


def links_available() -> bool:
    """Whether links for emails can be made (SAIT_BASE_URL is set and valid)."""
    return link_base_problem(current_app.config.get("SAIT_BASE_URL")) is None


def link_to(endpoint: str, **values: Any) -> str:
    """The full address of a page, for an email, on SAIT_BASE_URL and nothing else.

    Works outside a request (the mail thread) and ignores the request's Host
    header. Raises `LinksUnavailable` when SAIT_BASE_URL is unset or invalid.
    """
    base = current_app.config.get("SAIT_BASE_URL")
    problem = link_base_problem(base)
    if problem or not isinstance(base, str):
        raise LinksUnavailable(problem)
    parts = urlsplit(base)
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path.rstrip("/") or "/", url_scheme=parts.scheme
    )
    return adapter.build(endpoint, values, force_external=True)


def send_link(to: str, subject: str, body: str, link: str) -> bool:
    """Email `body` (which contains `link`) to `to`. True if it was sent by SMTP."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        log.warning("Email is not configured; give this link to %s yourself (%s): %s", to, subject, link)
        return False
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=15) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        log.error("Could not send email to %s: %s", to, error)
        log.warning("Email failed; give this link to %s yourself (%s): %s", to, subject, link)
        return False
    return True


# One mail thread per process, made on first use so a worker forked from a
# parent that already had one gets its own. Jobs run one after another; at
# interpreter exit (a worker's graceful stop) concurrent.futures waits for the
# queued ones, so a link asked for just before a restart is still sent.
_executor: ThreadPoolExecutor | None = None
_executor_pid: int | None = None
_executor_lock = threading.Lock()


def _mail_thread() -> ThreadPoolExecutor:
    global _executor, _executor_pid
    with _executor_lock:
        if _executor is None or _executor_pid != os.getpid():
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sait-mail")
            _executor_pid = os.getpid()
        return _executor


def _run_job(app: Flask, job: Callable[..., None], args: tuple) -> None:
    # A fresh app context: its own database session, committed or rolled back
    # by the job and removed when the context ends.
    with app.app_context():
        try:
            job(*args)
        except Exception:
            # A failure must not change the reply (which would tell who has an
            # account), so it is logged, never raised into the request.
            log.exception("Mail job %s failed", getattr(job, "__name__", job))


def in_background(job: Callable[..., None], *args: Any) -> Future:
    """Run `job(*args)` in the mail thread, in its own app context; return at once.

    With SAIT_MAIL_IN_BACKGROUND off (the tests) it runs now, the same way.
    `args` must be plain values (ids, addresses), not database objects.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config.get("SAIT_MAIL_IN_BACKGROUND", True):
        return _mail_thread().submit(_run_job, app, job, args)
    _run_job(app, job, args)
    done: Future = Future()
    done.set_result(None)
    return done


def finish_background_work(timeout: float | None = 30) -> None:
    """Wait until every mail job queued so far in this process has run."""
    executor = _executor if _executor_pid == os.getpid() else None
    if executor is not None:
        executor.submit(lambda: None).result(timeout=timeout)
