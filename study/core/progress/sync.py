"""Sync through a folder: each machine appends its answers to a file of its own there and
reads the others' files; never a shared database.

A file is ``<folder>/<machine id>.jsonl``, one JSON event a line, written by one machine
only (so a sync tool never merges two writers into one file). Every event has a
globally unique id (``<machine>:<random>``, given when the answer is first written
out): an answer lands once however often a file is read, copied or duplicated. The
local database keeps, in tables of its own (the store's schema and writes are left as
they are), which reviews came with which id, and how far each file was read with the
last line read there: a sync that finds nothing new parses no event (7 ms with 100,000
answers, ``benchmarks/sync_bench.py``), and a file whose line there differs was
replaced, not appended to, and is read again from its start. After new answers arrive,
the card states are the replay of the merged log in time order (``study.core.progress.replay``),
which every machine computes alike.

What a sync tool may leave behind is read safely: a last line without its newline (a
file copied mid-write) is left for the next sync; a line that is not an event is
skipped with a message; a conflicted copy (Syncthing's ``.sync-conflict-``, Dropbox's
"conflicted copy") is read like any other file, its events deduplicated by id, and
named in a message. Suspend, bury and flag travel as ``flags`` events
(``study.core.progress.sync_flags``).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from study.core.progress.replay import replay_log
from study.core.progress.store import Store, _state_row, to_ms
from study.core.progress.sync_files import (
    CONFLICT_MARKS,
    SUFFIX,
    SyncResult,
    _append,
    _events,
    _last_line,
    _own_end,
    _read,
    is_conflict_copy,
)
from study.core.progress.sync_flags import apply_flags, export_flags
from study.core.progress.sync_identity import machine_id, new_machine_id, this_machine
from study.core.scheduling.scheduler import Scheduler

__all__ = [
    "CONFLICT_MARKS",
    "SUFFIX",
    "SyncResult",
    "is_conflict_copy",
    "machine_id",
    "sync",
    "sync_here",
]

TABLE = """
CREATE TABLE IF NOT EXISTS sync_origin (
    review INTEGER PRIMARY KEY,   -- review.id in this database
    uid TEXT NOT NULL UNIQUE      -- <machine>:<random>, the answer's id everywhere
);
CREATE TABLE IF NOT EXISTS sync_file (
    name TEXT PRIMARY KEY,        -- a file of the sync folder
    offset INTEGER NOT NULL,      -- the bytes of it already read (whole lines)
    last BLOB NOT NULL            -- the last line read, which ends at offset
)
"""


def _outgoing(db: sqlite3.Connection, machine: str, now: int) -> list[str]:
    """The lines of this machine's reviews and flag changes not yet sent, marked as sent
    (inside a transaction, so a failed write sends them again)."""
    rows = db.execute(
        "SELECT id, item, at, rating, duration_ms, mode, answer, due, undoes FROM review "
        "WHERE id NOT IN (SELECT review FROM sync_origin) ORDER BY id"
    ).fetchall()
    flag_lines = export_flags(db, machine, now)
    if not rows and not flag_lines:
        return []
    uids = dict(db.execute("SELECT review, uid FROM sync_origin"))
    lines = []
    for rid, item, at, rating, duration, mode, answer, due, undoes in rows:
        # from the answer (not its row id alone: a database restored from a backup reuses
        # ids), not from the machine: copies of one data folder, under whatever id, give an
        # answer they share one id, and a line written before a crash is known again
        uid = hashlib.sha256(f"{rid}|{item}|{at}|{rating}|{mode}".encode()).hexdigest()[:20]
        uids[rid] = uid
        event = {
            "id": uid,
            "item": item,
            "at": at,
            "rating": rating,
            "duration_ms": duration,
            "mode": mode,
            "answer": answer,
            "due": due,
            "undoes": uids.get(undoes) if undoes is not None else None,
        }
        lines.append(json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n")
    db.executemany(
        "INSERT INTO sync_origin (review, uid) VALUES (?, ?)", ((r[0], uids[r[0]]) for r in rows)
    )
    return lines + flag_lines


class _Landing:
    """Events landing in one transaction: the ids known, the items touched."""

    def __init__(self, db: sqlite3.Connection, result: SyncResult) -> None:
        self.db, self.result = db, result
        self.touched: set[str] = set()
        self._known: dict[str, int] | None = None  # read only when a file has grown
        self.batch: int | None = None
        """Land at most this many events in this transaction (None: every one)."""
        self.positions: list[tuple[Path, int, bytes]] = []
        """The read positions to record once the batches are landed."""

    def know(self, uids: set[str]) -> None:
        """Read which of ``uids`` are known (all a batch needs: not every id there is)."""
        ordered = sorted(uids)
        self._known = {}
        for start in range(0, len(ordered), 500):
            chunk = ordered[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT uid, review FROM sync_origin WHERE uid IN ({marks})", chunk
            )
            self._known.update(rows)

    @property
    def known(self) -> dict[str, int]:
        if self._known is None:
            self._known = dict(self.db.execute("SELECT uid, review FROM sync_origin"))
        return self._known

    def land(self, path: Path, complete: bytes, offset: int) -> tuple[int, int]:
        """Land the new events of ``complete`` (read from ``path`` up to ``offset``); the
        answers landed and the offset to read from next time (0: an undo waits for the
        answer it undoes, read the file again)."""
        landed, waited = self.land_events(path, _events(path, complete, self.result))
        return landed, 0 if waited else offset

    def land_events(self, path: Path, events: Iterable[dict[str, object]]) -> tuple[int, bool]:
        """Land ``events`` (of ``path``) not yet known; the answers landed, and whether an
        undo waits for the answer it undoes (its file is to be read again)."""
        db, known, landed, waited = self.db, self.known, 0, False
        for event in events:
            if event["id"] in known:
                continue
            if event.get("kind") == "flags":
                self.result.received += apply_flags(db, event)
                continue
            undoes = event.get("undoes")
            target = known.get(undoes) if isinstance(undoes, str) else None
            if isinstance(undoes, str) and target is None:
                waited = True  # the answer it undoes has not arrived yet
                continue
            cursor = db.execute(
                "INSERT INTO review (item, at, rating, duration_ms, mode, answer, due, undoes) "
                "VALUES (?,?,?,?,?,?,?,?)",
                (
                    event["item"],
                    event["at"],
                    event["rating"],
                    event.get("duration_ms") or 0,
                    event["mode"],
                    event.get("answer"),
                    event.get("due"),
                    target,
                ),
            )
            rid = int(cursor.lastrowid or 0)
            db.execute("INSERT INTO sync_origin (review, uid) VALUES (?, ?)", (rid, event["id"]))
            known[str(event["id"])] = rid
            self.touched.add(str(event["item"]))
            landed += 1
        self.result.received += landed
        return landed, waited

    def remember(self, path: Path, offset: int, last: bytes) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO sync_file (name, offset, last) VALUES (?, ?, ?)",
            (path.name, offset, last),
        )


def _read_record(db: sqlite3.Connection) -> dict[str, tuple[int, bytes]]:
    return {name: (offset, last) for name, offset, last in db.execute("SELECT * FROM sync_file")}


def _import(landing: _Landing, folder: Path, own: Path) -> list[tuple[Path, dict[str, object]]]:
    """Read the other files' new events (inside a transaction). Land them, and return
    nothing, when they are at most ``landing.batch``; otherwise return them in file order,
    for ``_land_in_batches``, and leave the files' read positions to it."""
    read = _read_record(landing.db)
    found: list[tuple[Path, list[dict[str, object]], int, bytes]] = []
    for path in sorted(folder.glob(f"*{SUFFIX}")):
        if path == own or not path.is_file():
            continue
        complete, offset = _read(path, *read.get(path.name, (0, b"")), landing.result)
        if not complete:
            continue
        if is_conflict_copy(path):
            landing.result.messages.append(
                f"{path.name}: a sync tool's conflicted copy; read, once"
            )
        known = landing.known
        events = [e for e in _events(path, complete, landing.result) if e["id"] not in known]
        found.append((path, events, offset, _last_line(complete)))
    total = sum(len(events) for _, events, _, _ in found)
    if landing.batch is not None and total > landing.batch:
        landing.positions = [(path, offset, last) for path, _, offset, last in found]
        return [(path, event) for path, events, _, _ in found for event in events]
    for path, events, offset, last in found:
        waited = landing.land_events(path, events)[1]
        landing.remember(path, 0 if waited else offset, last)
    return []


