"""Shared fixtures: the app on SQLite and on PostgreSQL, clients, and people.

Every test that uses `app` runs once per database in SAIT_TEST_DATABASES
(default: both). The schema is built once per test process with the real
Alembic migrations; each test then starts from empty tables. Under
pytest-xdist (`make test` runs two workers) each worker has its own SQLite
files (under its own basetemp) and its own PostgreSQL database on one shared
server.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask.globals import _cv_app
from flask.testing import FlaskClient
from jinja2 import BytecodeCache
from sqlalchemy import create_engine, text

from app import create_app
from app.config import TestConfig
from tests import pg_server

# Fixture modules shared by the integration tests, registered here (the root
# conftest) instead of imported by name into each test module.
pytest_plugins = [
    "tests.integration.round_builder",
    "tests.integration.inspection_helpers",
    "tests.integration.report_round",
    "tests.integration.questionnaire_helpers",
    "tests.integration.mailbox",
]

DATABASES = [d.strip() for d in os.environ.get("SAIT_TEST_DATABASES", "sqlite,postgresql").split(",") if d.strip()]
TRANSLATIONS = Path(__file__).resolve().parents[1] / "app" / "translations"


@pytest.fixture(scope="session", autouse=True)
def compiled_translations() -> None:
    """Compile each .po catalogue before any test, so no test reads a stale .mo."""
    for po_path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        with po_path.open("rb") as handle:
            catalogue = read_po(handle, locale=po_path.parents[1].name)
        # Written aside then renamed: another test run may be reading it.
        with tempfile.NamedTemporaryFile(dir=po_path.parent, prefix=".", suffix=".mo", delete=False) as handle:
            write_mo(handle, catalogue)
        os.chmod(handle.name, 0o644)  # as pybabel would leave it, not the temporary file's 0600
        os.replace(handle.name, po_path.with_suffix(".mo"))


def _migrate(url: str) -> None:
    from flask_migrate import upgrade

    app = create_app({**_config_dict(), "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        from app.extensions import db

        db.engine.dispose()


def _config_dict() -> dict:
    return {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    url = os.environ.get("SAIT_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    # One server for every test process (pytest-xdist workers, other runs):
    # started by the first, stopped by the last to let go if a test run
    # started it (tests/pg_server.py).
    url = pg_server.acquire()
    try:
        yield url
    finally:
        pg_server.release()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sqlite") / "template.db"
    _migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_database(postgres_server) -> Iterator[str]:
    """This process's own database on the shared server, migrated once and dropped at the end.

    Named after the pytest-xdist worker ("gw0", "gw1"; "main" when serial) and
    the process id, so parallel workers and concurrent runs never share one.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"sait_test_{worker}_{os.getpid()}"
    admin = create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = postgres_server.rsplit("/", 1)[0] + f"/{name}"
    _migrate(url)
    try:
        yield url
    finally:
        admin = create_engine(postgres_server, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=DATABASES)
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "sait.db"
        shutil.copyfile(template, path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_database")
    engine = create_engine(url)
    with engine.begin() as conn:
        tables = conn.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename != 'alembic_version'")
        ).scalars().all()
        if tables:
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
    engine.dispose()
    return url


class IsolatedClient(FlaskClient):
    """A test client whose requests each get their own app context.

    The `app` fixture keeps an app context open so test bodies can use the
    database. Flask would reuse it for requests, sharing `g` (Flask-Login's
    user, Flask-WTF's token) and the database session between requests, which
    real requests never do. Hiding it for the duration of a request restores
    real behaviour.
    """

    def open(self, *args, **kwargs):
        token = _cv_app.set(None)
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)


class SharedBytecodeCache(BytecodeCache):
    """Compiled templates shared by the many apps a test run creates.

    Each test builds a fresh app, whose Jinja environment would otherwise
    compile every GOV.UK macro again (about half a second per test).
    """

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self._store:
            bucket.bytecode_from_string(self._store[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


BYTECODE_CACHE = SharedBytecodeCache()


def make_test_app(**overrides):
    """An app with the test configuration and `overrides`."""
    app = create_app({**_config_dict(), **overrides})
    app.test_client_class = IsolatedClient
    app.jinja_env.bytecode_cache = BYTECODE_CACHE
    return app


@pytest.fixture
def app(database_url):
    app = make_test_app(SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        yield app
        from app.extensions import db, limiter

        db.session.remove()
        db.engine.dispose()
        limiter.reset()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


from tests.factories import *  # noqa: E402,F401,F403  (people, boards, rounds)
