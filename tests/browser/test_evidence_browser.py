"""The business manager keeps the demo board's evidence register in a real browser, checked with axe."""

from __future__ import annotations

import itertools
import re
import uuid

import pytest
from playwright.sync_api import expect

from app.config import Config
from app.core.framework import load_framework
from app.core.vocabulary import EVIDENCE_KINDS

pytestmark = pytest.mark.browser
FRAMEWORK = load_framework(Config.SAIT_FRAMEWORK_PATH)
MANAGER = "manager@demo.example.org"
_numbers = itertools.count(1)


def _unique_title(what: str) -> str:
    """A title no other test (or earlier run on the same database) uses, so each test finds its own item."""
    return f"{what} {next(_numbers)}-{uuid.uuid4().hex[:8]}"


def _domain_group_name(index: int) -> str:
    """A domain's fieldset legend on the form: "2. Title" (as the form's subject_groups numbers them)."""
    return f"{index + 1}. {FRAMEWORK.domains[index].title.get()}"


def _benchmark_label(domain_index: int, benchmark_index: int) -> str:
    """A benchmark's checkbox label: "2.1 Title"."""
    benchmark = FRAMEWORK.domains[domain_index].benchmarks[benchmark_index]
    return f"{domain_index + 1}.{benchmark.number} {benchmark.title.get()}"


def _open_register(page, live_server) -> None:
    """From the home page to the demo board's register, by the open round's links."""
    page.goto(f"{live_server}/")
    page.locator("table a.govuk-link").first.click()
    page.get_by_role("link", name="Evidence register", exact=True).click()
    expect(page.locator("h1")).to_have_text("Evidence register")


def _open_new_form(page, live_server) -> None:
    _open_register(page, live_server)
    page.get_by_role("button", name="Add evidence").click()  # a GOV.UK button link: role="button"
    expect(page.locator("h1")).to_have_text("Add evidence")


def _date(page, legend: str):
    """The Day, Month and Year boxes of the date whose fieldset is named ``legend``."""
    group = page.get_by_role("group", name=legend, exact=True)
    return group.get_by_label("Day", exact=True), group.get_by_label("Month", exact=True), group.get_by_label("Year", exact=True)


def _fill_date(page, legend: str, day: str, month: str, year: str) -> None:
    for box, value in zip(_date(page, legend), (day, month, year), strict=True):
        box.fill(value)


def _expect_date(page, legend: str, day: str, month: str, year: str) -> None:
    for box, value in zip(_date(page, legend), (day, month, year), strict=True):
        expect(box).to_have_value(value)


def _fill_valid_item(page, title: str, subjects: list[str], kind: str = "Audit") -> None:
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Source agency").select_option(label="Police")
    _fill_date(page, "Date of the evidence", "12", "3", "2026")
    for subject in subjects:
        page.get_by_role("checkbox", name=subject, exact=True).check()
    page.get_by_role("radio", name=kind, exact=True).check()
    _fill_date(page, "Start of the period it covers (optional)", "1", "4", "2025")
    _fill_date(page, "End of the period it covers (optional)", "31", "3", "2026")
    page.get_by_label("What it shows about the difference for children").fill("Fewer children waited more than a week for a strategy meeting.")
    page.get_by_label("Reference (optional)").fill("Board minutes, 12 March 2026, item 4")


def _card(page, title: str):
    """The register's summary card for the item titled ``title``."""
    return page.locator(".govuk-summary-card").filter(has=page.get_by_role("heading", name=title, exact=True))


def _row_value(card, key: str):
    return (
        card.locator(".govuk-summary-list__row")
        .filter(has=card.page.locator(".govuk-summary-list__key", has_text=re.compile(f"^\\s*{re.escape(key)}\\s*$")))
        .locator(".govuk-summary-list__value")
    )


def _expect_subjects(card, subjects: list[str]) -> None:
    """The card's "About" row lists exactly these subjects (in the register's order, which is by subject id)."""
    about = _row_value(card, "About").get_by_role("listitem")
    expect(about).to_have_count(len(subjects))
    for subject in subjects:
        expect(about.filter(has_text=re.compile(f"^{re.escape(subject)}$"))).to_have_count(1)


