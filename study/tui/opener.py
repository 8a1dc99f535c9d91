"""Opening a file in the system's viewer or player (``xdg-open``, ``open``, ``os.startfile``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


def open_file(path: Path) -> str:
    """Open ``path`` with the system's program for it; '' on success, else why not (one line)."""
    if not path.is_file():
        return f"no file {path}"
    try:
        if sys.platform == "win32":
            os.startfile(path)
            return ""
        command = "open" if sys.platform == "darwin" else "xdg-open"
        program = shutil.which(command)
        if program is None:
            return f"no {command} on this system to open {path.name}: open {path} yourself"
        subprocess.Popen(
            [program, str(path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as exc:
        return f"cannot open {path.name} ({exc.strerror or exc})"
    return ""
