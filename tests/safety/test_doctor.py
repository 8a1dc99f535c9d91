"""``study doctor`` and what every command does with a damaged or unreadable database."""

from __future__ import annotations

import json
import os
import random
import stat
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from study.cli import main
from study.core.progress import doctor
from study.core.progress.backup import Kind, list_backups, make_backup
from study.core.progress.doctor import DoctorReport
from study.core.progress.store import DamagedError, QuickCheck, Store, StoreError
from study.core.scheduling.scheduler import Rating
from study.core.service import Service
from tests.conftest import MovableClock, make_service

DECK = "title: D\nid: d\ncards:\n" + "".join(
    f"  - {{id: c{n}, front: question {n}, back: answer {n}}}\n" for n in range(12)
)


def examine(service: Service, *, prune: bool = False) -> DoctorReport:
    """The doctor on a service's parts, as ``study doctor`` runs it."""
    return doctor.examine(
        service.paths,
        lambda: service.store,
        service.scheduler,
        service.clock,
        service.loaded,
        service.items,
        prune=prune,
    )


def answered(tmp_path: Path, clock: MovableClock, deck: str = DECK, count: int = 6) -> Service:
    service = make_service(tmp_path, {"d.yaml": deck}, clock, new_per_day=1000)
    session = service.start_review()
    for n in range(count):
        session.answer(Rating.GOOD if n % 3 else Rating.AGAIN)
    return service


# --- the doctor ------------------------------------------------------------------------------


def test_a_sound_database(tmp_path: Path, clock: MovableClock) -> None:
    report = examine(answered(tmp_path, clock))
    assert report.ok and report.rebuilt == 0 and report.orphans == () and report.integrity == ()
    assert report.reviews == 6 and report.items == 6
    assert "integrity: ok (6 reviews, 6 items with progress)" in report.lines()


def test_states_that_drifted_from_the_log_are_rebuilt(tmp_path: Path, clock: MovableClock) -> None:
    service = answered(tmp_path, clock)
    store = service.store
    truth = store.memories()
    store.db.execute("UPDATE item_state SET stability = 999, due = 0 WHERE item = 'd/c1'")
    store.db.execute("DELETE FROM item_state WHERE item = 'd/c2'")
    store.db.execute("INSERT INTO item_state VALUES ('d/c9', 2, 0, 5, 5, 0, 0, 3, 0)")
    report = examine(service)
    assert report.ok and report.rebuilt == 3
    assert store.memories() == truth
    assert "fixed: 3 card states rebuilt from the review log" in report.lines()
    assert examine(service).rebuilt == 0


def test_orphaned_progress_is_listed_then_pruned_after_a_backup(
    tmp_path: Path, clock: MovableClock
) -> None:
    service = answered(tmp_path, clock)
    service.store.set_flag("old/gone", suspended=True)
    service.close()
    fewer = "title: D\nid: d\ncards:\n" + "".join(
        f"  - {{id: c{n}, front: question {n}, back: answer {n}}}\n" for n in range(3, 12)
    )
    service = make_service(tmp_path, {"d.yaml": fewer}, clock)
    report = examine(service)
    assert report.orphans == ("d/c0", "d/c1", "d/c2", "old/gone") and report.pruned == 0
    assert any("study doctor --prune" in line for line in report.lines())
    reviews_before = report.reviews
    report = examine(service, prune=True)
    assert (
        report.pruned == 4
        and report.backup is not None
        and report.backup.name.startswith("before-prune-")
    )
    assert len(Store.check_file(report.backup)) == 0
    assert service.store.items_with_progress().isdisjoint({"d/c0", "d/c1", "d/c2", "old/gone"})
    assert examine(service).orphans == ()
    assert examine(service).reviews == reviews_before - 3


def test_no_pruning_while_a_deck_has_errors(tmp_path: Path, clock: MovableClock) -> None:
    service = answered(tmp_path, clock)
    service.close()
    broken = DECK.replace(
        "  - {id: c0, front: question 0, back: answer 0}",
        "  - {id: c0, front: [question 0], back: answer 0}",
    )
    service = make_service(tmp_path, {"d.yaml": broken}, clock)
    report = examine(service, prune=True)
    assert report.orphans == ("d/c0",) and report.pruned == 0 and report.deck_errors == 1
    assert report.prune_refused is not None and "study lint" in report.prune_refused
    assert "d/c0" in service.store.items_with_progress()
    assert list(list_backups(service.paths.backups)) == []


def test_loose_permissions_are_tightened(tmp_path: Path, clock: MovableClock) -> None:
    service = answered(tmp_path, clock)
    make_backup(service.store, service.paths.backups, Kind.MANUAL, clock())
    service.paths.database.chmod(0o644)
    service.paths.data.chmod(0o755)
    report = examine(service)
    assert len(report.permissions_fixed) == 2
    assert stat.S_IMODE(service.paths.database.stat().st_mode) == 0o600
    assert stat.S_IMODE(service.paths.data.stat().st_mode) == 0o700
    assert examine(service).permissions_fixed == ()


