"""The decks' catalog: the fast start gives what a full load gives, and is used only when current.

The reference is the service after a full load. Progress is made by real
sessions over several simulated days (learning, review, relearning, leeches),
plus suspended, buried and flagged items, studied siblings, and an exam date;
then the counts and the review queue read from the catalog must equal the full
ones, for every deck and for all of them.
"""

from __future__ import annotations

import os
import random
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from study.core.clock import Clock
from study.core.config import Config
from study.core.decks import catalog as catalog_module
from study.core.paths import Paths
from study.core.review.session import StudySession
from study.core.scheduling.scheduler import Rating
from study.core.service import Service
from tests.conftest import MovableClock, make_service

OLD_NS = 1_700_000_000 * 10**9
"""Deck files older than the cache's racy window (a catalog is only written for settled files)."""


LIMITS: dict[str, object] = {"new_per_day": 8, "reviews_per_day": 60, "leech_lapses": 3}
"""Small enough that new items are left after the simulated days, and the review limit bites."""


def deck_text(deck_id: str, cards: int, rng: random.Random) -> str:
    """A deck with basic, reversed, cloze (siblings), typed and choice cards."""
    lines = [f"title: Deck {deck_id}", f"id: {deck_id}", "cards:"]
    for n in range(cards):
        kind = rng.choice(["basic", "reverse", "cloze", "typed", "choice"])
        lines.append(f"  - id: c{n}")
        if kind == "basic":
            lines += [f"    front: question {deck_id} {n}", f"    back: answer {n}"]
        elif kind == "reverse":
            lines += [
                f"    front: term {deck_id} {n}",
                f"    back: meaning {n}",
                "    reverse: true",
            ]
        elif kind == "cloze":
            lines += [
                "    type: cloze",
                f"    text: In {{{{c1::{1900 + n}}}}} the {{{{c2::event {n}}}}} of {deck_id}.",
            ]
        elif kind == "typed":
            lines += ["    type: typed", f"    front: type {deck_id} {n}", f"    answer: word{n}"]
        else:
            lines += [
                "    type: choice",
                f"    front: pick {deck_id} {n}",
                f"    answer: right {n}",
                "    distractors: [wrong a, wrong b, wrong c]",
            ]
    return "\n".join(lines) + "\n"


def settle(folder: Path) -> None:
    for path in folder.rglob("*.yaml"):
        os.utime(path, ns=(OLD_NS, OLD_NS))


def quick_service_raw(tmp_path: Path, clock: MovableClock, **config: object) -> Service:
    """Another service on the same data and decks, its database open, nothing loaded yet."""
    settings = Config(**{"fuzz": False, **config})  # type: ignore[arg-type]
    service = Service(
        Paths.resolve(tmp_path / "data"),
        clock=Clock(clock),
        deck_roots=[tmp_path / "decks"],
        config=settings,
    )
    _ = service.store
    return service


def quick_service(tmp_path: Path, clock: MovableClock, **config: object) -> Service:
    """Another service on the same data and decks, started the fast way (catalog, no load)."""
    service = quick_service_raw(tmp_path, clock, **config)
    assert service.open_catalog(), "the catalog should be current"
    return service


def keys(session: StudySession) -> list[str]:
    current = [session.current.key] if session.current else []
    return current + [entry[2].key for entry in session.learning] + [i.key for i in session.queue]


def study_days(service: Service, clock: MovableClock, rng: random.Random, days: int) -> None:
    """Real sessions, some answers of each rating, one day after another; some flags on the way."""
    ratings = [Rating.AGAIN, Rating.HARD, Rating.GOOD, Rating.GOOD, Rating.EASY]
    for _ in range(days):
        session = service.start_review()
        for _ in range(rng.randint(5, 40)):
            if session.current is None:
                break
            roll = rng.random()
            if roll < 0.04:
                session.suspend()
            elif roll < 0.08:
                session.bury()
            else:
                if roll < 0.12:
                    session.toggle_flag()
                session.answer(rng.choice(ratings))
            clock.advance(minutes=rng.randint(0, 15))
        clock.advance(hours=rng.choice([3, 20, 24, 30]))


@pytest.fixture
def world(tmp_path: Path, clock: MovableClock) -> tuple[Service, Path]:
    rng = random.Random(7)
    decks = {
        f"{group}deck{n}.yaml": deck_text(f"d{n}", rng.randint(20, 60), rng)
        for n, group in enumerate(["", "", "folder/", "folder/", ""])
    }
    service = make_service(tmp_path, decks, clock, **LIMITS)
    settle(tmp_path / "decks")
    service.load()
    assert service.save_catalog()
    study_days(service, clock, rng, 25)
    return service, tmp_path


