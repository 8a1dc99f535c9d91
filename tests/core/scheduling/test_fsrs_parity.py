"""Parity with Anki's FSRS (the Rust ``fsrs`` crate, through ``fsrs-rs-python``).

A simulated history (hundreds of cards over weeks, sessions at random hours, many of them
late in the evening or early in the morning around the rollover hour, across a change to
summer time) is answered through ``study``'s scheduler and replayed through fsrs-rs with
elapsed days counted as Anki counts them: the difference of study-day numbers. Stability and
difficulty must agree after every answer, and so must the interval of every card that is
in review.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

import pytest

from study.core.clock import Clock
from study.core.config import Config
from study.core.scheduling.scheduler import NEW, Memory, Phase, Rating, Scheduler

rs = pytest.importorskip("fsrs_rs_python")

ZONE = ZoneInfo("Europe/Berlin")  # summer time starts on 29 March 2026, inside the history
STARTS_AT = 4
START = date(2026, 3, 2)
DAYS = 42
CARDS = 300
NEW_PER_DAY = 12
TOLERANCE = 1e-4


def study_day(moment: datetime, tz: tzinfo = ZONE, starts_at: int = STARTS_AT) -> date:
    """The study day of a moment, as Anki counts it."""
    return Clock(tz=tz).study_day(moment, starts_at)


def session_hours(rng: random.Random) -> list[float]:
    """One day's session start times, local hours from midnight of that calendar day; hours
    24-28 are the small hours of the next calendar day, still the same study day."""
    count = rng.choice((1, 1, 2, 2, 3))
    pools = ((21.5, 23.99), (24.0, 27.9), (STARTS_AT + 0.05, STARTS_AT + 2), (7.0, 20.0))
    hours = sorted(rng.uniform(*rng.choice(pools)) for _ in range(count))
    return [h for i, h in enumerate(hours) if i == 0 or h - hours[i - 1] > 0.5]


@dataclass
class Card:
    """One simulated card: its state here and its answers."""

    memory: Memory = NEW
    answers: list[tuple[datetime, Rating]] = field(default_factory=list)
    states: list[Memory] = field(default_factory=list)


def simulate(scheduler: Scheduler, seed: int = 20260302) -> list[Card]:
    """Answer a seeded history through ``scheduler``; every card's answers and states."""
    rng = random.Random(seed)
    cards = [Card() for _ in range(CARDS)]
    introduced = 0
    for offset in range(DAYS):
        day = START + timedelta(days=offset)
        new_today = NEW_PER_DAY
        for hour in session_hours(rng):
            local = datetime(day.year, day.month, day.day, tzinfo=ZONE) + timedelta(hours=hour)
            now = local.astimezone(UTC).replace(microsecond=0)
            day_end = Clock(tz=ZONE).day_bounds(now, STARTS_AT)[1]
            session_end = now + timedelta(minutes=40)
            while now < session_end:
                due = [
                    c
                    for c in cards[:introduced]
                    if c.memory.due is not None
                    and (
                        c.memory.due <= now
                        or (c.memory.phase is Phase.REVIEW and c.memory.due < day_end)
                    )
                ]
                if not due and new_today and introduced < CARDS:
                    due, introduced, new_today = [cards[introduced]], introduced + 1, new_today - 1
                if not due:
                    waiting = [
                        c.memory.due
                        for c in cards[:introduced]
                        if c.memory.due is not None and c.memory.phase is not Phase.REVIEW
                    ]
                    soon = min((w for w in waiting if w < session_end), default=None)
                    if soon is None:
                        break
                    now = soon
                    continue
                card = due[0]
                reviewed = card.memory.phase is Phase.REVIEW
                weights = (10, 15, 65, 10) if reviewed else (20, 10, 60, 10)
                rating = rng.choices(list(Rating), weights=weights)[0]
                card.memory = scheduler.review(card.memory, rating, now)
                card.answers.append((now, rating))
                card.states.append(card.memory)
                now += timedelta(seconds=rng.randint(5, 90))
    return [c for c in cards if c.answers]


@dataclass(frozen=True)
class Differences:
    """How far a scheduler's states are from fsrs-rs's on the same history."""

    cards: int
    stability_off: int
    """Cards whose stability differs somewhere by more than the tolerance."""
    difficulty_off: int
    interval_off: int
    """Cards with an interval in review that differs somewhere."""
    mean_stability_error: float
    """Mean relative error of the final stability over the cards that differ."""
    max_stability_error: float
    final_lower: int
    """Cards whose final stability is lower than Anki's."""


