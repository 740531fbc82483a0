"""Start a throw-away PostgreSQL server from Debian's package for the tests.

Used when SAIT_TEST_POSTGRES_URL is not set. The server listens on 127.0.0.1
only, in a data folder under /tmp. As root, PostgreSQL must run as the
`postgres` user that the Debian package creates.

The test processes (one, or one per pytest-xdist worker, or several test runs
at once) share one server: `acquire()` starts it if it is not running and
holds a shared lock on `<data folder>.users` for as long as the process uses
it; `release()` stops it when the last process using it lets go, and only if
a test run started it (its postmaster's pid is in `<data folder>.started`).
A server started otherwise (`python -m tests.pg_server`, the benchmarks) is
left running; `python -m tests.pg_server stop` stops it.
"""

from __future__ import annotations

import fcntl
import glob
import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

PORT = int(os.environ.get("SAIT_TEST_POSTGRES_PORT", "54329"))
DATA_DIR = Path(os.environ.get("SAIT_TEST_POSTGRES_DIR", f"/tmp/sait-test-pg-{PORT}"))
START_LOCK = Path(f"{DATA_DIR}.lock")
USERS_LOCK = Path(f"{DATA_DIR}.users")
STARTED_BY_TESTS = Path(f"{DATA_DIR}.started")
# Databases the tests and benchmarks create, named after the process using them.
RUN_DATABASE = re.compile(r"^sait_(?:test|bench)_(?:\w+_)?(\d+)$")

_users_handle = None  # this process's shared lock on USERS_LOCK while it uses the server


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


def _url(database: str = "postgres") -> str:
    return f"postgresql+psycopg://postgres@127.0.0.1:{PORT}/{database}"


def _start_lock():
    """The lock held while the server is started or stopped (a context manager)."""
    DATA_DIR.parent.mkdir(parents=True, exist_ok=True)
    handle = open(START_LOCK, "w")  # noqa: SIM115  (closed by the caller's with)
    fcntl.flock(handle, fcntl.LOCK_EX)
    return handle


def start() -> tuple[str, bool]:
    """A superuser URL for a running server, and whether this call started it.

    Parallel test workers (pytest-xdist) call this at once: a lock file lets
    one of them create and start the server while the others wait for it.
    The server is left running; the tests use `acquire()` and `release()`.
    """
    with _start_lock():
        return _start()


def acquire() -> str:
    """Start the server if needed and register this process as using it; a superuser URL."""
    global _users_handle
    with _start_lock():
        url, started = _start()
        if started:
            STARTED_BY_TESTS.write_text(str(_postmaster_pid()))
        if _users_handle is None:
            _users_handle = open(USERS_LOCK, "w")  # noqa: SIM115  (kept open until release())
            fcntl.flock(_users_handle, fcntl.LOCK_SH)
    return url


def release() -> bool:
    """This process no longer uses the server; stop it if no one else does and a test run started it.

    Whether it was stopped. Another user is a process holding the shared lock
    or, for test processes that predate the lock, a live process whose
    database (sait_test_<...>_<pid>) is on the server.
    """
    global _users_handle
    if _users_handle is None:
        return False
    with _start_lock():
        try:
            # Anyone else holding the shared lock makes this fail at once.
            fcntl.flock(_users_handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        finally:
            _users_handle.close()  # closing also lets go of the lock
            _users_handle = None
        if not _port_open() or _other_processes_use_it():
            return False
        try:
            ours = int(STARTED_BY_TESTS.read_text()) == _postmaster_pid()
        except (OSError, ValueError):
            ours = False
        if not ours:
            return False
        stop()
        STARTED_BY_TESTS.unlink(missing_ok=True)
        return True


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _other_processes_use_it() -> bool:
    """Whether another live process has its database on the server; drops those of dead processes."""
    from sqlalchemy import create_engine, text

    admin = create_engine(_url(), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            names = conn.execute(text("SELECT datname FROM pg_database")).scalars().all()
            in_use = False
            for name in names:
                match = RUN_DATABASE.match(name)
                if not match:
                    continue
                pid = int(match.group(1))
                if pid != os.getpid() and _alive(pid):
                    in_use = True
                elif pid != os.getpid():
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return in_use
    finally:
        admin.dispose()


def _postmaster_pid() -> int | None:
    try:
        return int((DATA_DIR / "postmaster.pid").read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return None


def _start() -> tuple[str, bool]:
    if _port_open():
        return _url(), False
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
    return _url(), True


def stop() -> None:
    subprocess.run(
        _as_postgres([_bin("pg_ctl"), "-D", str(DATA_DIR), "-m", "fast", "-w", "stop"]),
        check=False,
        capture_output=True,
    )


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["stop"]:
        stop()
    else:
        print(start()[0])
