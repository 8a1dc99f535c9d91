"""How long the statistics take on a large history: a year of daily study, 100,000 answers.

    PYTHONPATH=. python benchmarks/stats_bench.py [--items 3000] [--answers 100000] \\
        [--runs 5] [--seed 1]

Builds, in a temporary folder, decks of ``--items`` cards and a review log of
``--answers`` answers over 365 days (the due items of each day answered as FSRS
schedules them, new items introduced, practice answers filling the rest), then
times ``Service.stats`` for all decks, one deck, one tag, and all decks
with an exam date set (which adds the exam-day forecast of ``study.core.exams.plan``),
and prints the median, min and max over ``--runs`` runs. Deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from study.core.clock import fixed_clock
from study.core.config import Config
from study.core.paths import Paths
from study.core.progress.store import to_ms
from study.core.scheduling.scheduler import NEW, Memory, Rating
from study.core.service import Service
from study.core.stats.figures import Scope

DECKS = 6
TAGS = ("dates", "people", "documents", "figures", "events")
START = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def write_decks(folder: Path, items: int) -> None:
    """``DECKS`` deck files of basic cards, each card with one of ``TAGS``."""
    folder.mkdir(parents=True, exist_ok=True)
    per_deck = -(-items // DECKS)
    for deck in range(DECKS):
        lines = [f"title: Deck {deck}", f"id: deck{deck}", "cards:"]
        for number in range(deck * per_deck, min(items, (deck + 1) * per_deck)):
            lines += [
                f"  - id: c{number}",
                f"    front: Question {number}",
                f"    back: Answer {number}",
                f"    tags: [{TAGS[number % len(TAGS)]}]",
            ]
        (folder / f"deck{deck}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def build_history(service: Service, answers: int, seed: int) -> int:
    """Simulate a year of daily study into the service's store; returns the rows written."""
    rng = random.Random(seed)
    scheduler, keys = service.scheduler, sorted(service.items)
    per_day = -(-answers // 365)
    memories: dict[str, Memory] = {}
    fresh = iter(keys)
    rows: list[tuple[object, ...]] = []
    for day in range(365):
        now = START + timedelta(days=day)
        due = [
            k
            for k, m in memories.items()
            if m.due is not None and m.due <= now + timedelta(hours=12)
        ]
        todo = due[:per_day]
        todo += [
            k for k in (next(fresh, None) for _ in range(max(0, min(20, per_day - len(todo))))) if k
        ]
        for key in todo:
            now += timedelta(seconds=rng.randint(5, 40))
            rating = (
                Rating.AGAIN
                if rng.random() < 0.12
                else rng.choice((Rating.HARD, Rating.GOOD, Rating.GOOD, Rating.GOOD, Rating.EASY))
            )
            after = scheduler.review(memories.get(key, NEW), rating, now)
            memories[key] = after
            rows.append(
                (key, to_ms(now), int(rating), rng.randint(2000, 30000), "review", to_ms(after.due))
            )  # type: ignore[arg-type]
        for _ in range(per_day - len(todo)):
            now += timedelta(seconds=rng.randint(5, 40))
            rows.append(
                (
                    rng.choice(keys),
                    to_ms(now),
                    rng.choice((1, 3, 3, 3)),
                    rng.randint(2000, 30000),
                    "practice",
                    None,
                )
            )
    rows = rows[:answers]
    store = service.store
    with store.transaction() as db:  # a bulk load: one transaction instead of one per answer
        db.executemany(
            "INSERT INTO review (item, at, rating, duration_ms, mode, due) VALUES (?,?,?,?,?,?)",
            rows,
        )
    store.rebuild(scheduler)
    return len(rows)


def main() -> None:
    """Build the history, time the figures, print the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=3000)
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--exam-in", type=int, default=60, help="days to the exam date of the last case"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_decks(root / "decks", args.items)
        clock = fixed_clock(START + timedelta(days=365))
        service = Service(
            Paths.resolve(root / "data"),
            clock=clock,
            deck_roots=[root / "decks"],
            config=Config(fuzz=False),
        )
        service.load()
        started = time.perf_counter()
        written = build_history(service, args.answers, args.seed)
        print(
            f"history: {written} answers on {len(service.items)} items, built in "
            f"{time.perf_counter() - started:.1f} s"
        )
        cases = [(scope, None) for scope in (Scope(), Scope(deck="deck0"), Scope(tag="dates"))]
        cases.append((Scope(), args.exam_in))
        for scope, exam_in in cases:
            service.set_exam_date(
                None if exam_in is None else clock.now().date() + timedelta(days=exam_in)
            )
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                stats = service.stats(scope)
                times.append(time.perf_counter() - started)
            label = scope.label() + ("" if exam_in is None else f", exam in {exam_in} days")
            print(
                f"{label:>28}: median {statistics.median(times) * 1000:6.0f} ms, "
                f"min {min(times) * 1000:6.0f} ms, max {max(times) * 1000:6.0f} ms "
                f"({stats.activity.total} answers, {stats.states.total} items)"
            )
        service.close()


if __name__ == "__main__":
    main()
