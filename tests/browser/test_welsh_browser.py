"""Switching to Cymraeg in a real browser: nothing typed is lost, and the Welsh pages pass axe."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from app.config import Config
from app.core.framework import load_framework

pytestmark = pytest.mark.browser
FRAMEWORK = load_framework(Config.SAIT_FRAMEWORK_PATH)


def _benchmark_block(page, benchmark):
    return page.locator(f"[data-benchmark-id='{benchmark.id}']")


def _label(level_id: str, lang: str) -> str:
    return FRAMEWORK.scale.level(level_id).label.get(lang)


def _slowly(route) -> None:
    time.sleep(0.8)
    route.continue_()


def test_switching_language_keeps_what_was_typed(browser_page, live_server, sign_in, fresh_member, axe_check):
    page = browser_page
    sign_in(page, fresh_member["email"])
    domain = FRAMEWORK.domains[1]
    first, second = domain.benchmarks[0], domain.benchmarks[1]
    page.goto(f"{live_server}/rounds/{fresh_member['round_id']}/respond/{domain.id}")

    # A rating, saved in the background before the switch.
    _benchmark_block(page, first).get_by_label(_label("good", "en"), exact=True).check()
    _benchmark_block(page, first).get_by_label("Evidence for your rating").fill("Audit of 20 cases, March")
    expect(page.locator("#autosave-status")).to_have_text(re.compile(r"Saved at \d\d:\d\d"))
    # Text typed a moment before following the link, on a slow connection: the
    # link waits for the background save instead of leaving the page under it.
    page.route("**/autosave", _slowly)
    _benchmark_block(page, second).get_by_label(_label("requires_improvement", "en"), exact=True).check()
    _benchmark_block(page, second).get_by_label("Evidence for your rating").fill("Typed just before switching to Welsh")
    page.locator(".app-language-select").get_by_role("link", name="Cymraeg").click()

    page.wait_for_url(re.compile(rf"/respond/{domain.id}$"))
    page.unroute("**/autosave")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.locator("h1")).to_have_text(domain.title.get("cy"))
    block = _benchmark_block(page, first)
    expect(block.locator("h2")).to_have_text(f"1. {first.title.get('cy')}")
    expect(block.get_by_label(_label("good", "cy"), exact=True)).to_be_checked()
    expect(block.get_by_label("Tystiolaeth ar gyfer eich gradd")).to_have_value("Audit of 20 cases, March")
    block = _benchmark_block(page, second)
    expect(block.get_by_label(_label("requires_improvement", "cy"), exact=True)).to_be_checked()
    expect(block.get_by_label("Tystiolaeth ar gyfer eich gradd")).to_have_value("Typed just before switching to Welsh")
    axe_check(page)

    # The same the other way, with the Welsh confirmation of the background save.
    block.get_by_label("Tystiolaeth ar gyfer eich gradd").fill("Wedi’i ysgrifennu yn Gymraeg: ŵ ŷ")
    expect(page.locator("#autosave-status")).to_have_text(re.compile(r"Cadwyd am \d\d:\d\d"))
    page.locator(".app-language-select").get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(rf"/respond/{domain.id}$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(_benchmark_block(page, second).get_by_label("Evidence for your rating")).to_have_value("Wedi’i ysgrifennu yn Gymraeg: ŵ ŷ")


def test_welsh_pages_pass_the_accessibility_check(browser_page, live_server, sign_in, axe_check):
    page = browser_page
    sign_in(page, "manager@demo.example.org")
    page.locator(".app-language-select").get_by_role("link", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.locator("h1")).to_have_text("Eich byrddau")
    axe_check(page)
    page.get_by_role("link", name=re.compile("^Hunanasesiad")).first.click()
    expect(page.locator("h2", has_text="Pwy sydd wedi ymateb")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Cymedroli: cytuno ar raddau’r bwrdd").click()
    expect(page.locator("h1")).to_have_text("Cymedroli")
    axe_check(page)
    page.get_by_role("link", name=FRAMEWORK.domains[0].title.get("cy")).click()
    expect(page.locator("h1")).to_have_text(FRAMEWORK.domains[0].title.get("cy"))
    axe_check(page)
    page.get_by_role("link", name="Yn ôl i’r cymedroli").click()
    page.get_by_role("link", name="Gweld holl faneri trylwyredd y cylch").click()
    expect(page.locator("h1")).to_have_text("Baneri trylwyredd")
    axe_check(page)


def test_a_member_does_the_whole_self_assessment_in_cymraeg(browser_page, live_server, sign_in, fresh_member, axe_check):
    page = browser_page
    sign_in(page, fresh_member["email"])
    page.locator(".app-language-select").get_by_role("link", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    round_id = fresh_member["round_id"]
    page.goto(f"{live_server}/rounds/{round_id}/respond")
    axe_check(page)
    for number, domain in enumerate(FRAMEWORK.domains):
        if number == 0:
            page.get_by_role("link", name=domain.title.get("cy")).click()
        else:
            page.goto(f"{live_server}/rounds/{round_id}/respond/{domain.id}")
        expect(page.locator("h1")).to_have_text(domain.title.get("cy"))
        for benchmark in domain.benchmarks:
            block = _benchmark_block(page, benchmark)
            # The question and the four descriptors to choose between are the framework's Welsh.
            expect(block.locator("legend").first).to_contain_text(benchmark.question.get("cy"))
            for level in FRAMEWORK.scale.levels:
                radio = block.get_by_label(level.label.get("cy"), exact=True)
                hint = block.locator(f"#{radio.get_attribute('aria-describedby')}")
                expect(hint).to_have_text(benchmark.descriptors[level.id].get("cy"))
            block.get_by_label(_label("requires_improvement", "cy"), exact=True).check()
        if number == 0:
            first = _benchmark_block(page, domain.benchmarks[0])
            first.get_by_label("Tystiolaeth ar gyfer eich gradd").fill("Archwiliad o 20 achos ar y cyd: ŵ ŷ")
            expect(page.locator("#autosave-status")).to_have_text(re.compile(r"Cadwyd am \d\d:\d\d"))
            axe_check(page)
        page.get_by_role("button", name="Cadw a pharhau").click()
    expect(page.locator("h1")).to_have_text("Gwirio eich atebion")
    expect(page.locator("main")).to_contain_text("Archwiliad o 20 achos ar y cyd: ŵ ŷ")
    axe_check(page)
    page.get_by_role("button", name="Cyflwyno’r hunanasesiad").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Hunanasesiad wedi’i gyflwyno")
    axe_check(page)


def test_the_inspector_works_in_cymraeg_and_the_pages_pass_axe(browser_page, live_server, sign_in, axe_check):
    from app.core.catalogue import translations
    from app.demo.inspection import VALLEYS_BOARD_CY  # the demo's inspected board

    cy = translations("cy").gettext
    page = browser_page
    sign_in(page, "inspector@demo.example.org")
    page.locator(".app-language-select").get_by_role("link", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    axe_check(page)
    page.get_by_role("link", name=cy("National overview: self-assessment against inspection across boards")).click()
    expect(page.locator("h1")).to_have_text(cy("National overview"))
    expect(page.locator("#boards tbody th", has_text=VALLEYS_BOARD_CY)).to_have_count(1)  # the board's Welsh name
    axe_check(page)
    page.locator("#boards tbody th a", has_text=VALLEYS_BOARD_CY).click()
    expect(page.locator("h1")).to_have_text(cy("Self-assessment against inspection"))
    axe_check(page)
    page.locator("#domain-comparison a").first.click()
    axe_check(page)
    page.go_back()
    page.get_by_role("link", name=cy("Read the inspection findings and recommendations")).click()
    expect(page.locator("h1")).to_have_text(cy("Inspection findings"))
    axe_check(page)
    for tail in ("/judgements", "/overall"):
        page.goto(page.url.split("/inspection")[0] + "/inspection" + tail)
        expect(page.locator("html")).to_have_attribute("lang", "cy")
        axe_check(page)


def test_the_administrator_s_pages_in_cymraeg_pass_axe(browser_page, live_server, sign_in, axe_check):
    page = browser_page
    sign_in(page, "admin@demo.example.org")
    page.locator(".app-language-select").get_by_role("link", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    axe_check(page)
    for path in ("/admin/boards", "/admin/boards/new", "/admin/accounts", "/admin/audit"):
        page.goto(f"{live_server}{path}")
        expect(page.locator("html")).to_have_attribute("lang", "cy")
        axe_check(page)
    # A board, listed by its Welsh name, and its members.
    page.goto(f"{live_server}/admin/boards")
    page.get_by_role("link", name="Bwrdd Diogelu Plant y Demo").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    axe_check(page)
