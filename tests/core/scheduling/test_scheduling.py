"""The FSRS wrapper: exact intervals, previews, retrievability, and replay of the log."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import fsrs
import pytest

from study.core.config import Config
from study.core.scheduling.scheduler import NEW, Memory, Phase, Rating, Scheduler, format_interval

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
A, H, G, E = Rating.AGAIN, Rating.HARD, Rating.GOOD, Rating.EASY
SEQUENCE = [G, G, G, A, G, H, E, G, A, A, G, E]
"""A learner's answers to one item, each given when the item is due."""


def reference_scheduler(config: Config) -> fsrs.Scheduler:
    """The fsrs package itself, with the same settings and no fuzz."""
    return fsrs.Scheduler(
        desired_retention=config.desired_retention,
        learning_steps=config.learning,
        relearning_steps=config.relearning,
        maximum_interval=config.maximum_interval,
        enable_fuzzing=False,
    )


def run(
    scheduler: Scheduler, ratings: list[Rating], start: datetime = T0
) -> list[tuple[datetime, Memory]]:
    """Answer each rating when the item is due; returns (when answered, state after) per answer."""
    memory, now, out = NEW, start, []
    for rating in ratings:
        memory = scheduler.review(memory, rating, now)
        out.append((now, memory))
        assert memory.due is not None
        now = memory.due
    return out


def test_known_intervals_with_the_default_settings() -> None:
    scheduler = Scheduler(Config(fuzz=False))
    steps = run(scheduler, [G, G, G, G])
    intervals = [memory.due - when for when, memory in steps if memory.due]
    assert intervals == [
        timedelta(minutes=10),
        timedelta(days=2),
        timedelta(days=11),
        timedelta(days=46),
    ]
    assert [m.phase for _, m in steps] == [Phase.LEARNING, Phase.REVIEW, Phase.REVIEW, Phase.REVIEW]
    assert [m.reps for _, m in steps] == [1, 2, 3, 4]
    first = steps[0][1]
    assert first.stability == pytest.approx(2.3065)  # the FSRS-6 default initial stability for Good
    easy = scheduler.review(NEW, E, T0)
    assert easy.phase is Phase.REVIEW and easy.due == T0 + timedelta(days=8)
    again = scheduler.review(NEW, A, T0)
    assert again.phase is Phase.LEARNING and again.due == T0 + timedelta(minutes=1)


@pytest.mark.parametrize(
    "config",
    [
        Config(fuzz=False),
        Config(
            fuzz=False,
            desired_retention=0.8,
            learning_steps=("30s", "5m", "1h"),
            relearning_steps=(),
        ),
        Config(fuzz=False, desired_retention=0.97, maximum_interval=30),
    ],
    ids=["defaults", "custom-steps", "short-max"],
)
def test_intervals_equal_the_fsrs_package(config: Config) -> None:
    ours = run(Scheduler(config), SEQUENCE)
    reference = reference_scheduler(config)
    card = fsrs.Card(card_id=1, due=T0)
    now = T0
    for rating, (when, memory) in zip(SEQUENCE, ours, strict=False):
        assert when == now
        card, _ = reference.review_card(card, fsrs.Rating(int(rating)), now)
        assert memory.due == card.due
        assert memory.stability == card.stability
        assert memory.difficulty == card.difficulty
        assert int(memory.phase) == int(card.state)
        assert memory.step == card.step
        assert memory.last_review == now
        now = card.due


def test_maximum_interval_is_respected() -> None:
    steps = run(Scheduler(Config(fuzz=False, maximum_interval=30)), [E] * 8)
    assert all(m.due - when <= timedelta(days=30) for when, m in steps if m.due)
    last_answer, last = steps[-1]
    assert last.due is not None and last.due - last_answer == timedelta(days=30)


def test_higher_retention_means_shorter_intervals() -> None:
    low = run(Scheduler(Config(fuzz=False, desired_retention=0.8)), [G] * 5)[-1]
    high = run(Scheduler(Config(fuzz=False, desired_retention=0.95)), [G] * 5)[-1]
    assert high[1].due - high[0] < low[1].due - low[0]  # type: ignore[operator]


def test_lapses_count_only_forgetting_a_reviewed_item() -> None:
    steps = run(Scheduler(Config(fuzz=False)), [A, G, G, A, G, A])
    assert [m.lapses for _, m in steps] == [0, 0, 0, 1, 1, 2]
    assert [m.phase for _, m in steps] == [
        Phase.LEARNING,
        Phase.LEARNING,
        Phase.REVIEW,
        Phase.RELEARNING,
        Phase.REVIEW,
        Phase.RELEARNING,
    ]


def test_preview_of_a_new_item() -> None:
    preview = Scheduler(Config(fuzz=False)).preview(NEW, T0)
    assert preview == {
        A: timedelta(minutes=1),
        H: timedelta(minutes=5, seconds=30),
        G: timedelta(minutes=10),
        E: timedelta(days=8),
    }
    assert [format_interval(preview[r]) for r in Rating] == ["1m", "6m", "10m", "8d"]


