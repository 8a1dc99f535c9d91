"""Checking a progress database file without changing it: is it usable, and why not.

Imports only the schema (its version); the store, the backups and the doctor use it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from study.core.progress.schema import SCHEMA_VERSION


def check_file(path: Path, *, full: bool = False) -> list[str]:
    """What makes a database file unusable, read without changing it (empty: it is usable)."""
    try:
        db = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=10.0)
        try:
            rows = [
                " ".join(str(r[0]).split())
                for r in db.execute(f"PRAGMA {'integrity_check' if full else 'quick_check'}(3)")
            ]
            version = int(db.execute("PRAGMA user_version").fetchone()[0])
            tables = {
                r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
        finally:
            db.close()
    except (OSError, sqlite3.Error) as exc:
        return [str(exc)]
    if rows != ["ok"]:
        return rows
    if version > SCHEMA_VERSION:
        return [f"written by a newer version of study (schema {version})"]
    if version < 1 or "review" not in tables:
        return ["not a study progress database"]
    return []
