"""The business manager moderates a domain of the demo round in a real browser, checked with axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.config import Config
from app.core.framework import load_framework

pytestmark = pytest.mark.browser
FRAMEWORK = load_framework(Config.SAIT_FRAMEWORK_PATH)
MANAGER = "manager@demo.example.org"


def _open_round_id(page, live_server) -> str:
    """The id of the demo's open round, from the links on the home page."""
    page.goto(f"{live_server}/")
    link = page.locator("table a.govuk-link").first
    return link.get_attribute("href").rstrip("/").rsplit("/", 1)[-1]


def test_moderating_a_domain_with_a_reason(browser_page, live_server, sign_in, axe_check):
    page = browser_page
    sign_in(page, MANAGER)
    round_id = _open_round_id(page, live_server)
    page.goto(f"{live_server}/rounds/{round_id}")
    page.get_by_role("link", name="Moderation: agree the board’s ratings").click()
    expect(page.locator("h1")).to_have_text("Moderation")
    axe_check(page)

    domain = FRAMEWORK.domains[-1]
    benchmark = domain.benchmarks[0]
    page.get_by_role("link", name=domain.title.get()).click()
    expect(page.locator("h1")).to_have_text(domain.title.get())
    section = page.locator(f"#benchmark-{benchmark.id.replace('.', '_')}")
    expect(section.locator("table caption").nth(1)).to_have_text("Members’ ratings and evidence, by agency")
    axe_check(page)

    # "Not known" is never the members' median, so a reason is required.
    section.get_by_role("radio", name="Not known").check()
    page.get_by_role("button", name="Save agreed ratings").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the reason the agreed rating for ‘")
    expect(page).to_have_title(f"Error: Moderate: {domain.title.get()} – Safeguarding board self-assessment")
    axe_check(page)

    summary.get_by_role("link", name=re.compile("^Enter the reason the agreed rating for ‘")).first.click()
    expect(section.get_by_label("Reason for the agreed rating")).to_be_focused()
    section.get_by_label("Reason for the agreed rating").fill("Members could not show evidence for this: the board will audit it first.")
    page.get_by_role("button", name="Save agreed ratings").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Agreed ratings for ‘{domain.title.get()}’ were saved.")
    expect(page.locator("h1")).to_have_text("Moderation")
    row = page.locator("#moderation-domains tbody tr").last
    expect(row).to_contain_text("1 of")


def test_results_page_with_its_chart_is_accessible(browser_page, live_server, sign_in, axe_check):
    page = browser_page
    sign_in(page, MANAGER)
    round_id = _open_round_id(page, live_server)
    page.goto(f"{live_server}/rounds/{round_id}/results")
    expect(page.locator("h1")).to_have_text("Results")
    chart = page.locator("img.app-chart")
    expect(chart).to_be_visible()
    assert page.evaluate("() => document.querySelector('img.app-chart').naturalWidth") > 0
    axe_check(page)


def test_answering_a_flag_on_the_flags_page(browser_page, live_server, sign_in, axe_check):
    page = browser_page
    sign_in(page, MANAGER)
    round_id = _open_round_id(page, live_server)
    page.goto(f"{live_server}/rounds/{round_id}/flags")
    expect(page.locator("h1")).to_have_text("Rigour flags")
    axe_check(page)

    entry = page.locator("#open-flags li[data-flag]").first
    key = entry.get_attribute("id")
    entry.get_by_role("radio", name="Explained").check()
    page.get_by_role("button", name="Save responses").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter why the rating stands despite")
    axe_check(page)

    summary.locator("a").first.click()
    reason = page.locator(f"#{key}-reason")
    expect(reason).to_be_focused()
    reason.fill("The partner sent its figures after the round closed; they are in the register.")
    page.get_by_role("button", name="Save responses").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("1 response was saved.")
    expect(page.locator(f"#answered-flags #{key} [data-response]")).to_contain_text("Explained")
    axe_check(page)


def test_the_action_form_with_its_measure_is_accessible(browser_page, live_server, sign_in, axe_check):
    page = browser_page
    sign_in(page, MANAGER)
    round_id = _open_round_id(page, live_server)
    page.goto(f"{live_server}/rounds/{round_id}/actions/new")
    expect(page.locator("h1")).to_have_text("Add an action")
    page.get_by_role("button", name="Save action").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the baseline: where the measure stands now")
    axe_check(page)
    page.goto(f"{live_server}/rounds/{round_id}/actions")
    expect(page.locator("[data-measure]").first).to_be_visible()
    axe_check(page)
