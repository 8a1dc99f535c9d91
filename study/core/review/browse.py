"""The card browser's model: every study item with its state, searched, sorted and acted on.

``CardIndex`` reads the states, flags and last answers of every item once (raw rows: no
``Memory`` or datetime per item, a 100,000-card collection is indexed in well under a
second) and keeps them in parallel lists, which ``study.core.review.search`` filters. Rows to show
are made only for the items on screen. The actions (suspend, unsuspend, unbury, unflag,
forget, in ``card_actions``) go through the store and then refresh only the items they touched.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from study.core.clock import Clock
from study.core.decks.formatting import strip_markup
from study.core.decks.model import CLOZE, Card, CardType, Item
from study.core.progress.store import DAY_MS, Flags, Store, from_ms, to_ms
from study.core.review.card_actions import RATINGS, Action, Outcome, Step, act, history, undo
from study.core.review.search import Corpus, Field, Query, State, check_decks, fold, search
from study.core.scheduling.scheduler import Phase, Scheduler, format_interval


class Column(StrEnum):
    """The browser's columns, each one a sort order."""

    CARD = "card"
    DECK = "deck"
    STATE = "state"
    DUE = "due"
    STABILITY = "stability"
    RECALL = "recall"
    LAPSES = "lapses"
    LAST = "last"


@dataclass(frozen=True, slots=True)
class Row:
    """One item as the browser and ``study cards`` list it."""

    item: Item
    states: tuple[str, ...]
    """``new``, ``learning`` or ``review``, then any of ``due``, ``suspended``, ``buried``,
    ``flagged``, ``leech``."""
    due: datetime | None
    stability: float | None
    """Days (FSRS stability: the interval at which recall falls to 90%)."""
    recall: float | None
    """Predicted recall now (None for a new item)."""
    lapses: int
    last_at: datetime | None
    last_rating: int | None

    def cells(self, clock: Clock, now: datetime) -> tuple[str, ...]:
        """The row as text, one cell per ``Column``."""
        due = "-"
        if self.due is not None:
            local, today = clock.local(self.due), clock.local(now).date()
            due = f"{local:%H:%M}" if local.date() == today else f"{local:%Y-%m-%d}"
        last = "-"
        if self.last_at is not None and self.last_rating is not None:
            last = f"{RATINGS.get(self.last_rating, '?')} {clock.local(self.last_at):%Y-%m-%d}"
        prompt = strip_markup(self.item.prompt) or " ".join(
            f"[{m.path}]" for m in self.item.prompt_media
        )
        return (
            " ".join(prompt.split()),
            self.item.card.deck_id,
            " ".join(self.states),
            due,
            "-" if self.stability is None else format_interval(timedelta(days=self.stability)),
            "-" if self.recall is None else f"{self.recall:.0%}",
            str(self.lapses),
            last,
        )

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready form (``study cards --json``)."""
        return {
            "item": self.item.key,
            "deck": self.item.card.deck_id,
            "card": self.item.card.id,
            "prompt": self.item.prompt,
            "states": list(self.states),
            "due": self.due.isoformat() if self.due else None,
            "stability_days": None if self.stability is None else round(self.stability, 2),
            "recall": None if self.recall is None else round(self.recall, 4),
            "lapses": self.lapses,
            "last_answer": None
            if self.last_at is None
            else {"at": self.last_at.isoformat(), "rating": RATINGS.get(self.last_rating or 0)},
        }


def card_text(card: Card) -> str:
    """Everything of a card that a search reads, folded: its id and every text field."""
    text = CLOZE.sub(r"\2", card.text) if card.type is CardType.CLOZE else ""
    fields = (card.id, card.front, card.back, text, card.answer, card.explain)
    parts = [strip_markup(p) for p in fields]  # **bold** is found as bold
    media = (m.path for m in card.media)
    return fold("\n".join((*parts, *card.accept, *card.distractors, *card.items, *media)))


_Raw = tuple[str, int, float | None, int | None, int | None, int]
"""A row of ``Store.state_rows``: item, phase, stability, due ms, last review ms, lapses."""

_NONE: _Raw = ("", int(Phase.NEW), None, None, None, 0)


def _bits(raw: _Raw, flag: Flags | None, now_ms: int, day_end: int) -> int:
    """An item's ``State`` bits, from its raw state and its flags."""
    phase = raw[1]
    bits = State.NEW if phase == 0 else State.REVIEW if phase == 2 else State.LEARNING
    hidden = False
    if flag is not None:
        buried = flag.buried_until is not None and to_ms(flag.buried_until) > now_ms
        hidden = flag.suspended or buried
        bits |= (
            State.SUSPENDED * flag.suspended
            + State.BURIED * buried
            + State.FLAGGED * flag.flagged
            + State.LEECH * flag.leech
        )
    if phase != 0 and not hidden and (raw[3] or 0) < day_end:
        bits |= State.DUE
    return int(bits)


