"""Crash safety with real processes: a study session is SIGKILLed at random moments, many times.

Every answer the driver printed as saved must be in the database afterwards, SQLite's
integrity check must pass, and the stored states must equal a replay of the log.
``STUDY_KILL_ROUNDS`` raises the number of rounds (15 by default, for CI).
"""

from __future__ import annotations

import fcntl
import os
import pty
import random
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
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
    print(
        f"\n{ROUNDS} kills: {len(printed.saved)} answers and {len(printed.undone)} undos "
        f"reported saved, log rows after each round: {rows_after}"
    )
    assert len(printed.saved) > ROUNDS, "the driver should have answered between the kills"


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


def test_killing_the_terminal_app(kit: ModuleType, deck_dir: Path, tmp_path: Path) -> None:
    """The real Textual app under a pseudo-terminal, fed key presses, SIGKILLed mid-session."""
    pytest.importorskip("study.tui.app")
    rng = random.Random(11)
    home = tmp_path / "home"
    reviews = []
    for _ in range(max(3, ROUNDS // 4)):
        pid, fd = pty.fork()
        if pid == 0:  # the child: becomes the app (and never returns into pytest)
            try:
                os.execve(
                    sys.executable,
                    [sys.executable, "-m", "study", "--decks", str(deck_dir)],
                    kit.child_env(home, TERM="xterm-256color"),
                )
            finally:
                os._exit(127)
        drain = threading.Thread(target=_drain, args=(fd,), daemon=True)
        drain.start()
        try:
            fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
            time.sleep(2.0)  # start-up: imports, decks, database
            os.write(fd, b"a")  # study everything
            time.sleep(0.5)
            deadline = time.monotonic() + rng.uniform(0.2, 2.0)
            while time.monotonic() < deadline:
                os.write(fd, b" ")  # show the answer
                time.sleep(rng.uniform(0.0, 0.05))
                os.write(fd, rng.choice([b"1", b"3", b"3", b"4"]))
                time.sleep(rng.uniform(0.0, 0.05))
        finally:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            drain.join(10)  # it stops when the terminal closes; only then may fd be reused
            os.close(fd)
        reviews.append(kit.check_database(home / "progress.sqlite3", kit.Printed()))
    print(f"\napp killed {len(reviews)} times; log rows after each kill: {reviews}")
    assert reviews[-1] > 0, "the app should have stored answers"


def _drain(fd: int) -> None:
    """Read and drop the app's screen output, so that it never blocks on a full terminal."""
    while True:
        try:
            if not os.read(fd, 65536):
                return
        except OSError:
            return
