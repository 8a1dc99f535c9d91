"""What every command module shares: building the service, printing tables and problems."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from study.core.clock import Clock
from study.core.model import Problem, Severity
from study.core.paths import Paths

if TYPE_CHECKING:
    import argparse

    from study.core.service import Service

Handler = Callable[["argparse.Namespace"], int]


class CommandFactory(Protocol):
    """Adds a sub-command: ``command(name, handler, help)`` returns its parser."""

    def __call__(self, name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser: ...


class CommandError(Exception):
    """A command cannot do what was asked: printed as one line, exit code 1."""


class UsageError(Exception):
    """A bad argument: printed on one line, exit code 2."""


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