def _land_in_batches(
    store: Store,
    pending: list[tuple[Path, dict[str, object]]],
    positions: list[tuple[Path, int, bytes]],
    batch: int,
    scheduler: Scheduler,
    result: SyncResult,
) -> None:
    """Land a large merge a few hundred items at a time, each batch (its answers and the
    replay of its items) in a transaction of its own, so that an answer given meanwhile
    waits for one batch, not for the whole merge. An item's events stay together and in
    order; the files' read positions are written last (a sync stopped half-way reads
    them again, and the ids keep every answer once)."""
    by_item: dict[str, list[tuple[Path, dict[str, object]]]] = {}
    for path, event in pending:
        by_item.setdefault(str(event["item"]), []).append((path, event))
    waited: set[Path] = set()
    groups: list[list[tuple[Path, dict[str, object]]]] = [[]]
    for events in by_item.values():
        if groups[-1] and len(groups[-1]) + len(events) > batch:
            groups.append([])
        groups[-1].extend(events)
    for group in groups:
        with store.transaction() as db:
            landing = _Landing(db, result)
            landing.know(
                {str(e["id"]) for _, e in group}
                | {u for _, e in group if isinstance(u := e.get("undoes"), str)}
            )
            for path, event in group:
                if landing.land_events(path, [event])[1]:
                    waited.add(path)
            if landing.touched:
                replay_merged(db, landing.touched, scheduler)
    with store.transaction() as db:
        landing = _Landing(db, result)
        for path, offset, last in positions:
            landing.remember(path, 0 if path in waited else offset, last)


