"""Opening a deck file in the user's editor at a card's line, from any screen."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path
from typing import Any

from textual.app import SuspendNotSupported
from textual.screen import Screen

from study.tui.host import host


def edit_at(screen: Screen[Any], path: Path, line: int) -> None:
    """Run ``$VISUAL`` / ``$EDITOR`` (``vi``) on ``path`` at ``line`` in the app's terminal
    (``App.suspend``), then reload the decks. A display that cannot lend its terminal (headless,
    web) runs the editor without one, in a thread, and reloads when it exits."""
    app = screen.app
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    try:
        command = [*shlex.split(editor), f"+{line}", str(path)]
        with app.suspend():
            subprocess.call(command)
    except SuspendNotSupported:
        screen.notify(
            f"Opened {path.name} in {editor} without the terminal (this display cannot "
            "lend it); the deck reloads when the editor exits.",
            timeout=6,
        )
        screen.run_worker(lambda: _detached(screen, command, editor), thread=True, group="editor")
        return
    except (OSError, ValueError) as exc:
        screen.notify(f"Cannot run the editor {editor!r}: {exc}. Set $EDITOR.", severity="error")
        return
    host(screen).reload_decks()


def _detached(screen: Screen[Any], command: list[str], editor: str) -> None:
    """Run the editor with no terminal, then reload (for drivers that cannot suspend)."""
    app = screen.app
    try:
        subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
    except OSError as exc:
        message = f"Cannot run the editor {editor!r}: {exc}. Set $EDITOR."
        app.call_from_thread(screen.notify, message, severity="error")
        return
    app.call_from_thread(host(screen).reload_decks)
