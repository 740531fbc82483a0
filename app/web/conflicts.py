"""What a multi-row page does when someone else saved some of its rows first.

The four pages that save many versioned rows at once (a member's domain page,
moderation, the inspectors' domain judgements and benchmark findings) save
through :func:`app.data.versioning.save_versioned`, which reports the rows it
refused. Each page then shows the person what was saved meanwhile beside what
they typed, and lets their next save go through: this is that step, once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from app.data.versioning import Row


def show_latest_beside_typed(form: Any, conflicts: Iterable[str], latest: Mapping[str, Row], version_field: Callable[[str], str]) -> dict[str, Row]:
    """The rows saved meanwhile, by key; each one's version field in ``form`` moved to the stored version.

    The person's own text stays in the form's other fields, so nothing they
    typed is lost, and saving again (after reading the other version) is
    checked against the version they have now seen.
    """
    shown = {key: latest[key] for key in conflicts if key in latest}
    for key, row in shown.items():
        form[version_field(key)].data = str(row.version)
    return shown
