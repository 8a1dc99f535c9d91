"""Backups: made with SQLite's online backup, checked, rotated, listed and restored."""

from __future__ import annotations

import io
import json
import sqlite3
import stat
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from study.cli import main
from study.core.progress.backup import (
    Backup,
    BackupError,
    Kind,
    Retention,
    latest_good_backup,
    list_backups,
    make_backup,
    restore,
    to_prune,
)
from study.core.progress.store import Store
from study.core.scheduling.scheduler import Rating
from study.core.service import Service
from tests.conftest import T0, MovableClock, make_service

DECK = "title: D\nid: d\ncards:\n" + "".join(
    f"  - {{id: c{n}, front: question {n}, back: answer {n}}}\n" for n in range(12)
)


def answered(tmp_path: Path, clock: MovableClock, count: int = 4) -> Service:
    """A service over one deck with ``count`` answers given."""
    service = make_service(tmp_path, {"d.yaml": DECK}, clock)
    answer(service, count)
    return service


def answer(service: Service, count: int) -> None:
    session = service.start_review()
    for _ in range(count):
        session.answer(Rating.GOOD)


def rows(path: Path) -> list[tuple[object, ...]]:
    """The review log of a database file, read without changing it."""
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return db.execute("SELECT * FROM review ORDER BY id").fetchall()
    finally:
        db.close()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- making backups --------------------------------------------------------------------------


def test_a_backup_is_a_checked_owner_only_copy(tmp_path: Path, clock: MovableClock) -> None:
    service = answered(tmp_path, clock)
    folder = service.paths.backups
    backup = make_backup(service.store, folder, Kind.MANUAL, clock())
    assert backup.path == folder / "manual-20260302T090000Z.sqlite3"
    assert backup.at == T0 and backup.kind is Kind.MANUAL
    assert mode(backup.path) == 0o600 and mode(folder) == 0o700
    assert Store.check_file(backup.path) == []
    assert rows(backup.path) == rows(service.paths.database) and len(rows(backup.path)) == 4
    assert not (
        backup.path.parent / (backup.path.name + "-wal")
    ).exists()  # one self-contained file
    again = make_backup(service.store, folder, Kind.MANUAL, clock())
    assert again.path.name == "manual-20260302T090000Z-2.sqlite3"
    assert list_backups(folder) == [again, backup]
    assert sorted(p.name for p in folder.iterdir()) == sorted([backup.path.name, again.path.name])


def test_a_backup_is_a_snapshot_taken_while_another_instance_writes(
    tmp_path: Path, clock: MovableClock
) -> None:
    service = answered(tmp_path, clock)
    other = Store(service.paths.database)
    other.db.execute("BEGIN IMMEDIATE")
    other.db.execute("INSERT INTO review (item, at, rating, mode) VALUES ('d/x', 0, 3, 'practice')")
    backup = make_backup(service.store, service.paths.backups, Kind.MANUAL, clock())  # not blocked
    other.db.execute("COMMIT")
    other.close()
    assert len(rows(backup.path)) == 4 and len(rows(service.paths.database)) == 5


def test_a_failed_backup_leaves_no_file(tmp_path: Path, clock: MovableClock) -> None:
    service = answered(tmp_path, clock)
    folder = service.paths.backups
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if (folder / "probe").exists() or _writable(folder):
            pytest.skip("running as root: a read-only folder is still writable")
        with pytest.raises(BackupError, match="cannot write a backup"):
            make_backup(service.store, folder, Kind.MANUAL, clock())
    finally:
        folder.chmod(0o700)
    assert list(folder.iterdir()) == []


def _writable(folder: Path) -> bool:
    try:
        (folder / "probe").touch()
    except OSError:
        return False
    (folder / "probe").unlink()
    return True


# --- rotation --------------------------------------------------------------------------------


