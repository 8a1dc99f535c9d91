"""Progress in SQLite: where an answer is saved.

``store`` is the one object callers hold, built of ``database`` (the file, its transactions,
``meta``), ``states`` (item states and flags), ``log`` (the review log) and ``card_texts``
(carry-over's tables), over the values in ``rows``; ``schema`` the migrations, ``backup``
(with ``backup_files`` and ``checks``), ``doctor`` and ``salvage`` keep the database safe,
``carryover`` keeps progress across card edits, ``lock`` keeps one app per data folder,
``sync`` and ``sync_flags`` share progress between machines through a folder
(``sync_identity`` names this machine, ``sync_live`` syncs while the app runs), ``replay`` is
the one rule every replay of the log follows.

May import: ``decks.model``, ``scheduling`` and the basics.

The face lists the modules; import names from them. It imports nothing itself, so that
loading one module does not load its neighbours (start-up time).
"""

__all__ = [
    "backup",
    "backup_files",
    "card_texts",
    "carryover",
    "checks",
    "database",
    "doctor",
    "lock",
    "log",
    "replay",
    "rows",
    "salvage",
    "schema",
    "states",
    "store",
    "sync",
    "sync_flags",
    "sync_identity",
    "sync_live",
]
