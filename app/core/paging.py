"""One page of a long list: which items, and which of the total they are."""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil
from typing import Generic, TypeVar

PER_PAGE = 50
T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    """One page of a long list."""

    items: list[T]
    number: int
    total: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def first_shown(self) -> int:
        return 0 if not self.total else (self.number - 1) * self.per_page + 1

    @property
    def last_shown(self) -> int:
        return min(self.total, self.number * self.per_page)