def compare(full: Service, quick: Service) -> None:
    assert not quick.ready
    full_summaries, quick_summaries = full.summaries(), quick.summaries()
    assert [(s.deck.id, s.deck.title, s.deck.display, s.cards) for s in quick_summaries] == [
        (s.deck.id, s.deck.title, s.deck.display, s.cards) for s in full_summaries
    ]
    assert [s.counts for s in quick_summaries] == [s.counts for s in full_summaries]
    scopes: list[list[str]] = [[], *([s.deck.id] for s in full_summaries), ["d2", "d3"]]
    for scope in scopes:
        expected, got = full.start_review(scope), quick.start_review(scope)
        assert keys(got) == keys(expected), scope
        assert got.memories.items() <= expected.memories.items()
        current = [got.current] if got.current is not None else []  # None: nothing due there
        for item in [*current, *got.queue, *(e[2] for e in got.learning)]:
            assert item == full.items[item.key]


def test_counts_and_queues_from_the_catalog_equal_the_full_ones(
    world: tuple[Service, Path], clock: MovableClock
) -> None:
    full, tmp_path = world
    for hours in (0, 5, 26):  # later the same day, and the next day (new limits, buried items back)
        clock.advance(hours=hours)
        compare(full, quick_service(tmp_path, clock, **LIMITS))


def test_the_same_queue_while_an_exam_date_is_set(
    world: tuple[Service, Path], clock: MovableClock
) -> None:
    full, tmp_path = world
    full.set_exam_date(clock.moment.date() + timedelta(days=10))
    compare(full, quick_service(tmp_path, clock, **LIMITS))


def test_a_session_from_the_catalog_answers_and_sums_up_like_a_full_one(
    world: tuple[Service, Path], clock: MovableClock
) -> None:
    full, tmp_path = world
    quick = quick_service(tmp_path, clock, **LIMITS)
    session = quick.start_review()
    answered = []
    while session.current is not None and len(answered) < 10:
        answered.append(session.current.key)
        session.answer(Rating.GOOD)
    memories = full.store.memories()  # the full service sees the answers, through the database
    assert answered and all(memories[key].reps > 0 for key in answered)
    summary, now = session.summary(), clock.moment
    next_end = full.clock.day_bounds(now, full.config.day_starts_at)[1] + timedelta(days=1)
    dues = [m.due for m in memories.values() if m.due is not None and not m.is_new]
    assert summary.next_due == min(d for d in dues if d > now)
    assert summary.due_next_day == sum(1 for d in dues if d < next_end) > 0
    assert (summary.answered, summary.practice) == (len(answered), False)


def test_decks_and_cards_from_the_catalog(world: tuple[Service, Path], clock: MovableClock) -> None:
    full, tmp_path = world
    quick = quick_service(tmp_path, clock)
    assert quick.deck_files() == full.deck_files()
    for deck in full.decks:
        assert quick.deck(deck.id) is not None
        assert quick.deck(deck.id).path == deck.path  # type: ignore[union-attr]
        assert tuple(quick.deck_cards(deck.id)) == deck.cards
    assert quick.problems == full.problems
    assert quick.deck("nosuch") is None


def test_problems_are_kept_in_the_catalog(tmp_path: Path, clock: MovableClock) -> None:
    service = make_service(
        tmp_path,
        {
            "good.yaml": deck_text("g", 3, random.Random(1)),
            "bad.yaml": "title: Bad\nid: bad\ncards:\n  - front: [\n",
        },
        clock,
    )
    settle(tmp_path / "decks")
    service.load()
    assert service.problems and service.save_catalog()
    quick = quick_service(tmp_path, clock)
    assert quick.problems == service.problems
    assert [s.deck.id for s in quick.summaries()] == ["g"]


def changes(tmp_path: Path) -> list[tuple[str, object]]:
    folder = tmp_path / "decks"
    return [
        (
            "edited",
            lambda: (folder / "deck0.yaml").write_text((folder / "deck0.yaml").read_text() + "\n"),
        ),
        ("touched", lambda: os.utime(folder / "deck1.yaml", ns=(OLD_NS + 10**9, OLD_NS + 10**9))),
        ("added", lambda: (folder / "new.yaml").write_text(deck_text("n", 2, random.Random(2)))),
        ("removed", lambda: (folder / "deck4.yaml").unlink()),
        ("replaced", lambda: os.replace(folder / "deck1.yaml", folder / "deck0.yaml")),
        ("chmod", lambda: (folder / "deck2.yaml").chmod(0)),  # unreadable now: not what was read
    ]


@pytest.mark.parametrize("change", range(6))
def test_any_change_to_the_deck_files_makes_the_catalog_stale(
    tmp_path: Path, clock: MovableClock, change: int
) -> None:
    rng = random.Random(3)
    make_service(tmp_path, {f"deck{n}.yaml": deck_text(f"d{n}", 4, rng) for n in range(5)}, clock)
    settle(tmp_path / "decks")
    service = quick_service_after_load(tmp_path, clock)
    assert service.open_catalog()
    name, act = changes(tmp_path)[change]
    act()  # type: ignore[operator]
    assert not quick_service_raw(tmp_path, clock).open_catalog(), name


