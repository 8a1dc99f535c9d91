"""Progress in SQLite: where an answer is saved.

``store`` is the review log and the item states with their transactions, ``schema`` the
migrations, ``backup``, ``doctor`` and ``salvage`` keep the database safe, ``carryover`` keeps
progress across card edits, ``lock`` keeps one app per data folder, ``sync`` and ``sync_flags``
share progress between machines through a folder (``sync_identity`` names this machine,
``sync_live`` syncs while the app runs), ``replay`` is the one rule every replay of the log follows.

May import: ``decks.model``, ``scheduling`` and the basics.

The face lists the modules; import names from them. It imports nothing itself, so that
loading one module does not load its neighbours (start-up time).
"""

__all__ = [
    "backup",
    "carryover",
    "doctor",
    "lock",
    "replay",
    "salvage",
    "schema",
    "store",
    "sync",
    "sync_flags",
    "sync_identity",
    "sync_live",
]
