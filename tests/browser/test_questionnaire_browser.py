"""A member answers the questionnaire in a real browser, with and without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.config import Config
from app.core.framework import load_framework

pytestmark = pytest.mark.browser
FRAMEWORK = load_framework(Config.SAIT_FRAMEWORK_PATH)


def _benchmark_block(page, benchmark):
    return page.locator(f"[data-benchmark-id='{benchmark.id}']")


def test_answering_a_domain_and_moving_on(browser_page, live_server, sign_in, fresh_member, axe_check):
    page = browser_page
    sign_in(page, fresh_member["email"])
    page.goto(f"{live_server}/rounds/{fresh_member['round_id']}/respond")
    expect(page.locator("h1")).to_have_text("Self-assessment " + page.locator("h1").inner_text().split()[-1])
    axe_check(page)
    first = FRAMEWORK.domains[0]
    page.get_by_role("link", name=first.title.get()).click()
    expect(page.locator("h1")).to_have_text(first.title.get())
    axe_check(page)
    for benchmark in first.benchmarks:
        block = _benchmark_block(page, benchmark)
        block.get_by_label("Good", exact=True).check()
        block.get_by_label("Evidence for your rating").fill(f"Audit evidence for {benchmark.id}")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("h1")).to_have_text(FRAMEWORK.domains[1].title.get())
    expect(page.locator(".govuk-notification-banner")).to_contain_text("were saved at")
    page.goto(f"{live_server}/rounds/{fresh_member['round_id']}/respond")
    expect(page.locator(".govuk-task-list__status").first).to_have_text("Completed")


def test_autosave_then_reload_keeps_the_answer(browser_page, live_server, sign_in, fresh_member):
    page = browser_page
    sign_in(page, fresh_member["email"])
    domain = FRAMEWORK.domains[2]
    benchmark = domain.benchmarks[1]
    page.goto(f"{live_server}/rounds/{fresh_member['round_id']}/respond/{domain.id}")
    block = _benchmark_block(page, benchmark)
    block.get_by_label("Requires improvement", exact=True).check()
    expect(page.locator("#autosave-status")).to_have_text(re.compile(r"Saved at \d\d:\d\d"))
    block.get_by_label("Evidence for your rating").fill("Typed and never saved with a button")
    expect(block.locator("[data-last-changed]")).to_contain_text(fresh_member["name"])
    page.wait_for_function(
        f"() => document.querySelector(\"[data-benchmark-id='{benchmark.id}'] [data-version]\").value === '3'"
    )
    page.reload()
    block = _benchmark_block(page, benchmark)
    expect(block.get_by_label("Requires improvement", exact=True)).to_be_checked()
    expect(block.get_by_label("Evidence for your rating")).to_have_value("Typed and never saved with a button")


def test_without_javascript_the_buttons_save_everything(no_js_page, live_server, sign_in, fresh_member):
    page = no_js_page
    sign_in(page, fresh_member["email"])
    domain = FRAMEWORK.domains[1]
    benchmark = domain.benchmarks[0]
    page.goto(f"{live_server}/rounds/{fresh_member['round_id']}/respond/{domain.id}")
    block = _benchmark_block(page, benchmark)
    block.get_by_label("Not known", exact=True).check()
    block.get_by_label("Evidence for your rating").fill("No data yet from partners")
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your answers were saved at")
    page.goto(f"{live_server}/rounds/{fresh_member['round_id']}/respond/{domain.id}")
    block = _benchmark_block(page, benchmark)
    expect(block.get_by_label("Not known", exact=True)).to_be_checked()
    expect(block.get_by_label("Evidence for your rating")).to_have_value("No data yet from partners")


def test_check_answers_and_submit(browser_page, live_server, sign_in, fresh_member, axe_check):
    page = browser_page
    sign_in(page, fresh_member["email"])
    round_id = fresh_member["round_id"]
    page.goto(f"{live_server}/rounds/{round_id}/respond/check")
    page.get_by_role("button", name="Submit self-assessment").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe_check(page)
    for domain in FRAMEWORK.domains:
        page.goto(f"{live_server}/rounds/{round_id}/respond/{domain.id}")
        for benchmark in domain.benchmarks:
            _benchmark_block(page, benchmark).get_by_label("Requires improvement", exact=True).check()
        page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("h1")).to_have_text("Check your answers")
    axe_check(page)
    page.get_by_role("button", name="Submit self-assessment").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Self-assessment submitted")
    page.goto(f"{live_server}/rounds/{round_id}/respond/{FRAMEWORK.domains[0].id}")
    expect(page.get_by_role("button", name="Save and continue")).to_have_count(0)


def test_citing_the_evidence_register_is_autosaved(browser_page, live_server, sign_in, fresh_member, axe_check):
    page = browser_page
    sign_in(page, fresh_member["email"])
    domain = FRAMEWORK.domains[1]
    benchmark = domain.benchmarks[0]
    page.goto(f"{live_server}/rounds/{fresh_member['round_id']}/respond/{domain.id}")
    block = _benchmark_block(page, benchmark)
    register = block.locator("details[data-register]")
    register.locator("summary").click()
    first_item = register.locator("input[type=checkbox]").first
    title = register.locator(".govuk-checkboxes__label").first.inner_text()
    axe_check(page)
    first_item.check()
    expect(page.locator("#autosave-status")).to_have_text(re.compile(r"Saved at \d\d:\d\d"))
    page.wait_for_function(
        f"() => document.querySelector(\"[data-benchmark-id='{benchmark.id}'] [data-version]\").value === '2'"
    )
    page.reload()
    register = _benchmark_block(page, benchmark).locator("details[data-register]")
    expect(register).to_have_attribute("open", "")
    expect(register.get_by_label(title, exact=True)).to_be_checked()
