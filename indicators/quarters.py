"""Quarters as the indicators use them: `2026Q3` is 2026-07-01 … 2026-09-30 inclusive."""

import datetime
import re
from dataclasses import dataclass

QUARTER_PATTERN = re.compile(r"^(\d{4})Q([1-4])$")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> "Quarter":
        match = QUARTER_PATTERN.match((text or "").strip().upper())
        if not match:
            raise ValueError(f"'{text}' is geen kwartaal; gebruik de vorm 2026Q3.")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, day: datetime.date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def last_completed(cls, today: datetime.date) -> "Quarter":
        return cls.containing(today).previous()

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> datetime.date:
        return self.next().start - datetime.timedelta(days=1)

    @property
    def month_ends(self) -> list[datetime.date]:
        ends = []
        for month in range(3 * self.number - 2, 3 * self.number + 1):
            first_of_next = datetime.date(self.year + month // 12, month % 12 + 1, 1)
            ends.append(first_of_next - datetime.timedelta(days=1))
        return ends

    def previous(self) -> "Quarter":
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    def next(self) -> "Quarter":
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    def same_quarter_last_year(self) -> "Quarter":
        return Quarter(self.year - 1, self.number)


def quarters_between(first: Quarter, last: Quarter) -> list[Quarter]:
    result, current = [], first
    while current <= last:
        result.append(current)
        current = current.next()
    return result
