"""The files of the sync folder: one machine's lines appended, others' read back safely (a
last line without its newline left for later, a line that is not an event skipped with a
message), conflicted copies recognised, and what one sync did.

Imports nothing of the store: ``sync`` lands what is read here.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

SUFFIX = ".jsonl"

CONFLICT_MARKS = (".sync-conflict-", "conflicted copy")


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
    shared: bool = False
    """This machine's own file had answers it did not write: another copy of its data folder
    writes there too."""
    new_id: str | None = None
    """The id this machine syncs as from now on, when it had to take a new one."""


def is_conflict_copy(path: Path) -> bool:
    """Whether a sync tool made this file out of a conflict."""
    return any(mark in path.name for mark in CONFLICT_MARKS)


def _append(own: Path, lines: list[str]) -> None:
    """Append ``lines`` to this machine's file, durably."""
    fd = os.open(own, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with open(fd, "a", encoding="utf-8") as stream:
        stream.write("".join(lines))
        stream.flush()
        os.fsync(stream.fileno())


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


def _own_end(own: Path) -> tuple[int, bytes]:
    """Where this machine's own file ends (after its last whole line), and that line."""
    try:
        with open(own, "rb") as stream:
            size = stream.seek(0, os.SEEK_END)
            stream.seek(max(0, size - 65536))
            tail = stream.read()
    except FileNotFoundError:
        return 0, b""
    complete = tail[: tail.rfind(b"\n") + 1]
    if not complete:
        return 0, b""
    end = size - (len(tail) - len(complete))
    return end, _last_line(complete[:-1])
