"""A cache of parsed deck files, so a warm start never parses an unchanged deck.

One file per deck file under the user's cache folder, named after a hash of the
deck's path. It holds a header (the deck's path, size and modification time in
nanoseconds, and a fingerprint of the tool) and the validated deck with its
problems as plain tuples, written with ``marshal`` (fast, and unlike pickle it
cannot run code). An entry is used only when every part of the key matches and
its checksum is right; anything else (another version of the tool, a changed or
truncated file, garbage) is ignored, and the deck is parsed and stored again.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
import threading
import time
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from study import __version__
from study.core.decks.model import (
    Card,
    CardType,
    Deck,
    MediaRef,
    Problem,
    Severity,
    Source,
    SourceRef,
)

FORMAT = 4
"""The layout of an entry; bump it when the tuples below change shape."""

MAGIC = b"study-deck-cache\n"

RACY_NS = 2_000_000_000
"""A file modified this recently (ns) is not cached: a second edit within the
file system's timestamp resolution could keep the same size and mtime."""

_SOURCES = ("model.py", "parse.py", "yamlread.py", "loader.py", "cache.py", "catalog.py")
"""The modules whose code decides what a deck file loads as (and how the catalog keeps it)."""

_TYPES = {t.value: t for t in CardType}


@cache
def fingerprint() -> str:
    """The tool's version, this layout, the Python version and a hash of the loading code."""
    digest = 0  # CRC-32 (zlib is loaded anyway; hashlib is not needed at start)
    here = Path(__file__).resolve().parent
    for name in _SOURCES:
        try:
            digest = zlib.crc32((here / name).read_bytes(), digest)
        except OSError:  # pragma: no cover - installed without sources
            digest = zlib.crc32(name.encode(), digest)
    python = ".".join(map(str, sys.version_info[:2]))
    return f"{__version__}|{FORMAT}|{python}|{marshal.version}|{digest:08x}"


@dataclass(frozen=True, slots=True)
class FileKey:
    """What identifies one version of a deck file: its path, size and mtime."""

    path: str
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: Path) -> FileKey:
        """The key of the file as it is now (raises OSError if it cannot be read)."""
        stat = os.stat(path)
        return cls(str(path.absolute()), stat.st_size, stat.st_mtime_ns)


def _card_row(card: Card) -> tuple[object, ...]:
    sources = tuple((ref.id, ref.at) for ref in card.citations)
    return (
        card.id,
        card.type.value,
        card.line,
        card.tags,
        sources,
        card.explain,
        card.front,
        card.back,
        card.text,
        card.accept,
        card.answer,
        card.distractors,
        card.items,
        card.item_accept,
        card.ordered,
        card.reverse,
        card.id_given,
        card.guid,
        card.notetype,
        tuple((m.path, m.back, m.line, m.col) for m in card.media),
    )


class _CardParts:
    """A Card's slots, writable: a decoded card is filled in here, then becomes a Card.

    Building a frozen dataclass calls ``object.__setattr__`` once per field (17 for a
    Card); plain attribute stores are about seven times faster, and a warm start
    decodes every card (100,000 of them in a big collection). The memory layout is
    Card's own (the same slots in the same order), so the finished object can take
    Card as its class: it is then an ordinary, frozen Card.
    """

    __slots__ = Card.__slots__


_new = object.__new__


def _card(deck_id: str, row: Any) -> Card:
    card: Any = _new(_CardParts)
    (
        card.id,
        kind,
        card.line,
        card.tags,
        sources,
        card.explain,
        card.front,
        card.back,
        card.text,
        card.accept,
        card.answer,
        card.distractors,
        card.items,
        card.item_accept,
        card.ordered,
        card.reverse,
        card.id_given,
        card.guid,
        card.notetype,
        media,
    ) = row
    card.deck_id = deck_id
    card.type = _TYPES[kind]
    if sources:
        card.source = SourceRef(*sources[0])
        card.more_sources = tuple([SourceRef(*ref) for ref in sources[1:]]) if sources[1:] else ()
    else:
        card.source, card.more_sources = None, ()
    card.media = tuple([MediaRef(*m) for m in media]) if media else ()
    card.__class__ = Card
    return card  # type: ignore[no-any-return]


