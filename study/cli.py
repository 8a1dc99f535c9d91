"""The command line: ``study [COMMAND] ...``.

Commands that need no screen never import Textual. Errors are one line on
stderr; the exit codes (0, 1, 2, 70, 130) are listed in ``study.commands._common``:
bad arguments (an unknown deck among them) exit with 2, a refused or failed operation
with 1; an unexpected error is written to the crash log and its path printed, never a
traceback.
"""

from __future__ import annotations

import gc
import os
import sys
import tempfile
import traceback
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, cast

import study.commands
from study import __version__
from study.commands._common import (
    CommandError,
    Handler,
    UsageError,
    check_names,
    print_problems,
    safe_output,
    service,
    table,
)
from study.core.decks.model import Severity
from study.core.paths import Paths
from study.core.progress.store import StoreError

if TYPE_CHECKING:
    import argparse

    from study.commands._parser import Parser


# --- commands ----------------------------------------------------------------


def cmd_lint(args: argparse.Namespace) -> int:
    """Check deck files; exit 1 when there are errors."""
    svc = service(args, args.paths or None)
    problems = svc.loaded.problems
    errors = [p for p in problems if p.severity is Severity.ERROR]
    cards = sum(len(d.cards) for d in svc.decks)
    if args.json:
        import json

        print(
            json.dumps(
                {
                    "decks": len(svc.decks),
                    "cards": cards,
                    "errors": len(errors),
                    "warnings": len(problems) - len(errors),
                    "problems": [p.to_dict() for p in problems],
                },
                indent=2,
            )
        )
    else:
        for problem in problems:
            print(problem)
        status = (
            "ok"
            if not problems
            else f"{len(errors)} error(s), {len(problems) - len(errors)} warning(s)"
        )
        print(f"{len(svc.decks)} deck(s), {cards} card(s): {status}", file=sys.stderr)
    return 1 if errors else 0


def cmd_decks(args: argparse.Namespace) -> int:
    """List the decks with their counts."""
    svc = service(args, reconcile=True)
    summaries = svc.summaries()
    if args.json:
        import json

        print(
            json.dumps(
                [
                    {
                        "id": s.deck.id,
                        "title": s.deck.title,
                        "file": s.deck.display,
                        "cards": s.cards,
                        "items": s.counts.total,
                        "new": s.counts.new,
                        "learning": s.counts.learning,
                        "due": s.counts.due,
                        "suspended": s.counts.suspended,
                        "buried": s.counts.buried,
                        "mastery": round(s.counts.mastery, 3),
                    }
                    for s in summaries
                ],
                indent=2,
            )
        )
    else:
        rows = [
            (
                s.deck.id,
                s.cards,
                s.counts.total,
                s.counts.new,
                s.counts.learning,
                s.counts.due,
                s.counts.suspended,
                s.counts.buried,
                f"{s.counts.mastery:.0%}",
            )
            for s in summaries
        ]
        header = ("deck", "cards", "items", "new", "learn", "due", "suspended", "buried", "mastery")
        print(table(header, rows))
    print_problems(svc.problems, warnings=False)
    return 0


def cmd_due(args: argparse.Namespace) -> int:
    """List the items due by the end of today."""
    svc = service(args, reconcile=True)
    check_names(svc, args.deck, args.tag)
    due = svc.due_items(svc.scope(args.deck)[0], args.tag)
    if args.json:
        import json

        print(
            json.dumps(
                [
                    {"item": i.key, "due": m.due.isoformat() if m.due else None, "prompt": i.prompt}
                    for i, m in due
                ],
                indent=2,
            )
        )
    elif not due:
        print("Nothing is due today.")
    else:
        now = svc.clock.now()
        for item, memory in due:
            when = (
                "now"
                if memory.due and memory.due <= now
                else svc.clock.local(memory.due).strftime("%H:%M")  # type: ignore[arg-type]
            )
            print(f"{when:>5}  {item.key}  {item.prompt[:70]}")
    print_problems(svc.problems, warnings=False)
    return 0


