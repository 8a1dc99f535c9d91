"""A scripted study session in a process of its own, for the kill and concurrency tests.

    python driver.py HOME DECKS SEED COUNT

Opens a Service on the data folder HOME and the decks in DECKS, then answers up
to COUNT items (0: until killed) through ``StudySession.answer``. It prints
``ready`` once the database is open, ``saved <review_id>`` only after
``answer()`` returned, and ``undone <review_id>`` only after ``undo()`` returned,
each line flushed at once: whatever the test reads was on disk before it was
printed. The clock is virtual and moves forward a few minutes to hours per
answer, so new, learning and review items all come up; two drivers on one
database get clocks that disagree, which the store must cope with.
"""

from __future__ import annotations

import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from study.core.clock import Clock
from study.core.config import Config
from study.core.paths import Paths
from study.core.scheduling.scheduler import Rating
from study.core.service import Service

CONFIG = Config(
    new_per_day=100_000, reviews_per_day=100_000, leech_lapses=1000, maximum_interval=7, fuzz=True
)
"""The settings both the driver and the checks use (fuzz on: replay must not depend on it).

No daily limit and no leeches (a suspended item is never answered again: with leeches on,
every item was suspended after some hundred rounds and nothing more was written), and
intervals of at most 7 days, so that the virtual clock stays within a few years of START
however many rounds run."""

RATINGS = (Rating.AGAIN, Rating.HARD, Rating.GOOD, Rating.EASY)
WEIGHTS = (1, 2, 6, 1)

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class VirtualClock:
    """A clock that the driver moves forward by hand."""

    def __init__(self, start: datetime) -> None:
        self.moment = start

    def __call__(self) -> datetime:
        return self.moment


def main(home: str, decks: str, seed: int, count: int) -> int:
    """Answer items until ``count`` were answered (or forever when it is 0)."""
    rng = random.Random(seed)
    clock = VirtualClock(START)
    service = Service(
        Paths.resolve(home), clock=Clock(clock, UTC), deck_roots=[Path(decks)], config=CONFIG
    )
    service.load()
    last = service.store.last_review()
    if last is not None:
        clock.moment = max(START, last.at) + timedelta(minutes=1)
    print("ready", flush=True)
    done = 0
    while count == 0 or done < count:
        session = service.start_review()
        if session.current is None:  # nothing left today: go to the next due date
            later = [
                m.due for m in service.store.memories().values() if m.due and m.due > clock.moment
            ]
            clock.moment = min(later, default=clock.moment + timedelta(days=1)) + timedelta(hours=5)
            continue
        while session.current is not None and (count == 0 or done < count):
            rating = rng.choices(RATINGS, weights=WEIGHTS)[0]
            session.answer(rating, duration_ms=rng.randint(500, 20_000), answer=f"answer {done}")
            print(f"saved {session.history[-1].review_id}", flush=True)
            done += 1
            if rng.random() < 0.1:
                review_id = session.history[-1].review_id
                session.undo()
                print(f"undone {review_id}", flush=True)
            clock.moment += timedelta(minutes=rng.choice((1, 5, 15, 60, 600, 2000)))
    service.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
