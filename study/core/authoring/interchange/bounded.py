"""Reading foreign files within limits: every size, time and folder an import uses.

An import reads files made elsewhere (Anki packages, CSV files), and any of them
may be damaged or hostile: a zip member that says it is 3 GiB, a ``notes`` table
that is a recursive view, a 150 MB field. Each read here has a limit that its
message names, so a bad file is refused in one line, quickly, in bounded memory:

- zip members are read up to a cap whatever their header says (headers lie), and
  a zip whose directory lists too many members is refused before it is read;
- a foreign SQLite database is opened read-only, its queries are interrupted
  after MAX_SECONDS, and no value in it may be longer than MAX_VALUE;
- the temporary folder of an import lives under the data folder, is removed when
  the import ends (however it ends), and one left by a killed import is removed
  by the next one (``remove_leftovers``).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import struct
import tempfile
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

MAX_MEMBERS = 500_000
"""Most members in an Anki package (its media files, one member each, and four more)."""

MAX_META = 1 << 20
"""Largest ``meta`` member (1 MiB; Anki writes a few bytes)."""

MAX_MEDIA = 64 << 20
"""Largest media list (``media`` member, 64 MiB compressed and expanded; 100,000 files
take about 5 MiB)."""

MAX_SECONDS = 120.0
"""Longest time reading one collection may take (an Anki collection of 100,000 notes
takes about two seconds)."""

MAX_VALUE = 16 << 20
"""Longest value read from a foreign database: a note's fields together (16 MiB)."""

PREFIX = "study-apkg-"
"""Temporary folders of imports: ``study-apkg-PID-random`` under the scratch folder."""


class ImportRefused(Exception):
    """The file cannot be imported; the message says why in one line."""


def size_text(limit: int) -> str:
    """``1 MiB``, ``64 MiB``, ``1 GiB``."""
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if limit >= 1 << shift and limit % (1 << shift) == 0:
            return f"{limit >> shift} {unit}"
    return f"{limit:,} bytes"


def member_count(path: Path) -> int | None:
    """How many members a zip file's directory lists, from its end record (None if not found).

    Read before ``zipfile`` builds an object per member, which a forged count would
    make millions of.
    """
    with open(path, "rb") as handle:
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        tail = min(size, 22 + 0xFFFF)  # the end record and its longest comment
        handle.seek(size - tail)
        data = handle.read(tail)
    at = data.rfind(b"PK\x05\x06")
    if at < 0 or len(data) < at + 22:
        return None
    count: int = struct.unpack_from("<H", data, at + 10)[0]
    if count == 0xFFFF and at >= 20 and data[at - 20 : at - 16] == b"PK\x06\x07":
        offset = struct.unpack_from("<Q", data, at - 12)[0]  # the zip64 end record
        with open(path, "rb") as handle:
            handle.seek(offset)
            record = handle.read(56)
        if record[:4] == b"PK\x06\x06" and len(record) == 56:
            count = struct.unpack_from("<Q", record, 32)[0]
    return count


def open_package(path: Path) -> zipfile.ZipFile:
    """The zip file at ``path``, refused when it lists more than MAX_MEMBERS members."""
    try:
        count = member_count(path)
        if count is not None and count > MAX_MEMBERS:
            raise ImportRefused(
                f"the package lists {count:,} files, more than the {MAX_MEMBERS:,} accepted: "
                "is it an .apkg exported by Anki?"
            )
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, struct.error) as exc:
        raise ImportRefused(f"not an Anki package (not a zip file: {exc})") from None


def read_member(archive: zipfile.ZipFile, name: str, limit: int, what: str) -> bytes:
    """A zip member's bytes, refused past ``limit`` by its header or by what it holds."""
    too_big = ImportRefused(
        f"the {what} in the package is larger than {size_text(limit)}, the most accepted: "
        "the package is damaged or not made by Anki"
    )
    info = archive.getinfo(name)
    if info.file_size > limit:
        raise too_big
    with archive.open(info) as member:
        data = member.read(limit + 1)
    if len(data) > limit:  # pragma: no cover - zipfile stops at the header's size
        raise too_big
    return data


@contextmanager
def foreign_database(path: Path) -> Iterator[sqlite3.Connection]:
    """A foreign SQLite file opened read-only, its queries bounded in time and value size.

    A query running past MAX_SECONDS (a recursive view, say) is interrupted: the
    ``sqlite3.OperationalError`` it raises is turned into ImportRefused here.
    """
    db = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    deadline = time.monotonic() + MAX_SECONDS
    timed_out = False

    def progress() -> int:
        nonlocal timed_out
        timed_out = time.monotonic() > deadline
        return 1 if timed_out else 0

    try:
        db.set_progress_handler(progress, 10_000)
        db.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE)
        db.execute("PRAGMA query_only = ON")
        db.execute("PRAGMA trusted_schema = OFF")  # no functions run from views or triggers
        db.execute("PRAGMA temp_store = MEMORY")  # no temporary files outside the scratch folder
        yield db
    except sqlite3.DataError as exc:
        raise ImportRefused(
            f"a value in the collection is longer than {size_text(MAX_VALUE)}, the most accepted "
            f"({exc})"
        ) from None
    except sqlite3.OperationalError:
        if timed_out:
            raise ImportRefused(
                f"reading the collection took more than {MAX_SECONDS:.0f} s, the most allowed: "
                "it is damaged or not made by Anki"
            ) from None
        raise
    finally:
        db.close()


def table_names(db: sqlite3.Connection) -> set[str]:
    """The tables of a database (views, which could be anything, left out)."""
    return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def remove_leftovers(scratch: Path) -> int:
    """Remove the temporary folders of imports that are no longer running; returns how many."""
    removed = 0
    try:
        entries = list(os.scandir(scratch))
    except OSError:
        return 0
    for entry in entries:
        if not entry.name.startswith(PREFIX):
            continue
        pid = entry.name.removeprefix(PREFIX).split("-", 1)[0]
        if pid.isdigit() and _running(int(pid)):
            continue
        shutil.rmtree(entry.path, ignore_errors=True)
        removed += 1
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process
        return True
    return True


@contextmanager
def scratch_folder(scratch: Path | None) -> Iterator[Path]:
    """A new temporary folder under ``scratch`` (the system's when None), removed at the end."""
    if scratch is not None:
        scratch.mkdir(parents=True, exist_ok=True, mode=0o700)
        remove_leftovers(scratch)
    with tempfile.TemporaryDirectory(prefix=f"{PREFIX}{os.getpid()}-", dir=scratch) as tmp:
        yield Path(tmp)


__all__ = [
    "MAX_MEDIA",
    "MAX_MEMBERS",
    "MAX_META",
    "MAX_SECONDS",
    "MAX_VALUE",
    "ImportRefused",
    "foreign_database",
    "member_count",
    "open_package",
    "read_member",
    "remove_leftovers",
    "scratch_folder",
    "size_text",
    "table_names",
]