def replay_merged(db: sqlite3.Connection, items: set[str], scheduler: Scheduler) -> None:
    """Store the state of ``items`` as the replay of their log in time order, by the rule
    every replay follows (``progress.replay``: ``study doctor`` finds them as they are)."""
    states = replay_log(db, scheduler, sorted(items))
    for item in items:
        memory = states.get(item)
        if memory is None:
            db.execute("DELETE FROM item_state WHERE item = ?", (item,))
        else:
            db.execute(
                "INSERT OR REPLACE INTO item_state VALUES (?,?,?,?,?,?,?,?,?)",
                (item, *_state_row(memory)),
            )


def sync(
    store: Store,
    folder: Path,
    machine: str,
    scheduler: Scheduler,
    now: datetime,
    renew: Callable[[], str] | None = None,
    batch: int | None = None,
) -> SyncResult:
    """Write this machine's new answers and flag changes (as of ``now``) to its file in
    ``folder``, land the others'.

    Lines in its own file that it did not write (another copy of this data folder's) are
    landed too and ``result.shared`` says so; ``renew`` then gives the id to write under
    from now on (the old file is read as another machine's from where this one stopped).
    ``batch``: a merge of more events than this lands in several transactions of about
    that many (the app's; ``study sync`` lands everything in one)."""
    result = SyncResult()
    folder.mkdir(parents=True, exist_ok=True)
    own = folder / f"{machine}{SUFFIX}"
    with store.transaction() as db:
        for statement in TABLE.split(";"):
            db.execute(statement)
        landing = _Landing(db, result)
        record = _read_record(db).get(own.name, (0, b""))
        extra, offset = _read(own, *record, result) if own.is_file() else (b"", 0)
        lines = _outgoing(db, machine, to_ms(now))  # first: its ids are known to the landing
        waiting = False
        if extra:  # lines after this machine's last write: another writer's (or its own,
            # written before a crash stopped the database from recording them)
            landed, after = landing.land(own, extra, offset)
            result.shared, waiting = landed > 0, after == 0
            if result.shared and renew is not None:
                landing.remember(own, after, _last_line(extra))
                own = folder / f"{renew()}{SUFFIX}"
                waiting = False
        if lines:
            _append(own, lines)
            result.written = len(lines)
        landing.remember(own, *((0, b"") if waiting else _own_end(own)))
        landing.batch = batch
        pending = _import(landing, folder, own)
        if landing.touched:
            replay_merged(db, landing.touched, scheduler)
    if pending and batch is not None:
        _land_in_batches(store, pending, landing.positions, batch, scheduler, result)
    return result


def sync_here(
    store: Store,
    folder: Path,
    id_path: Path,
    scheduler: Scheduler,
    now: datetime,
    batch: int | None = None,
) -> SyncResult:
    """``sync`` as this machine (its id kept in ``id_path``). When the id came with a copied
    or restored data folder, or another copy writes to its file, a new id is made (said in
    one message): the answers the copies share keep their one event id."""
    machine, moved = this_machine(id_path)
    renewed: list[str] = []

    def renew() -> str:
        renewed.append(new_machine_id(id_path))
        return renewed[-1]

    if moved:
        machine = renew()
    result = sync(store, folder, machine, scheduler, now, renew, batch)
    if renewed:
        why = (
            "this data folder was made on another machine (copied or restored here)"
            if moved
            else f"another copy of this data folder also writes {machine}{SUFFIX}"
        )
        result.new_id = renewed[-1]
        result.messages.append(f"{why}: it now syncs as {result.new_id}{SUFFIX}; nothing was lost")
    return result