def quick_service_after_load(tmp_path: Path, clock: MovableClock) -> Service:
    service = quick_service_raw(tmp_path, clock)
    service.load()
    assert service.save_catalog()
    assert not service.save_catalog(), "an unchanged catalog is not written again"
    return quick_service_raw(tmp_path, clock)


def test_another_version_of_the_tool_does_not_use_the_catalog(
    tmp_path: Path, clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_service(tmp_path, {"deck0.yaml": deck_text("d0", 4, random.Random(4))}, clock)
    settle(tmp_path / "decks")
    assert quick_service_after_load(tmp_path, clock).open_catalog()
    monkeypatch.setattr(catalog_module, "fingerprint", lambda: "another version")
    assert not quick_service_raw(tmp_path, clock).open_catalog()


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "missing"])
def test_a_damaged_catalog_is_ignored_and_written_again(
    tmp_path: Path, clock: MovableClock, damage: str
) -> None:
    make_service(tmp_path, {"deck0.yaml": deck_text("d0", 4, random.Random(5))}, clock)
    settle(tmp_path / "decks")
    quick_service_after_load(tmp_path, clock)
    path = tmp_path / "data" / "cache" / "catalog.sqlite3"
    data = path.read_bytes()
    if damage == "garbage":
        path.write_bytes(b"not a database" * 100)
    elif damage == "truncated":
        path.write_bytes(data[: len(data) // 3])
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        path.unlink()
    service = quick_service_raw(tmp_path, clock)
    assert not service.open_catalog()
    service.load()
    assert service.save_catalog()
    assert quick_service_raw(tmp_path, clock).open_catalog()


def test_no_catalog_is_written_for_files_still_being_edited(
    tmp_path: Path, clock: MovableClock
) -> None:
    make_service(
        tmp_path, {"deck0.yaml": deck_text("d0", 4, random.Random(6))}, clock
    )  # modified just now
    service = quick_service_raw(tmp_path, clock)
    service.load()
    assert not service.save_catalog()
    assert not (tmp_path / "data" / "cache" / "catalog.sqlite3").exists()


def test_the_catalog_is_written_owner_only_and_read_only_when_used(
    tmp_path: Path, clock: MovableClock
) -> None:
    make_service(tmp_path, {"deck0.yaml": deck_text("d0", 4, random.Random(8))}, clock)
    settle(tmp_path / "decks")
    service = quick_service_after_load(tmp_path, clock)
    path = tmp_path / "data" / "cache" / "catalog.sqlite3"
    assert path.stat().st_mode & 0o777 == 0o600
    assert service.open_catalog() and service.catalog is not None
    with pytest.raises(sqlite3.OperationalError):
        service.catalog.db.execute("DELETE FROM item")
    with pytest.raises(sqlite3.OperationalError):
        service.catalog.db.execute("DELETE FROM p.item_state")


def test_a_session_started_from_the_catalog_takes_the_loaded_cards_after_the_load(
    world: tuple[Service, Path], clock: MovableClock
) -> None:
    _, tmp_path = world
    quick = quick_service(tmp_path, clock, **LIMITS)
    session = quick.start_review()
    before = keys(session)
    quick.load()
    session.replace_items(quick.items)
    assert keys(session) == before
    assert quick.ready and quick.summaries()


def test_a_data_folder_with_spaces_hashes_and_accents_works(
    tmp_path: Path, clock: MovableClock
) -> None:
    odd = tmp_path / "my study #1 ?x=1 Việt Nam%20"
    odd.mkdir()
    make_service(odd, {"deck0.yaml": deck_text("d0", 4, random.Random(9))}, clock)
    settle(odd / "decks")
    service = quick_service_after_load(odd, clock)
    assert service.open_catalog()
    full = quick_service_raw(odd, clock)
    full.load()
    assert [s.counts for s in service.summaries()] == [s.counts for s in full.summaries()]
    assert keys(service.start_review()) == keys(full.start_review())


def test_no_catalog_keeps_a_read_error_past_its_cause(
    tmp_path: Path, clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from study.core.decks import loader

    make_service(tmp_path, {"deck0.yaml": deck_text("d0", 4, random.Random(7))}, clock)
    settle(tmp_path / "decks")

    def denied(file: object, *args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied", str(file))

    monkeypatch.setattr(loader, "open", denied, raising=False)
    service = quick_service_raw(tmp_path, clock)
    service.load()
    assert "Permission denied" in service.problems[0].message
    assert not service.save_catalog()  # `chmod 000` changes nothing the signature sees
    monkeypatch.undo()
    service = quick_service_raw(tmp_path, clock)
    if service.open_catalog():  # the one from before the error, if any
        assert not any("Permission" in p.message for p in service.problems)
    service.load()
    assert not any("Permission" in p.message for p in service.problems)
    assert [d.id for d in service.decks] == ["d0"]
