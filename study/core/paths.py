"""Where the tool keeps its files: the only module that knows about platformdirs.

``STUDY_HOME`` (or ``--data``) puts everything under one folder, for tests,
portable installs and several profiles.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP = "study"


def bundled_decks() -> Path:
    """The decks shipped with the package (``study/decks`` when installed, ``decks/`` in a
    checkout)."""
    here = Path(__file__).resolve().parent.parent
    installed = here / "decks"
    return installed if installed.is_dir() else here.parent / "decks"


def is_bundled(path: Path) -> bool:
    """Whether a deck file is one of the bundled decks (which an update of study replaces)."""
    return path.resolve().is_relative_to(bundled_decks().resolve())


BUNDLED_READ_ONLY = (
    "the bundled decks are replaced when study is updated, so cards are not added to them: "
    "add yours to a deck of your own ('study new NAME' makes one in {folder})"
)
"""Why a card is not added to a bundled deck (``folder``: the user's decks folder)."""


@dataclass(frozen=True, slots=True)
class Paths:
    """Every location the tool reads or writes."""

    data: Path
    config_dir: Path

    @classmethod
    def resolve(cls, data: str | os.PathLike[str] | None = None) -> Paths:
        """The locations for a ``--data`` folder, ``STUDY_HOME``, or the platform defaults."""
        home = data or os.environ.get("STUDY_HOME")
        if home:
            root = Path(home).expanduser()
            return cls(data=root, config_dir=root)
        return cls(
            data=Path(platformdirs.user_data_dir(APP, appauthor=False)),
            config_dir=Path(platformdirs.user_config_dir(APP, appauthor=False)),
        )

    @property
    def database(self) -> Path:
        """The progress database (SQLite)."""
        return self.data / "progress.sqlite3"

    @property
    def user_decks(self) -> Path:
        """The user's own decks folder."""
        return self.data / "decks"

    @property
    def backups(self) -> Path:
        """Automatic and manual backups of the database."""
        return self.data / "backups"

    @property
    def cache(self) -> Path:
        """Parsed deck files, so unchanged decks are not parsed again (safe to delete)."""
        return self.data / "cache"

    @property
    def catalog(self) -> Path:
        """The decks as last loaded, for a start that reads no deck file (safe to delete)."""
        return self.cache / "catalog.sqlite3"

    @property
    def scratch(self) -> Path:
        """Temporary files of imports, removed when each ends (or by the next, after a kill)."""
        return self.data / "tmp"

    @property
    def crash_log(self) -> Path:
        """Where unexpected errors are written."""
        return self.data / "crash.log"

    @property
    def app_lock(self) -> Path:
        """Held (``flock``) while the app runs, with its pid: one app per data folder."""
        return self.data / "app.lock"

    @property
    def machine_id(self) -> Path:
        """This machine's id, naming its file in the sync folder."""
        return self.data / "machine-id"

    @property
    def serve_token(self) -> Path:
        """The access token of ``study serve`` on a non-local address (owner-only)."""
        return self.data / "serve-token"

    @property
    def config(self) -> Path:
        """The settings file (TOML)."""
        return self.config_dir / "config.toml"

    def ensure(self) -> None:
        """Create the data folders, readable by their owner only."""
        for folder in (self.data, self.user_decks, self.config_dir):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)

    def tighten(self) -> list[str]:
        """Make the data and backups folders (0700), the database and backups (0600) owner-only.

        A folder made by an older version, by hand or restored from an archive may be open to
        others (0755, 0777): progress holds the cards' text and the answers typed. Returns one
        line per path changed (or not changeable); a few ``stat`` calls when nothing is to do.
        """
        findings: list[str] = []
        for folder in (self.data, self.backups):
            _tighten(folder, 0o700, findings)
        database = self.database
        for suffix in ("", "-wal", "-shm"):
            _tighten(database.with_name(database.name + suffix), 0o600, findings)
        try:
            kept = sorted(p for p in self.backups.iterdir() if p.is_file())
        except OSError:
            kept = []
        for path in kept:
            _tighten(path, 0o600, findings)
        return findings


def _tighten(path: Path, mode: int, findings: list[str]) -> None:
    """Set ``path`` to ``mode`` if others (group or world) have any access to it."""
    try:
        current = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return
    if current & 0o077:
        try:
            path.chmod(mode)
        except OSError as exc:
            findings.append(f"could not restrict {path} ({exc.strerror or exc})")
            return
        findings.append(f"{path} was readable by others ({current:o}): now {mode:o}")
