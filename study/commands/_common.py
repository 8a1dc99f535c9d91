"""What every command module shares: building the service, printing tables and problems.

Exit codes, the same for every command (the README lists them):

- 0: done (``lint``: no errors);
- 1: the operation was refused or failed (``CommandError``: a file that exists without
  ``--force``, a card that is not valid, a damaged database; ``lint``: errors found);
- 2: bad arguments (``UsageError``: argparse's errors, and a name that matches nothing:
  an unknown deck, tag, folder, file, exam or backup);
- 70: an unexpected error (written to the crash log); 130: interrupted.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

from study.core.clock import Clock
from study.core.decks.model import Problem, Severity
from study.core.decks.safe_text import visible
from study.core.paths import Paths

if TYPE_CHECKING:
    import argparse

    from study.core.service import Service

Handler = Callable[["argparse.Namespace"], int]


class CommandError(Exception):
    """A command cannot do what was asked: printed as one line, exit code 1."""


class UsageError(Exception):
    """A bad argument (or a name that matches nothing): printed on one line, exit code 2."""


def check_names(svc: Service, decks: Sequence[str] = (), tags: Sequence[str] = ()) -> None:
    """UsageError for the first deck id (or folder of decks) or tag that matches nothing."""
    unknown = svc.scope(decks)[2]
    if unknown:
        raise UsageError(
            f"no deck or folder is named {', '.join(map(repr, unknown))} "
            "('study decks' lists the deck ids)"
        )
    known = {tag for item in svc.items.values() for tag in item.card.tags}
    missing = [tag for tag in tags if tag not in known]
    if missing:
        raise UsageError(
            f"no card has the tag {', '.join(map(repr, missing))}; "
            "check its spelling in the deck files"
        )


def resolve_names(svc: Service, names: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Split DECK|TAG arguments into deck ids and tags; UsageError for an unknown name."""
    deck_ids = {d.id for d in svc.decks}
    tags = {t for item in svc.items.values() for t in item.card.tags}
    decks_out: list[str] = []
    tags_out: list[str] = []
    for name in names:
        if name not in deck_ids and name not in tags:
            raise UsageError(f"no deck or tag is called {name!r}; 'study decks' lists the decks")
        (decks_out if name in deck_ids else tags_out).append(name)
    return tuple(decks_out), tuple(tags_out)


class SafeStream:
    """A text stream that writes each control character but tab and newline as ``\\u001b``.

    Every line the command line prints goes through one: a card's text, a deck's file
    name or an error quoting either never reaches the terminal raw (``ESC ] 0 ;`` would
    set its title, ``ESC [ 2 J`` wipe it). The tool itself prints no escape sequences.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(visible(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextmanager
def safe_output() -> Iterator[None]:
    """Standard output and error as SafeStreams while the block runs."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = cast("TextIO", SafeStream(out)), cast("TextIO", SafeStream(err))
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err


def service(
    args: argparse.Namespace,
    roots: Sequence[str] | None = None,
    *,
    load: bool = True,
    reconcile: bool = False,
) -> Service:
    """The service for these arguments (``--data``, ``--decks``), with decks loaded.

    With ``reconcile``, progress of edited cards without an id is carried over and each
    move is reported on stderr.
    """
    from study.core.service import Service

    deck_roots = [Path(p) for p in (roots or args.decks or [])] or None
    svc = Service(Paths.resolve(args.data), clock=Clock(), deck_roots=deck_roots)
    svc.tell = lambda notice: print(f"study: {notice}", file=sys.stderr)
    if load:
        svc.load()
        if reconcile:
            for message in svc.reconcile():
                print(f"study: {message}", file=sys.stderr)
    return svc


def refuse_existing(path: Path, force: bool, rename: str = "choose another name with -o") -> None:
    """CommandError when ``path`` exists and ``--force`` was not given: no command replaces a
    file without being told to. ``rename`` says how to write elsewhere."""
    if path.exists() and not force:
        raise CommandError(f"{path} already exists: {rename}, or add --force to replace it")


def print_problems(problems: Sequence[Problem], *, warnings: bool = True) -> None:
    """Problems on stderr, one line each."""
    for problem in problems:
        if warnings or problem.severity is Severity.ERROR:
            print(problem, file=sys.stderr)


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain text table: first column left-aligned, the others right-aligned."""
    cells = [list(map(str, header))] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = []
    for row in cells:
        first, rest = (
            row[0].ljust(widths[0]),
            [c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=False)],
        )
        lines.append("  ".join([first, *rest]).rstrip())
    return "\n".join(lines)