def test_the_register_and_the_empty_form_are_accessible(browser_page, live_server, sign_in, axe_check):
    page = browser_page
    sign_in(page, MANAGER)
    _open_register(page, live_server)
    axe_check(page)
    _open_new_form(page, live_server)
    expect(page).to_have_title("Add evidence – Safeguarding board self-assessment")
    expect(page.get_by_label("Title", exact=True)).to_have_value("")
    expect(page.get_by_role("checkbox", checked=True)).to_have_count(0)
    expect(page.get_by_role("radio", checked=True)).to_have_count(0)
    axe_check(page)


def test_errors_are_summarised_linked_and_keep_what_was_typed(browser_page, live_server, sign_in, axe_check):
    page = browser_page
    sign_in(page, MANAGER)
    _open_new_form(page, live_server)
    first_subject, second_subject = _benchmark_label(0, 0), _benchmark_label(1, 0)
    # No title, the evidence date typed in part (no month), the period's end before its start.
    page.get_by_label("Source agency").select_option(label="Police")
    _fill_date(page, "Date of the evidence", "12", "", "2026")
    page.get_by_role("checkbox", name=first_subject, exact=True).check()
    page.get_by_role("checkbox", name=second_subject, exact=True).check()
    page.get_by_role("radio", name="Feedback from children and families", exact=True).check()
    _fill_date(page, "Start of the period it covers (optional)", "1", "4", "2025")
    _fill_date(page, "End of the period it covers (optional)", "1", "3", "2025")
    page.get_by_label("What it shows about the difference for children").fill("Young people said they knew who to talk to.")
    page.get_by_label("Reference (optional)").fill("Youth forum survey, February 2026")
    page.get_by_role("button", name="Save evidence").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("There is a problem")
    expect(page).to_have_title("Error: Add evidence – Safeguarding board self-assessment")
    title_error = summary.get_by_role("link", name="Enter a title for the evidence", exact=True)
    date_error = summary.get_by_role("link", name="Date of the evidence must be a real date, like 12 3 2026", exact=True)
    period_error = summary.get_by_role("link", name="End of the period must be the same as or after the start", exact=True)
    for link in (title_error, date_error, period_error):
        expect(link).to_be_visible()
    expect(summary.get_by_role("link")).to_have_count(3)
    # Each field shows its own error too, and is described by it.
    expect(page.get_by_label("Title", exact=True)).to_have_accessible_description(re.compile(r"Error:\s+Enter a title for the evidence"))
    axe_check(page)

    # What was typed is kept: the ticked subjects, the chosen kind, the dates (the part-typed one as typed) and the text.
    expect(page.get_by_role("checkbox", name=first_subject, exact=True)).to_be_checked()
    expect(page.get_by_role("checkbox", name=second_subject, exact=True)).to_be_checked()
    expect(page.get_by_role("checkbox", checked=True)).to_have_count(2)
    expect(page.get_by_role("radio", name="Feedback from children and families", exact=True)).to_be_checked()
    expect(page.get_by_role("radio", checked=True)).to_have_count(1)
    expect(page.get_by_label("Source agency")).to_have_value("police")
    _expect_date(page, "Date of the evidence", "12", "", "2026")
    _expect_date(page, "Start of the period it covers (optional)", "1", "4", "2025")
    _expect_date(page, "End of the period it covers (optional)", "1", "3", "2025")
    expect(page.get_by_label("What it shows about the difference for children")).to_have_value("Young people said they knew who to talk to.")
    expect(page.get_by_label("Reference (optional)")).to_have_value("Youth forum survey, February 2026")

    # The summary's links move focus to the field with the problem.
    title_error.click()
    expect(page.get_by_label("Title", exact=True)).to_be_focused()
    date_error.click()
    expect(_date(page, "Date of the evidence")[0]).to_be_focused()
    period_error.click()
    expect(_date(page, "End of the period it covers (optional)")[0]).to_be_focused()

    # Putting them right saves the item.
    title = _unique_title("Youth forum survey")
    page.get_by_label("Title", exact=True).fill(title)
    _fill_date(page, "Date of the evidence", "12", "2", "2026")
    _fill_date(page, "End of the period it covers (optional)", "28", "2", "2026")
    page.get_by_role("button", name="Save evidence").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"‘{title}’ was added to the evidence register.")
    expect(_card(page, title)).to_have_count(1)