class CardIndex:
    """Every item of a selection with what the browser shows and searches (see the module).

    Made at once from the items alone: the rows asked for read their own states, flags and
    last answers. The rest is read when first needed, or ahead by ``warm`` (the browser calls
    it in a thread once its first rows are shown): every item's state and flags (a state
    search, sorting), the cards' text and tags (a text or tag search), every item's last
    answer (sorting by it), and each column's sort keys.
    """

    def __init__(
        self,
        items: Sequence[Item],
        store: Store,
        scheduler: Scheduler,
        clock: Clock,
        day_starts_at: int,
        folders: dict[str, str],
    ) -> None:
        self.items = list(items)
        self.store, self.scheduler, self.clock = store, scheduler, clock
        self.day_starts_at, self.folders = day_starts_at, folders
        self.keys = [item.key for item in self.items]
        self.position = {key: i for i, key in enumerate(self.keys)}
        self.deck = [item.card.deck_id for item in self.items]
        self.raw: dict[str, _Raw] = {}
        self.flags: dict[str, Flags] = {}
        self.state: list[int] = []
        """Each item's ``State`` bits (empty until ``load``)."""
        self._lock = threading.Lock()
        """Held while every state and flag is read, and while they are changed."""
        self._text_lock = threading.Lock()
        """Held while the cards' text is read (a text search waits for that alone)."""
        self._loaded = False
        self._text: list[str] | None = None
        self._tags: list[tuple[str, ...]] = []
        self._last: dict[str, tuple[int, int]] | None = None
        self._sort_keys: dict[Column, list[object]] = {}
        self._times()

    def _times(self) -> None:
        self.now = self.clock.now()
        self._now_ms = to_ms(self.now)
        self._day_end = to_ms(self.clock.day_bounds(self.now, self.day_starts_at)[1])

    def load(self) -> None:
        """Read every item's state and flags (once; a second thread waits for the first)."""
        with self._lock:
            if self._loaded:
                return
            self.raw, self.flags = self.store.state_rows(), self.store.flags()
            self._stamp()
            self._loaded = True

    def _stamp(self, indices: Iterable[int] | None = None) -> None:
        """Work out the ``State`` bits of these items (all by default) as of now."""
        self._times()
        if indices is None:
            self.state = [int(State.NEW)] * len(self.items)
            keys: Iterable[str] = set(self.raw) | set(self.flags)
        else:
            keys = [self.keys[i] for i in indices]
        position, state, raws, flags = self.position, self.state, self.raw, self.flags
        now_ms, day_end = self._now_ms, self._day_end
        for key in keys:
            i = position.get(key)
            if i is not None:
                state[i] = _bits(raws.get(key, _NONE), flags.get(key), now_ms, day_end)
        for column in (Column.STATE, Column.RECALL):
            self._sort_keys.pop(column, None)

    def __len__(self) -> int:
        return len(self.items)

    def warm(self) -> None:
        """Read now what searching and sorting need: the cards' text and tags first (what
        typing in the search box needs), then every state and flag."""
        self._read_text()
        self.load()

    def _read_text(self) -> None:
        with self._text_lock:
            if self._text is not None:
                return
            texts: dict[str, str] = {}
            tags: dict[str, tuple[str, ...]] = {}
            text_list, tag_list = [], []
            for item in self.items:
                card = item.card
                key = card.key
                if key not in texts:
                    texts[key] = card_text(card)
                    tags[key] = tuple(map(str.lower, card.tags))
                text_list.append(texts[key])
                tag_list.append(tags[key])
            self._tags, self._text = tag_list, text_list

    def check(self, query: Query) -> None:
        """Raise QueryError if a ``deck:`` term of the query names no deck or folder."""
        check_decks(query, self.folders)

    def search(self, query: Query, among: Sequence[int] | None = None) -> list[int]:
        """The indices of the items that match, in deck order (or ``among``'s)."""
        fields = {t.field for t in query.terms}
        if Field.IS in fields:
            self.load()
        if fields & {Field.TEXT, Field.TAG}:
            self._read_text()
        corpus = Corpus(self._text or (), self.deck, self._tags, self.state, self.folders)
        return search(query, corpus, among)

    def sort(self, found: Sequence[int], column: Column, descending: bool = False) -> list[int]:
        """``found`` ordered by a column (ties keep deck order; new items have no due date and
        sort after the others)."""
        self.load()
        keys = self._sort_keys.get(column)
        if keys is None:
            keys = self._sort_keys[column] = [self._sort_key(column, i) for i in range(len(self))]
        return sorted(found, key=keys.__getitem__, reverse=descending)  # type: ignore[arg-type]

    def _sort_key(self, column: Column, i: int) -> object:
        raw = self.raw.get(self.keys[i], _NONE)
        if column is Column.CARD:
            return fold(self.items[i].prompt)
        if column is Column.DECK:
            return self.deck[i]
        if column is Column.STATE:
            return self.state[i]
        if column is Column.DUE:
            return raw[3] if raw[3] is not None and raw[1] != Phase.NEW else 1 << 62
        if column is Column.STABILITY:
            return -1.0 if raw[2] is None else raw[2]
        if column is Column.RECALL:
            recall = self._recall(raw)
            return -1.0 if recall is None else recall
        if column is Column.LAPSES:
            return raw[5]
        return self.last_answers().get(self.keys[i], (-1, 0))[0]

    def last_answers(self) -> dict[str, tuple[int, int]]:
        """Every item's last answer (read once)."""
        if self._last is None:
            self._last = self.store.last_answers()
        return self._last

    def _recall(self, raw: _Raw) -> float | None:
        _, phase, stability, _, last_ms, _ = raw
        if phase == Phase.NEW or stability is None or last_ms is None:
            return None
        days = max(0, (to_ms(self.now) - last_ms) // DAY_MS)
        return self.scheduler.recall_after(stability, days)

    def rows(self, indices: Sequence[int]) -> list[Row]:
        """What the browser shows of these items (read for them alone before ``load``)."""
        keys = [self.keys[i] for i in indices]
        last = self._last if self._last is not None else self.store.last_answers(keys)
        if self._loaded:
            raws, flags, states = self.raw, self.flags, [self.state[i] for i in indices]
        else:
            raws, flags = self.store.state_rows(keys), self.store.flags_of(keys)
            states = [
                _bits(raws.get(k, _NONE), flags.get(k), self._now_ms, self._day_end) for k in keys
            ]
        out = []
        for i, key, bits in zip(indices, keys, states, strict=True):
            raw = raws.get(key, _NONE)
            answered = last.get(key)
            new = raw[1] == Phase.NEW
            out.append(
                Row(
                    self.items[i],
                    tuple(s.name.lower() for s in State if s & bits and s.name),
                    None if new else from_ms(raw[3]),
                    None if new else raw[2],
                    self._recall(raw),
                    raw[5],
                    None if answered is None else from_ms(answered[0]),
                    None if answered is None else answered[1],
                )
            )
        return out

    def refresh(self, keys: Iterable[str]) -> None:
        """Read these items' states and flags again (after an action on them)."""
        keys = [k for k in keys if k in self.position]
        with self._lock:  # a load under way finishes first, then sees the change here
            if not self._loaded:
                return  # nothing kept yet: the rows read their own, a load reads it all
            states, flags = self.store.state_rows(keys), self.store.flags_of(keys)
            for key in keys:
                self.raw.pop(key, None)
                self.flags.pop(key, None)
            self.raw.update(states)
            self.flags.update(flags)
            for column in (Column.DUE, Column.STABILITY, Column.LAPSES):
                self._sort_keys.pop(column, None)
            self._stamp(self.position[k] for k in keys)

    def history(self, index: int) -> list[Step]:
        """Every answer one item was given (``history``)."""
        return history(self.store, self.keys[index])

    def act(self, action: Action, indices: Sequence[int]) -> Outcome:
        """Do ``action`` to these items; then their rows show it."""
        keys = [self.keys[i] for i in indices]
        outcome = act(action, keys, self.store, self.clock.now())
        self.refresh(keys)
        return outcome

    def undo(self, outcome: Outcome) -> str:
        """Take back what ``act`` did (``card_actions.undo``); then the rows show it."""
        message = undo(outcome, self.store, self.clock.now(), self.scheduler)
        self.refresh([key for key, _ in outcome.before])
        return message
