"""Sync through a folder: data folders sharing one sync folder, answering offline, then
merged both ways, end with the same states and every answer once."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path

from study.core.config import Config
from study.core.progress.store import Store
from study.core.progress.sync import machine_id, sync
from study.core.scheduling.scheduler import Memory, Rating, Scheduler
from tests.conftest import T0

SCHEDULER = Scheduler(Config(fuzz=False))


class Machine:
    """One data folder and its store, with a clock that may be off."""

    def __init__(self, root: Path, name: str, folder: Path, skew: timedelta = timedelta()) -> None:
        self.name, self.folder, self.skew = name, folder, skew
        self.store = Store(root / name / "progress.sqlite3")
        self.now = T0 + timedelta(hours=1) + skew

    def answer(self, item: str, minutes: float, rating: Rating = Rating.GOOD) -> int:
        at = T0 + timedelta(minutes=minutes) + self.skew
        return self.store.record_answer(item, at, rating, 1000, None, SCHEDULER, 8)[0]

    def sync(self) -> int:
        result = sync(self.store, self.folder, self.name, SCHEDULER, self.now)
        return result.received

    def log(self) -> list[tuple[str, datetime, int]]:
        return sorted((r.item, r.at, r.rating) for r in self.store.reviews())

    def states(self) -> dict[str, Memory]:
        return self.store.memories()


def machines(tmp_path: Path, *names: str) -> list[Machine]:
    return [Machine(tmp_path, name, tmp_path / "sync") for name in names]


def test_two_machines_answering_the_same_cards_offline_end_alike(tmp_path: Path) -> None:
    a, b = machines(tmp_path, "a", "b")
    a.answer("d/x", 0)
    a.answer("d/y", 1, Rating.AGAIN)
    b.answer("d/x", 0.5, Rating.HARD)
    b.answer("d/z", 2)
    a.sync()
    b.sync()
    a.sync()
    assert a.log() == b.log() and len(a.log()) == 4
    assert a.states() == b.states()
    assert a.sync() == 0 and b.sync() == 0, "nothing lands twice"
    assert len(a.log()) == 4


def test_three_machines_in_any_order_hold_every_answer_once(tmp_path: Path) -> None:
    a, b, c = machines(tmp_path, "a", "b", "c")
    for i, m in enumerate((a, b, c)):
        m.answer("d/shared", i * 10)
        m.answer(f"d/{m.name}", i)
    c.sync()
    a.sync()
    b.answer("d/shared", 45, Rating.AGAIN)  # after seeing nothing yet
    b.sync()
    c.sync()
    a.sync()
    b.sync()
    logs = [m.log() for m in (a, b, c)]
    assert logs[0] == logs[1] == logs[2] and len(logs[0]) == 7
    assert a.states() == b.states() == c.states()
    assert a.states()["d/shared"].lapses == 1


def test_states_are_the_replay_in_time_order_with_a_clock_off_by_hours(tmp_path: Path) -> None:
    folder = tmp_path / "sync"
    a = Machine(tmp_path, "a", folder)
    b = Machine(tmp_path, "b", folder, skew=timedelta(hours=-5))
    a.answer("d/x", 0, Rating.AGAIN)
    b.answer("d/x", 60, Rating.EASY)  # five hours behind: lands before a's answer
    b.sync()
    a.sync()
    b.sync()
    assert a.states() == b.states()
    expected = Memory()
    for _, at, rating in sorted(a.log(), key=lambda r: r[1]):
        expected = SCHEDULER.replay(expected, Rating(rating), at, None)
    merged = a.states()["d/x"]
    assert (merged.reps, merged.lapses, merged.last_review) == (
        expected.reps,
        expected.lapses,
        expected.last_review,
    )
    assert merged.last_review == T0  # a's answer, the later one, is the last


def test_a_half_written_file_is_read_up_to_its_last_whole_line(tmp_path: Path) -> None:
    a, b = machines(tmp_path, "a", "b")
    b.answer("d/x", 0)
    b.answer("d/y", 1)
    b.sync()
    own = tmp_path / "sync" / "b.jsonl"
    whole = own.read_bytes()
    own.write_bytes(whole[: len(whole) - 20])  # copied mid-write: the last line is cut
    assert a.sync() == 1
    own.write_bytes(whole)
    assert a.sync() == 1
    assert a.log() == b.log()


def test_a_damaged_line_and_a_conflicted_copy_are_reported_and_land_once(tmp_path: Path) -> None:
    a, b = machines(tmp_path, "a", "b")
    b.answer("d/x", 0)
    b.sync()
    folder = tmp_path / "sync"
    shutil.copy(folder / "b.jsonl", folder / "b.sync-conflict-20260302-090000-ABCDEFG.jsonl")
    shutil.copy(folder / "b.jsonl", folder / "b (Bob's conflicted copy 2026-03-02).jsonl")
    with open(folder / "b.jsonl", "ab") as stream:
        stream.write(b"{not json\n")
    result = sync(a.store, folder, "a", SCHEDULER, T0)
    assert result.received == 1
    assert len(a.log()) == 1
    assert any("b.jsonl:2: not a sync event" in m for m in result.messages)
    assert sum("conflicted copy" in m for m in result.messages) == 2


def test_an_undo_travels_and_cancels_the_answer_everywhere(tmp_path: Path) -> None:
    a, b = machines(tmp_path, "a", "b")
    a.answer("d/x", 0)
    rid = a.answer("d/x", 5, Rating.AGAIN)
    a.sync()
    b.sync()
    assert b.states()["d/x"].reps == 2
    a.store.undo("d/x", rid, T0 + timedelta(minutes=6), SCHEDULER, 8)
    a.sync()
    b.sync()
    assert a.log() == b.log() and len(b.log()) == 1
    assert b.states()["d/x"].reps == 1
    assert a.states() == b.states()


def test_the_machine_id_is_made_once_and_kept_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "data" / "machine-id"
    first = machine_id(path)
    assert machine_id(path) == first and len(first) == 16
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_file_replaced_by_the_sync_tool_is_read_again_and_lands_once(tmp_path: Path) -> None:
    a, b = machines(tmp_path, "a", "b")
    b.answer("d/x", 0)
    b.sync()
    assert a.sync() == 1
    own = tmp_path / "sync" / "b.jsonl"
    first = own.read_bytes()
    b.answer("d/y", 1)
    b.sync()
    lines = own.read_bytes()[len(first) :]
    own.write_bytes(lines + first)  # same events, another order: not an append
    assert a.sync() == 1
    assert a.log() == b.log() and len(a.log()) == 2


def test_suspend_bury_and_flag_travel_and_the_latest_change_wins(tmp_path: Path) -> None:
    a, b = machines(tmp_path, "a", "b")
    a.answer("d/x", 0)
    a.store.set_flag("d/x", flagged=True, suspended=True)
    a.store.set_flag("d/y", buried_until=T0 + timedelta(days=1))
    a.sync()
    b.sync()
    assert b.store.flag("d/x").flagged and b.store.flag("d/x").suspended
    assert b.store.flag("d/y").buried_until == T0 + timedelta(days=1)
    b.store.set_flag("d/x", suspended=False)  # later, on b
    b.now += timedelta(minutes=5)
    b.sync()
    a.sync()
    assert not a.store.flag("d/x").suspended and a.store.flag("d/x").flagged
    assert a.store.flags() == b.store.flags()
    assert a.sync() == 0 and b.sync() == 0, "nothing lands twice"