def cmd_tui(args: argparse.Namespace) -> int:
    """Open the terminal app."""
    return _open_app(args, None)


def cmd_review(args: argparse.Namespace) -> int:
    """Open the terminal app straight on today's first card (of the named decks or folders)."""
    return _open_app(args, args.names)


def _open_app(args: argparse.Namespace, review: list[str] | None) -> int:
    """Open the app (on the home screen, or on the review of ``review``'s decks).

    SQLite's quick check of the progress database reads the whole file (a quarter of a
    second with a million reviews); it runs in a thread while Textual is imported (SQLite
    lets Python go on, so the two share the machine's cores). The app opens the database
    with its result: nothing is written to a damaged file, as before. Deck names are
    checked before the screen opens when the decks' catalog knows them (otherwise the app
    says so once the decks are loaded).
    """
    from study.core.progress.lock import AppLock, LockedError

    paths = Paths.resolve(args.data)
    lock = AppLock(paths.app_lock)
    try:
        paths.data.mkdir(parents=True, exist_ok=True, mode=0o700)
        lock.acquire()  # one app per data folder: a second one would show the same cards
    except LockedError as exc:
        raise CommandError(str(exc)) from None
    except OSError:
        pass  # a folder that cannot be written: opening the database says why
    try:
        return _run_app(args, review, paths)
    finally:
        lock.release()


def _run_app(args: argparse.Namespace, review: list[str] | None, paths: Paths) -> int:
    """The app on ``paths``, once the data folder's app lock is held."""
    from study.core.progress.store import QuickCheck

    check = QuickCheck(paths.database) if paths.database.is_file() else None
    from study.core.clock import Clock
    from study.core.service import Service
    from study.tui.factory import run_app

    svc = Service(
        paths, clock=Clock(), deck_roots=[Path(p) for p in args.decks] if args.decks else None
    )
    svc.quick_check = check
    _ = svc.store  # open (and check) the database before the screen takes over
    # nothing changed since the last run: the first card needs no deck read; otherwise decks
    # named are looked for in the decks themselves, read now (the app then reads them no more)
    if not svc.open_catalog() and review:
        svc.load()
    if review:
        unknown = svc.scope(review)[2]
        if unknown:
            svc.close()
            raise UsageError(
                f"no deck or folder is named {', '.join(map(repr, unknown))} "
                "('study decks' lists the deck ids)"
            )
    return run_app(svc, review)


# --- the parser --------------------------------------------------------------


