"""The decks as last loaded, in one SQLite file: a start that reads no deck at all.

A warm start with the parse cache still decodes every card (0.4 s for 100,000
cards) before the first one can be shown. The catalog keeps, next to that
cache, what the home screen and the review queue need without the cards: each
deck's header and size, every item's key, deck and position in load order, and
each card as a small ``marshal`` row to rebuild only the cards a session shows.

It is written after a full load (in the app's loading thread) together with a
*signature* of the deck files it came from: the deck folders, and the path,
size, modification time, inode and mode of every deck file, taken before the load
read them, plus the tool's cache fingerprint. At the next start the folders are
scanned again (a stat per file, about 2 ms for 200 files); only when the
signature is the same is the catalog used. Anything else (a changed, added or
removed file, another version of the tool, a damaged or missing catalog) falls
back to the normal load, which writes a new one.

The queries join the catalog with the progress database, attached read-only,
so new items are found in deck order without looking at the others, and the
counts come from the items someone studied. It is a cache: deleting it is safe.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import cast

from study.core.batches import in_batches
from study.core.decks.cache import RACY_NS, _card, _card_row, fingerprint
from study.core.decks.model import Card, Deck, Item, Problem, Severity, Source, expand
from study.core.decks.watch import FileState

FORMAT = 1
"""The layout of the tables below; bump it when they change."""

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE deck (ord INTEGER PRIMARY KEY, id TEXT NOT NULL, header BLOB NOT NULL,
                   cards INTEGER NOT NULL, items INTEGER NOT NULL);
CREATE TABLE card (ord INTEGER PRIMARY KEY, deck TEXT NOT NULL, row BLOB NOT NULL);
CREATE TABLE item (ord INTEGER PRIMARY KEY, key TEXT NOT NULL, deck TEXT NOT NULL,
                   card INTEGER NOT NULL);
"""

INDEXES = """
CREATE INDEX card_deck ON card(deck, ord);
CREATE INDEX item_key ON item(key);
CREATE INDEX item_deck ON item(deck, ord);
"""
"""Made after the rows are in (faster than keeping them up to date row by row)."""


StudiedRow = tuple[str, int | None, float | None, int | None, int | None, int | None, int | None]
"""(deck, phase, stability, due, last review, suspended, buried until) of an item with a state or
a flag; times in UTC ms; the state columns are None without a state, the flag columns without a
flag."""

DueRow = tuple["Ref", int, int, float | None, int | None]
"""(item, phase, due, stability, last review) of an item in learning or review; times in ms."""


@dataclass(frozen=True, slots=True)
class Ref:
    """An item known by its key only (enough to build a queue); ``Catalog.items`` gives the Item."""

    key: str
    deck: str

    @property
    def note_key(self) -> str:
        """The key shared by siblings (the card's key)."""
        return self.key.split("#", 1)[0]


def signature(roots: Sequence[Path], files: dict[str, FileState]) -> bytes:
    """What the catalog must have been made from to be used: the tool, the folders, every file's
    state."""
    return marshal.dumps(
        (
            FORMAT,
            fingerprint(),
            [(os.fspath(r), os.path.exists(r)) for r in roots],
            [(path, s.size, s.mtime_ns, s.inode, s.mode) for path, s in files.items()],
        )
    )


def is_settled(files: dict[str, FileState], now_ns: int | None = None) -> bool:
    """No file was modified so recently that a second edit could keep its size and time."""
    now_ns = time.time_ns() if now_ns is None else now_ns
    return all(now_ns - s.mtime_ns >= RACY_NS for s in files.values())


def _header(deck: Deck) -> bytes:
    sources = tuple((s.id, s.title, s.author, s.publication, s.date, s.url) for s in deck.sources)
    return marshal.dumps(
        (
            deck.id,
            deck.title,
            os.fspath(deck.path),
            deck.display,
            deck.group,
            deck.description,
            deck.tags,
            sources,
        )
    )


def _deck(header: bytes) -> Deck:
    deck_id, title, path, display, group, description, tags, sources = marshal.loads(header)
    return Deck(
        id=deck_id,
        title=title,
        path=Path(path),
        display=display,
        group=group,
        description=description,
        tags=tags,
        sources=tuple(Source(*s) for s in sources),
    )


