"""The demo inspector compares self-assessments with inspections in a real browser, with axe checks."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def inspected_demo(live_app):
    """The demo with its second board and published findings (added here if the demo loader has not)."""
    from sqlalchemy import select

    from app.data.models import Board
    from app.demo.inspection import VALLEYS_BOARD, extend_demo
    from app.extensions import db

    with live_app.app_context():
        if db.session.scalar(select(Board).where(Board.name == VALLEYS_BOARD)) is None:
            extend_demo()
    return VALLEYS_BOARD


def test_the_inspector_reads_the_national_overview_and_a_comparison(browser_page, live_server, sign_in, axe_check, inspected_demo):
    page = browser_page
    sign_in(page, "inspector@demo.example.org")
    page.get_by_role("link", name="National overview: self-assessment against inspection across boards").click()
    expect(page.locator("h1")).to_have_text("National overview")
    expect(page.locator("#boards tbody tr")).to_have_count(2)
    expect(page.locator("#boards img, figure img")).to_have_count(1)
    axe_check(page)

    page.get_by_role("link", name="Over-optimism overall").click()
    expect(page.locator("#boards thead th[aria-sort='descending']")).to_contain_text("Over-optimism overall")
    expect(page.locator("#boards tbody th").first).to_contain_text(inspected_demo)

    page.locator("#boards tbody th a").first.click()
    expect(page.locator("h1")).to_have_text("Self-assessment against inspection")
    expect(page.locator("#domain-comparison")).to_be_visible()
    above = page.locator("#domain-comparison tr[data-above] .app-above-tag").first
    expect(above).to_have_text("Above inspection")
    # The chart image loads under the page's content security policy (an error would fail the test).
    chart = page.locator("figure img.app-chart")
    expect(chart).to_be_visible()
    page.wait_for_function("() => { const chart = document.querySelector('figure img.app-chart'); return chart.complete && chart.naturalWidth > 0; }")
    axe_check(page)


def test_the_inspector_reads_a_challenge_thread(browser_page, live_server, sign_in, axe_check, inspected_demo):
    page = browser_page
    sign_in(page, "inspector@demo.example.org")
    page.goto(f"{live_server}/national-overview?sort=board")
    page.locator("#boards tbody th a").first.click()
    page.locator("#domain-comparison a").first.click()
    page.locator("table[id^='benchmarks-'] a", has_text="comment").first.click()
    expect(page.locator("#comments li").first).to_contain_text("Huw Williams")
    axe_check(page)


def test_the_findings_pages_are_accessible(browser_page, live_server, sign_in, axe_check, inspected_demo):
    page = browser_page
    sign_in(page, "inspector@demo.example.org")
    page.goto(f"{live_server}/national-overview?sort=board")
    page.locator("#boards tbody th a").first.click()
    page.get_by_role("link", name="Read the inspection findings and recommendations").click()
    expect(page.locator("h1")).to_have_text("Inspection findings")
    expect(page.locator("#domain-judgements tbody tr")).to_have_count(5)
    axe_check(page)
    page.goto(page.url + "/judgements")
    expect(page.locator("h1")).to_have_text("Inspection date and domain judgements")
    axe_check(page)
