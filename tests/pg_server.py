"""Start a throw-away PostgreSQL server from Debian's package for the tests.

Used when SAIT_TEST_POSTGRES_URL is not set. The server listens on 127.0.0.1
only, in a data folder under /tmp, and is stopped when the test run ends. As
root, PostgreSQL must run as the `postgres` user that the Debian package
creates.
"""

from __future__ import annotations

import fcntl
import glob
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

PORT = int(os.environ.get("SAIT_TEST_POSTGRES_PORT", "54329"))
DATA_DIR = Path(os.environ.get("SAIT_TEST_POSTGRES_DIR", f"/tmp/sait-test-pg-{PORT}"))


class PostgresUnavailable(RuntimeError):
    pass


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if found:
        return found[-1]
    path = shutil.which(name)
    if path:
        return path
    raise PostgresUnavailable(f"{name} not found: install Debian's postgresql package (make test does)")


def _as_postgres(args: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


def _port_open() -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", PORT)) == 0


def start() -> tuple[str, bool]:
    """A superuser URL for a running server, and whether this call started it.

    Parallel test workers (pytest-xdist) call this at once: a lock file lets
    one of them create and start the server while the others wait for it.
    """
    DATA_DIR.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{DATA_DIR}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _start()


def _start() -> tuple[str, bool]:
    if _port_open():
        return f"postgresql+psycopg://postgres@127.0.0.1:{PORT}/postgres", False
    if not (DATA_DIR / "PG_VERSION").exists():
        if DATA_DIR.exists():
            shutil.rmtree(DATA_DIR)
        DATA_DIR.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(DATA_DIR, "postgres", "postgres")
        subprocess.run(
            _as_postgres([_bin("initdb"), "-D", str(DATA_DIR), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"]),
            check=True,
            capture_output=True,
        )
    log_file = DATA_DIR / "server.log"
    subprocess.run(
        _as_postgres([
            _bin("pg_ctl"), "-D", str(DATA_DIR), "-l", str(log_file), "-w", "-t", "60",
            "-o", f"-p {PORT} -c listen_addresses=127.0.0.1 -c unix_socket_directories={DATA_DIR} "
                  "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
            "start",
        ]),
        check=True,
        capture_output=True,
    )
    deadline = time.monotonic() + 30
    while not _port_open():
        if time.monotonic() > deadline:
            raise PostgresUnavailable(f"PostgreSQL did not start; see {log_file}")
        time.sleep(0.2)
    return f"postgresql+psycopg://postgres@127.0.0.1:{PORT}/postgres", True


def stop() -> None:
    subprocess.run(
        _as_postgres([_bin("pg_ctl"), "-D", str(DATA_DIR), "-m", "fast", "stop"]),
        check=False,
        capture_output=True,
    )


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["stop"]:
        stop()
    else:
        print(start()[0])
