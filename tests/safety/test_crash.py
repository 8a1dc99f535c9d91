"""Crash safety with real processes: a study session is SIGKILLed at random moments, many times.

Every answer the driver printed as saved must be in the database afterwards, SQLite's
integrity check must pass, and the stored states must equal a replay of the log.
``STUDY_KILL_ROUNDS`` raises the number of rounds (15 by default, for CI).
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import time
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from types import ModuleType

import pytest

ROUNDS = int(os.environ.get("STUDY_KILL_ROUNDS", "15"))


def kill_after(driver: subprocess.Popen[str], delay: float) -> None:
    """Sleep, then SIGKILL the process (no chance to clean up)."""
    time.sleep(delay)
    driver.send_signal(signal.SIGKILL)


def test_killed_mid_session_loses_no_saved_answer(
    kit: ModuleType, deck_dir: Path, tmp_path: Path
) -> None:
    """Each round waits for the driver to save a random 1 to 40 answers, then kills it while it
    goes on answering (within the next answer or two): every round kills during writes."""
    rng = random.Random(20260302)
    home = tmp_path / "home"
    printed = kit.Printed()
    saved_before_kill: list[int] = []
    rows_after: list[int] = []
    for round_number in range(ROUNDS):
        driver = kit.spawn_driver(home, deck_dir, seed=round_number, count=0)
        assert driver.stdout is not None
        lines = [driver.stdout.readline()]
        assert lines == ["ready\n"], driver.communicate(timeout=60)[1]
        wanted, saved = rng.randint(1, 40), 0
        while saved < wanted:
            line = driver.stdout.readline()
            assert line, driver.communicate(timeout=60)[1]
            lines.append(line)
            saved += line.startswith("saved ")
        time.sleep(rng.uniform(0.0, 0.01))  # an answer takes a few ms: this falls in one
        assert driver.poll() is None, "the kill must land while the driver is answering"
        driver.send_signal(signal.SIGKILL)
        out, err = driver.communicate(timeout=60)
        assert driver.returncode == -signal.SIGKILL, err
        kit.no_traceback(err)
        printed.read("".join(lines) + out)
        saved_before_kill.append(saved)
        rows_after.append(kit.check_database(home / "progress.sqlite3", printed))
    print(
        f"\n{ROUNDS} kills: answers saved before each kill {saved_before_kill}; "
        f"{len(printed.saved)} answers and {len(printed.undone)} undos reported saved, "
        f"log rows after each round: {rows_after}"
    )
    assert all(count > 0 for count in saved_before_kill)
    assert all(later > earlier for earlier, later in pairwise(rows_after))
    _a_sane_history(home / "progress.sqlite3")


def _a_sane_history(database: Path) -> None:
    """The driver's clock stayed within a few years and no item was suspended as a leech
    (either would have stopped the answers: a test that kills nothing but start-ups)."""
    db = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)
    try:
        latest = db.execute("SELECT MAX(at) FROM review").fetchone()[0]
        suspended = db.execute("SELECT COUNT(*) FROM item_flag WHERE suspended").fetchone()[0]
    finally:
        db.close()
    assert datetime.fromtimestamp(latest / 1000, UTC) < datetime(2031, 1, 1, tzinfo=UTC)
    assert suspended == 0


def test_killed_while_creating_the_database(
    kit: ModuleType, deck_dir: Path, tmp_path: Path
) -> None:
    """Kills during start-up (file creation, migrations): the next start works.

    Nothing is left half-made.
    """
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


APP_SETTINGS = "new_per_day = 100000\nreviews_per_day = 1000000\nleech_lapses = 1000\n"
"""No daily limit for the app (the default 20 new cards a day were used up in a few rounds)."""


def test_killing_the_terminal_app(kit: ModuleType, deck_dir: Path, tmp_path: Path) -> None:
    """The real Textual app under a pseudo-terminal, fed key presses, SIGKILLed mid-session.

    Each round answers until the log has grown (so every round kills an app that has been
    writing answers), then goes on pressing keys for a random while and kills it."""
    pytest.importorskip("study.tui.app")
    rng = random.Random(11)
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text(APP_SETTINGS, encoding="utf-8")
    deck_dir = tmp_path / "big"  # 2,000 items: the real clock stands still, new cards run out
    deck_dir.mkdir()
    (deck_dir / "big.yaml").write_text(kit.deck_text("Big", 1500), encoding="utf-8")
    database = home / "progress.sqlite3"
    rows: list[int] = []
    for _ in range(max(3, ROUNDS // 4)):
        before = kit.review_rows(database)
        app = kit.open_app(home, deck_dir)
        try:
            app.wait_for(b"All due")  # the home screen
            app.wait_for(b"Show answer", press=b"a")  # study everything (once decks are loaded)
            stop = time.monotonic() + rng.uniform(0.2, 1.5)
            deadline = time.monotonic() + 60
            while time.monotonic() < stop or kit.review_rows(database) <= before:
                assert time.monotonic() < deadline, "the app stored no answer in a minute"
                app.keys(b" ")  # show the answer
                time.sleep(rng.uniform(0.0, 0.05))
                app.keys(rng.choice([b"1", b"3", b"3", b"4"]))
                time.sleep(rng.uniform(0.0, 0.05))
            assert app.running, "the kill must land while the app is answering"
        finally:
            app.kill()
        rows.append(kit.check_database(database, kit.Printed()))
        assert rows[-1] > before
    print(f"\napp killed {len(rows)} times; log rows after each kill: {rows}")


def test_the_driver_answers_on_for_as_many_rounds_as_are_asked(
    kit: ModuleType, deck_dir: Path, tmp_path: Path
) -> None:
    """3,000 answers (200 rounds of kills save about as many): no item is suspended as a leech,
    the clock stays within a few years, and the driver is still answering at the end."""
    home = tmp_path / "home"
    driver = kit.spawn_driver(home, deck_dir, seed=5, count=3000)
    out, err = driver.communicate(timeout=300)
    assert driver.returncode == 0, err
    assert out.count("saved ") == 3000
    _a_sane_history(home / "progress.sqlite3")
