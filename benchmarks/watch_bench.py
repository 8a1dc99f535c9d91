"""What one poll of the deck watcher costs (the app runs one a second, in a worker thread).

    PYTHONPATH=. python benchmarks/watch_bench.py [--cards 100000] [500 50]

For each number of cards per file, writes that many deck files (10 folders, the
cards' text is irrelevant: a poll never reads a file) into a temporary folder,
then times ``scan`` (the walk and one stat per file) and ``DeckWatcher.poll`` (a
scan plus the comparison), median of 20 runs.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from study.core.decks.watch import DeckWatcher, scan

CARD = "  - {id: c%06d, front: A question of about this length?, back: Its answer}\n"


def timed(function, runs: int = 20) -> float:  # type: ignore[no-untyped-def]
    """Median wall time of ``function()`` in milliseconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("per_file", type=int, nargs="*", default=[500, 50])
    args = parser.parse_args()
    for per_file in args.per_file:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            files = []
            for number, first in enumerate(range(0, args.cards, per_file)):
                path = root / f"group-{number % 10:02d}" / f"deck-{number:05d}.yaml"
                path.parent.mkdir(exist_ok=True)
                cards = "".join(CARD % n for n in range(first, min(first + per_file, args.cards)))
                path.write_text(f"title: Deck {number}\ncards:\n{cards}", encoding="utf-8")
                files.append(path)
            roots = [root]
            watcher = DeckWatcher(lambda: roots)  # noqa: B023 - used before the loop moves on
            scan_ms = timed(lambda: scan(roots))  # noqa: B023
            print(
                f"{args.cards} cards in {len(files)} files: scan {scan_ms:.1f} ms, "
                f"poll {timed(watcher.poll):.1f} ms"
            )


if __name__ == "__main__":
    main()
