"""Progress in SQLite: the ``Store`` the rest of the tool holds, built from the parts.

The review log is append-only and is the source of truth; ``item_state`` is a cache of it
that ``rebuild`` recomputes. Undo appends a row that cancels a review; forgetting appends a
``forget`` row that resets the item to new (a replay starts it afresh there), so the
history before it is kept. Each answer is one transaction, committed before the call
returns (WAL, ``synchronous=FULL``: durable across a power cut).

Who writes which table (every write goes through ``Database.transaction``):

- ``database``: the file itself (opening, migrations, backups, restore) and ``meta``;
- ``states``: ``item_flag``, and ``item_state`` when rebuilt from the log (removing the
  ``meta`` mark of a pending rebuild in the same transaction);
- ``log``: ``review``, with what each answer, undo or forget changes in ``item_state`` and
  ``item_flag`` (the leech mark), in one transaction; ``prune`` deletes from all three;
- ``card_texts``: ``card_text`` and ``item_alias`` (carry-over), and the moved progress
  (``review`` rows appended, ``item_state`` and ``item_flag`` rows moved);
- ``exams.record``: ``exam`` and ``exam_answer``, through this store's transaction.

One exception, outside the store: a sync (``sync``, ``sync_flags``) writes, through a
store's transaction (``sync_live``: a second connection to the same file), the answers of
other machines into ``review``, their replay into ``item_state``, their flags into
``item_flag``, and its own tables (``sync_origin``, ``sync_file``, ``sync_flag``).
``salvage`` writes a new file, never this one.

``Store`` is one class made of these layers (``Database`` < ``States`` < ``Log`` <
``CardTexts``), each in its own module, so that callers hold one object and its methods
keep their names; the values and errors it deals in live in ``rows`` and are named here too.
Layers rather than parts held by ``Store``: the layers share one connection and one
transaction, and about a hundred call sites use ``store.<method>``; composing would have
meant a forwarding method for each.
"""

from __future__ import annotations

from study.core.batches import in_batches
from study.core.progress.card_texts import CardTexts
from study.core.progress.database import SCHEMA_OBJECTS, QuickCheck
from study.core.progress.rows import (
    DAY_MS,
    FORGET,
    DamagedError,
    Flags,
    Review,
    StoreError,
    WriteError,
    _state_row,
    exact_ms,
    from_ms,
    to_ms,
)

__all__ = [
    "DAY_MS",
    "FORGET",
    "SCHEMA_OBJECTS",
    "DamagedError",
    "Flags",
    "QuickCheck",
    "Review",
    "Store",
    "StoreError",
    "WriteError",
    "_state_row",
    "exact_ms",
    "from_ms",
    "in_batches",
    "to_ms",
]


class Store(CardTexts):
    """The progress database of one user."""
