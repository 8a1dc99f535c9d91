"""Progress in SQLite: where an answer is saved.

``store`` is the one object callers hold: the review log (``log``) over the item states and
flags (``states``) over the file and its transactions (``database``), with carry-over's tables
(``card_texts``); ``rows`` are the values and errors they deal in, ``schema`` the migrations.
``backup`` (with ``backup_files``, the backups on disk, and ``checks``), ``salvage`` and
``doctor`` (``study doctor``) keep the database safe; ``carryover`` keeps progress across card
edits; ``lock``
keeps one app per data folder; ``sync`` shares progress between machines through a folder
(``sync_files`` its files, ``sync_flags`` the flags, ``sync_identity`` this machine's name,
``sync_live`` the sync while the app runs); ``replay`` is the one rule every replay follows.

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
    "sync_files",
    "sync_flags",
    "sync_identity",
    "sync_live",
]
