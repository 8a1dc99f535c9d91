"""How long ``study sync`` takes to merge 100,000 answers from another machine, and a
sync that finds nothing new (the cost of a check at start).

    PYTHONPATH=. python benchmarks/sync_bench.py [--items 3000] [--answers 100000] [--seed 1]

Another machine's file in a temporary sync folder holds ``--answers`` answers over
``--items`` cards, spread over a year, each scheduled by FSRS from the card's state (so
the due dates are realistic); this machine's database holds 1,000 answers of its own.
Times: the first sync (write this machine's answers, land the other's, replay the
states of every card touched, in one transaction), then a second sync with nothing new.
Deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from study.core.config import Config
from study.core.progress.store import Store, to_ms
from study.core.progress.sync import sync
from study.core.scheduling.scheduler import Memory, Rating, Scheduler

T0 = datetime(2026, 1, 1, 8, tzinfo=UTC)


def other_machine(path: Path, items: int, answers: int, seed: int, scheduler: Scheduler) -> None:
    """Write the other machine's file: ``answers`` events, time-ordered."""
    rng = random.Random(seed)
    states: dict[str, Memory] = {}
    step = timedelta(days=365) / answers
    with open(path, "w", encoding="utf-8") as stream:
        for n in range(answers):
            item = f"deck/card-{rng.randrange(items)}"
            at = T0 + step * n
            rating = Rating(rng.choices((1, 2, 3, 4), (1, 2, 12, 2))[0])
            after = scheduler.review(states.get(item, Memory()), rating, at)
            states[item] = after
            event = {
                "id": f"other:{n + 1}",
                "item": item,
                "at": to_ms(at),
                "rating": int(rating),
                "duration_ms": 4000,
                "mode": "review",
                "answer": None,
                "due": to_ms(after.due) if after.due else None,
                "undoes": None,
            }
            stream.write(json.dumps(event, separators=(",", ":")) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=3000)
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    scheduler = Scheduler(Config(fuzz=False))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "sync"
        folder.mkdir()
        other_machine(folder / "other.jsonl", args.items, args.answers, args.seed, scheduler)
        store = Store(Path(tmp) / "progress.sqlite3")
        rng = random.Random(args.seed + 1)
        with store.transaction() as db:
            db.executemany(
                "INSERT INTO review (item, at, rating, duration_ms, mode, due) "
                "VALUES (?, ?, 3, 4000, 'review', ?)",
                (
                    (f"deck/card-{rng.randrange(args.items)}", to_ms(T0) + i, to_ms(T0) + i)
                    for i in range(1000)
                ),
            )
        start = time.perf_counter()
        first = sync(store, folder, "this", scheduler, T0)
        merged = time.perf_counter() - start
        start = time.perf_counter()
        again = sync(store, folder, "this", scheduler, T0)
        check = time.perf_counter() - start
        count = store.db.execute("SELECT COUNT(*) FROM review").fetchone()[0]
        store.close()
    print(
        f"merge: {first.received:,} answers received, {first.written:,} sent, "
        f"{count:,} in the log: {merged:.2f} s"
    )
    print(f"sync with nothing new ({count:,} answers known): {check * 1000:.0f} ms")
    assert again.received == 0 and count == args.answers + 1000


if __name__ == "__main__":
    main()
