"""An action's progress against its measure: compared only when the values are numbers."""

from __future__ import annotations

from datetime import date

import pytest

from app.core.measures import as_number, measure_progress

TODAY = date(2026, 12, 3)


@pytest.mark.parametrize(
    ("text", "number"),
    [("58%", 58.0), (" 80 % ", 80.0), ("4.5", 4.5), ("4,5", 4.5), ("12 of 20", None), ("", None), (None, None), ("80% by March", None)],
)
def test_only_plain_numbers_parse(text, number):
    assert as_number(text) == number


def test_a_rising_target_is_met_when_the_latest_reading_reaches_it():
    assert measure_progress("58%", "80%", date(2027, 3, 31), "81%", TODAY).met is True
    progress = measure_progress("58%", "80%", date(2027, 3, 31), "64%", TODAY)
    assert progress.met is False and not progress.target_date_passed and not progress.overdue


def test_a_falling_target_is_met_by_going_down():
    assert measure_progress("30", "10", date(2027, 3, 31), "9", TODAY).met is True
    assert measure_progress("30", "10", date(2027, 3, 31), "12", TODAY).met is False


def test_a_target_date_passed_without_the_target_met_is_overdue():
    progress = measure_progress("58%", "80%", date(2026, 11, 30), "70%", TODAY)
    assert progress.target_date_passed and progress.met is False and progress.overdue
    # No reading since the baseline: judged on the baseline.
    assert measure_progress("58%", "80%", date(2026, 11, 30), None, TODAY).overdue
    assert not measure_progress("58%", "80%", date(2026, 11, 30), "80%", TODAY).overdue


def test_text_values_are_not_compared_except_for_the_same_words():
    progress = measure_progress("Some audits", "All audits", date(2026, 11, 30), "Most audits", TODAY)
    assert progress.met is None and progress.overdue
    assert measure_progress("Some audits", "All audits", date(2026, 11, 30), "all audits", TODAY).met is True


def test_an_old_action_without_a_measure_is_never_overdue_on_it():
    progress = measure_progress(None, None, None, None, TODAY)
    assert not progress.has_measure and not progress.overdue and progress.met is None