def test_errors_for_the_subjects_and_the_kind_link_to_their_first_box(browser_page, live_server, sign_in, axe_check):
    page = browser_page
    sign_in(page, MANAGER)
    _open_new_form(page, live_server)
    page.get_by_label("Title", exact=True).fill(_unique_title("Untagged audit"))
    page.get_by_role("button", name="Save evidence").click()
    summary = page.locator(".govuk-error-summary")
    subjects_error = summary.get_by_role("link", name="Select at least one benchmark or domain the evidence is about", exact=True)
    kind_error = summary.get_by_role("link", name="Select the kind of evidence", exact=True)
    expect(subjects_error).to_be_visible()
    expect(kind_error).to_be_visible()
    axe_check(page)
    subjects_error.click()
    expect(page.get_by_role("checkbox").first).to_be_focused()
    kind_error.click()
    expect(page.get_by_role("radio").first).to_be_focused()
    expect(page.get_by_label("Title", exact=True)).to_have_value(re.compile("^Untagged audit "))


def test_a_saved_item_shows_in_the_register_and_stays_ticked_when_changed(browser_page, live_server, sign_in, axe_check):
    page = browser_page
    sign_in(page, MANAGER)
    _open_new_form(page, live_server)
    title = _unique_title("Multi-agency audit of neglect cases")
    # Two subjects in two domains: a benchmark of the first, and the whole of the second.
    benchmark = _benchmark_label(0, 1)
    whole_domain = f"{_domain_group_name(1)}: the whole domain"
    _fill_valid_item(page, title, [benchmark, whole_domain], kind="Audit")
    page.get_by_role("button", name="Save evidence").click()

    expect(page.locator("h1")).to_have_text("Evidence register")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"‘{title}’ was added to the evidence register.")
    card = _card(page, title)
    expect(card).to_have_count(1)
    expect(_row_value(card, "Kind")).to_have_text("Audit")
    expect(_row_value(card, "Period covered")).to_have_text("1 April 2025 to 31 March 2026")
    expect(_row_value(card, "Date")).to_have_text("12 March 2026")
    expect(_row_value(card, "Source agency")).to_have_text("Police")
    _expect_subjects(card, [benchmark, whole_domain])
    axe_check(page)

    card.get_by_role("link", name=re.compile("^Change")).click()
    expect(page.locator("h1")).to_have_text("Change evidence")
    expect(page.get_by_label("Title", exact=True)).to_have_value(title)
    expect(page.get_by_role("checkbox", name=benchmark, exact=True)).to_be_checked()
    expect(page.get_by_role("checkbox", name=whole_domain, exact=True)).to_be_checked()
    expect(page.get_by_role("checkbox", checked=True)).to_have_count(2)
    expect(page.get_by_role("radio", name="Audit", exact=True)).to_be_checked()
    _expect_date(page, "Start of the period it covers (optional)", "01", "04", "2025")
    _expect_date(page, "End of the period it covers (optional)", "31", "03", "2026")
    axe_check(page)

    # Changing the kind and dropping a subject is saved too.
    page.get_by_role("checkbox", name=whole_domain, exact=True).uncheck()
    page.get_by_role("radio", name="Practitioners’ views", exact=True).check()
    page.get_by_role("button", name="Save evidence").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The evidence was saved.")
    card = _card(page, title)
    expect(_row_value(card, "Kind")).to_have_text("Practitioners’ views")
    _expect_subjects(card, [benchmark])


