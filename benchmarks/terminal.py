"""Drive a full-screen program in a pseudo-terminal and time what it paints.

The program runs as a real terminal app (Textual's own driver, not its headless
test mode), so a time here is from ``exec`` or a key press to the moment the
bytes that draw a given text reach the terminal.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import termios
import time
from collections.abc import Sequence

_ESCAPE = re.compile(
    rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|[@-Z\\-_])"
)


class Terminal:
    """A program in a pty of a fixed size; all its output is kept with arrival times."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        env: dict[str, str] | None = None,
        columns: int = 100,
        rows: int = 30,
    ) -> None:
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # the child: become the program
            os.execvpe(
                argv[0],
                list(argv),
                {
                    **os.environ,
                    **(env or {}),
                    "TERM": "xterm-256color",
                    "COLUMNS": str(columns),
                    "LINES": str(rows),
                },
            )
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.raw = b""
        self.text = ""
        """Everything printed so far, without escape sequences."""

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.fd, 1 << 16)
        except OSError:
            return False
        if not chunk:
            return False
        self.raw += chunk
        self.text = _ESCAPE.sub(b"", self.raw).decode("utf-8", "replace")
        return True

    def wait_for(self, marker: str, timeout: float = 60.0, *, after: int = 0) -> float:
        """Seconds since start when ``marker`` appears in the output past text offset ``after``."""
        deadline = time.perf_counter() + timeout
        while marker not in self.text[after:]:
            left = deadline - time.perf_counter()
            if left <= 0:
                tail = self.text[-300:].replace("\n", " ")
                raise TimeoutError(
                    f"{marker!r} not painted within {timeout:.0f}s; last output: {tail!r}"
                )
            self._read(left)
        return time.perf_counter() - self.started

    def press(self, keys: str, marker: str, timeout: float = 60.0) -> float:
        """Send keys; seconds until ``marker`` is painted in the output that follows."""
        after = len(self.text)
        sent = time.perf_counter()
        os.write(self.fd, keys.encode())
        self.wait_for(marker, timeout, after=after)
        return time.perf_counter() - sent

    def settle(self, quiet: float = 0.3, limit: float = 10.0) -> None:
        """Read until nothing has been printed for ``quiet`` seconds."""
        deadline = time.perf_counter() + limit
        while time.perf_counter() < deadline and self._read(quiet):
            pass

    def close(self, keys: str = "\x11") -> None:
        """Quit with ``keys`` (ctrl+q), then make sure the program is gone."""
        try:
            os.write(self.fd, keys.encode())
            deadline = time.perf_counter() + 5
            while time.perf_counter() < deadline:
                done, _ = os.waitpid(self.pid, os.WNOHANG)
                if done:
                    break
                self._read(0.05)
            else:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
        except (OSError, ChildProcessError):
            pass
        finally:
            os.close(self.fd)
