"""After a merge the card states are the replay of the log in time order, the rule
``study doctor`` rebuilds by: it finds nothing to fix on either machine."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from study.core.progress.sync import sync
from study.core.scheduling.scheduler import Rating
from tests.conftest import T0, Run
from tests.core.progress.test_sync import SCHEDULER, Machine, machines


def doctor_rebuilt(run: Run, machine: Machine) -> int:
    """What ``study doctor`` rebuilt on the machine's data folder (its store closed first)."""
    data = machine.store.path.parent
    machine.store.close()
    code, out, err = run("--data", str(data), "--decks", str(data / "none"), "doctor", "--json")
    assert code in (0, 1), err
    return int(json.loads(out)["rebuilt"])


def test_interleaved_offline_answers_merge_alike_and_the_doctor_agrees(
    tmp_path: Path, run: Run
) -> None:
    a, b = machines(tmp_path, "a", "b")
    a.answer("d/x", 0)  # a, b, a, b on the same card, each machine offline
    b.answer("d/x", 3, Rating.AGAIN)
    a.answer("d/x", 12, Rating.HARD)
    b.answer("d/x", 30)
    a.answer("d/y", 1)
    a.sync()
    b.sync()
    a.sync()
    assert a.log() == b.log() and len(a.log()) == 5
    assert a.states() == b.states()
    merged = a.states()["d/x"]
    assert merged.reps == 4 and merged.last_review == T0 + timedelta(minutes=30)
    assert a.store.rebuild(SCHEDULER) == 0 and b.store.rebuild(SCHEDULER) == 0
    assert doctor_rebuilt(run, a) == 0 and doctor_rebuilt(run, b) == 0


def test_a_forget_travels_and_the_replay_starts_the_card_afresh(tmp_path: Path) -> None:
    a, b = machines(tmp_path, "a", "b")
    a.answer("d/x", 0)
    a.store.forget(["d/x"], T0 + timedelta(minutes=5))
    b.answer("d/x", 10, Rating.AGAIN)  # after the forget, on the other machine
    a.sync()
    b.sync()
    a.sync()
    assert a.states() == b.states()
    assert a.states()["d/x"].reps == 1 and a.states()["d/x"].lapses == 0
    assert a.store.rebuild(SCHEDULER) == 0 and b.store.rebuild(SCHEDULER) == 0


def test_an_answer_given_before_a_synced_later_one_takes_its_place_in_time(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "sync"
    a = Machine(tmp_path, "a", folder)
    b = Machine(tmp_path, "b", folder, skew=timedelta(hours=3))  # its clock is ahead
    b.answer("d/x", 0, Rating.EASY)
    b.sync()
    a.sync()
    a.answer("d/x", 10, Rating.AGAIN)  # given now on a, three hours 'before' b's answer
    assert a.store.rebuild(SCHEDULER) == 0, "the state is the replay in time order"
    a.sync()
    b.sync()
    assert a.states() == b.states()
    assert b.store.rebuild(SCHEDULER) == 0


def test_a_large_merge_in_batches_ends_as_one_in_a_single_transaction(tmp_path: Path) -> None:
    a, b, c = machines(tmp_path, "a", "b", "c")
    for n in range(12):
        b.answer(f"d/{n % 5}", n, Rating(1 + n % 4))
    rid = b.answer("d/0", 20, Rating.AGAIN)
    b.store.undo("d/0", rid, T0 + timedelta(minutes=21), SCHEDULER, 8)
    b.store.set_flag("d/3", flagged=True)
    a.answer("d/1", 4.5)
    b.sync()
    batched = sync(a.store, a.folder, "a", SCHEDULER, a.now, batch=3)
    assert batched.received == 15 and batched.written == 1  # 13 answers, an undo, a flag
    c.sync()  # the same answers, merged in one transaction
    assert a.log() == c.log() and len(a.log()) == 13
    assert a.states() == c.states()
    assert a.store.flag("d/3").flagged
    assert a.store.rebuild(SCHEDULER) == 0
    assert sync(a.store, a.folder, "a", SCHEDULER, a.now, batch=3).received == 0
