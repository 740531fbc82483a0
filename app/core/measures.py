"""Progress of an action's measure: baseline -> latest reading -> target by a date (pure).

An action's measure is typed as text ("58%", "12 of 20 audits"), so progress
is only computed where it can be honestly: the values are compared only when
both parse as plain numbers (a trailing "%" allowed on both); otherwise the
page shows the three values and says only whether the target date has passed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

__all__ = ["MeasureProgress", "as_number", "measure_progress"]

_NUMBER = re.compile(r"^[-+]?\d+(?:[.,]\d+)?$")


def as_number(value: str | None) -> float | None:
    """``value`` as a number if it is one ("58", "58%", "4.5", "4,5"), else None."""
    if value is None:
        return None
    text = value.strip()
    if text.endswith("%"):
        text = text[:-1].strip()
    if not _NUMBER.match(text):
        return None
    return float(text.replace(",", "."))


@dataclass(frozen=True)
class MeasureProgress:
    """Where an action's measure stands on a day.

    ``met`` is True or False when the latest reading and the target both parse
    as numbers (the direction taken from the baseline: a target below it is
    met by going down), and None when that cannot be told. ``overdue`` is
    True when the target date has passed and the target is not known to be met.
    """

    has_measure: bool
    has_reading: bool
    met: bool | None
    target_date_passed: bool

    @property
    def overdue(self) -> bool:
        return self.has_measure and self.target_date_passed and self.met is not True


def measure_progress(
    baseline: str | None, target: str | None, target_by: date | None, latest: str | None, today: date
) -> MeasureProgress:
    """The progress of a measure: see :class:`MeasureProgress`."""
    has_measure = bool(baseline) and bool(target) and target_by is not None
    reading = latest if latest else None
    met: bool | None = None
    if has_measure:
        start, goal = as_number(baseline), as_number(target)
        now = as_number(reading) if reading is not None else start
        if goal is not None and now is not None:
            met = now <= goal if start is not None and goal < start else now >= goal
        elif reading is not None and target is not None and reading.strip().casefold() == target.strip().casefold():
            met = True
    passed = target_by is not None and target_by < today
    return MeasureProgress(has_measure, reading is not None, met, passed)
