"""Time: a clock that goes back, a time-zone change and a DST transition in the middle of a session.

None of them may crash or corrupt state: the stored states always equal a replay of
the log, due dates never fall before the review that set them, an item's last review
never moves back, and the log keeps the clock's readings in UTC.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from study.core.clock import Clock
from study.core.config import Config
from study.core.paths import Paths
from study.core.progress.store import to_ms
from study.core.scheduling.scheduler import NEW, Memory, Phase, Rating, Scheduler
from study.core.service import Service
from tests.conftest import T0, MovableClock

PARIS = ZoneInfo("Europe/Paris")
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
DECK = "title: D\nid: d\ncards:\n" + "".join(
    f"  - {{id: c{n}, front: question {n}, back: answer {n}}}\n" for n in range(30)
)


def service_with(
    tmp_path: Path, clock: MovableClock, tz: tzinfo | None, **config: object
) -> Service:
    folder = tmp_path / "decks"
    folder.mkdir(exist_ok=True)
    (folder / "d.yaml").write_text(DECK, encoding="utf-8")
    settings = Config(**{"fuzz": False, "new_per_day": 1000, **config})  # type: ignore[arg-type]
    service = Service(
        Paths.resolve(tmp_path / "data"),
        clock=Clock(clock, tz),
        deck_roots=[folder],
        config=settings,
    )
    service.load()
    return service


def study(
    service: Service, clock: MovableClock, steps: list[timedelta], seed: int = 1
) -> list[datetime]:
    """Answer one item per step, moving the clock by the step first; check each answer at once."""
    rng = random.Random(seed)
    session = service.start_review()
    moments: list[datetime] = []
    for step in steps:
        clock.moment += step
        if session.current is None:
            session = service.start_review()
            if session.current is None:
                continue
        item = session.current
        before = service.store.memory(item.key) or NEW
        now = service.clock.now()
        session.answer(rng.choices(list(Rating), weights=(2, 1, 5, 1))[0])
        after = service.store.memory(item.key)
        assert after is not None and after.due is not None and after.last_review is not None
        floor = max(now, before.last_review) if before.last_review else now
        assert after.last_review == floor  # never before the previous review
        assert after.due >= floor  # never due before the review that set it
        moments.append(now)
        if rng.random() < 0.1:
            session.undo()
            moments.append(service.clock.now())  # the undo row
    return moments


def _without_memory(states: dict[str, Memory]) -> dict[str, Memory]:
    return {key: replace(m, stability=None, difficulty=None) for key, m in states.items()}


def assert_consistent(
    service: Service, moments: list[datetime], *, zone_changed: bool = False
) -> None:
    """The stored states equal a replay of the log, and the log holds the clock's readings.

    Elapsed time is counted in study days of the zone the clock has when it counts (as Anki
    does when it recomputes memory states from its log): after the zone changed, a replay
    counts the earlier reviews' days in the new zone, so stability and difficulty may differ
    from the stored ones, never the phases, steps, due dates or counts. A rebuild then holds.
    """
    store = service.store
    assert store.integrity_check() == []
    if zone_changed:
        assert _without_memory(store.memories()) == _without_memory(
            store.replay_all(service.scheduler)
        )
        store.rebuild(service.scheduler)
    assert store.memories() == store.replay_all(service.scheduler)
    stored = [row[0] for row in store.db.execute("SELECT at FROM review ORDER BY id")]
    assert stored == [to_ms(m) for m in moments]  # the clock's readings, as UTC milliseconds


def test_the_clock_going_backwards_between_answers(tmp_path: Path, clock: MovableClock) -> None:
    service = service_with(tmp_path, clock, UTC)
    rng = random.Random(5)
    choices = [
        timedelta(days=-3),
        timedelta(hours=-5),
        timedelta(minutes=-1),
        timedelta(0),
        timedelta(minutes=1),
        timedelta(minutes=10),
        timedelta(days=1),
        timedelta(days=9),
    ]
    moments = study(service, clock, [rng.choice(choices) for _ in range(150)])
    assert len(moments) > 100
    assert_consistent(service, moments)
    assert service.store.rebuild(service.scheduler) == 0


def test_a_review_answered_before_the_last_one_counts_as_at_the_last_one() -> None:
    """What fsrs would see as negative elapsed days is clamped to zero, in review and in replay."""
    scheduler = Scheduler(Config(fuzz=False))
    memory = NEW
    for rating, days in ((Rating.GOOD, 0), (Rating.GOOD, 1), (Rating.GOOD, 4), (Rating.GOOD, 15)):
        memory = scheduler.review(memory, rating, T0 + timedelta(days=days))
    assert memory.phase is Phase.REVIEW and memory.last_review == T0 + timedelta(days=15)
    for rating in Rating:
        back = scheduler.review(memory, rating, T0)  # 15 days back
        same = scheduler.review(memory, rating, memory.last_review)
        assert back == same and back.last_review == memory.last_review
        assert back.due is not None and back.due >= memory.last_review
        assert scheduler.replay(memory, rating, T0, back.due) == back


@pytest.mark.parametrize(
    ("start", "starts_at", "day", "hours"),
    [
        # Paris springs forward at 01:00 UTC on 29 March 2026: the study day is 23 hours long ...
        (datetime(2026, 3, 29, 0, 30, tzinfo=UTC), 4, date(2026, 3, 28), 23),
        # ... or 24 when it starts at 02:00, an hour that does not exist that night
        # (it ends at the jump)
        (datetime(2026, 3, 29, 0, 30, tzinfo=UTC), 2, date(2026, 3, 28), 24),
        # it falls back at 01:00 UTC on 25 October: 02:00 happens twice, the day is 25 hours long
        (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), 2, date(2026, 10, 25), 25),
        (datetime(2026, 10, 24, 23, 30, tzinfo=UTC), 4, date(2026, 10, 24), 25),
    ],
    ids=["spring-4h", "spring-2h", "autumn-2h", "autumn-4h"],
)
def test_a_dst_transition_in_the_middle_of_a_session(
    tmp_path: Path, start: datetime, starts_at: int, day: date, hours: int
) -> None:
    clock = MovableClock(start)
    service = service_with(tmp_path, clock, PARIS, day_starts_at=starts_at)
    assert service.clock.study_day(clock(), starts_at) == day
    day_start, day_end = service.clock.day_bounds(clock(), starts_at)
    assert day_end - day_start == timedelta(hours=hours)
    offset = service.clock.local(clock()).utcoffset()
    moments = study(service, clock, [timedelta(minutes=4)] * 60)  # four hours across the change
    assert service.clock.local(clock()).utcoffset() != offset
    assert service.clock.study_day(clock(), starts_at) in (day, day + timedelta(days=1))
    assert_consistent(service, moments)
    assert all(moment.utcoffset() == timedelta(0) for moment in moments)


@pytest.fixture
def system_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Lets a test change the process's time zone; puts it back afterwards."""
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_system_time_zone_changes_in_the_middle_of_a_session(
    tmp_path: Path, clock: MovableClock, monkeypatch: pytest.MonkeyPatch, system_zone: None
) -> None:
    service = service_with(tmp_path, clock, None)  # None: the system's zone, at each moment
    moments: list[datetime] = []
    for zone in ("Asia/Ho_Chi_Minh", "America/New_York", "Pacific/Chatham", "UTC", "Asia/Kolkata"):
        monkeypatch.setenv("TZ", zone)
        time.tzset()
        moments += study(service, clock, [timedelta(minutes=7)] * 15, seed=len(moments))
        day_start, day_end = service.clock.day_bounds(clock(), 4)
        assert day_start <= clock() < day_end
    assert_consistent(service, moments, zone_changed=True)


class SwitchingZone(tzinfo):
    """A time zone that the test switches, as when a laptop's zone setting changes."""

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone

    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        return self.zone.utcoffset(dt.replace(tzinfo=None) if dt else dt)

    def dst(self, dt: datetime | None) -> timedelta | None:
        return self.zone.dst(dt.replace(tzinfo=None) if dt else dt)

    def tzname(self, dt: datetime | None) -> str | None:
        return self.zone.tzname(dt.replace(tzinfo=None) if dt else dt)


def test_a_clock_whose_zone_changes(tmp_path: Path, clock: MovableClock) -> None:
    zone = SwitchingZone(HANOI)
    service = service_with(tmp_path, clock, zone)
    moments = study(service, clock, [timedelta(minutes=9)] * 20)
    zone.zone = PARIS  # seven hours back, mid-session
    moments += study(service, clock, [timedelta(minutes=9)] * 20, seed=2)
    zone.zone = ZoneInfo("Pacific/Kiritimati")  # fourteen hours ahead of UTC
    moments += study(service, clock, [timedelta(minutes=9)] * 20, seed=3)
    assert_consistent(service, moments, zone_changed=True)
