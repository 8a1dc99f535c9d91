"""Crash safety with real processes: a study session is SIGKILLed at random moments, many times.

Every answer the driver printed as saved must be in the database afterwards, SQLite's
integrity check must pass, and the stored states must equal a replay of the log.
``STUDY_KILL_ROUNDS`` raises the number of rounds (15 by default, for CI).
"""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path
from types import ModuleType

ROUNDS = int(os.environ.get("STUDY_KILL_ROUNDS", "15"))


def kill_after(driver: "os.PathLike[str] | object", delay: float) -> None:
    """Sleep, then SIGKILL the process (no chance to clean up)."""
    time.sleep(delay)
    driver.send_signal(signal.SIGKILL)  # type: ignore[attr-defined]


def test_killed_mid_session_loses_no_saved_answer(kit: ModuleType, deck_dir: Path, tmp_path: Path) -> None:
    rng = random.Random(20260302)
    home = tmp_path / "home"
    printed = kit.Printed()
    rows_after: list[int] = []
    for round_number in range(ROUNDS):
        driver = kit.spawn_driver(home, deck_dir, seed=round_number, count=0)
        assert driver.stdout is not None
        head = driver.stdout.readline()  # "ready": the database is open
        kill_after(driver, rng.uniform(0.0, 0.4))
        out, err = driver.communicate(timeout=60)
        assert driver.returncode == -signal.SIGKILL, err
        kit.no_traceback(err)
        printed.read(head + out)
        rows_after.append(kit.check_database(home / "progress.sqlite3", printed))
    print(f"\n{ROUNDS} kills: {len(printed.saved)} answers and {len(printed.undone)} undos reported saved, "
          f"log rows after each round: {rows_after}")
    assert len(printed.saved) > ROUNDS, "the driver should have answered between the kills"


def test_killed_while_creating_the_database(kit: ModuleType, deck_dir: Path, tmp_path: Path) -> None:
    """Kills during start-up (file creation, migrations): the next start works and nothing is half-made."""
    rng = random.Random(7)
    for round_number in range(max(5, ROUNDS // 2)):
        home = tmp_path / f"home{round_number}"
        driver = kit.spawn_driver(home, deck_dir, seed=round_number, count=0)
        kill_after(driver, rng.uniform(0.05, 0.8))
        out, err = driver.communicate(timeout=60)
        kit.no_traceback(err)
        printed = kit.Printed()
        printed.read(out)
        database = home / "progress.sqlite3"
        if database.exists():
            kit.check_database(database, printed)
        after = kit.spawn_driver(home, deck_dir, seed=99, count=3)
        out, err = after.communicate(timeout=60)
        assert after.returncode == 0, err
        printed.read(out)
        assert len(printed.saved) >= 3
        kit.check_database(database, printed)
