"""What people read for the codes the product stores: action statuses and recommendation priorities.

In one place, so that the forms, the pages and the report say the same words
(``app.web.i18n.TranslatedNames``: each label is translated when it is read).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.core.vocabulary import RECOMMENDATION_PRIORITIES
from app.web.i18n import TranslatedNames

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

PRIORITY_NAMES = TranslatedNames({"immediate": _l("Immediate"), "improvement": _l("Improvement")})
PRIORITY_HINTS = TranslatedNames({
    "immediate": _l("Children may be at risk: the board must act now."),
    "improvement": _l("The board should act to improve, as part of its plan."),
})
assert set(PRIORITY_NAMES) == set(RECOMMENDATION_PRIORITIES) == set(PRIORITY_HINTS)