def encode(deck: Deck | None, problems: list[Problem]) -> Any:
    """The deck and its problems as plain tuples (paths and display names left out)."""
    deck_row: tuple[object, ...] | None = None
    if deck is not None:
        sources = tuple(
            (s.id, s.title, s.author, s.publication, s.date, s.url) for s in deck.sources
        )
        deck_row = (
            deck.id,
            deck.title,
            deck.description,
            deck.tags,
            sources,
            tuple(map(_card_row, deck.cards)),
        )
    return deck_row, tuple((p.line, p.col, p.message, int(p.severity)) for p in problems)


def decode(payload: Any, path: Path, display: str, group: str) -> tuple[Deck | None, list[Problem]]:
    """Rebuild what ``encode`` gave, for the file as found now (its path and display name)."""
    deck_row, problem_rows = payload
    problems = [
        Problem(display, line, col, message, Severity(severity))
        for line, col, message, severity in problem_rows
    ]
    if deck_row is None:
        return None, problems
    deck_id, title, description, tags, sources, cards = deck_row
    return Deck(
        id=deck_id,
        title=title,
        path=path,
        display=display,
        group=group,
        description=description,
        tags=tags,
        sources=tuple(Source(*s) for s in sources),
        cards=tuple([_card(deck_id, row) for row in cards]),
    ), problems


class DeckCache:
    """Parsed deck files kept in ``folder``, one entry per deck file."""

    def __init__(self, folder: Path, version: str | None = None) -> None:
        self.folder = folder
        self.version = version or fingerprint()
        self.hits = 0
        """Entries used (for tests and benchmarks)."""
        self.misses = 0
        """Deck files that had no usable entry."""

    def entry(self, key: FileKey) -> Path:
        """The entry file for a deck path."""
        import hashlib  # only when decks are read (a start from the catalog reads none)

        name = hashlib.blake2b(
            key.path.encode("utf-8", "surrogatepass"), digest_size=16
        ).hexdigest()
        return self.folder / f"{name}.deck"

    def get(
        self, key: FileKey, path: Path, display: str, group: str
    ) -> tuple[Deck | None, list[Problem]] | None:
        """The cached result for this version of the file, or None (a miss)."""
        try:
            data = self.entry(key).read_bytes()
            payload = self._payload(data, key)
            if payload is not None:
                result = decode(payload, path, display, group)
                self.hits += 1
                return result
        except FileNotFoundError:
            pass
        except (OSError, ValueError, TypeError, EOFError, KeyError, IndexError):
            pass  # unreadable or corrupt: parse again and overwrite it
        self.misses += 1
        return None

    def _payload(self, data: bytes, key: FileKey) -> object:
        if not data.startswith(MAGIC):
            return None
        start = len(MAGIC) + 4
        header_len = int.from_bytes(data[len(MAGIC) : start], "little")
        header = marshal.loads(data[start : start + header_len])
        version, path, size, mtime_ns, length, checksum = header
        body = memoryview(data)[start + header_len :]
        if (version, path, size, mtime_ns) != (self.version, key.path, key.size, key.mtime_ns):
            return None
        if len(body) != length or zlib.crc32(body) != checksum:
            return None
        return marshal.loads(body)

    def put(self, key: FileKey, deck: Deck | None, problems: list[Problem]) -> None:
        """Store the result for this version of the file (best effort: errors are ignored)."""
        if time.time_ns() - key.mtime_ns < RACY_NS:
            return
        body = marshal.dumps(encode(deck, problems))
        header = marshal.dumps(
            (self.version, key.path, key.size, key.mtime_ns, len(body), zlib.crc32(body))
        )
        target = self.entry(key)
        temp = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            self.folder.parent.mkdir(
                parents=True, exist_ok=True, mode=0o700
            )  # the data folder: owner only
            self.folder.mkdir(exist_ok=True, mode=0o700)
            with open(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as handle:
                handle.write(MAGIC + len(header).to_bytes(4, "little") + header + body)
            os.replace(temp, target)
        except OSError:
            with contextlib.suppress(OSError):
                temp.unlink(missing_ok=True)

    def clear(self) -> int:
        """Remove every entry; returns how many there were."""
        removed = 0
        for entry in self.folder.glob("*.deck"):
            entry.unlink(missing_ok=True)
            removed += 1
        return removed
