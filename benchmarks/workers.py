"""Measurements that run in a fresh interpreter each: ``python benchmarks/workers.py NAME ARGS...``.

Each prints one JSON object. A fresh process per run keeps caches, the heap
and imports from one measurement out of the next, and lets the peak memory
(``VmHWM``, see ``memory.py``: not ``ru_maxrss``, which counts the parent's peak)
be that of exactly that work.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from memory import Stages, peak_mb


def _rss_mb() -> float:
    return peak_mb()


def load(decks: str, cache_dir: str) -> dict[str, object]:
    """load_decks with a cache folder (empty: a cold, uncached load; filled: a warm start)."""
    from study.core.decks.cache import DeckCache
    from study.core.decks.loader import load_decks

    cache = DeckCache(Path(cache_dir))
    start, cpu = time.perf_counter(), time.process_time()
    result = load_decks([Path(decks)], cache)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    cards = sum(len(d.cards) for d in result.decks)
    return {
        "seconds": seconds,
        "cpu": cpu,
        "cards": cards,
        "parsed": cache.misses,
        "errors": len(result.errors),
        "rss_mb": _rss_mb(),
    }


def service(decks: str, data: str) -> dict[str, object]:
    """What the app does before its first card: open the store, load, count, build the queue."""
    from study.core.clock import Clock
    from study.core.paths import Paths
    from study.core.service import Service

    start = time.perf_counter()
    svc = Service(Paths.resolve(data), clock=Clock(), deck_roots=[Path(decks)])
    _ = svc.store
    svc.load()
    loaded = time.perf_counter()
    svc.summaries()
    session = svc.start_review()
    ready = time.perf_counter()
    wrote = svc.save_catalog()  # as the app does after its load: the next start reads the catalog
    saved = time.perf_counter()
    svc.close()
    return {
        "load_s": loaded - start,
        "ready_s": ready - start,
        "items": len(svc.items),
        "queue": session.left,
        "rss_mb": _rss_mb(),
        "catalog_s": saved - ready if wrote else None,
    }


def quick(decks: str, data: str) -> dict[str, object]:
    """What the app does before its first card if no deck changed: open catalog, counts, queue."""
    from study.core.clock import Clock
    from study.core.paths import Paths
    from study.core.service import Service

    stages = Stages()
    stages.mark("imports")
    start = time.perf_counter()
    svc = Service(Paths.resolve(data), clock=Clock(), deck_roots=[Path(decks)])
    _ = svc.store
    stages.mark("store open")
    opened = svc.open_catalog()
    ready = time.perf_counter()
    stages.mark("catalog open")
    session = svc.start_review()
    first = time.perf_counter()
    stages.mark("queue built")
    svc.summaries()
    counted = time.perf_counter()
    stages.mark("deck counts")
    svc.close()
    return {
        "opened": opened,
        "open_s": ready - start,
        "queue_s": first - ready,
        "counts_s": counted - first,
        "queue": session.left,
        **stages.report(),
    }


def answer(decks: str, data: str, count: str) -> dict[str, object]:
    """The answer cycle: grade + schedule + durable commit + next card ready, per answer."""
    from study.core.clock import Clock
    from study.core.config import Config
    from study.core.paths import Paths
    from study.core.scheduling.scheduler import Rating
    from study.core.service import Service

    config = Config(new_per_day=int(count))  # enough cards for every answer asked
    svc = Service(Paths.resolve(data), clock=Clock(), deck_roots=[Path(decks)], config=config)
    svc.load()
    session = svc.start_review()
    ratings = (Rating.GOOD, Rating.AGAIN, Rating.GOOD, Rating.EASY, Rating.HARD)
    times: list[float] = []
    for n in range(int(count)):
        if session.current is None:
            break
        start = time.perf_counter()
        item = session.answer(ratings[n % len(ratings)])
        if item is not None:
            _ = (item.prompt, item.answer, session.memory(item))  # the next card, ready to show
        times.append(time.perf_counter() - start)
    synchronous = svc.store.db.execute("PRAGMA synchronous").fetchone()[0]
    svc.close()
    return {"times": times, "synchronous": synchronous, "items": len(svc.items)}


def imports(*argv: str) -> dict[str, object]:
    """Run the CLI in-process with ``argv``; report whether Textual or the UI was imported."""
    import contextlib
    import io

    from study.cli import main

    start = time.perf_counter()
    with (
        contextlib.redirect_stdout(io.StringIO()),
        contextlib.redirect_stderr(io.StringIO()),
        contextlib.suppress(SystemExit),
    ):
        main(list(argv))
    seconds = time.perf_counter() - start
    bad = sorted(
        m
        for m in sys.modules
        if m.split(".")[0] in ("textual", "rich") or m.startswith("study.tui")
    )
    return {"seconds": seconds, "ui_modules": bad[:5]}


def studied(data: str) -> dict[str, object]:
    """Give every item of the catalog a review state (due from 5 days ago to 60 days on) and ten
    reviews over the past year in the log: a user who has studied the whole collection (1.3 million
    log rows for 100,000 cards). Synthetic, deterministic, written straight into the store."""
    import random
    import sqlite3

    from study.core.paths import Paths
    from study.core.progress.store import DAY_MS, Store, exact_ms

    paths = Paths.resolve(data)
    keys = [
        key
        for (key,) in sqlite3.connect(paths.cache / "catalog.sqlite3").execute(
            "SELECT key FROM item"
        )
    ]
    rng = random.Random(1)
    from study.core.clock import Clock

    now = exact_ms(Clock().now())
    rows = []
    for key in keys:
        due = now + rng.randint(-5, 60) * DAY_MS
        rows.append(
            (key, 2, None, rng.uniform(1, 200), rng.uniform(1, 10), due, due - 10 * DAY_MS, 5, 0)
        )
    log = (
        (key, now - rng.randint(1, 365) * DAY_MS, rng.randint(1, 4), 4000, "review", None, now)
        for key in keys
        for _ in range(10)
    )
    store = Store(paths.database)
    with store.transaction() as db:
        db.executemany("INSERT OR REPLACE INTO item_state VALUES (?,?,?,?,?,?,?,?,?)", rows)
        db.executemany(
            "INSERT INTO review (item, at, rating, duration_ms, mode, answer, due) "
            "VALUES (?,?,?,?,?,?,?)",
            log,
        )
    store.close()
    return {"items": len(rows), "reviews": len(rows) * 10}


ROWS = 200
"""The rows the browser lists (``study.tui.screens.browser.LIMIT``, not imported: Textual)."""


def browse(decks: str, data: str) -> dict[str, object]:
    """The card browser's core on every item: index, first rows, the rest read, per-keystroke
    searches (typing "defence", each search within the previous results, as the screen does),
    a state filter, and sorting."""
    from study.core.clock import Clock
    from study.core.paths import Paths
    from study.core.review.browse import Column
    from study.core.review.search import narrows, parse
    from study.core.service import Service

    svc = Service(Paths.resolve(data), clock=Clock(), deck_roots=[Path(decks)])
    _ = svc.store
    svc.load()
    start = time.perf_counter()
    index = svc.card_index()
    indexed = time.perf_counter()
    everything = index.search(parse(""))
    rows = index.rows(everything[:ROWS])
    _ = [row.cells(svc.clock, index.now) for row in rows]
    first = time.perf_counter()
    index.warm()
    warmed = time.perf_counter()
    keystrokes: list[float] = []
    previous, found = parse(""), everything
    for n in range(1, len("defence") + 1):
        query = parse("defence"[:n])
        begin = time.perf_counter()
        found = index.search(query, found if narrows(previous, query) else None)
        _ = [row.cells(svc.clock, index.now) for row in index.rows(found[:ROWS])]
        keystrokes.append(time.perf_counter() - begin)
        previous = query
    begin = time.perf_counter()
    due = index.search(parse("is:due -is:suspended"))
    state_s = time.perf_counter() - begin
    sorts = {}
    for column in (Column.DUE, Column.RECALL, Column.LAST):
        begin = time.perf_counter()
        index.sort(everything, column)
        sorts[column.value] = time.perf_counter() - begin
    svc.close()
    return {
        "items": len(index),
        "index_s": indexed - start,
        "first_rows_s": first - indexed,
        "warm_s": warmed - first,
        "keystrokes_s": keystrokes,
        "matches": len(found),
        "due": len(due),
        "state_s": state_s,
        "sorts_s": sorts,
        "rss_mb": _rss_mb(),
    }


WORKERS = {
    "studied": studied,
    "load": load,
    "service": service,
    "quick": quick,
    "answer": answer,
    "imports": imports,
    "browse": browse,
}

if __name__ == "__main__":
    print(json.dumps(WORKERS[sys.argv[1]](*sys.argv[2:])))
