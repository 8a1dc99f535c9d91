"""Item states and flags: rebuilt from the log, leeches and suspension."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import pytest

from study.core.config import Config
from study.core.progress.store import (
    Flags,
    Store,
)
from study.core.review.session import StudySession
from study.core.scheduling.scheduler import Memory, Phase, Rating, Scheduler
from study.core.service import Service
from tests.conftest import T0, MovableClock, make_service
from tests.core.progress.stores import DECK, ONE_CARD, SIBLINGS, database, raw

# --- rebuild ----------------------------------------------------------------------------------


def study_days(service: Service, clock: MovableClock, rng: random.Random, days: int) -> int:
    """Study every day for ``days`` days, random answers and some undos; returns answers given."""
    answers = 0
    for _ in range(days):
        session = service.start_review()
        for _ in range(400):
            if session.current is None:
                break
            if session.history and rng.random() < 0.08:
                session.undo()
                continue
            session.answer(
                rng.choices(list(Rating), weights=[2, 1, 6, 2])[0],
                duration_ms=rng.randint(500, 20_000),
            )
            answers += 1
            clock.advance(seconds=rng.randint(5, 400))
        if rng.random() < 0.3:
            practice = service.start_practice(limit=5, seed=rng.randint(0, 99))
            while practice.current is not None:
                practice.answer(rng.choice(list(Rating)))
        clock.moment = clock.moment.replace(hour=9, minute=0) + timedelta(
            days=rng.choice([1, 1, 2, 3]), minutes=rng.randint(0, 600)
        )
    return answers


@pytest.mark.parametrize("fuzz", [False, True], ids=["fuzz-off", "fuzz-on"])
def test_rebuild_from_the_log_equals_the_live_state(
    tmp_path: Path, clock: MovableClock, fuzz: bool
) -> None:
    random.seed(99)  # fsrs draws its fuzz from the random module
    service = make_service(
        tmp_path, {"d.yaml": DECK, "s.yaml": SIBLINGS}, clock, fuzz=fuzz, new_per_day=4
    )
    answers = study_days(service, clock, random.Random(2026), days=40)
    store = service.store
    live = store.memories()
    assert answers > 150
    assert len(live) == len(service.items)
    assert Phase.REVIEW in {m.phase for m in live.values()}
    assert any(m.lapses for m in live.values())
    assert store.replay_all(service.scheduler) == live
    assert store.rebuild(service.scheduler) == 0
    assert store.memories() == live
    # a damaged state table is put right from the log
    with raw(database(service)) as db:
        db.execute("UPDATE item_state SET stability = 1000, due = 0 WHERE item = 'd/c0'")
        db.execute("DELETE FROM item_state WHERE item = 'd/c1'")
        db.execute("INSERT INTO item_state VALUES ('d/ghost', 2, NULL, 1, 5, 0, 0, 1, 0)")
    assert store.rebuild(service.scheduler) == 3
    assert store.memories() == live


def test_rebuild_with_other_settings_recomputes_memory_but_keeps_logged_dues(
    tmp_path: Path, clock: MovableClock
) -> None:
    service = make_service(tmp_path, {"d.yaml": DECK}, clock)
    study_days(service, clock, random.Random(1), days=5)
    live = service.store.memories()
    changed = service.store.rebuild(Scheduler(Config(fuzz=False, desired_retention=0.8)))
    rebuilt = service.store.memories()
    assert {k: m.due for k, m in rebuilt.items()} == {k: m.due for k, m in live.items()}
    assert changed == sum(1 for k in live if rebuilt[k] != live[k])


# --- leeches and flags ----------------------------------------------------------------------------


def lapse(service: Service, clock: MovableClock, key: str) -> StudySession:
    """Move to when ``key`` is due and forget it (Again); returns the session."""
    memory = service.store.memory(key)
    assert memory is not None and memory.phase is Phase.REVIEW and memory.due is not None
    clock.moment = max(clock.moment, memory.due)
    session = service.start_review()
    assert session.current is not None and session.current.key == key
    session.answer(Rating.AGAIN)
    return session


def test_a_leech_is_flagged_and_suspended_and_undo_clears_it(
    tmp_path: Path, clock: MovableClock
) -> None:
    service = make_service(tmp_path, {"d.yaml": ONE_CARD}, clock)
    store = service.store
    session = service.start_review()
    session.answer(Rating.EASY)  # d/c0 is in review
    for number in range(1, 8):
        session = lapse(service, clock, "d/c0")
        assert store.flags().get("d/c0", Flags()) == Flags()
        assert session.current is not None  # relearning: back in ten minutes
        clock.advance(minutes=10)
        session.answer(Rating.GOOD)
        assert store.memory("d/c0").lapses == number  # type: ignore[union-attr]
    before = store.memory("d/c0")
    session = lapse(service, clock, "d/c0")  # the eighth lapse
    assert store.memory("d/c0").lapses == 8  # type: ignore[union-attr]
    assert store.flags()["d/c0"] == Flags(leech=True, suspended=True)
    assert session.current is None  # not shown again
    assert service.start_review().current is None
    assert session.undo() is not None
    assert store.flags()["d/c0"] == Flags()
    assert store.memory("d/c0") == before
    assert service.start_review().current is not None


def test_unsuspending_a_leech_clears_the_leech_mark(tmp_path: Path) -> None:
    store = Store(tmp_path / "p.sqlite3")
    store.record("d/a", T0, Rating.AGAIN, 0, "review", None, Memory(Phase.RELEARNING), leech=True)
    assert store.flags()["d/a"] == Flags(leech=True, suspended=True)
    store.set_flag("d/a", suspended=False)
    assert store.flags()["d/a"] == Flags()
    store.set_flag("d/a", flagged=True, buried_until=T0)
    assert store.flags()["d/a"] == Flags(flagged=True, buried_until=T0)
    store.set_flag("d/a", buried_until=None)
    assert store.flags()["d/a"] == Flags(flagged=True)
