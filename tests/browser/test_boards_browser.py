"""The administrator sets up a regional board and its own partners in a real browser; every page passes axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_an_administrator_sets_up_a_regional_board_and_its_partners(browser_page, live_server, sign_in, axe_check):
    page = browser_page
    sign_in(page, "admin@demo.example.org")
    page.goto(f"{live_server}/admin/boards/new")
    axe_check(page)
    page.get_by_label("Board name", exact=True).fill("Bae'r Gorllewin Browser Board")
    page.get_by_role("group", name="Nation").get_by_label("Wales").check()
    page.get_by_label("Regional safeguarding board").check()
    page.get_by_label("Local authorities the board covers").fill("Bridgend\nNeath Port Talbot\nSwansea")
    page.get_by_role("button", name="Create board").click()

    page.wait_for_url(re.compile(r"/boards/\d+/members$"))
    about = page.locator("#board-details")
    expect(about).to_contain_text("Regional safeguarding board (Wales)")
    expect(about).to_contain_text("Neath Port Talbot")
    axe_check(page)

    page.get_by_role("link", name="Change the board’s details and partners").click()
    axe_check(page)
    partners = page.get_by_role("group", name="Partner agencies")
    partners.get_by_label("Probation").uncheck()
    partners.get_by_label("Housing").check()
    page.get_by_role("button", name="Save board details").click()

    # Probation is still marked statutory: refused, the summary names the field and links to it.
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("A statutory partner must also be a partner agency: Probation")
    axe_check(page)
    summary.get_by_role("link").click()
    expect(page.get_by_role("group", name="Statutory partners").get_by_label("Local authority children's services")).to_be_focused()
    page.get_by_role("group", name="Statutory partners").get_by_label("Probation").uncheck()
    page.get_by_role("button", name="Save board details").click()

    expect(page.locator(".govuk-notification-banner")).to_contain_text("have been saved")
    page.get_by_role("link", name="Members and invitations").click()
    expect(page.locator("#board-details")).to_contain_text("Housing")
    expect(page.locator("#board-details").locator("dd").nth(2)).not_to_contain_text("Probation")
