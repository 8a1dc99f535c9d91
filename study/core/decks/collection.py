"""The decks as the service sees them: one interface, read from the loaded decks or their catalog.

``Decks`` is everything the service, the counts (``review.counts``) and today's queue
(``review.queue``) ask of the decks. Two views answer it:

- ``Loaded``: decks read from their files (``loader.load_decks``), every item in memory;
- ``Catalogued``: the catalog of the decks as last loaded (``catalog.Catalog``), standing in
  until the load ends. It holds no items: a queue's candidates are read from it (the items due
  today, then new ones in deck order as long as the queue takes them) and only the items a
  session shows are rebuilt (``find``). It indexes no tags: a scope by tag has no items until
  the load (nothing asks for one before).

The item states are read raw (UTC milliseconds, no ``Memory`` or datetime per row), so the two
views feed the same counting and the same queue: the loaded view from the progress database's
rows (``Progress``: ``progress.store.Store`` is one), the catalog by a query joining its items
with the same database (attached read-only; it does not use the store).

May import: the decks' model and catalog (no other room: the store is known by its shape).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Protocol

from study.core.decks.catalog import Catalog, StudiedRow
from study.core.decks.model import Card, Deck, Item, LoadResult, Problem, expand

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class Flagged(Protocol):
    """An item's flags as the progress database keeps them (``progress.store.Flags``)."""

    @property
    def suspended(self) -> bool: ...

    @property
    def buried_until(self) -> datetime | None: ...


StateRow = tuple[str, int, float | None, int | None, int | None, int]
"""(item, phase, stability, due, last review, lapses); times in UTC ms."""


class Progress(Protocol):
    """What the views read of the progress database (``progress.store.Store`` answers it)."""

    def state_rows(self) -> Mapping[str, StateRow]:
        """Every item's raw state, by item key."""
        ...

    def flags(self) -> Mapping[str, Flagged]:
        """Every item's flags, by item key."""
        ...


class Keyed(Protocol):
    """What a queue is built of: an Item, or a catalog ``Ref`` standing for one."""

    @property
    def key(self) -> str: ...

    @property
    def note_key(self) -> str: ...


Studied = StudiedRow
"""An item with a state or a flag (``Catalog.studied`` says what each column is)."""

Due = tuple[Keyed, int, int, float | None, int | None]
"""An item in learning or review due soon: (item, phase, due, stability, last review); ms."""


class Decks(Protocol):
    """The decks, their problems, their items, and the items' raw states for counts and queues."""

    @property
    def decks(self) -> Sequence[Deck]:
        """Every deck in load order (from the catalog: headers, without cards)."""
        ...

    @property
    def problems(self) -> list[Problem]:
        """The problems found in the deck files."""
        ...

    @property
    def items(self) -> Mapping[str, Item]:
        """The items held in memory, by key, in load order (the catalog holds none)."""
        ...

    def sizes(self) -> dict[str, tuple[int, int]]:
        """(cards, items) of each deck, by deck id."""
        ...

    def deck_files(self) -> dict[str, str]:
        """Each deck's file as shown to the user, by deck id."""
        ...

    def deck_cards(self, deck_id: str) -> Sequence[Card]:
        """Every card of a deck, in order (none for an unknown deck)."""
        ...

    def select(self, deck_ids: Iterable[str] = (), tags: Iterable[str] = ()) -> list[Item]:
        """The items of these decks and/or tags (all: both empty), in load order."""
        ...

    def find(self, keys: Iterable[str]) -> dict[str, Item]:
        """The items with these keys (those that exist)."""
        ...

    def studied(self, store: Progress) -> Iterable[Studied]:
        """Every item of the decks that has a state or a flag, as a raw row."""
        ...

    def candidates(
        self, store: Progress, before_ms: int, deck_ids: Sequence[str], tags: Sequence[str]
    ) -> tuple[list[Due], Iterator[Keyed]]:
        """Today's candidates in a scope (every deck: both empty): the items in learning or
        review due before ``before_ms``, in load order, and the new items (no state, or a new
        one) in load order, read as they are taken."""
        ...