def test_preview_equals_what_each_rating_gives() -> None:
    scheduler = Scheduler(Config(fuzz=True))  # the preview never fuzzes
    for _, memory in run(Scheduler(Config(fuzz=False)), SEQUENCE[:6]):
        now = memory.due
        assert now is not None
        preview = scheduler.preview(memory, now)
        exact = Scheduler(Config(fuzz=False))
        assert preview == {r: exact.review(memory, r, now).due - now for r in Rating}  # type: ignore[operator]
        assert preview[A] < preview[H] <= preview[G] < preview[E]


def test_preview_of_a_reviewed_item_matches_fsrs() -> None:
    _, memory = run(Scheduler(Config(fuzz=False)), [G, G])[-1]
    now = memory.due
    assert now is not None
    preview = Scheduler(Config(fuzz=False)).preview(memory, now)
    assert preview == {
        A: timedelta(minutes=10),
        H: timedelta(days=8),
        G: timedelta(days=11),
        E: timedelta(days=19),
    }


def test_retrievability() -> None:
    config = Config(fuzz=False)
    scheduler = Scheduler(config)
    assert scheduler.retrievability(NEW, T0) == 0.0
    when, memory = run(scheduler, [G, G])[-1]
    assert scheduler.retrievability(memory, when) == pytest.approx(1.0)
    assert memory.due is not None
    at_due = scheduler.retrievability(memory, memory.due)
    assert at_due == pytest.approx(0.9095, abs=1e-4)  # near the desired retention, 2 days on
    later = [scheduler.retrievability(memory, memory.due + timedelta(days=d)) for d in (1, 10, 100)]
    assert at_due > later[0] > later[1] > later[2] > 0
    card = fsrs.Card(
        card_id=1,
        state=fsrs.State.Review,
        stability=memory.stability,
        difficulty=memory.difficulty,
        due=memory.due,
        last_review=memory.last_review,
    )
    reference = reference_scheduler(config).get_card_retrievability(
        card, memory.due + timedelta(days=10)
    )
    assert later[1] == reference


def test_replay_equals_review_without_fuzz() -> None:
    scheduler = Scheduler(Config(fuzz=False))
    replayed = NEW
    for when, memory in run(scheduler, SEQUENCE):
        assert scheduler.replay(replayed, SEQUENCE[memory.reps - 1], when, None) == memory
        replayed = scheduler.replay(replayed, SEQUENCE[memory.reps - 1], when, memory.due)
        assert replayed == memory


def test_replay_with_the_logged_due_reproduces_fuzzed_reviews_exactly() -> None:
    random.seed(20260302)  # fsrs draws its fuzz from the random module
    live = Scheduler(Config(fuzz=True))
    exact = Scheduler(Config(fuzz=False))
    fuzzed = 0
    for item in range(20):
        ratings = random.Random(item).choices(list(Rating), weights=[1, 1, 5, 2], k=15)
        replayed = NEW
        for when, memory in run(live, ratings):
            rating = ratings[memory.reps - 1]
            unfuzzed = exact.review(replayed, rating, when)
            fuzzed += unfuzzed.due != memory.due
            replayed = live.replay(replayed, rating, when, memory.due)
            assert replayed == memory
    assert fuzzed > 20  # the fuzz did move due dates, and replay still matched


def test_memory_defaults() -> None:
    assert NEW.is_new and NEW.phase is Phase.NEW and NEW.reps == 0 and NEW.due is None
    assert not Scheduler(Config(fuzz=False)).review(NEW, G, T0).is_new


@pytest.mark.parametrize(
    ("delta", "label"),
    [
        (timedelta(seconds=30), "<1m"),
        (timedelta(minutes=1), "1m"),
        (timedelta(minutes=10), "10m"),
        (timedelta(hours=3), "3h"),
        (timedelta(days=4), "4d"),
        (timedelta(days=29), "29d"),
        (timedelta(days=30), "1mo"),
        (timedelta(days=75), "2.5mo"),
        (timedelta(days=365), "1y"),
        (timedelta(days=438), "1.2y"),
    ],
)
def test_format_interval(delta: timedelta, label: str) -> None:
    assert format_interval(delta) == label


@pytest.mark.parametrize("decay", [None, 0.1, 0.3456, 0.8])
def test_retrievability_is_exactly_fsrs_forgetting_curve(decay: float | None) -> None:
    """The fast curve gives fsrs's own figure to the last bit (the default and fitted curves)."""
    rng = random.Random(11)
    params = list(fsrs.scheduler.DEFAULT_PARAMETERS)
    if decay is not None:
        params[20] = decay
    config = Config(fuzz=False, parameters=tuple(params))
    scheduler = Scheduler(config)
    reference = fsrs.Scheduler(
        parameters=params, desired_retention=config.desired_retention, enable_fuzzing=False
    )
    for _ in range(2000):
        last = T0 + timedelta(seconds=rng.randint(0, 10**8))
        memory = Memory(
            Phase(rng.choice([1, 2, 3])),
            0,
            rng.uniform(0.01, 3000),
            rng.uniform(1, 10),
            last + timedelta(days=1),
            last,
            3,
            0,
        )
        at = last + timedelta(seconds=rng.randint(-(10**5), 10**9))
        card = fsrs.Card(
            card_id=1,
            state=fsrs.State(int(memory.phase)),
            stability=memory.stability,
            difficulty=memory.difficulty,
            due=memory.due,
            last_review=memory.last_review,
        )
        assert scheduler.retrievability(memory, at) == reference.get_card_retrievability(card, at)
