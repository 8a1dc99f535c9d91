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
the card states are the replay of the merged log in time order (``study.core.replay``),
which every machine computes alike.

What a sync tool may leave behind is read safely: a last line without its newline (a
file copied mid-write) is left for the next sync; a line that is not an event is
skipped with a message; a conflicted copy (Syncthing's ``.sync-conflict-``, Dropbox's
"conflicted copy") is read like any other file, its events deduplicated by id, and
named in a message. Suspend, bury and flag travel as ``flags`` events
(``study.core.sync_flags``).
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from study.core.replay import replay_log
from study.core.scheduling import Scheduler
from study.core.store import Store, _state_row, to_ms
from study.core.sync_flags import apply_flags, export_flags

SUFFIX = ".jsonl"
CONFLICT_MARKS = (".sync-conflict-", "conflicted copy")
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


@dataclass(slots=True)
class SyncResult:
    """What one sync did."""

    written: int = 0
    """Events this machine appended to its own file."""
    received: int = 0
    """Events from other machines that landed here."""
    messages: list[str] = field(default_factory=list)
    """Files set aside or lines skipped, one line each."""
    failed: bool = False
    """Nothing was exchanged (the first message says why)."""


def machine_id(path: Path) -> str:
    """This machine's id, kept in ``path`` (made once, owner-only)."""
    try:
        value = path.read_text(encoding="ascii").strip()
        if value:
            return value
    except FileNotFoundError:
        pass
    value = secrets.token_hex(8)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(fd, "w", encoding="ascii") as stream:
        stream.write(value + "\n")
    return value


def is_conflict_copy(path: Path) -> bool:
    """Whether a sync tool made this file out of a conflict."""
    return any(mark in path.name for mark in CONFLICT_MARKS)


def _export(db: sqlite3.Connection, machine: str, own: Path, now: int) -> int:
    """Append this machine's reviews and flag changes not yet in its file (inside a
    transaction)."""
    rows = db.execute(
        "SELECT id, item, at, rating, duration_ms, mode, answer, due, undoes FROM review "
        "WHERE id NOT IN (SELECT review FROM sync_origin) ORDER BY id"
    ).fetchall()
    flag_lines = export_flags(db, machine, now)
    if not rows and not flag_lines:
        return 0
    uids = dict(db.execute("SELECT review, uid FROM sync_origin"))
    lines = []
    for rid, item, at, rating, duration, mode, answer, due, undoes in rows:
        # random, not the review id: a database restored from a backup reuses ids
        uid = f"{machine}:{secrets.token_hex(8)}"
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
    fd = os.open(own, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with open(fd, "a", encoding="utf-8") as stream:
        stream.write("".join(lines + flag_lines))
        stream.flush()
        os.fsync(stream.fileno())
    return len(lines) + len(flag_lines)


def _read(path: Path, offset: int, last: bytes, result: SyncResult) -> tuple[bytes, int]:
    """The whole lines of ``path`` after ``offset`` (all of them when the line before
    ``offset`` is not ``last``: the file was replaced), and the offset after them."""
    try:
        with open(path, "rb") as stream:
            if offset:
                stream.seek(max(0, offset - len(last)))
                if stream.read(len(last)) != last:
                    offset = 0  # replaced, not appended to: read it all (ids keep it once)
            stream.seek(offset)
            data = stream.read()
    except OSError as exc:
        result.messages.append(f"{path.name}: cannot be read ({exc.strerror}); set aside")
        return b"", offset
    complete, newline, _ = data.rpartition(b"\n")
    return complete, offset + len(complete) + len(newline)


def _last_line(complete: bytes) -> bytes:
    return complete[complete.rfind(b"\n") + 1 :] + b"\n"


_RATINGS = (1, 2, 3, 4)
_ANY_RATING = (0, 1, 2, 3, 4)
_LIMIT = 2**53
"""Times and durations beyond this are no one's answers (and SQLite's integers end near it)."""


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < _LIMIT


def _events(path: Path, complete: bytes, result: SyncResult) -> Iterator[dict[str, object]]:
    """The well-formed events among whole lines (a half-written last line was left)."""
    for number, line in enumerate(complete.split(b"\n") if complete else [], 1):
        try:
            event = json.loads(line)
            if not isinstance(event, dict) or not isinstance(event.get("id"), str):
                raise ValueError("not an event")
            flags = event.get("kind") == "flags"
            for key in ("item",) if flags else ("item", "mode"):
                if not isinstance(event.get(key), str):
                    raise ValueError(f"no {key}")
            for key in ("at",) if flags else ("at", "rating"):
                if not _is_int(event.get(key)):
                    raise ValueError(f"no {key}")
            for key in ("due", "buried_until", "duration_ms"):
                if event.get(key) is not None and not _is_int(event.get(key)):
                    raise ValueError(f"bad {key}")
            if not flags and event["rating"] not in (
                _RATINGS if event.get("due") is not None else _ANY_RATING
            ):
                raise ValueError("bad rating")  # a scheduled answer is replayed: 1 to 4
            if event.get("answer") is not None and not isinstance(event.get("answer"), str):
                raise ValueError("bad answer")
        except ValueError:
            result.messages.append(f"{path.name}:{number}: not a sync event; skipped")
            continue
        yield event


def _import(db: sqlite3.Connection, folder: Path, own: Path, result: SyncResult) -> set[str]:
    """Land the other files' new events (inside a transaction); the items they touch."""
    known: dict[str, int] | None = None  # read only when a file has grown
    read = {name: (offset, last) for name, offset, last in db.execute("SELECT * FROM sync_file")}
    touched: set[str] = set()
    for path in sorted(folder.glob(f"*{SUFFIX}")):
        if path == own or not path.is_file():
            continue
        complete, offset = _read(path, *read.get(path.name, (0, b"")), result)
        if not complete:
            continue
        if is_conflict_copy(path):
            result.messages.append(f"{path.name}: a sync tool's conflicted copy; read, once")
        if known is None:
            known = dict(db.execute("SELECT uid, review FROM sync_origin"))
        pending = [e for e in _events(path, complete, result) if e["id"] not in known]
        for event in pending:
            if event.get("kind") == "flags":
                result.received += apply_flags(db, event)
                continue
            undoes = event.get("undoes")
            target = known.get(undoes) if isinstance(undoes, str) else None
            if isinstance(undoes, str) and target is None:
                # the answer it undoes has not arrived yet: read this file again next time
                offset = 0
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
            touched.add(str(event["item"]))
            result.received += 1
        db.execute(
            "INSERT OR REPLACE INTO sync_file (name, offset, last) VALUES (?, ?, ?)",
            (path.name, offset, _last_line(complete)),
        )
    return touched


def replay_merged(db: sqlite3.Connection, items: set[str], scheduler: Scheduler) -> None:
    """Store the state of ``items`` as the replay of their log in time order, by the rule
    every replay follows (``study.core.replay``: ``study doctor`` finds them as they are)."""
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
    store: Store, folder: Path, machine: str, scheduler: Scheduler, now: datetime
) -> SyncResult:
    """Write this machine's new answers and flag changes (as of ``now``) to its file in
    ``folder``, land the others'."""
    result = SyncResult()
    folder.mkdir(parents=True, exist_ok=True)
    own = folder / f"{machine}{SUFFIX}"
    with store.transaction() as db:
        for statement in TABLE.split(";"):
            db.execute(statement)
        result.written = _export(db, machine, own, to_ms(now))
        touched = _import(db, folder, own, result)
        if touched:
            replay_merged(db, touched, scheduler)
    return result
