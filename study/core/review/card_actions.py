"""What can be done to the cards a search found: suspend, unsuspend, unbury, unflag, forget;
and a card's history. Shared by the browser (through ``CardIndex``) and the command line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from study.core.progress.store import FORGET, Flags, Store
from study.core.scheduling.scheduler import Scheduler

RATINGS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
"""The names of the ratings, as on the buttons."""


class Action(StrEnum):
    """What can be done to the cards found."""

    SUSPEND = "suspend"
    UNSUSPEND = "unsuspend"
    UNBURY = "unbury"
    UNFLAG = "unflag"
    FORGET = "forget"


_DONE = {
    Action.SUSPEND: ("Suspended", "suspended already"),
    Action.UNSUSPEND: ("Unsuspended", "not suspended"),
    Action.UNBURY: ("Unburied", "not buried"),
    Action.UNFLAG: ("Unflagged", "not flagged"),
    Action.FORGET: ("Reset", "new already"),
}


def cards(count: int) -> str:
    """``1 card``, ``2 cards``."""
    return f"{count:,} card{'' if count == 1 else 's'}"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What an action did."""

    action: Action
    changed: int
    asked: int
    before: tuple[tuple[str, Flags], ...] = ()
    """The flags of the changed items as they were (what ``undo`` puts back)."""
    forgotten: tuple[tuple[str, int], ...] = ()
    """FORGET: each item reset and the id of its ``forget`` row (what ``undo`` cancels)."""

    def describe(self) -> str:
        """One line: ``Suspended 3 cards (1 was suspended already).``"""
        done, already = _DONE[self.action]
        rest = self.asked - self.changed
        tail = f" ({rest:,} {'was' if rest == 1 else 'were'} {already})" if rest else ""
        to_new = " to new" if self.action is Action.FORGET else ""
        return f"{done} {cards(self.changed)}{to_new}{tail}."


def act(action: Action, keys: Sequence[str], store: Store, now: datetime) -> Outcome:
    """Do ``action`` to these items, each change in one transaction; says how many changed."""
    flags = store.flags_of(keys)
    none = Flags()
    if action is Action.FORGET:
        rows = store.forget_rows(keys, now)
        before = tuple((key, flags.get(key, none)) for key in rows)
        return Outcome(action, len(rows), len(keys), before, tuple(rows.items()))

    def has(key: str) -> bool:
        flag = flags.get(key, none)
        if action is Action.UNBURY:
            return flag.buried_until is not None and flag.buried_until > now
        return flag.flagged if action is Action.UNFLAG else flag.suspended

    wanted = action is not Action.SUSPEND
    changing = [key for key in keys if has(key) is wanted]
    before = tuple((key, flags.get(key, none)) for key in changing)
    if action is Action.SUSPEND:
        store.set_flags(changing, suspended=True)
    elif action is Action.UNSUSPEND:
        store.set_flags(changing, suspended=False)
    elif action is Action.UNFLAG:
        store.set_flags(changing, flagged=False)
    else:
        store.set_flags([k for k in keys if flags.get(k, none).buried_until], buried_until=None)
    return Outcome(action, len(changing), len(keys), before)


def undoable(outcome: Outcome) -> bool:
    """Whether ``undo`` can take this outcome back: an action that changed some card."""
    return bool(outcome.before)


def undo(outcome: Outcome, store: Store, now: datetime, scheduler: Scheduler) -> str:
    """Take the action back; says what was undone: ``Undid: suspend of 3 cards (unsuspended
    again).`` A flag change puts back the flags it changed, in one transaction; a forget
    appends an ``undo`` row for each of its ``forget`` rows (the log keeps both, and the
    states are replayed from it, as for an answer undone), then puts back the leech marks."""
    if not undoable(outcome):
        raise ValueError(f"nothing to undo: {outcome.describe()}")
    if outcome.action is Action.FORGET:
        store.undo_rows(dict(outcome.forgotten), now, scheduler)
    store.put_flags_many(dict(outcome.before))
    again = {
        Action.SUSPEND: "unsuspended again",
        Action.UNSUSPEND: "suspended again",
        Action.UNBURY: "buried again",
        Action.UNFLAG: "flagged again",
        Action.FORGET: "their progress back",
    }[outcome.action]
    return f"Undid: {outcome.action} of {cards(len(outcome.before))} ({again})."


@dataclass(frozen=True, slots=True)
class Step:
    """One line of a card's history."""

    at: datetime
    rating: str
    """Again / Hard / Good / Easy, or ``forgotten`` for a reset to new."""
    mode: str
    """review, practice, exam, import or forget."""
    answer: str | None
    interval: timedelta | None
    """How long until the item was due again (None for practice, which schedules nothing)."""
    seconds: float


def history(store: Store, key: str) -> list[Step]:
    """Every answer an item was given (none undone), oldest first, with the interval after it."""
    return [
        Step(
            r.at,
            "forgotten" if r.mode == FORGET else RATINGS.get(r.rating, str(r.rating)),
            r.mode,
            r.answer,
            None if r.due is None else r.due - r.at,
            r.duration_ms / 1000,
        )
        for r in store.history(key)
    ]
