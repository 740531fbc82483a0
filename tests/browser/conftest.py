"""Browser tests: the app served on 127.0.0.1 and driven by Debian's Chromium.

Playwright drives /usr/bin/chromium (no browser download); axe-core checks
accessibility in the same page. The server runs in a thread of the test
process on a migrated SQLite file with the demo board loaded, so tests sign
in as demo people.
"""

from __future__ import annotations

import itertools
import os
import shutil
import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from app import create_app
from tests.conftest import _config_dict

CHROMIUM = os.environ.get("SAIT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
_fresh_numbers = itertools.count(1)
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def live_app(tmp_path_factory, sqlite_template):
    path = tmp_path_factory.mktemp("browser") / "sait.db"
    shutil.copyfile(sqlite_template, path)
    app = create_app({**_config_dict(), "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "RATELIMIT_ENABLED": False})
    with app.app_context():
        from app.demo import load_demo

        load_demo()
    return app


@pytest.fixture(scope="session")
def live_server(live_app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} not found: `make test` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def browser_context(browser):
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
    yield context
    context.close()


@pytest.fixture
def browser_page(browser_context):
    page = browser_context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    yield page
    # A script error or a CSP violation in the console is a bug.
    assert errors == [], errors


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def sign_in(live_server):
    from app.demo import DEMO_PASSWORD

    def do_sign_in(page, email: str) -> None:
        page.goto(f"{live_server}/sign-in")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server}/")

    return do_sign_in


@pytest.fixture
def axe_check():
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page) -> None:
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
        assert results.violations_count == 0, results.generate_report()

    return check


@pytest.fixture
def fresh_member(live_app):
    """A new member of the demo board, invited to the open round, with nothing answered."""
    from sqlalchemy import select

    from app.auth.passwords import hash_password
    from app.data.framework_store import framework_for_round
    from app.data.models import AssessmentRound, Board, Membership, User
    from app.data.questionnaire import create_response
    from app.demo import DEMO_BOARD, DEMO_PASSWORD
    from app.extensions import db

    number = next(_fresh_numbers)
    with live_app.app_context():
        board = db.session.scalar(select(Board).where(Board.name == DEMO_BOARD))
        assessment_round = db.session.scalar(
            select(AssessmentRound).where(AssessmentRound.board_id == board.id, AssessmentRound.status == "open")
        )
        user = User(email=f"browser{number}@example.org", name=f"Browser Tester {number}", password_hash=hash_password(DEMO_PASSWORD))
        db.session.add(user)
        db.session.flush()
        membership = Membership(user_id=user.id, board_id=board.id, role="member", agency="education")
        db.session.add(membership)
        db.session.flush()
        create_response(assessment_round, membership, framework_for_round(assessment_round))
        db.session.commit()
        return {"email": user.email, "round_id": assessment_round.id, "name": user.name}


