"""Time, injected: the core never calls ``datetime.now()`` itself.

Stored times are UTC. The study day is local: it starts at ``day_starts_at``
o'clock in the user's time zone, as in Anki.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo


def system_now() -> datetime:
    """The current time, UTC-aware, to the millisecond (the precision the log keeps)."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


@dataclass(frozen=True, slots=True)
class Clock:
    """Where the core gets the time and the time zone from."""

    now_fn: Callable[[], datetime] = system_now
    tz: tzinfo | None = None
    """The user's time zone; None means the system's local zone at each moment."""

    def now(self) -> datetime:
        """Now, UTC-aware, whole milliseconds."""
        now = self.now_fn().astimezone(UTC)
        return now.replace(microsecond=now.microsecond // 1000 * 1000)

    def local(self, moment: datetime) -> datetime:
        """A moment in the user's time zone."""
        return moment.astimezone(self.tz) if self.tz else moment.astimezone()

    def study_day(self, moment: datetime, starts_at: int) -> date:
        """The study day a moment belongs to (before ``starts_at`` o'clock it is still
        yesterday)."""
        return (self.local(moment) - timedelta(hours=starts_at)).date()

    def day_bounds(self, moment: datetime, starts_at: int) -> tuple[datetime, datetime]:
        """The UTC start and end of the study day that contains ``moment``."""
        day = self.study_day(moment, starts_at)
        return self.day_start(day, starts_at), self.day_start(day + timedelta(days=1), starts_at)

    def day_start(self, day: date, starts_at: int) -> datetime:
        """When a given study day begins, in UTC."""
        naive = datetime.combine(day, time(hour=starts_at))
        local = naive.replace(tzinfo=self.tz) if self.tz else naive.astimezone()
        return local.astimezone(UTC)


def fixed_clock(moment: datetime, tz: tzinfo = UTC) -> Clock:
    """A clock stopped at ``moment`` (for tests)."""
    return Clock(lambda: moment, tz)
