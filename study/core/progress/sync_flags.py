"""Suspend, bury and flag through the sync folder: the last change of an item's flags wins.

The flags are state, not a log, so each sync compares them with what was last exchanged
for the item (sent or received, kept in ``sync_flag``) and writes a ``flags`` event for
each item whose flags changed here since. An event received is applied when it is later
(by time, then id) than the item's last exchanged one, so every machine ends on the same
flags whatever the order in which files arrive. The leech mark stays where the replay
of the answers puts it.
"""

from __future__ import annotations

import json
import secrets
import sqlite3

TABLE = """
CREATE TABLE IF NOT EXISTS sync_flag (
    item TEXT PRIMARY KEY,
    flagged INTEGER NOT NULL,
    suspended INTEGER NOT NULL,
    buried_until INTEGER,
    at INTEGER NOT NULL,          -- UTC ms of the change exchanged last
    uid TEXT NOT NULL             -- its event's id
)
"""

_Flags = tuple[int, int, int | None]


def _exchanged(db: sqlite3.Connection) -> dict[str, tuple[_Flags, int, str]]:
    return {
        item: ((flagged, suspended, buried), at, uid)
        for item, flagged, suspended, buried, at, uid in db.execute("SELECT * FROM sync_flag")
    }


def _remember(db: sqlite3.Connection, item: str, flags: _Flags, at: int, uid: str) -> None:
    db.execute(
        "INSERT OR REPLACE INTO sync_flag VALUES (?, ?, ?, ?, ?, ?)", (item, *flags, at, uid)
    )


def export_flags(db: sqlite3.Connection, machine: str, at: int) -> list[str]:
    """The lines of a ``flags`` event for each item whose flags changed here (inside a
    transaction)."""
    db.execute(TABLE)
    sent = _exchanged(db)
    lines = []
    rows = db.execute("SELECT item, flagged, suspended, buried_until FROM item_flag")
    for item, flagged, suspended, buried in rows.fetchall():
        flags: _Flags = (int(flagged), int(suspended), buried)
        known = sent.get(item)
        if (known[0] if known else (0, 0, None)) == flags:
            continue
        uid = f"{machine}:flags:{secrets.token_hex(6)}"
        event = {
            "id": uid,
            "kind": "flags",
            "item": item,
            "at": at,
            "flagged": bool(flags[0]),
            "suspended": bool(flags[1]),
            "buried_until": buried,
        }
        lines.append(json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n")
        _remember(db, item, flags, at, uid)
    return lines


def apply_flags(db: sqlite3.Connection, event: dict[str, object]) -> bool:
    """Apply a received ``flags`` event when it is the item's latest; whether it was."""
    item, at, uid = str(event["item"]), int(str(event["at"])), str(event["id"])
    buried = event.get("buried_until")
    flags: _Flags = (
        int(bool(event.get("flagged"))),
        int(bool(event.get("suspended"))),
        buried if isinstance(buried, int) else None,
    )
    row = db.execute("SELECT at, uid FROM sync_flag WHERE item = ?", (item,)).fetchone()
    if row is not None and (row[0], row[1]) >= (at, uid):
        return False
    db.execute("INSERT OR IGNORE INTO item_flag (item) VALUES (?)", (item,))
    db.execute(
        "UPDATE item_flag SET flagged = ?, suspended = ?, buried_until = ?, "
        "leech = leech * ? WHERE item = ?",
        (*flags, flags[1], item),
    )
    _remember(db, item, flags, at, uid)
    return True
