"""The codes the product stores for statuses and priorities, shared by every layer.

Only codes live here; the words a person reads for each code are translated
labels kept in the web layer and the blueprints' forms.
"""

from __future__ import annotations

# An inspection recommendation's priority, as the findings file and the
# database store it.
RECOMMENDATION_PRIORITIES: tuple[str, ...] = ("immediate", "improvement")

# The partner agencies a board member can represent, in the order pages list
# them; the statutory partners are those a board must hear from in every round.
AGENCY_IDS: tuple[str, ...] = (
    "local_authority",
    "health_board",
    "nhs_trust",
    "police",
    "probation",
    "youth_offending",
    "education",
    "third_sector",
    "lay_member",
    "other",
)
STATUTORY_AGENCY_IDS: tuple[str, ...] = AGENCY_IDS[:6]
