"""Configuration read from the environment.

The base configuration holds no secrets: `SECRET_KEY` comes from the
environment or, when that is unset, from `instance/secret_key` (which `make
run` generates), so the web app and every CLI command share one key. Only
`TestConfig` holds a fixed test secret.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = REPO_ROOT / "instance"


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _secret_key() -> str | None:
    """SECRET_KEY from the environment, else the first line of instance/secret_key, else None."""
    value = os.environ.get("SECRET_KEY")
    if value:
        return value
    try:
        return (INSTANCE_DIR / "secret_key").read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


class Config:
    """Production defaults; every setting can be overridden from the environment."""

    SECRET_KEY: str | None = _secret_key()
    SQLALCHEMY_DATABASE_URI: str = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'sait.db'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SAIT_FRAMEWORK_PATH: str = os.environ.get(
        "SAIT_FRAMEWORK_PATH", str(REPO_ROOT / "sait_domains.yaml")
    )

    # Sessions: a signed cookie carrying the user's revocable session token
    # (User.session_token, app/data/models/accounts.py); idle timeout via a permanent session that is
    # refreshed on each request, absolute timeout checked against login time.
    SESSION_COOKIE_NAME = "sait_session"
    SESSION_COOKIE_SECURE: bool = _env_bool("SESSION_COOKIE_SECURE", True)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = True
    PERMANENT_SESSION_LIFETIME = timedelta(minutes=_env_int("SAIT_IDLE_MINUTES", 60))
    SESSION_REFRESH_EACH_REQUEST = True
    SAIT_ABSOLUTE_SESSION_HOURS: int = _env_int("SAIT_ABSOLUTE_SESSION_HOURS", 12)

    # CSRF tokens live as long as the session, not Flask-WTF's one-hour
    # default that makes long questionnaires fail on save.
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None

    # Flask 3.1 rejects form bodies over this size; one domain per page keeps
    # a save far below it and the 413 page says so.
    MAX_FORM_MEMORY_SIZE = 500_000
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024

    SAIT_EVIDENCE_MAX_CHARS: int = _env_int("SAIT_EVIDENCE_MAX_CHARS", 5000)
    SAIT_INVITATION_DAYS: int = _env_int("SAIT_INVITATION_DAYS", 14)
    SAIT_PASSWORD_RESET_MINUTES: int = _env_int("SAIT_PASSWORD_RESET_MINUTES", 60)
    SAIT_PASSWORD_MIN_LENGTH: int = _env_int("SAIT_PASSWORD_MIN_LENGTH", 12)
    SAIT_REPORT_CACHE_DIR: str | None = os.environ.get("SAIT_REPORT_CACHE_DIR")

    # Flask-Limiter counts per process with memory storage; set a Redis URL
    # when running several workers (see docs/deployment.md).
    RATELIMIT_STORAGE_URI: str = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED: bool = _env_bool("RATELIMIT_ENABLED", True)
    SAIT_LOGIN_LIMIT: str = os.environ.get("SAIT_LOGIN_LIMIT", "10 per 15 minutes")
    # Every write from someone not signed in, per client address, whatever
    # answers it (app/web/anonymous_writes.py).
    SAIT_ANONYMOUS_WRITE_LIMIT: str = os.environ.get("SAIT_ANONYMOUS_WRITE_LIMIT", "30 per minute")
    # Text typed after a session ended is deleted after this many days.
    SAIT_HELD_TEXT_DAYS: int = _env_int("SAIT_HELD_TEXT_DAYS", 7)
    # A browser someone has signed in with carries a signed "device cookie" for
    # that account; its failed attempts are counted on their own, so strangers'
    # guesses cannot lock the owner out (see app/auth/devices.py).
    SAIT_DEVICE_COOKIE_DAYS: int = _env_int("SAIT_DEVICE_COOKIE_DAYS", 365)

    # The address people use (e.g. https://sait.example.gov.wales), the only
    # base for links in emails: never the request's Host header, which a client
    # can forge. Unset, no reset or invitation link is sent and the pages say why.
    SAIT_BASE_URL: str | None = os.environ.get("SAIT_BASE_URL") or None
    # How many proxies (load balancer, nginx) in front of the app set
    # X-Forwarded-For/-Proto/-Host; 0 trusts none (see docs/deployment.md).
    SAIT_TRUSTED_PROXIES: int = _env_int("SAIT_TRUSTED_PROXIES", 0)

    MAIL_SERVER: str | None = os.environ.get("MAIL_SERVER")
    MAIL_PORT: int = _env_int("MAIL_PORT", 25)
    MAIL_FROM: str = os.environ.get("MAIL_FROM", "sait@localhost")
    # STARTTLS before sending, and a login if the relay needs one.
    MAIL_USE_TLS: bool = _env_bool("MAIL_USE_TLS", False)
    MAIL_USERNAME: str | None = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD: str | None = os.environ.get("MAIL_PASSWORD")
    # Password reset emails go from a background thread, so the reply takes
    # the same time whether or not the address has an account.
    SAIT_MAIL_IN_BACKGROUND: bool = _env_bool("SAIT_MAIL_IN_BACKGROUND", True)

    BABEL_DEFAULT_LOCALE = "en"
    LANGUAGES = ("en", "cy")


class TestConfig(Config):
    """Settings for the test suite: fixed secret, no Secure cookies over plain HTTP."""

    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    SAIT_PASSWORD_MIN_LENGTH = 12
    RATELIMIT_STORAGE_URI = "memory://"
    # Route walks send hundreds of anonymous posts from one address; the tests
    # of the budget itself set the production default back.
    SAIT_ANONYMOUS_WRITE_LIMIT = "100000 per minute"
    # The test client's own address; tests that need another set their own.
    SAIT_BASE_URL = "http://localhost"
    # Sent during the request, so a test reads the link as soon as it returns.
    SAIT_MAIL_IN_BACKGROUND = False


MIGRATIONS_DIR = REPO_ROOT / "migrations"