class Loaded:
    """Decks read from their files: every item in memory."""

    def __init__(self, result: LoadResult) -> None:
        self.result = result
        self.items: dict[str, Item] = {
            item.key: item for deck in result.decks for card in deck.cards for item in expand(card)
        }

    @property
    def decks(self) -> list[Deck]:
        return self.result.decks

    @property
    def problems(self) -> list[Problem]:
        return self.result.problems

    @cached_property
    def _per_deck(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for item in self.items.values():
            counts[item.card.deck_id] = counts.get(item.card.deck_id, 0) + 1
        return counts

    def sizes(self) -> dict[str, tuple[int, int]]:
        return {d.id: (len(d.cards), self._per_deck.get(d.id, 0)) for d in self.decks}

    def deck_files(self) -> dict[str, str]:
        return {d.id: d.display for d in self.decks}

    def deck_cards(self, deck_id: str) -> Sequence[Card]:
        deck = next((d for d in self.decks if d.id == deck_id), None)
        return deck.cards if deck is not None else ()

    def select(self, deck_ids: Iterable[str] = (), tags: Iterable[str] = ()) -> list[Item]:
        wanted_decks, wanted_tags = set(deck_ids), set(tags)
        return [
            item
            for item in self.items.values()
            if (not wanted_decks and not wanted_tags)
            or item.card.deck_id in wanted_decks
            or wanted_tags.intersection(item.card.tags)
        ]

    def find(self, keys: Iterable[str]) -> dict[str, Item]:
        return {key: self.items[key] for key in keys if key in self.items}

    def studied(self, store: Progress) -> Iterator[Studied]:
        states, flags, items = store.state_rows(), store.flags(), self.items
        for key, (_, phase, stability, due, last, _) in states.items():
            if key in items:
                flag = flags.get(key)
                suspended, buried = _flag_columns(flags.get(key))
                yield items[key].card.deck_id, phase, stability, due, last, suspended, buried
        for key, flag in flags.items():
            if key in items and key not in states:
                suspended, buried = _flag_columns(flag)
                yield items[key].card.deck_id, None, None, None, None, suspended, buried

    def candidates(
        self, store: Progress, before_ms: int, deck_ids: Sequence[str], tags: Sequence[str]
    ) -> tuple[list[Due], Iterator[Keyed]]:
        states = store.state_rows()
        due: list[Due] = []
        new: list[Keyed] = []
        for item in self.select(deck_ids, tags):
            row = states.get(item.key)
            if row is None or not row[1]:
                new.append(item)
            elif row[3] is not None and row[3] < before_ms:
                due.append((item, row[1], row[3], row[2], row[4]))
        return due, iter(new)


def _flag_columns(flag: Flagged | None) -> tuple[int | None, int | None]:
    """(suspended, buried until in UTC ms, exactly as ``progress.store.exact_ms``) as the
    catalog's query gives them."""
    if flag is None:
        return None, None
    until = flag.buried_until
    buried = None if until is None else (until - _EPOCH) // timedelta(milliseconds=1)
    return int(flag.suspended), buried


class Catalogued:
    """The catalog standing in for the decks until they are loaded (no deck file read)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.items: dict[str, Item] = {}

    @property
    def decks(self) -> list[Deck]:
        return [head.deck for head in self.catalog.decks]

    @property
    def problems(self) -> list[Problem]:
        return self.catalog.problems

    def sizes(self) -> dict[str, tuple[int, int]]:
        return {head.deck.id: (head.cards, head.items) for head in self.catalog.decks}

    def deck_files(self) -> dict[str, str]:
        return self.catalog.deck_files()

    def deck_cards(self, deck_id: str) -> Sequence[Card]:
        return self.catalog.deck_cards(deck_id)

    def select(self, deck_ids: Iterable[str] = (), tags: Iterable[str] = ()) -> list[Item]:
        return []  # the items of a scope wait for the load; a queue reads ``candidates``

    def find(self, keys: Iterable[str]) -> dict[str, Item]:
        return self.catalog.items(keys)

    def studied(self, store: Progress) -> list[Studied]:
        return self.catalog.studied()

    def candidates(
        self, store: Progress, before_ms: int, deck_ids: Sequence[str], tags: Sequence[str]
    ) -> tuple[list[Due], Iterator[Keyed]]:
        if tags:  # no tags in the catalog: as before the load, a scope by tag has no items
            return [], iter(())
        due: list[Due] = [*self.catalog.due_refs(before_ms, deck_ids)]
        return due, iter(self.catalog.new_refs(deck_ids))
