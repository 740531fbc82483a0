"""The one table of board capabilities: its names, its roles, and docs/permissions.md.

Who gets what on each route is checked against the real app by
tests/integration/test_isolation.py; these tests hold the table itself
together: the doc lists it as the code has it, every name the app asks for is
in it, every entry is used, and an unknown name is a programming error.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.core.vocabulary import ROLES
from app.web.permissions import CAPABILITIES, can, require_board_capability, require_round_capability, roles_with

ROOT = Path(__file__).resolve().parents[2]
PERMISSIONS_DOC = ROOT / "docs" / "permissions.md"
APP = ROOT / "app"
# A capability named in a call: can(m, 'x'), require_round_capability(round_id, "x"), roles_with("x") ...
ASKED = re.compile(
    r"\b(?:can|require_board_capability|require_round_capability|require_board_capability_or_admin|_inspection_context|roles_with)"
    r"\((?:[^'\"()]|\([^()]*\))*?['\"](\w+)['\"]\s*\)"
)


def documented_capabilities() -> dict[str, frozenset[str]]:
    """The table under "## The capabilities table" in docs/permissions.md: capability -> roles."""
    text = PERMISSIONS_DOC.read_text(encoding="utf-8")
    section = text.split("## The capabilities table", 1)[1].split("\n## ", 1)[0]
    table = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.startswith("|") or cells[0] in {"capability", ""} or set(cells[0]) <= {"-"}:
            continue
        table[cells[0]] = frozenset(role.strip() for role in cells[1].split(","))
    return table


def capabilities_asked_for() -> set[str]:
    """Every capability name the app's code and templates ask for (outside the table itself)."""
    names = set()
    for path in [*APP.rglob("*.py"), *APP.rglob("*.html")]:
        if path != APP / "web" / "permissions.py":
            names.update(ASKED.findall(path.read_text(encoding="utf-8")))
    return names


def test_the_doc_lists_the_capabilities_table_as_the_code_has_it():
    assert documented_capabilities() == CAPABILITIES


def test_every_role_in_the_table_is_a_board_role():
    assert {role for roles in CAPABILITIES.values() for role in roles} <= set(ROLES)
    assert all(CAPABILITIES.values()), "a capability no role has"


def test_the_reader_finds_capabilities_in_calls():
    source = """can(membership_for(board_id), "manage_members") {% if can(m, 'moderate') %} require_round_capability(round_id, "respond")"""
    assert set(ASKED.findall(source)) == {"manage_members", "moderate", "respond"}


def test_every_capability_the_app_asks_for_is_in_the_table_and_every_entry_is_used():
    asked = capabilities_asked_for()
    assert sorted(asked - CAPABILITIES.keys()) == []
    assert sorted(CAPABILITIES.keys() - asked) == []


@pytest.mark.parametrize(
    "check",
    [
        lambda: can(None, "no_such_capability"),
        lambda: roles_with("no_such_capability"),
        lambda: require_board_capability(1, "no_such_capability"),
        lambda: require_round_capability(1, "no_such_capability"),
    ],
    ids=["can", "roles_with", "require_board_capability", "require_round_capability"],
)
def test_an_unknown_capability_is_a_programming_error_not_a_refusal(check):
    # Raised before the request, the signed-in user or the database is looked at.
    with pytest.raises(KeyError, match="no_such_capability"):
        check()


def test_can_answers_from_the_table():
    class Member:
        role = "member"

    assert can(Member(), "respond") and can(Member(), "read_board")  # type: ignore[arg-type]
    assert not can(Member(), "moderate") and not can(None, "read_board")  # type: ignore[arg-type]
    assert roles_with("read_flags") == ("business_manager", "inspector")
