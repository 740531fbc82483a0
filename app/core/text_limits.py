"""How many characters each text a person types may hold.

One table for the web forms and the assessment file import, so a file can
never store a text the web would refuse. (Long answers, rationales, findings
and challenge comments share the ``SAIT_EVIDENCE_MAX_CHARS`` setting instead:
a board may raise it.)
"""

from __future__ import annotations

NAME_MAX_CHARS = 200  # a person's or board's name, a round's or evidence item's title, an action's lead person
EMAIL_MAX_CHARS = 254  # the longest address mail can deliver (RFC 5321)
REFERENCE_MAX_CHARS = 500  # where to find an evidence item: a web address or a filing place
MEASURE_VALUE_MAX_CHARS = 200  # an action's baseline, target or latest reading ("58%", "12 of 20 audits")
TEXT_MAX_CHARS = 2000  # an evidence item's impact, an action's description and success measure, a recommendation
STATEMENT_MAX_CHARS = 5000  # one of the board's statements in its report: a page, not an essay
