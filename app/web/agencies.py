"""The partner agencies a board member can represent, kept in one place.

Statutory partners are the bodies a board must hear from; a round in which
one of them has not answered is flagged.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from app.core import vocabulary


@dataclass(frozen=True)
class Agency:
    id: str
    name: LazyString  # in the page's language when shown; agency_name() gives plain text
    statutory: bool


AGENCIES: tuple[Agency, ...] = (
    Agency("local_authority", _l("Local authority children's services"), True),
    Agency("health_board", _l("Local health board"), True),
    Agency("nhs_trust", _l("NHS trust"), True),
    Agency("police", _l("Police"), True),
    Agency("probation", _l("Probation"), True),
    Agency("youth_offending", _l("Youth offending team"), True),
    Agency("education", _l("Education"), False),
    Agency("third_sector", _l("Third sector"), False),
    Agency("lay_member", _l("Lay member"), False),
    Agency("other", _l("Other"), False),
)

AGENCY_BY_ID: dict[str, Agency] = {agency.id: agency for agency in AGENCIES}
STATUTORY_AGENCY_IDS: tuple[str, ...] = tuple(a.id for a in AGENCIES if a.statutory)
# The codes are the core vocabulary's; this module adds only their names.
assert tuple(AGENCY_BY_ID) == vocabulary.AGENCY_IDS
assert STATUTORY_AGENCY_IDS == vocabulary.STATUTORY_AGENCY_IDS


def agency_name(agency_id: str | None) -> str:
    """The display name of an agency id in the page's language ('' for none, the id itself if unknown)."""
    if not agency_id:
        return ""
    agency = AGENCY_BY_ID.get(agency_id)
    return str(agency.name) if agency else agency_id
