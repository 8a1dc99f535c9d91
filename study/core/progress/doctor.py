"""``study doctor``: check the progress database, repair what can be repaired, say what was done.

It runs SQLite's full integrity check, rebuilds every card state from the review
log (the log is the truth; the state table is a cache of it), lists progress kept
for cards that no deck has any more and, when asked, deletes it after a backup.
It also makes the data folder, the database and the backups readable by their
owner only. A database that is damaged is never written to: the report names the
latest good backup, and what can still be read of it is salvaged into a new file
(``core.salvage``) that ``study restore FILE`` puts in place.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path

from study.core.clock import Clock
from study.core.decks.model import LoadResult, Severity
from study.core.paths import Paths
from study.core.progress.backup import (
    Backup,
    BackupError,
    Kind,
    latest_good_backup,
    make_backup,
)
from study.core.progress.salvage import Salvage, salvage
from study.core.progress.store import DamagedError, Store, StoreError
from study.core.scheduling.scheduler import Scheduler
from study.core.words import plural

SHOWN_ORPHANS = 20
"""How many orphaned items the text report names (the JSON report has them all)."""


@dataclass(frozen=True, slots=True)
class DoctorReport:
    """What the doctor found and what it fixed."""

    database: Path
    exists: bool = True
    """False when there is no database yet (nothing to check)."""
    error: str | None = None
    """Why the database could not be opened at all (nothing else was done then)."""
    integrity: tuple[str, ...] = ()
    """Problems SQLite's integrity check found (empty: the file is sound)."""
    reviews: int = 0
    items: int = 0
    """Items with any progress (state, flags or reviews)."""
    rebuilt: int = 0
    """Card states that did not match the review log and were rebuilt from it."""
    orphans: tuple[str, ...] = ()
    """Items with progress that no loaded deck has."""
    pruned: int = 0
    prune_refused: str | None = None
    backup: Path | None = None
    """The backup made before pruning."""
    permissions_fixed: tuple[str, ...] = ()
    deck_errors: int = 0
    latest_backup: Backup | None = None
    salvaged: Salvage | None = None
    """What was read from a damaged database into a new file."""

    @property
    def ok(self) -> bool:
        """The database opened and passed the integrity check."""
        return self.error is None and not self.integrity

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready form for ``--json``."""
        return {
            "database": str(self.database),
            "exists": self.exists,
            "ok": self.ok,
            "error": self.error,
            "integrity": list(self.integrity),
            "reviews": self.reviews,
            "items": self.items,
            "rebuilt": self.rebuilt,
            "orphans": list(self.orphans),
            "pruned": self.pruned,
            "prune_refused": self.prune_refused,
            "backup": str(self.backup) if self.backup else None,
            "permissions_fixed": list(self.permissions_fixed),
            "deck_errors": self.deck_errors,
            "latest_backup": self.latest_backup.to_dict() if self.latest_backup else None,
            "salvaged": self.salvaged.to_dict() if self.salvaged else None,
        }

    def lines(self) -> list[str]:
        """The report as plain text, one finding per line."""
        out = [f"database: {self.database}"]
        out += [f"fixed: {fix}" for fix in self.permissions_fixed]
        if not self.exists:
            return [*out, "no progress database yet: nothing to check"]
        latest = (
            f"{self.latest_backup.path} (made {self.latest_backup.at:%Y-%m-%d %H:%M} UTC)"
            if self.latest_backup
            else "none"
        )
        if self.error is not None:
            return [*out, f"error: {self.error}", *self._salvage_lines()]
        if self.integrity:
            out += [f"damaged: {problem}" for problem in self.integrity]
            restore = "'study restore' puts it back (a copy of the damaged file is kept)"
            return [*out, f"latest good backup: {latest}; {restore}", *self._salvage_lines()]
        out.append(
            f"integrity: ok ({plural(self.reviews, 'review')}, "
            f"{plural(self.items, 'item')} with progress)"
        )
        out.append(
            f"fixed: {plural(self.rebuilt, 'card state')} rebuilt from the review log"
            if self.rebuilt
            else "card states: all match the review log"
        )
        out += self._orphan_lines()
        if self.deck_errors:
            out.append(
                f"decks: {plural(self.deck_errors, 'error')} in the deck files: see 'study lint'"
            )
        out.append(f"latest good backup: {latest}")
        return out

    def _salvage_lines(self) -> list[str]:
        found = self.salvaged
        if found is None:
            return []
        if found.path is None:
            return [f"not salvaged: {found.error}"]
        counts = ", ".join(
            plural(count, *_ROWS[table]) for table, count in found.rows.items() if count
        )
        gaps = f"; {plural(found.gaps, 'damaged part')} skipped" if found.gaps else ""
        return [
            f"salvaged: {counts} read from the damaged file into {found.path}, "
            f"the card states rebuilt from the reviews{gaps}; "
            "the damaged file was left as it is",
            f"to use it: 'study restore {found.path}' (the damaged file is kept as broken-...)",
        ]

    def _orphan_lines(self) -> list[str]:
        if not self.orphans:
            return ["orphaned progress: none"]
        shown = ", ".join(self.orphans[:SHOWN_ORPHANS])
        more = (
            f" and {len(self.orphans) - SHOWN_ORPHANS} more"
            if len(self.orphans) > SHOWN_ORPHANS
            else ""
        )
        out = [
            f"orphaned progress: {plural(len(self.orphans), 'item')} no deck has any more: "
            f"{shown}{more}"
        ]
        if self.pruned:
            out.append(
                f"fixed: pruned the progress of {plural(self.pruned, 'item')}; "
                f"backup first: {self.backup}"
            )
        elif self.prune_refused:
            out.append(f"not pruned: {self.prune_refused}")
        else:
            out.append("to delete it: 'study doctor --prune' (a backup is made first)")
        return out


_ROWS = {
    "review": ("review", "reviews"),
    "item_flag": ("flag", "flags"),
    "meta": ("setting", "settings"),
    "exam": ("exam", "exams"),
    "exam_answer": ("exam answer", "exam answers"),
    "card_text": ("card text", "card texts"),
    "item_alias": ("carry-over", "carry-overs"),
}
"""What the rows of each salvaged table are, in the report."""


def tighten_permissions(paths: Paths) -> list[str]:
    """Owner-only permissions for the data folder, the database files and the backups."""
    return paths.tighten()


def examine(
    paths: Paths,
    open_store: Callable[[], Store],
    scheduler: Scheduler,
    clock: Clock,
    loaded: LoadResult,
    items: Collection[str],
    *,
    prune: bool = False,
) -> DoctorReport:
    """Check and repair the database at ``paths``.

    ``open_store`` opens it (called once the file is known to exist: opening a damaged file
    raises); ``loaded``: the decks that loaded and their problems, ``items``: their item
    keys (to find orphans).
    """
    database = paths.database
    permissions = tuple(tighten_permissions(paths))
    latest = latest_good_backup(paths.backups)
    deck_errors = sum(1 for p in loaded.problems if p.severity is Severity.ERROR)
    if not database.exists():
        return DoctorReport(
            database, exists=False, permissions_fixed=permissions, latest_backup=latest
        )
    try:
        store = open_store()
    except StoreError as exc:
        found = _salvage(paths, clock, scheduler) if isinstance(exc, DamagedError) else None
        return DoctorReport(
            database,
            error=str(exc),
            permissions_fixed=permissions,
            latest_backup=latest,
            salvaged=found,
        )
    integrity = tuple(store.integrity_check())
    if integrity:
        return DoctorReport(
            database,
            integrity=integrity,
            permissions_fixed=permissions,
            latest_backup=latest,
            salvaged=_salvage(paths, clock, scheduler),
        )
    try:
        rebuilt = store.rebuild(scheduler)
    except StoreError as exc:  # a full disk, say: nothing repaired, nothing damaged
        return DoctorReport(
            database, error=f"cannot repair now: {exc}", permissions_fixed=permissions
        )
    orphans = tuple(sorted(store.items_with_progress() - set(items)))
    pruned, refused, backup = 0, None, None
    if prune and orphans:
        if deck_errors:
            refused = (
                f"the decks have {plural(deck_errors, 'error')}, so some cards may only look "
                "deleted: "
                "fix them first ('study lint')"
            )
        elif not loaded.decks:
            refused = "no deck is loaded, so every card would look deleted"
        else:
            try:
                backup = make_backup(store, paths.backups, Kind.BEFORE_PRUNE, clock.now()).path
            except BackupError as exc:
                refused = f"no backup could be made first ({exc})"
            else:
                pruned = store.prune(orphans)
                latest = latest_good_backup(paths.backups)
    reviews = len(store.reviews(include_undone=True))
    return DoctorReport(
        database,
        reviews=reviews,
        items=len(store.items_with_progress()),
        rebuilt=rebuilt,
        orphans=orphans,
        pruned=pruned,
        prune_refused=refused,
        backup=backup,
        permissions_fixed=permissions,
        deck_errors=deck_errors,
        latest_backup=latest,
    )


def _salvage(paths: Paths, clock: Clock, scheduler: Scheduler) -> Salvage:
    """Read what can be read of the damaged database into a new file in the backups folder."""
    return salvage(paths.database, paths.backups, clock.now(), scheduler)