def test_retention_keeps_the_newest_of_7_days_4_weeks_12_months() -> None:
    last = date(2026, 3, 2)  # a Monday
    days = [last - timedelta(days=n) for n in range(400)]
    backups = [
        Backup(
            Path(f"auto-{d:%Y%m%d}T090000Z.sqlite3"),
            Kind.AUTO,
            datetime(d.year, d.month, d.day, 9, tzinfo=UTC),
        )
        for d in days
    ]
    manual = Backup(
        Path("manual-20240101T090000Z.sqlite3"), Kind.MANUAL, datetime(2024, 1, 1, tzinfo=UTC)
    )
    pruned = to_prune([*backups, manual], Retention(), lambda m: m.date())
    kept = sorted(b.at.date().isoformat() for b in backups if b not in pruned)
    assert kept == sorted(
        [
            # 7 days
            "2026-03-02",
            "2026-03-01",
            "2026-02-28",
            "2026-02-27",
            "2026-02-26",
            "2026-02-25",
            "2026-02-24",
            # 4 ISO weeks: the newest of weeks 10, 9 (both above), 8 and 7
            "2026-02-22",
            "2026-02-15",
            # 12 months: the newest of March (above), February (above), January, ... April 2025
            "2026-01-31",
            "2025-12-31",
            "2025-11-30",
            "2025-10-31",
            "2025-09-30",
            "2025-08-31",
            "2025-07-31",
            "2025-06-30",
            "2025-05-31",
            "2025-04-30",
        ]
    )
    assert manual not in pruned


def test_auto_backup_once_per_study_day(tmp_path: Path, clock: MovableClock) -> None:
    service = answered(tmp_path, clock)  # day starts at 04:00; now 09:00 UTC
    first = service.auto_backup()
    assert first is not None and first.kind is Kind.AUTO
    clock.advance(hours=10)
    assert service.auto_backup() is None  # 19:00, same study day
    clock.advance(hours=8)
    assert service.auto_backup() is None  # 03:00 next morning: still the same study day
    clock.advance(hours=2)
    second = service.auto_backup()  # 05:00: a new study day
    assert second is not None and second.at == clock()
    clock.advance(days=-3)  # the clock went back: no second backup "today"
    assert service.auto_backup() is None
    assert [b.path for b in list_backups(service.paths.backups)] == [second.path, first.path]


def test_no_automatic_backup_before_there_is_progress(tmp_path: Path, clock: MovableClock) -> None:
    service = make_service(tmp_path, {"d.yaml": DECK}, clock)
    assert service.auto_backup() is None
    assert list_backups(service.paths.backups) == []


def test_a_year_of_daily_use_keeps_at_most_23_automatic_backups(
    tmp_path: Path, clock: MovableClock
) -> None:
    service = answered(tmp_path, clock, 1)
    manual = make_backup(service.store, service.paths.backups, Kind.MANUAL, clock())
    for _ in range(420):
        assert service.auto_backup() is not None
        clock.advance(days=1)
    autos = [b for b in list_backups(service.paths.backups) if b.kind is Kind.AUTO]
    assert 12 < len(autos) <= 7 + 4 + 12
    newest = [b.at.date() for b in autos[:7]]
    assert newest == [newest[0] - timedelta(days=n) for n in range(7)]
    assert autos[-1].at > clock() - timedelta(days=366)
    assert manual.path.exists()  # never pruned


# --- restoring -------------------------------------------------------------------------------


def test_restore_puts_a_backup_back_and_keeps_the_current_progress(
    tmp_path: Path, clock: MovableClock
) -> None:
    service = answered(tmp_path, clock, 3)
    database, folder = service.paths.database, service.paths.backups
    backup = make_backup(service.store, folder, Kind.MANUAL, clock())
    at_backup = service.store.memories()
    clock.advance(minutes=30)
    answer(service, 3)
    later = service.store.memories()
    assert later != at_backup
    kept = restore(database, backup.path, folder, clock())
    assert kept is not None and kept.name.startswith("before-restore-") and mode(kept) == 0o600
    assert service.store.memories() == at_backup  # an open instance sees the restored data
    assert rows(database) == rows(backup.path)
    assert restore(database, kept, folder, clock()) is not None  # and the restore can be undone
    assert service.store.memories() == later