def write(
    path: Path,
    sig: bytes,
    decks: Sequence[Deck],
    items: Mapping[str, Item],
    problems: Sequence[Problem],
) -> bool:
    """Write a new catalog (to a temporary file, then renamed over the old one).

    False if it could not be.
    """
    temp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temp.unlink(missing_ok=True)
        db = sqlite3.connect(temp, isolation_level=None)
        try:
            os.chmod(temp, 0o600)
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            db.executescript(SCHEMA)
            db.execute("BEGIN")
            card_ords: dict[int, int] = {}

            def cards() -> Iterator[tuple[int, str, bytes]]:
                for deck in decks:
                    for card in deck.cards:
                        number = card_ords[id(card)] = len(card_ords)
                        yield number, deck.id, marshal.dumps(_card_row(card))  # type: ignore[arg-type]

            per_deck: dict[str, int] = {}

            def item_rows() -> Iterator[tuple[int, str, str, int]]:
                for number, (key, item) in enumerate(items.items()):
                    deck_id = item.card.deck_id
                    per_deck[deck_id] = per_deck.get(deck_id, 0) + 1
                    yield number, key, deck_id, card_ords[id(item.card)]

            db.executemany("INSERT INTO card VALUES (?,?,?)", cards())
            db.executemany("INSERT INTO item VALUES (?,?,?,?)", item_rows())
            db.executemany(
                "INSERT INTO deck VALUES (?,?,?,?,?)",
                (
                    (n, d.id, _header(d), len(d.cards), per_deck.get(d.id, 0))
                    for n, d in enumerate(decks)
                ),
            )
            rows = tuple((p.path, p.line, p.col, p.message, int(p.severity)) for p in problems)
            db.executemany(
                "INSERT INTO meta VALUES (?,?)",
                (("problems", marshal.dumps(rows)), ("signature", sig)),
            )
            db.execute("COMMIT")
            db.executescript(INDEXES)
        finally:
            db.close()
        os.replace(temp, path)
        return True
    except (OSError, sqlite3.Error, ValueError, KeyError):
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
        return False


@dataclass(frozen=True, slots=True)
class DeckHead:
    """A deck without its cards, and its size."""

    deck: Deck
    cards: int
    items: int


