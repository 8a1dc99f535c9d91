"""The card browser's model: states, rows, sorting, the actions, forgetting, history."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from study.core.progress.store import FORGET
from study.core.review.browse import CardIndex, Column
from study.core.review.card_actions import Action, undoable
from study.core.review.search import parse
from study.core.scheduling.scheduler import Rating
from study.core.service import Service
from tests.conftest import MovableClock, make_service

DECK = """\
title: Demo
id: demo
cards:
  - id: capital
    front: Capital of Việt Nam?
    back: Hanoi
    tags: [places]
  - id: resolution
    front: Number of the 2013 resolution
    back: 806-NQ/QUTW
    reverse: true
    tags: [documents, dates]
  - id: motto
    text: More {{c1::friends}}, fewer {{c2::enemies}}.
"""

OTHER = """\
title: Other
id: other
cards:
  - id: one
    front: A question of another deck
    back: its answer
"""


@pytest.fixture
def service(tmp_path: Path, clock: MovableClock) -> Service:
    return make_service(tmp_path, {"demo.yaml": DECK, "group/other.yaml": OTHER}, clock)


def answer(service: Service, key: str, *ratings: Rating) -> None:
    """Answer one item, as a session would (store, scheduler, leech rule)."""
    for rating in ratings:
        service.store.record_answer(
            key, service.clock.now(), rating, 1000, None, service.scheduler, 8
        )


def found(index: CardIndex, text: str) -> list[str]:
    return [index.keys[i] for i in index.search(parse(text))]


def test_every_item_is_listed_once_in_deck_order(service: Service) -> None:
    index = service.card_index()
    assert index.keys == [
        "demo/capital",
        "demo/resolution",
        "demo/resolution#r",
        "demo/motto#c1",
        "demo/motto#c2",
        "other/one",
    ]
    assert found(service.card_index(["other"]), "") == ["other/one"]


def test_states_and_rows(service: Service, clock: MovableClock) -> None:
    answer(service, "demo/capital", Rating.GOOD, Rating.GOOD)  # review, a few days on
    answer(service, "demo/resolution", Rating.AGAIN)  # learning, due in a minute
    store = service.store
    store.set_flag("demo/resolution#r", suspended=True, flagged=True)
    store.set_flag("demo/motto#c1", buried_until=clock.moment + timedelta(hours=20))
    store.set_flag("other/one", flagged=True)
    index = service.card_index()
    assert found(index, "is:review") == ["demo/capital"]
    assert found(index, "is:learning") == ["demo/resolution"]
    assert found(index, "is:due") == ["demo/resolution"]
    assert found(index, "is:new") == [
        "demo/resolution#r",
        "demo/motto#c1",
        "demo/motto#c2",
        "other/one",
    ]
    assert found(index, "is:suspended") == ["demo/resolution#r"]
    assert found(index, "is:buried") == ["demo/motto#c1"]
    assert found(index, "is:flagged") == ["demo/resolution#r", "other/one"]
    assert found(index, "tag:dates -is:suspended") == ["demo/resolution"]
    assert found(index, "viet") == ["demo/capital"]  # accents do not matter
    assert found(index, "friends") == ["demo/motto#c1", "demo/motto#c2"]  # cloze text, unmarked
    assert found(index, "deck:group") == ["other/one"]

    capital, learning = index.rows([0, 1])
    assert capital.states == ("review",)
    assert capital.lapses == 0 and capital.last_rating == int(Rating.GOOD)
    assert capital.recall == pytest.approx(1.0)
    cells = capital.cells(service.clock, clock.moment)
    assert cells[0] == "Capital of Việt Nam?" and cells[1] == "demo" and cells[2] == "review"
    assert cells[5] == "100%" and cells[7] == "Good 2026-03-02"
    assert learning.states == ("learning", "due")
    assert learning.cells(service.clock, clock.moment)[3] == "09:01"  # due today: the time
    new = index.rows([5])[0]
    assert new.states == ("new", "flagged") and new.due is None and new.recall is None
    assert new.cells(service.clock, clock.moment)[3:] == ("-", "-", "-", "0", "-")
    assert new.to_dict()["last_answer"] is None
    assert capital.to_dict()["last_answer"] == {"at": "2026-03-02T09:00:00+00:00", "rating": "Good"}


def test_sorting_by_each_column(service: Service, clock: MovableClock) -> None:
    answer(service, "demo/motto#c2", Rating.GOOD, Rating.GOOD)
    clock.advance(days=1)
    answer(service, "demo/capital", Rating.AGAIN)
    index = service.card_index()
    everything = index.search(parse(""))
    by = {column: [index.keys[i] for i in index.sort(everything, column)] for column in Column}
    assert by[Column.DUE][:2] == ["demo/capital", "demo/motto#c2"]  # new items last
    assert by[Column.LAST][-2:] == ["demo/motto#c2", "demo/capital"]
    assert by[Column.STABILITY][-1] == "demo/motto#c2"
    assert by[Column.DECK][-1] == "other/one"
    assert by[Column.CARD][:2] == ["demo/resolution#r", "other/one"]  # "806-NQ", "a question"
    assert by[Column.STATE][:4] == [
        "demo/resolution",
        "demo/resolution#r",
        "demo/motto#c1",
        "other/one",
    ]
    descending = index.sort(everything, Column.DUE, descending=True)
    assert [index.keys[i] for i in descending][-2:] == ["demo/motto#c2", "demo/capital"]


def test_actions_say_how_many_changed(service: Service, clock: MovableClock) -> None:
    index = service.card_index()
    first_two = [0, 1]
    outcome = index.act(Action.SUSPEND, first_two)
    assert outcome.describe() == "Suspended 2 cards."
    assert found(index, "is:suspended") == ["demo/capital", "demo/resolution"]  # shown at once
    assert index.act(Action.SUSPEND, [0, 1, 2]).describe() == (
        "Suspended 1 card (2 were suspended already)."
    )
    assert index.act(Action.UNSUSPEND, [0, 1, 2, 3]).describe() == (
        "Unsuspended 3 cards (1 was not suspended)."
    )
    assert found(index, "is:suspended") == []
    service.store.set_flag("demo/capital", buried_until=clock.moment + timedelta(hours=3))
    service.store.set_flag("demo/resolution", flagged=True)
    index = service.card_index()
    assert index.act(Action.UNBURY, [0, 1]).describe() == "Unburied 1 card (1 was not buried)."
    assert index.act(Action.UNFLAG, [0, 1]).describe() == "Unflagged 1 card (1 was not flagged)."
    assert found(index, "is:buried") == [] and found(index, "is:flagged") == []
    assert service.store.flags()["demo/capital"].buried_until is None


def test_unsuspending_a_leech_clears_its_mark(service: Service) -> None:
    answer(service, "demo/capital", Rating.GOOD, Rating.GOOD)
    for _ in range(8):
        answer(service, "demo/capital", Rating.AGAIN, Rating.GOOD, Rating.GOOD)
    index = service.card_index()
    assert found(index, "is:leech is:suspended") == ["demo/capital"]
    index.act(Action.UNSUSPEND, [0])
    assert found(index, "is:leech") == [] and found(index, "is:suspended") == []


def test_undo_puts_back_the_flags_an_action_changed(service: Service) -> None:
    answer(service, "demo/capital", Rating.GOOD, Rating.GOOD)
    for _ in range(8):
        answer(service, "demo/capital", Rating.AGAIN, Rating.GOOD, Rating.GOOD)
    store, index = service.store, service.card_index()
    before = store.flags()
    assert before["demo/capital"].leech and before["demo/capital"].suspended
    unsuspended = index.act(Action.UNSUSPEND, [0, 1])  # the leech's mark goes too
    assert found(index, "is:leech") == [] and undoable(unsuspended)
    assert index.undo(unsuspended) == "Undid: unsuspend of 1 card (suspended again)."
    assert store.flags() == before and found(index, "is:leech is:suspended") == ["demo/capital"]
    suspended = index.act(Action.SUSPEND, [0, 1, 2])  # one was suspended already
    assert index.undo(suspended) == "Undid: suspend of 2 cards (unsuspended again)."
    assert store.flags() == before  # the cards that had no flags have none again
    nothing = index.act(Action.UNFLAG, [0])  # nothing changed: nothing to undo
    assert not undoable(nothing)
    with pytest.raises(ValueError, match="nothing to undo"):
        index.undo(nothing)


def test_undoing_a_forget_brings_the_progress_back_through_the_log(
    service: Service, clock: MovableClock
) -> None:
    store, scheduler = service.store, service.scheduler
    answer(service, "demo/capital", Rating.GOOD, Rating.GOOD)
    for _ in range(8):
        answer(service, "demo/capital", Rating.AGAIN, Rating.GOOD, Rating.GOOD)
    answer(service, "demo/resolution", Rating.AGAIN)
    index = service.card_index()
    memories, flags, log = store.memories(), store.flags(), len(store.reviews())
    assert flags["demo/capital"].leech
    clock.advance(minutes=5)
    forgotten = index.act(Action.FORGET, [0, 1, 2])  # the third card is new already
    assert forgotten.changed == 2 and undoable(forgotten)
    assert store.memories() == {} and not store.flags()["demo/capital"].leech
    clock.advance(minutes=5)
    assert index.undo(forgotten) == "Undid: forget of 2 cards (their progress back)."
    assert store.memories() == memories and store.flags() == flags
    assert found(index, "is:leech") == ["demo/capital"]
    assert len(store.reviews()) == log  # the forget rows and their undo rows do not count
    assert store.replay_all(scheduler) == memories  # the states are still a replay of the log


def test_forget_resets_to_new_keeps_the_log_and_replays(
    service: Service, clock: MovableClock
) -> None:
    store, scheduler = service.store, service.scheduler
    answer(service, "demo/capital", Rating.GOOD, Rating.GOOD)
    answer(service, "demo/resolution", Rating.AGAIN)
    store.set_flag("demo/capital", flagged=True)
    clock.advance(hours=1)
    index = service.card_index()
    outcome = index.act(Action.FORGET, [0, 1, 3])
    assert outcome.describe() == "Reset 2 cards to new (1 was new already)."
    assert found(index, "is:new")[:2] == ["demo/capital", "demo/resolution"]
    assert found(index, "is:flagged") == ["demo/capital"]  # the flag stays
    assert store.memory("demo/capital") is None
    log = store.reviews()
    assert [(r.item, r.mode) for r in log[-2:]] == [
        ("demo/capital", FORGET),
        ("demo/resolution", FORGET),
    ]
    assert len(log) == 5  # nothing deleted: three answers and two forget rows
    assert store.memories() == store.replay_all(scheduler)
    # answered again after the reset: a new card's first answer, in the store and in a replay
    clock.advance(minutes=5)
    answer(service, "demo/capital", Rating.GOOD)
    fresh = store.memory("demo/capital")
    assert fresh is not None and fresh.reps == 1 and fresh.lapses == 0
    assert store.memories() == store.replay_all(scheduler)
    assert store.rebuild(scheduler) == 0
    assert store.undo("demo/capital", log[-2].id, clock.moment, scheduler, 8) is not None
    assert store.memories() == store.replay_all(scheduler)  # an undone forget replays as never made
    # forget rows are no answers: the statistics' log and the last answer leave them out
    assert all(row[2] != 0 for row in store.log_rows())
    assert store.last_answers()["demo/resolution"][1] == int(Rating.AGAIN)


def test_forget_clears_the_leech_mark_and_keeps_the_suspension(service: Service) -> None:
    answer(service, "demo/capital", Rating.GOOD, Rating.GOOD)
    for _ in range(8):
        answer(service, "demo/capital", Rating.AGAIN, Rating.GOOD, Rating.GOOD)
    service.card_index().act(Action.FORGET, [0])
    flags = service.store.flag("demo/capital")
    assert flags.suspended and not flags.leech


def test_last_answers_skip_undone_answers(service: Service, clock: MovableClock) -> None:
    store = service.store
    answer(service, "demo/capital", Rating.HARD)
    clock.advance(minutes=2)
    answer(service, "demo/capital", Rating.EASY)
    last = store.reviews()[-1]
    store.undo("demo/capital", last.id, clock.moment, service.scheduler, 8)
    assert store.last_answers() == {
        "demo/capital": (int(clock.moment.timestamp() * 1000) - 120_000, 2)
    }
    assert store.last_answers(["demo/capital", "demo/motto#c1"]) == store.last_answers()


def test_history_lists_every_answer_with_the_interval_after_it(
    service: Service, clock: MovableClock
) -> None:
    answer(service, "demo/capital", Rating.GOOD)
    store = service.store
    store.record("demo/capital", clock.moment, Rating.AGAIN, 500, "practice", "Saigon", None)
    index = service.card_index()
    index.act(Action.FORGET, [0])
    steps = index.history(0)
    assert [(s.rating, s.mode, s.answer) for s in steps] == [
        ("Good", "review", None),
        ("Again", "practice", "Saigon"),
        ("forgotten", FORGET, None),
    ]
    assert steps[0].interval == timedelta(minutes=10) and steps[0].seconds == 1.0
    assert steps[1].interval is None and steps[2].interval is None
