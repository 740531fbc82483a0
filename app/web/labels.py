"""What people read for the codes the product stores: roles, round and action statuses, recommendation priorities.

In one place, so that the forms, the pages and the report say the same words
(``app.web.i18n.TranslatedNames``: each label is translated when it is read).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.core.vocabulary import ActionStatus, EvidenceKind, FlagResponseKind, MeasureAbout, RecommendationPriority, Role, RoundStatus
from app.web.i18n import TranslatedNames

ROLE_NAMES = TranslatedNames({
    "business_manager": _l("Business manager or chair"),
    "member": _l("Board member"),
    "inspector": _l("Inspector"),
})

ROUND_STATUS_NAMES = TranslatedNames({
    "open": _l("Open"),
    "closed": _l("Closed"),
    "moderated": _l("Moderated"),
    "published": _l("Published"),
})
ROUND_STATUS_CLASSES: dict[str, str] = {
    "open": "govuk-tag--blue",
    "closed": "govuk-tag--grey",
    "moderated": "govuk-tag--green",
    "published": "govuk-tag--purple",
}

ACTION_STATUS_NAMES = TranslatedNames({
    "not_started": _l("Not started"),
    "on_track": _l("On track"),
    "at_risk": _l("At risk"),
    "done": _l("Done"),
})
ACTION_STATUS_CLASSES: dict[str, str] = {
    "not_started": "govuk-tag--grey",
    "on_track": "govuk-tag--green",
    "at_risk": "govuk-tag--orange",
    "done": "govuk-tag--blue",
}

FLAG_RESPONSE_NAMES = TranslatedNames({
    "accepted_lowered": _l("Accepted: rating lowered"),
    "explained": _l("Explained"),
    "evidence_added": _l("Evidence added"),
})
MEASURE_ABOUT_NAMES = TranslatedNames({
    "children_and_families": _l("What changes for children and families"),
    "board_process": _l("The board’s own process"),
})
EVIDENCE_KIND_NAMES = TranslatedNames({
    "audit": _l("Audit"),
    "performance_data": _l("Performance data with commentary"),
    "children_and_families": _l("Feedback from children and families"),
    "practitioner_views": _l("Practitioners’ views"),
    "inspection_or_review": _l("Inspection or external review"),
    "case_review_learning": _l("Learning from case reviews"),
})
EVIDENCE_KIND_HINTS = TranslatedNames({
    "audit": _l("A single-agency or multi-agency audit of cases or practice."),
    "performance_data": _l("Figures over time with what they mean, not figures alone."),
    "children_and_families": _l("What children, young people and families said, for example in surveys or interviews."),
    "practitioner_views": _l("What staff in the partner agencies said, for example in surveys or focus groups."),
    "inspection_or_review": _l("A report by an inspectorate or an independent reviewer."),
    "case_review_learning": _l("What the board learnt from child practice reviews or other case reviews."),
})

PRIORITY_NAMES = TranslatedNames({"immediate": _l("Immediate"), "improvement": _l("Improvement")})
PRIORITY_HINTS = TranslatedNames({
    "immediate": _l("Children may be at risk: the board must act now."),
    "improvement": _l("The board should act to improve, as part of its plan."),
})
# Every code has its words (checked when the app starts).
assert set(ROLE_NAMES) == set(Role)
assert set(ROUND_STATUS_NAMES) == set(ROUND_STATUS_CLASSES) == set(RoundStatus)
assert set(ACTION_STATUS_NAMES) == set(ACTION_STATUS_CLASSES) == set(ActionStatus)
assert set(PRIORITY_NAMES) == set(PRIORITY_HINTS) == set(RecommendationPriority)
assert set(FLAG_RESPONSE_NAMES) == set(FlagResponseKind)
assert set(MEASURE_ABOUT_NAMES) == set(MeasureAbout)
assert set(EVIDENCE_KIND_NAMES) == set(EVIDENCE_KIND_HINTS) == set(EvidenceKind)
