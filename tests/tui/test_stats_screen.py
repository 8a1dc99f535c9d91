"""The statistics screen on its own, in a minimal app: snapshots, keys, scope, errors."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import Select, Static

from study.core.exams.record import ExamRow, save_exam
from study.core.exams.spec import ExamSpec
from study.core.scheduling.scheduler import Rating
from study.core.service import Service
from study.core.stats.figures import Scope
from study.tui.screens.stats import StatsScreen
from tests.conftest import T0, MovableClock, make_service

SIZE = (80, 24)
DECKS = {
    "history.yaml": "title: Dates and documents\nid: history\ntags: [dates]\ncards:\n"
    + "".join(
        f"  - {{id: h{n}, front: 'When was event {n}?', back: '{1990 + n}'}}\n" for n in range(12)
    ),
    "people.yaml": "title: People and bodies\nid: people\ncards:\n"
    + "".join(
        f"  - {{id: p{n}, front: 'Who chaired meeting {n}?', back: 'Person {n}', "
        "tags: [leaders]}\n"
        for n in range(8)
    ),
}


class Host(App[None]):
    """A bare app that opens the statistics screen and records cram requests."""

    def __init__(
        self, service: Service, deck_id: str | None = None, tag: str | None = None
    ) -> None:
        super().__init__()
        self.service, self.deck_id, self.tag = service, deck_id, tag
        self.crams: list[tuple[str, ...]] = []

    def on_mount(self) -> None:
        self.push_screen(StatsScreen(self.service, self.deck_id, self.tag))

    def on_stats_screen_cram_requested(self, message: StatsScreen.CramRequested) -> None:
        self.crams.append(message.item_keys)


def studied(tmp_path: Path, clock: MovableClock) -> Service:
    """Forty days of study (a seeded learner; only the people deck in the last ten), two mock exams
    and an exam date, seen at T0."""
    service = make_service(tmp_path, DECKS, clock)
    rng = random.Random(7)
    clock.moment = T0 - timedelta(days=40)
    for day in range(40):
        if day % 9 == 4:
            clock.advance(days=1)
            continue
        start = clock.moment
        decks = ["people"] if day >= 30 else []
        session = service.start_review(decks)
        while session.current is not None:
            clock.advance(seconds=rng.randint(5, 30))
            rating = (
                Rating.AGAIN
                if rng.random() < 0.15
                else rng.choice([Rating.HARD, Rating.GOOD, Rating.EASY])
            )
            session.answer(rating, duration_ms=rng.randint(2000, 15000))
            if session.current is None and session.waiting_until is not None:
                clock.moment = max(clock.moment, session.waiting_until)
                session = service.start_review(decks)
        clock.moment = start + timedelta(days=1)
    spec = json.dumps(ExamSpec().to_dict())
    for days_ago, score in ((20, 9.5), (6, 14.0)):
        finished = T0 - timedelta(days=days_ago)
        save_exam(
            service.store,
            ExamRow(0, finished - timedelta(minutes=20), finished, "all decks", spec, 20, score),
            [],
        )
    service.set_exam_date(date(2026, 3, 30))
    clock.moment = T0
    return service


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait for the figures to be computed and shown."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_snapshot_top(snap_compare, tmp_path: Path, clock: MovableClock) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(Host(studied(tmp_path, clock)), terminal_size=SIZE, run_before=settle)


def test_snapshot_exams_and_mastery(
    snap_compare,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    clock: MovableClock,
) -> None:
    async def to_the_end(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        pilot.app.screen.query_one("#stats-body").scroll_end(animate=False)
        await pilot.pause()

    assert snap_compare(Host(studied(tmp_path, clock)), terminal_size=SIZE, run_before=to_the_end)


async def test_c_asks_to_cram_the_hardest_cards(tmp_path: Path, clock: MovableClock) -> None:
    service = studied(tmp_path, clock)
    app = Host(service)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await pilot.pause()
    listed = service.stats().hardest
    hardest = tuple(h.key for h in listed)
    # only the hard ones among the studied cards (at most 10): below the target, lapsed or Again
    assert 0 < len(hardest) <= 10
    target = service.config.desired_retention
    assert all(h.recall < target or h.lapses or h.agains for h in listed)
    assert app.crams == [hardest]


async def test_escape_closes_the_screen(tmp_path: Path, clock: MovableClock) -> None:
    app = Host(make_service(tmp_path, DECKS, clock))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, StatsScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, StatsScreen)


async def test_the_scope_selector_recomputes_for_a_deck_or_a_tag(
    tmp_path: Path, clock: MovableClock
) -> None:
    service = studied(tmp_path, clock)
    app = Host(service, tag="leaders")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StatsScreen) and screen.stats is not None
        assert screen.stats.scope == Scope(tag="leaders") and screen.stats.states.total == 8
        screen.query_one("#scope", Select).value = "deck:history"
        await settle(pilot)
        assert screen.stats.scope == Scope(deck="history")
        assert screen.stats.states.total == 12
        assert screen.stats.exams == ()  # the exams were of all decks
        await pilot.press("c")
        await pilot.pause()
    assert app.crams and all(key.startswith("history/") for key in app.crams[0])


async def test_an_empty_history(tmp_path: Path, clock: MovableClock) -> None:
    app = Host(make_service(tmp_path, DECKS, clock))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert "No cards studied yet." in str(app.screen.query_one("#hardest", Static).render())
        assert "20 cards: 20 new" in str(app.screen.query_one("#glance", Static).render())
        await pilot.press("c")  # nothing to cram: a notice, no message
        await pilot.pause()
        assert app.crams == []
        assert any("nothing to cram" in n.message for n in app._notifications)


async def test_an_error_is_shown_in_one_line(
    tmp_path: Path, clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("study.core.stats.collect.collect", broken)
    app = Host(make_service(tmp_path, DECKS, clock))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        error = app.screen.query_one("#stats-error", Static)
        assert error.display
        assert str(error.render()) == "The statistics could not be computed: disk on fire"