def test_doctor_command(
    tmp_path: Path, clock: MovableClock, capsys: pytest.CaptureFixture[str]
) -> None:
    service = answered(tmp_path, clock)
    home, decks = str(service.paths.data), str(tmp_path / "decks")
    service.close()
    assert main(["doctor", "--data", home, "--decks", decks]) == 0
    out = capsys.readouterr().out
    assert "integrity: ok" in out and "orphaned progress: none" in out
    assert main(["doctor", "--json", "--data", home, "--decks", decks]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True and report["reviews"] == 6 and report["orphans"] == []
    assert main(["doctor", "--data", str(tmp_path / "nothing-yet")]) == 0
    assert "nothing to check" in capsys.readouterr().out


# --- a damaged or unreadable database is refused at start, never overwritten -----------------


def garbage_in_the_middle(path: Path) -> None:
    data = bytearray(path.read_bytes())
    rng = random.Random(4)
    for offset in range(4096, len(data)):
        data[offset] = rng.randrange(256)
    path.write_bytes(bytes(data))


def garbage_header(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[:100] = b"\x13" * 100
    path.write_bytes(bytes(data))


def truncated_half(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def truncated_short(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:100])


def emptied(path: Path) -> None:
    path.write_bytes(b"")


def text_file(path: Path) -> None:
    path.write_text("I am a shopping list, not a database.\n")


DAMAGE: list[Callable[[Path], None]] = [
    garbage_in_the_middle,
    garbage_header,
    truncated_half,
    truncated_short,
    emptied,
    text_file,
]


def damaged_home(
    tmp_path: Path, clock: MovableClock, damage: Callable[[Path], None]
) -> tuple[Service, Path]:
    """Progress with a backup, then the database file damaged; returns the service and backup."""
    deck = "title: D\nid: d\ncards:\n" + "".join(
        f"  - {{id: c{n}, front: '{'long question ' * 20}{n}', back: answer {n}}}\n"
        for n in range(300)
    )
    service = answered(tmp_path, clock, deck, count=250)
    backup = make_backup(service.store, service.paths.backups, Kind.AUTO, clock())
    service.close()
    damage(service.paths.database)
    return service, backup.path


@pytest.mark.parametrize("command", [["decks"], []], ids=["decks", "the-app"])
@pytest.mark.parametrize("damage", DAMAGE, ids=lambda f: f.__name__)
def test_a_damaged_database_is_refused_with_the_latest_backup(
    damage: Callable[[Path], None],
    command: list[str],
    tmp_path: Path,
    clock: MovableClock,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A command, or the app (which checks the file in a thread while Textual is imported)."""
    service, backup = damaged_home(tmp_path, clock, damage)
    database = service.paths.database
    before = database.read_bytes()
    code = main([*command, "--data", str(service.paths.data), "--decks", str(tmp_path / "decks")])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert str(database) in err and str(backup) in err and "study restore" in err
    assert database.read_bytes() == before  # byte for byte
    assert sorted(p.name for p in database.parent.iterdir() if p.name.startswith("progress")) == [
        "progress.sqlite3"
    ]
    report = examine(service)
    assert not report.ok and report.error is not None and str(backup) in report.error
    assert database.read_bytes() == before


def test_a_damaged_database_with_no_backup(tmp_path: Path, clock: MovableClock) -> None:
    service = answered(tmp_path, clock)
    service.close()
    text_file(service.paths.database)
    with pytest.raises(StoreError, match="no backup was found"):
        Store(service.paths.database)


def test_an_unreadable_database(
    tmp_path: Path, clock: MovableClock, capsys: pytest.CaptureFixture[str]
) -> None:
    service, backup = damaged_home(tmp_path, clock, lambda path: path.chmod(0))
    database = service.paths.database
    try:
        if os.access(database, os.R_OK):
            pytest.skip("running as root: the file stays readable")
        code = main(
            ["decks", "--data", str(service.paths.data), "--decks", str(tmp_path / "decks")]
        )
        err = capsys.readouterr().err
        assert code == 1 and len(err.splitlines()) == 1 and str(backup) in err
    finally:
        database.chmod(0o600)


def test_damaged_then_restored_in_a_real_process(
    kit: ModuleType, tmp_path: Path, clock: MovableClock
) -> None:
    service, backup = damaged_home(tmp_path, clock, garbage_in_the_middle)
    home, decks = service.paths.data, str(tmp_path / "decks")
    result = kit.run_study(home, "decks", "--decks", decks)
    assert (
        result.returncode == 1
        and len(result.stderr.splitlines()) == 1
        and str(backup) in result.stderr
    )
    kit.no_traceback(result.stderr)
    result = kit.run_study(home, "doctor", "--decks", decks)
    assert result.returncode == 1 and "latest good backup" in result.stdout
    result = kit.run_study(home, "restore", "--yes")
    assert result.returncode == 0, result.stderr
    assert "broken-" in result.stdout
    result = kit.run_study(home, "doctor", "--json", "--decks", decks)
    assert result.returncode == 0 and json.loads(result.stdout)["reviews"] == 250


def test_a_check_started_early_is_the_one_the_store_uses(
    tmp_path: Path, clock: MovableClock
) -> None:
    service = answered(tmp_path, clock)
    service.close()
    check = QuickCheck(service.paths.database)
    assert check.result() == ["ok"]
    Store(service.paths.database, check).close()
    garbage_in_the_middle(service.paths.database)
    with pytest.raises(StoreError, match="damaged"):
        Store(service.paths.database, QuickCheck(service.paths.database))
    missing = QuickCheck(tmp_path / "nosuch.sqlite3")
    assert missing.result() is None and not (tmp_path / "nosuch.sqlite3").exists()


# --- what can be repaired or salvaged is -------------------------------------------------------


def test_a_dropped_state_table_is_rebuilt_from_the_log(
    tmp_path: Path, clock: MovableClock, capsys: pytest.CaptureFixture[str]
) -> None:
    service = answered(tmp_path, clock)
    truth = service.store.memories()
    service.store.db.execute("DROP TABLE item_state")
    service.close()
    home, decks = str(service.paths.data), str(tmp_path / "decks")
    assert main(["decks", "--data", home, "--decks", decks]) == 0
    out, err = capsys.readouterr()
    assert err == (
        f"study: the card states had gone from {service.paths.database}: 6 rebuilt from "
        "the review log\n"
    )
    assert "d  " in out
    assert main(["doctor", "--data", home, "--decks", decks]) == 0
    out, err = capsys.readouterr()
    assert "card states: all match the review log" in out and err == ""
    assert service.store.memories() == truth


def test_other_dropped_tables_come_back_empty_and_a_lost_log_is_refused(
    tmp_path: Path, clock: MovableClock
) -> None:
    service = answered(tmp_path, clock)
    store = service.store
    store.db.execute("DROP TABLE item_flag")
    store.db.execute("DROP INDEX review_at")
    service.close()
    reopened = Store(service.paths.database)
    assert reopened.recreated == ("item_flag",) and reopened.flags() == {}
    assert len(reopened.reviews()) == 6
    reopened.db.execute("DROP TABLE review")
    reopened.close()
    with pytest.raises(DamagedError, match="has lost its review log"):
        Store(service.paths.database)


def damaged_pages(path: Path, pages: list[int]) -> None:
    """Garbage over part of some pages of the file (as a bad sector would leave)."""
    data = bytearray(path.read_bytes())
    rng = random.Random(16)
    for page in pages:
        for offset in range(page * 4096 + 200, page * 4096 + 700):
            data[offset] = rng.randrange(256)
    path.write_bytes(bytes(data))


def test_a_damaged_database_without_a_backup_is_salvaged_into_a_new_file(
    kit: ModuleType, tmp_path: Path, clock: MovableClock
) -> None:
    service = answered(tmp_path, clock, damaged_home_deck(), count=400)
    service.store.set_flag("d/c3", flagged=True)
    total = len(service.store.reviews(include_undone=True))
    leaves = [
        page - 1  # dbstat counts pages from 1
        for (page,) in service.store.db.execute(
            "SELECT pageno FROM dbstat WHERE name = 'review' AND pagetype = 'leaf' ORDER BY pageno"
        )
    ]
    service.close()
    database = service.paths.database
    assert len(leaves) >= 4
    damaged_pages(database, [leaves[1], leaves[len(leaves) // 2 + 1]])
    before = database.read_bytes()
    home, decks = service.paths.data, str(tmp_path / "decks")
    result = kit.run_study(home, "doctor", "--json", "--decks", decks)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    salvaged = report["salvaged"]
    assert 0 < salvaged["rows"]["review"] < total and salvaged["gaps"] > 0, salvaged
    assert salvaged["rows"]["item_flag"] == 1
    path = Path(salvaged["path"])
    assert path.parent == service.paths.backups and Store.check_file(path) == []
    assert database.read_bytes() == before  # the damaged file is only read
    text = kit.run_study(home, "doctor", "--decks", decks).stdout
    assert f"salvaged: {salvaged['rows']['review']} reviews, 1 flag read from" in text, text
    assert "read from the damaged file into" in text and "'study restore " in text
    result = kit.run_study(home, "restore", "--yes", str(path))
    assert result.returncode == 0 and "broken-" in result.stdout, result.stderr
    after = json.loads(kit.run_study(home, "doctor", "--json", "--decks", decks).stdout)
    assert after["ok"] and after["reviews"] == salvaged["rows"]["review"] and after["rebuilt"] == 0
    broken = next(p for p in service.paths.backups.iterdir() if p.name.startswith("broken-"))
    assert broken.read_bytes() == before


def damaged_home_deck() -> str:
    return "title: D\nid: d\ncards:\n" + "".join(
        f"  - {{id: c{n}, front: '{'long question ' * 20}{n}', back: answer {n}}}\n"
        for n in range(300)
    )
