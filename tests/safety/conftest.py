"""What the safety tests share: a deck for the driver, starting it, and the consistency check."""

from __future__ import annotations

import fcntl
import os
import pty
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import pytest

from study.core.config import Config
from study.core.progress.store import Store
from study.core.scheduling.scheduler import Scheduler

REPO = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("driver.py")
DRIVER_CONFIG = Config(
    new_per_day=100_000, reviews_per_day=100_000, leech_lapses=1000, maximum_interval=7, fuzz=True
)
"""Must match ``driver.CONFIG``: the checks replay the log with it."""


def deck_text(name: str, cards: int) -> str:
    """A valid deck of basic cards (every third one reversed) and clozes."""
    lines = [f"title: {name}", "cards:"]
    for n in range(cards):
        if n % 4 == 3:
            lines.append(
                f"  - {{id: c{n}, text: 'Fact {n}: {{{{c1::alpha {n}}}}} "
                f"and {{{{c2::beta {n}}}}}'}}"
            )
        else:
            reverse = ", reverse: true" if n % 3 == 0 else ""
            lines.append(f"  - {{id: c{n}, front: 'Question {n}', back: 'Answer {n}'{reverse}}}")
    return "\n".join(lines) + "\n"


@pytest.fixture
def deck_dir(tmp_path: Path) -> Path:
    """Two decks, about 90 study items."""
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "alpha.yaml").write_text(deck_text("Alpha", 30), encoding="utf-8")
    (folder / "beta.yaml").write_text(deck_text("Beta", 25), encoding="utf-8")
    return folder


def child_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment for a child process: this checkout, the given data folder, UTC."""
    env = dict(os.environ)
    env.update(PYTHONPATH=str(REPO), STUDY_HOME=str(home), TZ="UTC", PYTHONUNBUFFERED="1", **extra)
    return env


def spawn_driver(home: Path, decks: Path, seed: int, count: int) -> subprocess.Popen[str]:
    """Start ``driver.py`` (see its docstring) with its output piped."""
    return subprocess.Popen(
        [sys.executable, str(DRIVER), str(home), str(decks), str(seed), str(count)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(home),
        cwd=REPO,
    )


def run_study(
    home: Path, *args: str, stdin: str = "", timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """``python -m study ARGS`` in a child process."""
    return subprocess.run(
        [sys.executable, "-m", "study", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=child_env(home),
        cwd=REPO,
        timeout=timeout,
        check=False,
    )


@dataclass
class App:
    """The real app in a pseudo-terminal of 100 x 30 (its output is read, the last 64 KiB kept)."""

    pid: int
    fd: int
    drain: threading.Thread = field(init=False)
    output: bytearray = field(default_factory=bytearray)

    def __post_init__(self) -> None:
        self.drain = threading.Thread(target=self._drain, daemon=True)
        self.drain.start()

    def _drain(self) -> None:
        """Read the app's screen output, so that it never blocks on a full terminal."""
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output += chunk
            del self.output[: -(1 << 16)]

    def keys(self, data: bytes) -> None:
        os.write(self.fd, data)

    def wait_for(self, text: bytes, press: bytes = b"", timeout: float = 60.0) -> None:
        """Wait until the screen output shows ``text`` (then forget the output so far),
        pressing ``press`` every half second meanwhile (a key the app may not take yet)."""
        deadline = time.monotonic() + timeout
        pressed = 0.0
        while text not in self.output:
            assert time.monotonic() < deadline, f"the app never showed {text!r}"
            if press and time.monotonic() - pressed > 0.5:
                self.keys(press)
                pressed = time.monotonic()
            time.sleep(0.02)
        self.output.clear()

    @property
    def running(self) -> bool:
        return os.waitpid(self.pid, os.WNOHANG) == (0, 0)

    def kill(self) -> None:
        """SIGKILL it (no chance to clean up) and close its terminal."""
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        self.drain.join(10)  # it stops when the terminal closes; only then may fd be reused
        os.close(self.fd)


def open_app(home: Path, decks: Path, *args: str, **env: str) -> App:
    """Start ``python -m study --decks DECKS ARGS`` under a pseudo-terminal."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: becomes the app (and never returns into pytest)
        try:
            os.execve(
                sys.executable,
                [sys.executable, "-m", "study", "--decks", str(decks), *args],
                child_env(home, TERM="xterm-256color", **env),
            )
        finally:
            os._exit(127)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    return App(pid, fd)


def review_rows(database: Path) -> int:
    """Rows in the review log, read without writing (0 before the database exists)."""
    if not database.exists():
        return 0
    db = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True, timeout=10)
    try:
        return int(db.execute("SELECT COUNT(*) FROM review").fetchone()[0])
    except sqlite3.OperationalError:
        return 0  # no table yet: the app is creating the database
    finally:
        db.close()


@dataclass
class Printed:
    """What drivers reported as done: only complete lines count."""

    saved: set[int] = field(default_factory=set)
    undone: set[int] = field(default_factory=set)
    ready: bool = False

    def read(self, output: str) -> None:
        """Take in a driver's stdout (a last line cut off by the kill is ignored)."""
        complete = output if output.endswith("\n") else output.rpartition("\n")[0]
        for line in complete.splitlines():
            word, _, value = line.partition(" ")
            if word == "saved":
                self.saved.add(int(value))
            elif word == "undone":
                self.undone.add(int(value))
            elif word == "ready":
                self.ready = True


def check_database(database: Path, printed: Printed, config: Config = DRIVER_CONFIG) -> int:
    """Everything reported is stored, the file is sound, and the states equal a replay of the log.

    Returns the number of rows in the review log.
    """
    store = Store(database)  # opening runs SQLite's recovery of the WAL, as the next start would
    try:
        assert store.integrity_check() == []
        rows = store.db.execute("SELECT id, undoes FROM review").fetchall()
        ids = {row[0] for row in rows}
        undo_targets = {row[1] for row in rows if row[1] is not None}
        missing = printed.saved - ids
        assert not missing, (
            f"answers reported as saved are not in the database: {sorted(missing)[:10]}"
        )
        lost_undos = printed.undone - undo_targets
        assert not lost_undos, (
            f"undos reported as done are not in the database: {sorted(lost_undos)[:10]}"
        )
        replayed = store.replay_all(Scheduler(config))
        stored = store.memories()
        differ = sorted(k for k in set(replayed) | set(stored) if replayed.get(k) != stored.get(k))
        assert not differ, f"stored states differ from a replay of the log: {differ[:5]}"
        return len(rows)
    finally:
        store.close()


def no_traceback(*outputs: str | Sequence[str]) -> None:
    """Nothing a user sees holds a Python traceback."""
    for output in outputs:
        text = output if isinstance(output, str) else "\n".join(output)
        assert "Traceback" not in text, text


@pytest.fixture
def kit() -> ModuleType:
    """This module, so tests reach its helpers without importing a conftest by name."""
    return sys.modules[__name__]