def build_parser() -> Parser:
    """The whole command line."""
    import argparse
    import importlib
    import pkgutil

    from study.commands._parser import Parser, common_options

    parser = Parser(
        prog="study",
        parents=[common_options(None)],
        description="Learn facts with spaced repetition and mock exams, from YAML decks.",
        epilog="With no command, opens the terminal app. 'study COMMAND --help' for details.",
    )
    parser.add_argument("--version", action="version", version=f"study {__version__}")
    parser.set_defaults(handler=cmd_tui)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=Parser)
    common = common_options(
        argparse.SUPPRESS
    )  # given before the command, they are not reset after it

    def command(name: str, handler: Handler, help_text: str) -> Parser:
        p = sub.add_parser(name, parents=[common], help=help_text, description=help_text)
        p.set_defaults(handler=handler)
        return p

    p = command("lint", cmd_lint, "check deck files and report problems (exit 1 on errors)")
    p.add_argument(
        "paths", nargs="*", metavar="PATH", help="deck files or folders (default: all decks)"
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p = command("decks", cmd_decks, "list decks with new / learning / due counts")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p = command("due", cmd_due, "list the cards due today")
    p.add_argument("--deck", action="append", default=[], help="only this deck (repeatable)")
    p.add_argument(
        "--tag", action="append", default=[], help="only cards with this tag (repeatable)"
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    command("tui", cmd_tui, "open the terminal app (the default)")
    p = command("review", cmd_review, "open the terminal app straight on today's first card")
    p.add_argument(
        "names",
        nargs="*",
        metavar="DECK",
        help=(
            "only these decks or folders of decks "
            "(default: every deck; 'study decks' lists the ids)"
        ),
    )
    for module in pkgutil.iter_modules(study.commands.__path__):
        if not module.name.startswith("_"):
            importlib.import_module(f"study.commands.{module.name}").register(command)
    return parser


_TOP_OPTIONS = ("data", "decks", "help", "version")
"""The options of ``study`` itself, among which a shortened option must be unambiguous."""


def app_arguments(argv: Sequence[str] | None) -> argparse.Namespace | None:
    """The arguments, when they only open the app: where the data and decks are (``study``,
    ``study --data DIR``), and ``study review [DECK ...]``.

    That is how the app is opened many times a day; it needs none of the commands, whose
    modules (exams, authoring, import and export) take longer to import than the app takes
    to draw its first frame (nor argparse). Anything else (a command, ``--help``, a mistake)
    returns None: the full parser handles it, with its errors. Options are read as argparse
    reads them: ``--data DIR`` or ``--data=DIR``, anywhere, shortened while unambiguous among
    the top-level options (``--dat``).
    """
    args = sys.argv[1:] if argv is None else list(argv)
    found: dict[str, object] = {"data": None, "decks": None}
    rest: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg.startswith("--") and len(arg) > 2:
            name, eq, value = arg[2:].partition("=")
            matches = (
                [name] if name in _TOP_OPTIONS else [o for o in _TOP_OPTIONS if o.startswith(name)]
            )
            if len(matches) != 1 or matches[0] not in found:
                return None
            if not eq:
                i += 1
                if i == len(args) or args[i].startswith("-"):
                    return None
                value = args[i]
            if matches[0] == "decks":
                found["decks"] = [*cast("list[str]", found["decks"] or []), value]
            else:
                found["data"] = value
        elif arg.startswith("-"):
            return None
        else:
            rest.append(arg)
        i += 1
    if rest[:1] == ["review"]:
        return cast(
            "argparse.Namespace", SimpleNamespace(**found, handler=cmd_review, names=rest[1:])
        )
    if rest:
        return None
    return cast("argparse.Namespace", SimpleNamespace(**found, handler=cmd_tui))


def crash_report(paths: Paths) -> Path:
    """Write the current exception to the crash log; return its path."""
    entry = f"--- {datetime.now().isoformat()} study {__version__}\n{traceback.format_exc()}\n"
    for log in (paths.crash_log, Path(tempfile.gettempdir()) / f"study-crash-{os.getuid()}.log"):
        try:
            log.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            handle = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            with open(handle, "a", encoding="utf-8") as stream:
                stream.write(entry)
            return log
        except OSError:
            continue
    return paths.crash_log


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code. No control character is printed raw."""
    with safe_output():
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    paths = Paths.resolve(None)
    try:
        args = app_arguments(argv) or build_parser().parse_args(argv)
        paths = Paths.resolve(args.data)
        handler: Handler = args.handler
        if handler not in (cmd_tui, cmd_review):
            # paused by the entry point for a fast start (the app turns it on after drawing)
            gc.enable()
        return handler(args)
    except UsageError as exc:
        message = str(exc)
        print(message if message.startswith("study") else f"study: {message}", file=sys.stderr)
        return 2
    except CommandError as exc:
        print(f"study: {exc}", file=sys.stderr)
        return 1
    except StoreError as exc:
        print(f"study: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("study: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        log = crash_report(paths)
        said = (str(exc).splitlines() or [""])[0][:200]  # one line, whatever the error holds
        print(
            f"study: unexpected error ({type(exc).__name__}: {said}); details in {log}",
            file=sys.stderr,
        )
        return 70
