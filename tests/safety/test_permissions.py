"""The data folder, the database (with its WAL and SHM files) and the backups are owner-only.

Checked with a umask of 0, so nothing depends on the user's umask being strict.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from study.core.progress.backup import Kind, make_backup, restore
from study.core.scheduling.scheduler import Rating
from tests.conftest import MovableClock, make_service

DECK = "title: D\nid: d\ncards:\n  - {id: a, front: f, back: b}\n  - {id: b, front: g, back: c}\n"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def test_everything_written_is_owner_only(
    tmp_path: Path, clock: MovableClock, open_umask: None
) -> None:
    service = make_service(tmp_path, {"d.yaml": DECK}, clock)
    service.start_review().answer(Rating.GOOD)
    paths = service.paths
    database = paths.database
    wal, shm = (database.with_name(database.name + suffix) for suffix in ("-wal", "-shm"))
    assert wal.exists() and shm.exists()  # the connection is still open
    assert mode(paths.data) == 0o700
    assert {p.name: mode(p) for p in (database, wal, shm)} == dict.fromkeys(
        ("progress.sqlite3", "progress.sqlite3-wal", "progress.sqlite3-shm"), 0o600
    )
    automatic = service.auto_backup()
    assert automatic is not None
    manual = make_backup(service.store, paths.backups, Kind.MANUAL, clock())
    assert mode(paths.backups) == 0o700
    assert mode(automatic.path) == mode(manual.path) == 0o600
    clock.advance(seconds=1)
    kept = restore(database, manual.path, paths.backups, clock())
    assert kept is not None and mode(kept) == 0o600 and mode(database) == 0o600
    service.close()
    database.write_bytes(b"garbage" * 1000)
    database.chmod(0o600)
    broken = restore(database, manual.path, paths.backups, clock())
    assert broken is not None and mode(broken) == 0o600 and mode(database) == 0o600


def first_run(kit: ModuleType, home: Path, *args: str) -> None:
    """``study decks ARGS`` in a new data folder, with a umask of 0; then check every mode."""
    result = subprocess.run(
        [sys.executable, "-m", "study", "decks", *args],
        capture_output=True,
        text=True,
        env=kit.child_env(home),
        cwd=kit.REPO,
        preexec_fn=lambda: os.umask(0),
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert mode(home) == 0o700 and mode(home / "progress.sqlite3") == 0o600
    others = [p for p in home.rglob("*") if mode(p) & 0o077]
    assert others == [], [f"{p}: {mode(p):o}" for p in others]


def test_a_first_run_from_the_command_line(kit: ModuleType, tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "d.yaml").write_text(DECK, encoding="utf-8")
    first_run(kit, tmp_path / "home", "--decks", str(decks))


def test_a_first_run_on_the_bundled_decks(kit: ModuleType, tmp_path: Path) -> None:
    first_run(kit, tmp_path / "home")


@pytest.mark.parametrize("loose", [0o755, 0o777])
def test_a_loose_data_folder_is_tightened_at_start_and_said_once(
    kit: ModuleType, tmp_path: Path, loose: int
) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "d.yaml").write_text(DECK, encoding="utf-8")
    home = tmp_path / "home"
    assert kit.run_study(home, "backup", "--decks", str(decks)).returncode == 1  # nothing yet
    assert kit.run_study(home, "decks", "--decks", str(decks)).returncode == 0
    assert kit.run_study(home, "backup", "--decks", str(decks)).returncode == 0
    files = [home / "progress.sqlite3", *(home / "backups").iterdir()]
    for path in files:
        path.chmod(loose & 0o666)
    (home / "backups").chmod(loose)
    home.chmod(loose)
    first = kit.run_study(home, "decks", "--decks", str(decks))
    assert first.returncode == 0, first.stderr
    [said] = first.stderr.splitlines()
    assert said.startswith(f"study: the data folder {home} was open to other users"), said
    assert mode(home) == mode(home / "backups") == 0o700
    assert {mode(p) for p in files} == {0o600}
    again = kit.run_study(home, "decks", "--decks", str(decks))
    assert again.returncode == 0 and again.stderr == ""


def test_the_app_says_so_too(tmp_path: Path, clock: MovableClock) -> None:
    service = make_service(tmp_path, {"d.yaml": DECK}, clock)
    service.start_review().answer(Rating.GOOD)
    service.close()
    service.paths.data.chmod(0o755)
    service.paths.database.chmod(0o644)
    _ = service.store
    [notice] = service.notices
    assert "open to other users" in notice and "(2 changed)" in notice
    assert mode(service.paths.data) == 0o700 and mode(service.paths.database) == 0o600
    service.close()
