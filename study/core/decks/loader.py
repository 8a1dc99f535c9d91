"""Finding deck files and reading them safely.

Every file is checked before it is parsed: its size (read no more than the
limit), that it is text (no NUL bytes) and UTF-8 (the position of the first
bad byte is reported). Folders are walked without following a symlink loop.
One bad file never stops the others. With a ``DeckCache``, a file whose path,
size and modification time are unchanged is not read again at all.
"""

from __future__ import annotations

import gc
import os
import stat
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from study.core.decks import walk
from study.core.decks.cache import DeckCache, FileKey
from study.core.decks.media import missing_media
from study.core.decks.model import DECK_SUFFIXES, Deck, LoadResult, Problem
from study.core.decks.parse import parse_deck

MAX_BYTES = 8 * 1024 * 1024
"""Largest deck file accepted (about 50,000 cards); split bigger ones."""

SUFFIXES = DECK_SUFFIXES

FREEZE_AFTER = 200_000
"""Objects made by one load above which they are frozen out of the garbage collector."""


@dataclass(frozen=True, slots=True)
class DeckFile:
    """A deck file found under a root: where it is and how to name it to the user."""

    path: Path
    display: str
    group: str = ""


def _group(path: Path, root: Path) -> str:
    parent = path.parent.relative_to(root).as_posix()
    return "" if parent == "." else parent


def find_deck_files(roots: Iterable[Path], problems: list[Problem]) -> Iterator[DeckFile]:
    """Every deck file under the given files and folders, sorted, each once.

    The walk is bounded (``study.core.decks.walk``): links into the system's folders are
    skipped, folders deeper than MAX_DEPTH are not entered, and the search under
    one root stops after MAX_ENTRIES names; each says so in one line.
    """
    seen: set[str] = set()
    for root in roots:
        if root.is_file():
            real = os.path.realpath(root)
            if real not in seen:
                seen.add(real)
                yield DeckFile(root, str(root))
            continue
        if not root.exists():
            problems.append(Problem(str(root), 1, 1, "no such file or folder"))
            continue
        visited_dirs: set[str] = set()
        entries = 0
        too_deep: list[str] = []
        for dirpath, dirnames, filenames in os.walk(root, followlinks=True, onerror=None):
            real_dir = os.path.realpath(dirpath)
            if real_dir in visited_dirs:
                problems.append(
                    Problem(
                        dirpath, 1, 1, "folder link loops back to a folder already read: skipped"
                    )
                )
                dirnames[:] = []
                continue
            visited_dirs.add(real_dir)
            system = walk.system_folder(real_dir)
            if system and dirpath != str(root):
                problems.append(Problem(dirpath, 1, 1, f"the system folder {system}: skipped"))
                dirnames[:] = []
                continue
            entries += len(dirnames) + len(filenames)
            if entries > walk.MAX_ENTRIES:
                problems.append(
                    Problem(
                        str(root),
                        1,
                        1,
                        f"more than {walk.MAX_ENTRIES:,} files and folders: the search stopped at "
                        f"{dirpath}; keep only decks here (a link to a big folder?)",
                    )
                )
                break
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            if dirnames and walk.depth_of(os.path.relpath(dirpath, root)) >= walk.MAX_DEPTH:
                too_deep.extend(os.path.join(dirpath, name) for name in dirnames)
                dirnames[:] = []
            for name in sorted(filenames):
                if name.startswith(".") or not name.endswith(SUFFIXES):
                    continue
                path = Path(dirpath, name)
                real = os.path.realpath(path)
                if real in seen:
                    continue
                seen.add(real)
                yield DeckFile(path, str(path), _group(path, root))
        if too_deep:
            problems.append(
                Problem(
                    too_deep[0],
                    1,
                    1,
                    f"deeper than {walk.MAX_DEPTH} folders: skipped"
                    + (f" (and {len(too_deep) - 1} more)" if len(too_deep) > 1 else ""),
                )
            )


def read_text(path: Path, display: str) -> tuple[str | None, Problem | None]:
    """The file's text, or a problem saying why it cannot be read as a deck."""
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISSOCK(mode):
            # opening a named pipe would wait for a writer; a device could be endless
            return None, Problem(
                display,
                1,
                1,
                "not a regular file (a pipe or a device): move it out of the decks folder",
            )
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return None, Problem(
            display, 1, 1, f"cannot read the file ({reason}): check its permissions", transient=True
        )
    if len(data) > MAX_BYTES:
        return None, Problem(
            display,
            1,
            1,
            f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB: split it into several decks",
        )
    if b"\0" in data:
        return None, Problem(
            display, 1, 1, "this is a binary file, not a YAML deck: move it out of the decks folder"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, Problem(display, line, col, "the file is not UTF-8 text: save it as UTF-8")
    return text.removeprefix("\ufeff"), None


def load_file(
    deck_file: DeckFile, cache: DeckCache | None = None
) -> tuple[Deck | None, list[Problem]]:
    """Read and validate one deck file (from the cache when it is unchanged)."""
    key = None
    if cache is not None:
        try:
            key = FileKey.of(deck_file.path)
        except OSError:
            key = None  # read_text says why
        else:
            cached = cache.get(key, deck_file.path, deck_file.display, deck_file.group)
            if cached is not None:
                return cached
    text, problem = read_text(deck_file.path, deck_file.display)
    if text is None:
        result: tuple[Deck | None, list[Problem]] = (None, [problem] if problem else [])
    else:
        result = parse_deck(text, deck_file.path, deck_file.display, deck_file.group)
    if cache is not None and key is not None and not (problem and problem.transient):
        cache.put(key, *result)  # a read error is not cached: it goes with its cause
    return result


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while loading.

    Loading makes millions of small objects and no reference cycles; with the
    collector running, its full passes over the growing heap cost about a third
    of the load time on 100,000 cards. After a big load the survivors are moved
    out of the collector's sight (``gc.freeze``): they live as long as the app,
    and otherwise the first collection after loading (and every full one later,
    in the middle of a keypress) would walk all of them again. Small loads (tests,
    a few decks) are left to the collector as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_count()[0] >= FREEZE_AFTER:
            gc.freeze()
        if enabled:
            gc.enable()


def load_decks(
    roots: Iterable[Path], cache: DeckCache | None = None, *, polite: bool = False
) -> LoadResult:
    """Load every deck under the roots; decks whose id is taken are reported and skipped.

    ``polite``: let other threads run between files (a load behind the app's screen).
    """
    result = LoadResult()
    by_id: dict[str, Deck] = {}
    with _collector_paused():
        for deck_file in find_deck_files(roots, result.problems):
            if polite:
                time.sleep(
                    0
                )  # gives up the interpreter lock: a key press waits for one file at most
            deck, problems = load_file(deck_file, cache)
            result.problems.extend(problems)
            if deck is None:
                continue
            result.problems.extend(missing_media(deck))  # not cached: the files come and go
            if deck.id in by_id:
                first = by_id[deck.id]
                result.problems.append(
                    Problem(
                        deck.display,
                        1,
                        1,
                        f"deck id {deck.id!r} is already used by {first.display}: "
                        "set a different 'id' in one of them",
                    )
                )
                continue
            by_id[deck.id] = deck
            result.decks.append(deck)
    return result
