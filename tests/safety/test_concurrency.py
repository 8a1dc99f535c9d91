"""Two instances at once: two processes answer on one database while a third reads it.

No "database is locked" reaches the user, no review is lost, and the states stay
equal to a replay of the log even when both answer the same items.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType


def test_two_writers_and_a_reader(kit: ModuleType, deck_dir: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"  # fresh: both also race to create the database
    answers = 400
    drivers = [kit.spawn_driver(home, deck_dir, seed, answers) for seed in (1, 2)]
    commands = [("doctor", "--json"), ("stats", "--json"), ("doctor", "--json"), ("decks", "--json")]
    reads = 0
    while any(d.poll() is None for d in drivers) or reads < len(commands):
        command = commands[reads % len(commands)]
        result = kit.run_study(home, *command, "--decks", str(deck_dir))
        assert result.returncode == 0, result.stderr
        assert "locked" not in result.stderr
        kit.no_traceback(result.stderr)
        json.loads(result.stdout)
        reads += 1
    printed = kit.Printed()
    for driver in drivers:
        out, err = driver.communicate(timeout=120)
        assert driver.returncode == 0, err
        assert "locked" not in err
        printed.read(out)
    print(f"\n{len(printed.saved)} answers, {len(printed.undone)} undos, {reads} reads")
    assert len(printed.saved) == 2 * answers
    kit.check_database(home / "progress.sqlite3", printed)
