"""The partner agencies a board member can represent, kept in one place.

Statutory partners are the bodies a board must hear from; a round in which
one of them has not answered is flagged.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Agency:
    id: str
    name: str
    statutory: bool


AGENCIES: tuple[Agency, ...] = (
    Agency("local_authority", "Local authority children's services", True),
    Agency("health_board", "Local health board", True),
    Agency("nhs_trust", "NHS trust", True),
    Agency("police", "Police", True),
    Agency("probation", "Probation", True),
    Agency("youth_offending", "Youth offending team", True),
    Agency("education", "Education", False),
    Agency("third_sector", "Third sector", False),
    Agency("lay_member", "Lay member", False),
    Agency("other", "Other", False),
)

AGENCY_BY_ID: dict[str, Agency] = {agency.id: agency for agency in AGENCIES}
STATUTORY_AGENCY_IDS: tuple[str, ...] = tuple(a.id for a in AGENCIES if a.statutory)


def agency_name(agency_id: str | None) -> str:
    """The display name of an agency id ('' for none, the id itself if unknown)."""
    if not agency_id:
        return ""
    agency = AGENCY_BY_ID.get(agency_id)
    return agency.name if agency else agency_id