def test_restore_over_a_damaged_database_moves_it_aside(
    tmp_path: Path, clock: MovableClock
) -> None:
    service = answered(tmp_path, clock, 3)
    database, folder = service.paths.database, service.paths.backups
    backup = make_backup(service.store, folder, Kind.MANUAL, clock())
    service.close()
    garbage = b"not a database any more " * 1000
    database.write_bytes(garbage)
    kept = restore(database, backup.path, folder, clock())
    assert kept is not None and kept.name.startswith("broken-")
    assert kept.read_bytes() == garbage  # the damaged file is kept as it was
    assert latest_good_backup(folder) == backup  # and is never taken for a backup
    assert rows(database) == rows(backup.path) and mode(database) == 0o600
    assert Store.check_file(database) == []


def test_restore_refuses_what_is_not_a_usable_backup(tmp_path: Path, clock: MovableClock) -> None:
    service = answered(tmp_path, clock, 2)
    database, folder = service.paths.database, service.paths.backups
    service.close()
    before = database.read_bytes()
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"\x00" * 4096)
    newer = tmp_path / "newer.sqlite3"
    db = sqlite3.connect(newer)
    db.execute("PRAGMA user_version = 99")
    db.close()
    for source, words in (
        (junk, "not a usable backup"),
        (newer, "newer version"),
        (tmp_path / "missing.sqlite3", "no such backup"),
        (database, "progress database itself"),
    ):
        with pytest.raises(BackupError, match=words):
            restore(database, source, folder, clock())
    assert database.read_bytes() == before
    assert list_backups(folder) == []


def test_restore_without_a_database(tmp_path: Path, clock: MovableClock) -> None:
    service = answered(tmp_path, clock, 2)
    backup = make_backup(service.store, service.paths.backups, Kind.MANUAL, clock())
    service.close()
    service.paths.database.unlink()
    assert restore(service.paths.database, backup.path, service.paths.backups, clock()) is None
    assert rows(service.paths.database) == rows(backup.path)


def test_the_latest_good_backup_skips_damaged_ones(tmp_path: Path, clock: MovableClock) -> None:
    service = answered(tmp_path, clock, 2)
    folder = service.paths.backups
    good = make_backup(service.store, folder, Kind.AUTO, clock())
    clock.advance(days=1)
    bad = make_backup(service.store, folder, Kind.AUTO, clock())
    data = bytearray(bad.path.read_bytes())
    data[100 : 4096 * 2] = b"\xff" * (4096 * 2 - 100)
    bad.path.write_bytes(bytes(data))
    assert list_backups(folder)[0] == bad
    assert latest_good_backup(folder) == good


# --- the commands ----------------------------------------------------------------------------


def test_backup_and_restore_commands(
    tmp_path: Path,
    clock: MovableClock,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    service = answered(tmp_path, clock, 3)
    home, database = str(service.paths.data), service.paths.database
    service.close()
    assert main(["backup", "--data", home]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("Backed up your progress to ") and err == ""
    assert main(["backup", "--list", "--json", "--data", home]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [b["kind"] for b in listed] == ["manual"]
    name = Path(str(listed[0]["path"])).name

    service = make_service(tmp_path, {"d.yaml": DECK}, clock)
    clock.advance(minutes=30)
    answer(service, 2)
    service.close()
    before = rows(database)
    for reply in ("n\n", ""):  # "no", and no answer at all (end of input)
        monkeypatch.setattr("sys.stdin", io.StringIO(reply))
        assert main(["restore", "--data", home]) == 1
        out, err = capsys.readouterr()
        assert "Replace your progress with this backup? [y/N]" in out and name in out
        assert err == "Nothing was changed.\n"
        assert rows(database) == before
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    assert main(["restore", name, "--data", home]) == 0
    out = capsys.readouterr().out
    assert "Restored" in out and "before-restore-" in out
    assert len(rows(database)) == 3

    assert main(["restore", "--yes", "--data", home, "nosuch.sqlite3"]) == 2  # no such backup
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "no such backup" in err


def test_nothing_to_back_up_or_restore(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = str(tmp_path / "fresh")
    assert main(["backup", "--data", home]) == 1
    assert main(["restore", "--yes", "--data", home]) == 1
    assert main(["backup", "--list", "--data", home]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("No backups yet")
    assert [line.split(":")[1].strip().split(" ")[0] for line in err.splitlines()] == [
        "there",
        "there",
    ]
