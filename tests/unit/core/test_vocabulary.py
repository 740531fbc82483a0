"""The stored codes: each enum member is its code, and the plain lists hold the codes as text."""

from __future__ import annotations

from app.core.vocabulary import ROLES, ROUND_STATUSES, Role, RoundStatus


def test_a_member_is_the_stored_code():
    assert Role.BUSINESS_MANAGER == "business_manager" and f"{RoundStatus.OPEN}" == "open"


def test_the_plain_lists_hold_text_not_enum_members():
    # click and the assessment file show what they are given: names like MEMBER would mislead.
    assert ROLES == ("business_manager", "member", "inspector")
    assert all(type(code) is str for code in ROLES + ROUND_STATUSES)
