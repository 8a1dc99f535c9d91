"""What the tests of the progress store share: the decks, a second connection to a database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from study.core.service import Service

DECK = "title: D\nid: d\ncards:\n" + "".join(
    f"  - id: c{n}\n    front: question {n}\n    back: answer {n}\n" for n in range(12)
)
ONE_CARD = DECK.split("  - id: c1")[0]
SIBLINGS = """title: S
id: s
cards:
  - id: pair
    front: front
    back: back
    reverse: true
  - id: motto
    text: More {{c1::friends}}, fewer {{c2::enemies}}.
"""


def raw(path: Path) -> sqlite3.Connection:
    """A second, independent connection to a progress database."""
    return sqlite3.connect(path)


def count_rows(path: Path, table: str = "review") -> int:
    with raw(path) as db:
        return int(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def database(service: Service) -> Path:
    return service.paths.database
