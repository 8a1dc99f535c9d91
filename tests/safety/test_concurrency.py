"""Two instances at once: two processes answer on one database while others read and repair it.

No "database is locked" reaches the user, no review is lost, and the states stay
equal to a replay of the log even when both answer the same items and
``study doctor`` rebuilds the states in the middle of it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

from study.core.progress.store import Store

READS = int(os.environ.get("STUDY_CONCURRENT_READS", "12"))
COMMANDS = [("doctor", "--json"), ("stats", "--json"), ("doctor", "--json"), ("decks", "--json")]
"""Run one after another while both writers answer (doctor writes: it rebuilds the states)."""


def test_two_writers_and_readers(kit: ModuleType, deck_dir: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"  # fresh: both writers also race to create the database
    drivers = [kit.spawn_driver(home, deck_dir, seed, 0) for seed in (1, 2)]
    heads = [driver.stdout.readline() for driver in drivers]
    assert heads == ["ready\n", "ready\n"], [
        d.stderr.read() for d in drivers if d.poll() is not None
    ]
    for number in range(READS):
        result = kit.run_study(home, *COMMANDS[number % len(COMMANDS)], "--decks", str(deck_dir))
        assert result.returncode == 0, result.stderr
        assert "locked" not in result.stderr
        kit.no_traceback(result.stderr)
        json.loads(result.stdout)
        assert all(d.poll() is None for d in drivers), "both writers must still be answering"
    printed = kit.Printed()
    for driver, head in zip(drivers, heads, strict=False):
        driver.send_signal(signal.SIGKILL)
        out, err = driver.communicate(timeout=60)
        assert "locked" not in err
        kit.no_traceback(err)
        printed.read(head + out)
    print(f"\n{len(printed.saved)} answers, {len(printed.undone)} undos, {READS} reads and repairs")
    assert len(printed.saved) > 200
    kit.check_database(home / "progress.sqlite3", printed)


OPEN_AT = """
import sys, time
import pytest

from study.core.progress.store import Store
time.sleep(max(0.0, float(sys.argv[2]) - time.time()))
Store(sys.argv[1]).close()
"""


def test_instances_starting_together_on_a_new_database(kit: ModuleType, tmp_path: Path) -> None:
    """Several processes open (create, switch to WAL, migrate) one new database at one instant."""
    for round_number in range(10):
        database = tmp_path / f"round{round_number}" / "progress.sqlite3"
        start = time.time() + 0.4
        openers = [
            subprocess.Popen(
                [sys.executable, "-c", OPEN_AT, str(database), str(start)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=kit.child_env(tmp_path / "home"),
                cwd=kit.REPO,
            )
            for _ in range(4)
        ]
        for opener in openers:
            _, err = opener.communicate(timeout=60)
            assert opener.returncode == 0, err
        assert Store.check_file(database) == []


def test_a_second_app_on_the_same_data_folder_is_refused(
    kit: ModuleType, deck_dir: Path, tmp_path: Path
) -> None:
    """As Anki locks its collection: one app per data folder; commands still work beside it."""
    from study.core.progress.lock import AppLock, LockedError

    home = tmp_path / "home"
    app = kit.open_app(home, deck_dir)
    try:
        lock = home / "app.lock"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (
            lock.exists() and lock.read_text().strip() == str(app.pid)
        ):
            time.sleep(0.05)
        second = kit.run_study(home, "--decks", str(deck_dir))
        assert second.returncode == 1, second.stderr
        assert second.stderr == (
            f"study: study is already open on {home} (process {app.pid}): use that window, "
            "or quit it first (commands such as 'study stats' work beside it)\n"
        )
        review = kit.run_study(home, "review", "--decks", str(deck_dir))
        assert review.returncode == 1 and "already open" in review.stderr
        stats = kit.run_study(home, "stats", "--json", "--decks", str(deck_dir))
        assert stats.returncode == 0, stats.stderr
        with pytest.raises(LockedError):
            AppLock(lock).acquire()
    finally:
        app.kill()
    AppLock(lock).acquire().release()  # the kernel let go of the killed app's lock: not stale
