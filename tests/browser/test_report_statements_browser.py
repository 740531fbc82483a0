"""The business manager writes the board's statements and records its approval, in a real browser, checked with axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_moderation_browser import MANAGER, _open_round_id

pytestmark = pytest.mark.browser


def test_writing_the_board_s_statements_and_recording_its_approval(browser_page, live_server, sign_in, axe_check):
    page = browser_page
    sign_in(page, MANAGER)
    round_id = _open_round_id(page, live_server)
    page.goto(f"{live_server}/rounds/{round_id}")
    page.get_by_role("link", name="Write the board’s statements and record its approval of the report").click()
    expect(page.locator("h1")).to_have_text("The board’s statements")
    axe_check(page)

    capacity = page.get_by_label("‘Building capacity’: what the ratings mean for children", exact=False)
    capacity.fill("Training reaches every agency; we cannot yet show it changes practice.")
    page.get_by_role("button", name="Save the board’s statements").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The board’s statements were saved.")
    axe_check(page)

    # A refused approval: the error summary names the fields and passes axe.
    page.get_by_role("button", name="Record the board’s approval").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date the board approved the report")
    axe_check(page)
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("12")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("The chair’s name").fill("Dr Eleri Price")
    page.get_by_role("button", name="Record the board’s approval").click()
    expect(page.locator("#sign-off")).to_contain_text("Dr Eleri Price")
    axe_check(page)