class Catalog:
    """An open catalog whose signature matched: decks, problems and items without reading a deck
    file."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        row = db.execute("SELECT value FROM meta WHERE key = 'problems'").fetchone()
        self.problems = [
            Problem(p, line, col, message, Severity(severity))
            for p, line, col, message, severity in marshal.loads(row[0])
        ]
        self._lock = threading.Lock()

    @classmethod
    def open(cls, path: Path, sig: bytes, progress: Path) -> Catalog | None:
        """The catalog at ``path`` if it was made from the files as they are now (else None)."""
        if not path.is_file() or not progress.is_file():
            return None
        db = None
        try:
            db = sqlite3.connect(
                f"{path.absolute().as_uri()}?mode=ro",
                uri=True,
                isolation_level=None,
                check_same_thread=False,
            )
            row = db.execute("SELECT value FROM meta WHERE key = 'signature'").fetchone()
            if row is None or bytes(row[0]) != sig:
                db.close()
                return None
            db.execute("ATTACH DATABASE ? AS p", (f"{progress.absolute().as_uri()}?mode=ro",))
            return cls(db)
        except (sqlite3.Error, ValueError, EOFError, TypeError):
            if db is not None:
                db.close()
            return None

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    @cached_property
    def decks(self) -> list[DeckHead]:
        """Every deck's header and size, in load order (read when first asked for)."""
        with self._lock:
            rows = self.db.execute("SELECT header, cards, items FROM deck ORDER BY ord").fetchall()
        return [DeckHead(_deck(header), cards, items) for header, cards, items in rows]

    def deck_files(self) -> dict[str, str]:
        """Each deck's file as shown to the user, by deck id (without making the decks' headers)."""
        with self._lock:
            rows = self.db.execute("SELECT header FROM deck ORDER BY ord").fetchall()
        return {
            deck_id: display
            for deck_id, _, _, display, *_ in (marshal.loads(header) for (header,) in rows)
        }

    def _query(self, sql: str, args: Sequence[object] = ()) -> list[tuple[object, ...]]:
        with self._lock:  # one connection, shared by the UI and its workers
            return self.db.execute(sql, args).fetchall()

    @staticmethod
    def _deck_filter(decks: Sequence[str], column: str = "i.deck") -> tuple[str, list[object]]:
        if not decks:
            return "", []
        return f" AND {column} IN ({','.join('?' * len(decks))})", list(decks)

    def due_refs(self, before_ms: int, decks: Sequence[str] = ()) -> list[DueRow]:
        """(item, phase, due, stability, last review) of the items in learning or review due
        before ``before_ms`` that the decks have (of the given decks only), in load order; times in
        ms."""
        where, args = self._deck_filter(decks)
        rows = self._query(
            "SELECT i.key, i.deck, s.phase, s.due, s.stability, s.last_review FROM p.item_state s "
            f"CROSS JOIN item i ON i.key = s.item WHERE s.phase != 0 AND s.due < ?{where} ORDER "
            "BY i.ord",
            [before_ms, *args],
        )
        typed = cast(list[tuple[str, str, int, int, float | None, int | None]], rows)
        return [
            (Ref(key, deck), phase, due, stability, last)
            for key, deck, phase, due, stability, last in typed
        ]

    def new_refs(self, decks: Sequence[str] = ()) -> Iterator[Ref]:
        """Items nobody has studied (no state, or a 'new' one), in load order, read as they are
        needed."""
        where, args = self._deck_filter(decks)
        sql = (
            f"SELECT i.ord, i.key, i.deck FROM item i WHERE i.ord > ?{where} AND NOT EXISTS "
            "(SELECT 1 FROM p.item_state s WHERE s.item = i.key AND s.phase != 0) ORDER BY i.ord "
            "LIMIT 200"
        )
        last = -1
        while True:
            rows = cast(list[tuple[int, str, str]], self._query(sql, [last, *args]))
            for ord_, key, deck in rows:
                yield Ref(key, deck)
                last = ord_
            if len(rows) < 200:
                return

    def studied(self) -> list[StudiedRow]:
        """Every item with a state or a flag (``StudiedRow``)."""
        # CROSS JOIN keeps SQLite from walking every item: the studied are fewer
        rows = self._query(
            "SELECT i.deck, s.phase, s.stability, s.due, s.last_review, f.suspended, "
            "f.buried_until "
            "FROM p.item_state s CROSS JOIN item i ON i.key = s.item LEFT JOIN p.item_flag f ON "
            "f.item = s.item "
            "UNION ALL SELECT i.deck, NULL, NULL, NULL, NULL, f.suspended, f.buried_until "
            "FROM p.item_flag f CROSS JOIN item i ON i.key = f.item "
            "WHERE NOT EXISTS (SELECT 1 FROM p.item_state s WHERE s.item = f.item)"
        )
        return cast(list[StudiedRow], rows)

    def items(self, keys: Iterable[str]) -> dict[str, Item]:
        """The items with these keys, rebuilt from their cards' rows."""
        keys = list(keys)
        wanted = set(keys)
        rows: list[tuple[str, bytes]] = []
        for chunk, marks in in_batches(keys):
            query = (
                "SELECT DISTINCT c.deck, c.row FROM item i JOIN card c ON c.ord = i.card "
                f"WHERE i.key IN ({marks})"
            )
            rows.extend(cast(list[tuple[str, bytes]], self._query(query, chunk)))
        found: dict[str, Item] = {}
        for deck, row in rows:
            for item in expand(_card(deck, marshal.loads(row))):
                if item.key in wanted:
                    found[item.key] = item
        return found

    def deck_cards(self, deck_id: str) -> tuple[Card, ...]:
        """Every card of one deck, in order."""
        rows = self._query("SELECT row FROM card WHERE deck = ? ORDER BY ord", (deck_id,))
        return tuple(
            _card(deck_id, marshal.loads(row)) for (row,) in cast(list[tuple[bytes]], rows)
        )
