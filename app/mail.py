"""Sending a one-time link (password reset, invitation) by email.

With `MAIL_SERVER` configured the message goes by SMTP. Without it, or if
sending fails, the link is written to the application log at WARNING so the
administrator can pass it on: a person is never left without a way in.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app, url_for

from app.i18n import LANGUAGES, current_language

log = logging.getLogger("sait.mail")


def email_language(chosen: str | None) -> str:
    """The language to write to someone in: their own choice if they made one, else the page's.

    Use it with ``flask_babel.force_locale`` around the subject and body.
    """
    return chosen if chosen in LANGUAGES else current_language()


def link_to(endpoint: str, **values: object) -> str:
    """The full address of a page, for an email: on SAIT_BASE_URL when it is set.

    Without it the request's host is used, which is fine behind a proxy that
    sets the host but lets a forged Host header poison a link otherwise.
    """
    base = current_app.config.get("SAIT_BASE_URL")
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, **values, _external=True)


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
