"""The codes the product stores for statuses and priorities, shared by every layer.

Only codes live here; the words a person reads for each code are translated
labels kept in the web layer and the blueprints' forms.
"""

from __future__ import annotations

# An inspection recommendation's priority, as the findings file and the
# database store it.
RECOMMENDATION_PRIORITIES: tuple[str, ...] = ("immediate", "improvement")
