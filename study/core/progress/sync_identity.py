"""This machine's id in the sync folder, and how a copy of the data folder is told apart.

The id names the one file this machine appends to (``<id>.jsonl``). A data folder copied
to a second machine, or a backup restored there, would bring the id along, and two
writers would share one file. Two checks catch it:

- the id file also holds a fingerprint of the host it was made on (a digest of
  ``/etc/machine-id`` where there is one, else of the host name and network address):
  read on another host, the id is replaced;
- each sync remembers where this machine's own file ended after its last write (the
  ``sync_file`` row of its name); lines after that, which this machine did not write,
  are another copy's: they are read like another machine's, and the id is replaced
  (``study.core.progress.sync``), whichever copy notices first.

A replaced id costs nothing: answers keep their event ids (derived from the answer, so
every copy gives a shared answer the same one), the old file is read as another
machine's from where this machine stopped writing, and nothing lands twice.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import socket
import uuid
from pathlib import Path

HOST_PREFIX = "host "


def fingerprint() -> str:
    """A short digest naming this host (stable across restarts)."""
    try:
        seed = Path("/etc/machine-id").read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        seed = ""
    if not seed:
        seed = f"{socket.gethostname()}/{uuid.getnode():012x}"
    return hashlib.sha256(seed.encode()).hexdigest()[:16]


def _write(path: Path, value: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(path.name + ".new")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(fd, "w", encoding="ascii") as stream:
        stream.write(f"{value}\n{HOST_PREFIX}{fingerprint()}\n")
    os.replace(temporary, path)


def new_machine_id(path: Path) -> str:
    """Make (or replace) this machine's id in ``path``, owner-only; the new id."""
    value = secrets.token_hex(8)
    _write(path, value)
    return value


def this_machine(path: Path) -> tuple[str, bool]:
    """The id kept in ``path`` (made when missing) and whether it was made on another host
    (the data folder was copied or restored here: replace it after a last sync under it).

    An id file without a fingerprint (written before there was one) is taken as this
    host's, and the fingerprint added."""
    try:
        lines = path.read_text(encoding="ascii").splitlines()
    except FileNotFoundError:
        return new_machine_id(path), False
    except (OSError, UnicodeDecodeError):
        lines = []
    value = lines[0].strip() if lines else ""
    if not value or not value.isalnum():
        return new_machine_id(path), False
    host = next((line[len(HOST_PREFIX) :] for line in lines if line.startswith(HOST_PREFIX)), "")
    if not host:
        _write(path, value)
        return value, False
    return value, host.strip() != fingerprint()


def machine_id(path: Path) -> str:
    """This machine's id, kept in ``path`` (made once, owner-only)."""
    return this_machine(path)[0]
