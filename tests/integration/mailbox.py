"""Catching the one-time links the app sends: from the log, or from a fake SMTP server."""

from __future__ import annotations

import re
import smtplib
from email.message import EmailMessage
from urllib.parse import urlsplit

import pytest

LINK = re.compile(r"https?://\S+")


def logged_links(caplog) -> list[str]:
    """Links written to the log for the administrator (no email configured)."""
    return [link for record in caplog.records if record.name == "sait.mail" for link in LINK.findall(record.getMessage())]


def last_logged_path(caplog) -> str:
    """The path of the newest link in the log, ready for the test client."""
    links = logged_links(caplog)
    assert links, "no link was written to the log"
    return urlsplit(links[-1]).path


class FakeSMTP:
    """Stands in for smtplib.SMTP and keeps what was sent."""

    sent: list[EmailMessage] = []
    fail = False

    def __init__(self, host: str, port: int, timeout: float) -> None:
        if self.fail:
            raise OSError("connection refused")
        self.host, self.port = host, port

    def __enter__(self) -> FakeSMTP:
        return self

    def __exit__(self, *exc) -> None:
        return None

    def starttls(self) -> None:
        pass

    def login(self, user: str, password: str) -> None:
        pass

    def send_message(self, message: EmailMessage) -> None:
        self.sent.append(message)


@pytest.fixture
def smtp(app, monkeypatch) -> type[FakeSMTP]:
    """Email configured, with a fake server: `smtp.sent` holds the messages."""
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    monkeypatch.setattr(FakeSMTP, "sent", [])
    monkeypatch.setattr(FakeSMTP, "fail", False)
    return FakeSMTP


def emailed_path(message: EmailMessage) -> str:
    """The path of the link in an email."""
    links = LINK.findall(message.get_content())
    assert links, "no link in the email"
    return urlsplit(links[-1]).path
