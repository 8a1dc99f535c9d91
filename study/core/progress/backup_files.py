"""The backups on disk: their names and kinds, listing them, the latest good one, and the
advice for a database that cannot be used (which names it).

Imports only ``checks`` (not the store), so the store may use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from study.core.progress.checks import check_file

SUFFIX = ".sqlite3"
_NAME = re.compile(
    r"(auto|manual|before-restore|before-prune|salvaged)-(\d{8}T\d{6})Z(?:-(\d+))?\.sqlite3"
)
_STAMP = "%Y%m%dT%H%M%S"


class BackupError(Exception):
    """A backup could not be made or restored; the message says why and what to do."""


class Kind(StrEnum):
    """Why a backup was made."""

    AUTO = "auto"
    MANUAL = "manual"
    BEFORE_RESTORE = "before-restore"
    BEFORE_PRUNE = "before-prune"
    SALVAGED = "salvaged"
    """Not a backup: what ``study doctor`` read of a damaged database."""


@dataclass(frozen=True, slots=True)
class Backup:
    """One backup file."""

    path: Path
    kind: Kind
    at: datetime
    """When it was made (UTC, whole seconds, from its name)."""
    sequence: int = 1
    """1, or 2, 3, ... for further backups made within the same second."""

    @property
    def size(self) -> int:
        """Its size in bytes (0 if it has gone)."""
        try:
            return self.path.stat().st_size
        except OSError:
            return 0

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready form for ``--json`` output."""
        return {
            "path": str(self.path),
            "kind": str(self.kind),
            "at": self.at.isoformat(),
            "size": self.size,
        }


@dataclass(frozen=True, slots=True)
class Retention:
    """How many automatic backups are kept: the newest of each of the last N days, weeks, months."""

    daily: int = 7
    weekly: int = 4
    monthly: int = 12


def backups_folder(database: Path) -> Path:
    """Where the backups of a database live (``Paths.backups`` for the user's database)."""
    return database.parent / "backups"


def parse_name(path: Path) -> Backup | None:
    """The backup a file name describes, or None for any other file."""
    match = _NAME.fullmatch(path.name)
    if match is None:
        return None
    try:
        at = datetime.strptime(match.group(2), _STAMP).replace(tzinfo=UTC)
    except ValueError:
        return None
    return Backup(path, Kind(match.group(1)), at, int(match.group(3) or 1))


def list_backups(folder: Path, *, salvaged: bool = False) -> list[Backup]:
    """The backups in a folder, newest first (other files are ignored); with ``salvaged``,
    the files ``study doctor`` salvaged too."""
    try:
        names = list(folder.iterdir())
    except OSError:
        return []
    found = [
        b
        for b in map(parse_name, names)
        if b is not None and (salvaged or b.kind is not Kind.SALVAGED)
    ]
    return sorted(found, key=lambda b: (b.at, b.sequence), reverse=True)


def latest_good_backup(folder: Path) -> Backup | None:
    """The newest backup that passes SQLite's check and that this version can open."""
    return next((b for b in list_backups(folder) if not check_file(b.path)), None)


def recovery_message(database: Path, problem: str) -> str:
    """One line for a database that cannot be used: what is wrong, and the latest good backup."""
    latest = latest_good_backup(backups_folder(database))
    if latest is None:
        hint = (
            "no backup was found: 'study doctor' salvages what can still be read of it "
            "into a new file"
        )
    else:
        hint = (
            f"the latest good backup is {latest.path} (made {latest.at:%Y-%m-%d %H:%M} UTC): "
            "'study restore' puts it back and keeps a copy of the damaged file"
        )
    return f"the progress database {database} {problem}; it was left as it is; {hint}"
