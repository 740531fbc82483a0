"""Helpers shared by the benchmarks: databases, a served app, timing summaries."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def summary_ms(values: list[float]) -> str:
    if not values:
        return "no samples"
    return f"median {statistics.median(values) * 1000:.1f} ms, p95 {percentile(values, 0.95) * 1000:.1f} ms, n={len(values)}"


@contextmanager
def database(kind: str):
    """A migrated, empty database URL of the given kind ("sqlite" or "postgresql")."""
    if kind == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="sait-bench-"))
        url = f"sqlite:///{folder / 'bench.db'}"
        try:
            migrate(url)
            yield url
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    from sqlalchemy import create_engine, text

    from tests import pg_server

    server_url, _ = pg_server.start()
    name = f"sait_bench_{os.getpid()}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = server_url.rsplit("/", 1)[0] + f"/{name}"
    try:
        migrate(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def app_config(url: str) -> dict:
    return {
        "SECRET_KEY": "bench-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "SESSION_COOKIE_SECURE": False,
        "RATELIMIT_ENABLED": False,
    }


def migrate(url: str) -> None:
    from flask_migrate import upgrade

    from app import create_app

    app = create_app(app_config(url))
    with app.app_context():
        upgrade()
        from app.extensions import db

        db.engine.dispose()


@contextmanager
def gunicorn(url: str, workers: int = 4, threads: int = 4):
    """The app under gunicorn on 127.0.0.1; yields its base URL."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-secret",
        "SESSION_COOKIE_SECURE": "0",
        # 50 simulated members sign in from one address; the login throttle
        # would (rightly) stop them.
        "RATELIMIT_ENABLED": "0",
    }
    process = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads), "--log-level", "warning", "wsgi:app"],
        cwd=REPO,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    import requests

    while True:
        try:
            if requests.get(f"{base}/health", timeout=1).status_code == 200:
                break
        except requests.RequestException:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            raise RuntimeError("gunicorn did not start")
        time.sleep(0.2)
    try:
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