def compare(cards: list[Card], config: Config) -> Differences:
    """Replay each card's answers through fsrs-rs and compare state by state."""
    fsrs = rs.FSRS(list(rs.DEFAULT_PARAMETERS))
    stability_off = difficulty_off = interval_off = lower = 0
    errors: list[float] = []
    for card in cards:
        state, last = None, None
        s_bad = d_bad = i_bad = False
        for (at, rating), ours in zip(card.answers, card.states, strict=True):
            elapsed = 0 if last is None else (study_day(at) - study_day(last)).days
            nxt = getattr(
                fsrs.next_states(state, config.desired_retention, elapsed), rating.name.lower()
            )
            state, last = nxt.memory, at
            assert ours.stability is not None and ours.difficulty is not None
            s_bad |= abs(ours.stability - state.stability) > TOLERANCE * state.stability
            d_bad |= abs(ours.difficulty - state.difficulty) > TOLERANCE * state.difficulty
            if ours.phase is Phase.REVIEW and ours.due is not None:
                anki = min(max(round(nxt.interval), 1), config.maximum_interval)
                i_bad |= round((ours.due - at) / timedelta(days=1)) != anki
        item = rs.FSRSItem(
            [
                rs.FSRSReview(
                    int(r), 0 if i == 0 else (study_day(a) - study_day(card.answers[i - 1][0])).days
                )
                for i, (a, r) in enumerate(card.answers)
            ]
        )
        whole = fsrs.memory_state(item)  # the history in one call, as Anki computes it
        assert state is not None
        assert abs(whole.stability - state.stability) <= TOLERANCE * state.stability
        final = card.states[-1].stability
        assert final is not None
        if s_bad:
            errors.append(abs(final - whole.stability) / whole.stability)
        lower += final < whole.stability * (1 - TOLERANCE)
        stability_off += s_bad
        difficulty_off += d_bad
        interval_off += i_bad
    return Differences(
        len(cards),
        stability_off,
        difficulty_off,
        interval_off,
        sum(errors) / len(errors) if errors else 0.0,
        max(errors, default=0.0),
        lower,
    )


CONFIG = Config(fuzz=False, day_starts_at=STARTS_AT)


def test_the_simulated_history_is_varied() -> None:
    cards = simulate(Scheduler(CONFIG, clock=Clock(tz=ZONE)))
    answers = [at for c in cards for at, _ in c.answers]
    hours = {at.astimezone(ZONE).hour for at in answers}
    assert len(cards) >= 250 and len(answers) > 2000
    assert {22, 23, 0, 1, 2, 3, 4} <= hours  # late evening and the small hours
    same_day = sum(
        1
        for c in cards
        for (a, _), (b, _) in zip(c.answers, c.answers[1:], strict=False)
        if study_day(a) == study_day(b) and b - a > timedelta(hours=3)
    )
    short_next_day = sum(
        1
        for c in cards
        for (a, _), (b, _) in zip(c.answers, c.answers[1:], strict=False)
        if study_day(b) > study_day(a) and b - a < timedelta(hours=24)
    )
    assert same_day > 0 and short_next_day > 100  # the cases real-day counting gets wrong


def test_states_and_intervals_equal_anki_fsrs() -> None:
    cards = simulate(Scheduler(CONFIG, clock=Clock(tz=ZONE)))
    differences = compare(cards, CONFIG)
    assert differences == Differences(len(cards), 0, 0, 0, 0.0, 0.0, 0)


def test_the_issue_example_graduated_late_reviewed_next_morning() -> None:
    """Graduated at 21:10 with a 2-day interval, answered Good at 08:00 on its due day (35 h
    later): Anki's FSRS counts 2 days and gives a stability of about 10.97 (11 days)."""
    clock = Clock(tz=ZONE)
    scheduler = Scheduler(CONFIG, clock=clock)
    first = datetime(2026, 3, 2, 21, 0, tzinfo=ZONE).astimezone(UTC)
    memory = scheduler.review(NEW, Rating.GOOD, first)
    memory = scheduler.review(memory, Rating.GOOD, first + timedelta(minutes=10))
    assert memory.phase is Phase.REVIEW and memory.due is not None
    assert memory.due - memory.last_review == timedelta(days=2)  # type: ignore[operator]
    morning = datetime(2026, 3, 4, 8, 0, tzinfo=ZONE).astimezone(UTC)
    assert morning < memory.due and study_day(morning) == study_day(memory.due)
    assert morning - first - timedelta(minutes=10) == timedelta(hours=34, minutes=50)
    after = scheduler.review(memory, Rating.GOOD, morning)
    assert after.stability == pytest.approx(10.97, abs=0.005)
    assert after.due - morning == timedelta(days=11)  # type: ignore[operator]
    anki = rs.FSRS(list(rs.DEFAULT_PARAMETERS)).memory_state(
        rs.FSRSItem([rs.FSRSReview(3, 0), rs.FSRSReview(3, 0), rs.FSRSReview(3, 2)])
    )
    assert after.stability == pytest.approx(anki.stability, rel=TOLERANCE)
    assert after.difficulty == pytest.approx(anki.difficulty, rel=TOLERANCE)