def test_each_domain_is_a_named_group_and_the_boxes_work_from_the_keyboard(browser_page, live_server, sign_in):
    page = browser_page
    sign_in(page, MANAGER)
    _open_new_form(page, live_server)
    subjects = page.get_by_role("group", name="What it is about", exact=True)
    expect(subjects).to_have_count(1)
    for index, domain in enumerate(FRAMEWORK.domains):
        # Each domain's checkboxes are a group (a fieldset) named by its legend, the domain's title, inside "What it is about".
        group = subjects.get_by_role("group", name=_domain_group_name(index), exact=True)
        expect(group).to_have_count(1)
        expect(group.get_by_role("checkbox")).to_have_count(1 + len(domain.benchmarks))
        expect(group.get_by_role("checkbox", name=f"{_domain_group_name(index)}: the whole domain", exact=True)).to_have_count(1)
        for number in range(len(domain.benchmarks)):
            expect(group.get_by_role("checkbox", name=_benchmark_label(index, number), exact=True)).to_have_count(1)
    expect(subjects.get_by_role("group")).to_have_count(len(FRAMEWORK.domains))
    expect(page.get_by_role("group", name="Kind of evidence", exact=True).get_by_role("radio")).to_have_count(len(EVIDENCE_KINDS))

    # Tab reaches the boxes in order, and Space ticks one.
    second_domain = page.get_by_role("group", name=_domain_group_name(1), exact=True)
    whole = second_domain.get_by_role("checkbox").first
    whole.focus()
    page.keyboard.press("Space")
    expect(whole).to_be_checked()
    page.keyboard.press("Tab")
    expect(second_domain.get_by_role("checkbox").nth(1)).to_be_focused()
    page.keyboard.press("Space")
    expect(second_domain.get_by_role("checkbox").nth(1)).to_be_checked()
    page.keyboard.press("Space")
    expect(second_domain.get_by_role("checkbox").nth(1)).not_to_be_checked()

    # The kind radios: the arrow keys move the choice within the group.
    kinds = page.get_by_role("group", name="Kind of evidence", exact=True).get_by_role("radio")
    kinds.first.focus()
    page.keyboard.press("Space")
    expect(kinds.first).to_be_checked()
    page.keyboard.press("ArrowDown")
    expect(kinds.nth(1)).to_be_checked()
    expect(kinds.nth(1)).to_be_focused()
    expect(page.get_by_role("radio", checked=True)).to_have_count(1)


def test_without_javascript_the_form_shows_its_errors_and_saves(no_js_page, live_server, sign_in):
    page = no_js_page
    sign_in(page, MANAGER)
    _open_new_form(page, live_server)
    title = _unique_title("Performance report without scripts")
    first_subject, second_subject = _benchmark_label(0, 0), _benchmark_label(2, 0)
    _fill_valid_item(page, title, [first_subject, second_subject], kind="Performance data with commentary")
    page.get_by_label("Title", exact=True).fill("")
    page.get_by_role("button", name="Save evidence").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name="Enter a title for the evidence", exact=True)).to_have_attribute("href", "#title")
    expect(summary.get_by_role("link")).to_have_count(1)
    expect(page.get_by_role("checkbox", name=first_subject, exact=True)).to_be_checked()
    expect(page.get_by_role("checkbox", name=second_subject, exact=True)).to_be_checked()
    expect(page.get_by_role("radio", name="Performance data with commentary", exact=True)).to_be_checked()

    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_role("button", name="Save evidence").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"‘{title}’ was added to the evidence register.")
    card = _card(page, title)
    expect(_row_value(card, "Kind")).to_have_text("Performance data with commentary")
    expect(_row_value(card, "Period covered")).to_have_text("1 April 2025 to 31 March 2026")
    _expect_subjects(card, [first_subject, second_subject])
    card.get_by_role("link", name=re.compile("^Change")).click()
    expect(page.get_by_role("checkbox", name=first_subject, exact=True)).to_be_checked()
    expect(page.get_by_role("checkbox", name=second_subject, exact=True)).to_be_checked()
