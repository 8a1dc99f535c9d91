"""Two instances at once: two processes answer on one database while others read and repair it.

No "database is locked" reaches the user, no review is lost, and the states stay
equal to a replay of the log even when both answer the same items and
``study doctor`` rebuilds the states in the middle of it.
"""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path
from types import ModuleType

READS = int(os.environ.get("STUDY_CONCURRENT_READS", "12"))
COMMANDS = [("doctor", "--json"), ("stats", "--json"), ("doctor", "--json"), ("decks", "--json")]
"""Run one after another while both writers answer (doctor writes: it rebuilds the states)."""


def test_two_writers_and_readers(kit: ModuleType, deck_dir: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"  # fresh: both writers also race to create the database
    drivers = [kit.spawn_driver(home, deck_dir, seed, 0) for seed in (1, 2)]
    heads = [driver.stdout.readline() for driver in drivers]
    assert heads == ["ready\n", "ready\n"], [d.stderr.read() for d in drivers if d.poll() is not None]
    for number in range(READS):
        result = kit.run_study(home, *COMMANDS[number % len(COMMANDS)], "--decks", str(deck_dir))
        assert result.returncode == 0, result.stderr
        assert "locked" not in result.stderr
        kit.no_traceback(result.stderr)
        json.loads(result.stdout)
        assert all(d.poll() is None for d in drivers), "both writers must still be answering"
    printed = kit.Printed()
    for driver, head in zip(drivers, heads):
        driver.send_signal(signal.SIGKILL)
        out, err = driver.communicate(timeout=60)
        assert "locked" not in err
        kit.no_traceback(err)
        printed.read(head + out)
    print(f"\n{len(printed.saved)} answers, {len(printed.undone)} undos, {READS} reads and repairs")
    assert len(printed.saved) > 200
    kit.check_database(home / "progress.sqlite3", printed)
