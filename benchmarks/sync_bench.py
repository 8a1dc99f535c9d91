"""How long ``study sync`` takes to merge 100,000 answers from another machine, a sync
that finds nothing new, and what syncing costs the app's start.

    PYTHONPATH=. python benchmarks/sync_bench.py [--items 3000] [--answers 100000] [--seed 1]
        [--start-runs 5] [--start-cards 1000] [--start-answers 10000]

Another machine's file in a temporary sync folder holds ``--answers`` answers over
``--items`` cards, spread over a year, each scheduled by FSRS from the card's state (so
the due dates are realistic); this machine's database holds 1,000 answers of its own.
Times: the first sync (write this machine's answers, land the other's, replay the
states of every card touched), in one transaction as ``study sync`` does it, then in
batches as the running app does (with the longest transaction: what an answer given
meanwhile may wait for); and after each a second sync with nothing new.
Deterministic for a given seed.

The start: ``study review`` in a real pseudo-terminal (``benchmarks/terminal.py``) on
``--start-cards`` generated cards, from exec to the first card painted, with and without
``sync_folder`` set, the two interleaved in one run (``--start-runs`` pairs, each on the
same fresh progress database). With the folder set it holds another machine's file of
``--start-answers`` answers not yet merged, so every run's sync has real work to do (the
worst case for a start); the app syncs after its first frame, and the time until its
"Synced" notice is painted is printed too. ``--start-runs 0`` skips this part.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from study.core.config import Config
from study.core.progress.store import Store, to_ms
from study.core.progress.sync import sync
from study.core.progress.sync_live import LiveSync
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


def start_cost(work: Path, cards: int, answers: int, runs: int, seed: int) -> None:
    """First card with and without ``sync_folder``, interleaved; and when the sync is done."""
    import shutil
    import statistics
    import sys

    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here))
    from run import CARD_SHOWN, ENV, PYTHON, make_decks, worker
    from terminal import Terminal

    decks = make_decks(work, cards)
    data = work / "data"
    worker("service", decks, data)  # a warm start: deck cache and catalog written
    pristine = work / "pristine.sqlite3"
    shutil.copyfile(data / "progress.sqlite3", pristine)
    folder = work / "shared"
    folder.mkdir()
    other_machine(folder / "other.jsonl", 500, answers, seed, Scheduler(Config(fuzz=False)))
    config = data / "config.toml"
    command = [PYTHON, "-m", "study", "--data", str(data), "--decks", str(decks), "review"]
    plain: list[float] = []
    synced: list[float] = []
    done: list[float] = []
    for _ in range(runs):
        for with_sync in (False, True):
            for suffix in ("", "-wal", "-shm"):
                Path(f"{data / 'progress.sqlite3'}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(pristine, data / "progress.sqlite3")
            for own in folder.glob("*.jsonl"):
                if own.name != "other.jsonl":
                    own.unlink()
            config.write_text(f'sync_folder = "{folder}"\n' if with_sync else "", "utf-8")
            app = Terminal(command, env=ENV)
            try:
                (synced if with_sync else plain).append(app.wait_for(CARD_SHOWN))
                if with_sync:
                    done.append(app.wait_for("Synced"))
            finally:
                app.close()
    ratios = [s / p for s, p in zip(synced, plain, strict=True)]

    def ms(values: list[float]) -> str:
        low, high = min(values) * 1e3, max(values) * 1e3
        return f"{statistics.median(values) * 1e3:.0f} ms (min {low:.0f}, max {high:.0f})"

    print(f"start, {cards:,} cards, {runs} interleaved pairs: first card painted")
    print(f"  without sync_folder: {ms(plain)}")
    print(f"  with sync_folder ({answers:,} answers to merge): {ms(synced)}")
    print(
        f"  ratio with/without: {statistics.median(ratios):.2f}x "
        f"(min {min(ratios):.2f}, max {max(ratios):.2f})"
    )
    print(f"  the sync's notice painted (merge done, after the first card): {ms(done)}")


def merge(tmp: Path, args: argparse.Namespace, batch: int | None) -> None:
    """The merge of the other machine's file, in one transaction (``study sync``) or in
    batches (the app's): its time, the longest transaction, and a sync with nothing new."""
    scheduler = Scheduler(Config(fuzz=False))
    folder = tmp / "sync"
    if not folder.exists():
        folder.mkdir()
        other_machine(folder / "other.jsonl", args.items, args.answers, args.seed, scheduler)
    for own in folder.glob("this*.jsonl"):
        own.unlink()
    store = Store(tmp / f"progress-{batch}.sqlite3")
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
    longest = [0.0]
    plain = store.transaction

    @contextmanager
    def timed() -> Iterator[sqlite3.Connection]:
        began = time.perf_counter()
        with plain() as db:
            yield db
        longest[0] = max(longest[0], time.perf_counter() - began)

    store.transaction = timed  # type: ignore[method-assign]
    start = time.perf_counter()
    first = sync(store, folder, "this", scheduler, T0, batch=batch)
    merged = time.perf_counter() - start
    start = time.perf_counter()
    again = sync(store, folder, "this", scheduler, T0, batch=batch)
    check = time.perf_counter() - start
    count = store.db.execute("SELECT COUNT(*) FROM review").fetchone()[0]
    store.close()
    how = "in one transaction" if batch is None else f"in batches of {batch:,} events"
    print(
        f"merge {how}: {first.received:,} answers received, {first.written:,} sent, "
        f"{count:,} in the log: {merged:.2f} s (longest transaction {longest[0]:.2f} s)"
    )
    print(f"  sync with nothing new ({count:,} answers known): {check * 1000:.0f} ms")
    assert again.received == 0 and count == args.answers + 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=3000)
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start-runs", type=int, default=5)
    parser.add_argument("--start-cards", type=int, default=1000)
    parser.add_argument("--start-answers", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        merge(Path(tmp), args, None)
        merge(Path(tmp), args, LiveSync.BATCH)
    if args.start_runs:
        with tempfile.TemporaryDirectory() as tmp:
            start_cost(Path(tmp), args.start_cards, args.start_answers, args.start_runs, args.seed)


if __name__ == "__main__":
    main()
