"""How an audit event reads in the audit trail table.

The trail says who did what to which thing; it never repeats what people
wrote (evidence, rationales, findings, plans): the administrator, who reads
every board's trail, must not read a board's self-assessment through it.

The rule is an allow-list: a detail value is shown as recorded only under a
key of :data:`SHOWN_AS_RECORDED` (codes, numbers, dates, account names and
emails). Text under any other key, including every column of
:data:`app.data.models.written.WRITTEN`, shows only as its length, and a list or
object only as its number of items.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from app.web.agencies import agency_name
from app.web.i18n import TranslatedNames
from app.web.labels import ROLE_NAMES

ACTION_NAMES = TranslatedNames({
    "sign_in": _l("Signed in"),
    "sign_in_failed": _l("Sign-in refused"),
    "sign_out": _l("Signed out"),
    "password_changed": _l("Password changed"),
    "password_reset_requested": _l("Password reset link sent"),
    "password_reset": _l("Password set with a link"),
    "user_created": _l("Account created"),
    "account_disabled": _l("Account disabled"),
    "account_enabled": _l("Account enabled"),
    "board_created": _l("Board created"),
    "board_changed": _l("Board details changed"),
    "role_granted": _l("Role given"),
    "invitation_sent": _l("Invitation sent"),
    "invitation_cancelled": _l("Invitation cancelled"),
    "invitation_accepted": _l("Invitation accepted"),
    "role_changed": _l("Role or agency changed"),
    "member_removed": _l("Member removed"),
    "round_opened": _l("Round opened"),
    "round_closed": _l("Round closed"),
    "round_reopened": _l("Round reopened"),
    "response_submitted": _l("Response submitted"),
    "response_reopened": _l("Response reopened"),
    "answer_saved": _l("Answer saved"),
    "answer_conflict": _l("Answer changed in two places at once"),
})

SHOWN_AS_RECORDED = frozenset({
    # where and what
    "round", "from_round", "to_round", "benchmark", "subject", "domain", "about", "framework_version", "file", "via", "by",
    # codes and levels
    "rating", "your_rating", "judgement", "priority", "status", "role", "agency", "owner_agency", "source_agency",
    "kind", "nation", "flag", "response", "measure_about", "subject_ids",
    # numbers, flags and dates
    "from_version", "evidence_chars", "no_evidence_yet", "your_no_evidence_yet", "cites", "your_cites", "invited",
    "carried_forward", "closed_as_part", "copied", "domains", "benchmarks", "recommendations", "responses", "actions",
    "board_created", "admin", "inspected_on", "due_date", "evidence_date",
    "period_start", "period_end", "baseline_on", "target_by", "latest_on",
    # accounts and boards, which the administrator manages
    "email", "member", "name", "name_cy", "people_created",
})  # fmt: skip
# Even under a shown key, a long text is more likely writing than a code.
LONG_TEXT = 80


def action_name(action: str) -> str:
    return ACTION_NAMES.get(action) or action.replace("_", " ").capitalize()


def _value(key: str, value: Any) -> str:
    shown = key in SHOWN_AS_RECORDED
    if isinstance(value, (list, tuple)) and shown:
        return " → ".join(_value(key, item) for item in value)
    if isinstance(value, (list, tuple, dict)):
        return ngettext("%(num)d item", "%(num)d items", len(value))
    if value is None:
        return _("none")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str):
        if not shown or len(value) > LONG_TEXT:
            return ngettext("%(num)d character", "%(num)d characters", len(value))
        if key == "role" or key.endswith("_role"):
            return ROLE_NAMES.get(value, value)
        if key == "agency" or key.endswith("_agency"):
            return agency_name(value)
    return str(value)


def describe(object_type: str | None, object_id: str | None, detail: dict | None) -> str:
    """What an event was about, e.g. 'membership 4; role: Board member → Inspector'.

    Object types and detail keys are the audit trail's own codes and stay as
    recorded; names and values are shown in the page's language.
    """
    parts = []
    if object_type:
        parts.append(f"{object_type.replace('_', ' ')} {object_id}" if object_id else object_type.replace("_", " "))
    for key, value in (detail or {}).items():
        parts.append(f"{key.replace('_', ' ')}: {_value(key, value)}")
    return "; ".join(parts)
