"""Page arithmetic for long lists shown as inline buttons."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: Sequence[T]
    number: int  # 0-based, clamped into range
    count: int  # how many pages, at least 1

    @property
    def has_prev(self) -> bool:
        return self.number > 0

    @property
    def has_next(self) -> bool:
        return self.number < self.count - 1


def page_of(items: Sequence[T], number: int, size: int) -> Page[T]:
    count = max(1, -(-len(items) // size))
    number = min(max(number, 0), count - 1)
    return Page(items[number * size : (number + 1) * size], number, count)


def page_count(total: int, size: int) -> int:
    return max(1, -(-total // size))
