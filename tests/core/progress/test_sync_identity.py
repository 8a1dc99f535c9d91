"""A data folder copied to a second machine (or a backup restored there) brings its machine
id along: the copy is noticed, one of them takes a new id with one message, and every
answer still lands once everywhere."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest

import study.core.progress.sync_identity as identity
from study.core.progress.store import Store
from study.core.progress.sync import SyncResult, sync_here
from study.core.progress.sync_identity import HOST_PREFIX, machine_id, this_machine
from study.core.scheduling.scheduler import Rating
from tests.conftest import T0
from tests.core.progress.test_sync import SCHEDULER


class Folder:
    """A data folder syncing as 'this machine' (its id in its own ``machine-id`` file)."""

    def __init__(self, data: Path, sync: Path) -> None:
        self.data, self.sync_folder = data, sync
        self.store = Store(data / "progress.sqlite3")

    def answer(self, item: str, minutes: float, rating: Rating = Rating.GOOD) -> None:
        at = T0 + timedelta(minutes=minutes)
        self.store.record_answer(item, at, rating, 1000, None, SCHEDULER, 8)

    def sync(self) -> SyncResult:
        now = T0 + timedelta(hours=2)
        return sync_here(self.store, self.sync_folder, self.data / "machine-id", SCHEDULER, now)

    def log(self) -> list[tuple[str, object, int]]:
        return sorted((r.item, r.at, r.rating) for r in self.store.reviews())

    def copy_to(self, data: Path) -> Folder:
        self.store.close()
        shutil.copytree(self.data, data)
        self.store = Store(self.data / "progress.sqlite3")
        return Folder(data, self.sync_folder)


def test_a_copy_on_the_same_host_is_noticed_at_its_first_write_there(tmp_path: Path) -> None:
    home = Folder(tmp_path / "home", tmp_path / "sync")
    home.answer("d/a", 0)
    home.sync()
    home.answer("d/b", 1)  # answered, not yet synced, when the folder is copied
    work = home.copy_to(tmp_path / "work")
    assert machine_id(work.data / "machine-id") == machine_id(home.data / "machine-id")
    home.answer("d/c", 2)
    work.answer("d/d", 3)
    assert not home.sync().messages  # home writes first: its file is as it left it
    result = work.sync()  # work finds home's lines in the file it thought its own
    assert result.new_id and len(result.messages) == 1
    assert "another copy of this data folder" in result.messages[0]
    assert machine_id(work.data / "machine-id") == result.new_id
    for _ in range(2):
        assert not home.sync().messages and not work.sync().messages
    assert home.log() == work.log()
    assert [item for item, _, _ in home.log()] == ["d/a", "d/b", "d/c", "d/d"], "each once"
    assert home.store.memories() == work.store.memories()
    assert home.sync().received == 0 and work.sync().received == 0
    assert len(list((tmp_path / "sync").glob("*.jsonl"))) == 2


def test_an_id_made_on_another_host_is_replaced_at_the_first_sync_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = Folder(tmp_path / "home", tmp_path / "sync")
    home.answer("d/a", 0)
    home.sync()
    home.answer("d/b", 1)
    laptop = home.copy_to(tmp_path / "laptop")  # restored on another machine
    monkeypatch.setattr(identity, "fingerprint", lambda: "another-host")
    old = machine_id(home.data / "machine-id")
    first = laptop.sync()
    assert first.new_id and first.new_id != old
    assert first.messages == [
        "this data folder was made on another machine (copied or restored here): "
        f"it now syncs as {first.new_id}.jsonl; nothing was lost"
    ]
    assert this_machine(laptop.data / "machine-id") == (first.new_id, False)
    laptop.answer("d/c", 2)
    monkeypatch.undo()
    home.answer("d/d", 3)
    for folder in (home, laptop, home):  # each on its own host
        monkeypatch.undo()
        if folder is laptop:
            monkeypatch.setattr(identity, "fingerprint", lambda: "another-host")
        assert not folder.sync().messages
    assert home.log() == laptop.log() and len(home.log()) == 4
    assert home.store.memories() == laptop.store.memories()


def test_an_id_file_from_before_the_fingerprint_is_kept_and_given_one(tmp_path: Path) -> None:
    path = tmp_path / "machine-id"
    path.write_text("0123456789abcdef\n", encoding="ascii")
    assert this_machine(path) == ("0123456789abcdef", False)
    lines = path.read_text(encoding="ascii").splitlines()
    assert lines[0] == "0123456789abcdef" and lines[1].startswith(HOST_PREFIX)
    assert path.stat().st_mode & 0o777 == 0o600


def test_answers_written_before_a_crash_are_not_taken_for_another_writer(
    tmp_path: Path,
) -> None:
    home = Folder(tmp_path / "home", tmp_path / "sync")
    home.answer("d/a", 0)
    home.sync()
    own = next((tmp_path / "sync").glob("*.jsonl"))
    before = own.read_bytes()
    home.answer("d/b", 1)
    home.sync()
    written = own.read_bytes()[len(before) :]
    # a crash after the file was written and before the database committed: undo the
    # database's side (the file keeps the lines)
    home.store.db.execute("DELETE FROM sync_origin WHERE review = (SELECT MAX(id) FROM review)")
    home.store.db.execute(
        "UPDATE sync_file SET offset = ?, last = ? WHERE name = ?",
        (len(before), before[before.rstrip(b"\n").rfind(b"\n") + 1 :], own.name),
    )
    result = home.sync()
    assert not result.messages and result.received == 0
    assert own.read_bytes().endswith(written + written), "written again, with the same id"
    other = Folder(tmp_path / "other", tmp_path / "sync")
    other.sync()
    assert other.log() == home.log() and len(other.log()) == 2
