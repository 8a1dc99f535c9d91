"""The command line's entry: ``study [COMMAND] ...`` parsed, dispatched, and its errors caught.

The commands are in ``study.commands`` (the table of them: ``study.commands._table``);
only the one given is imported. Errors are one line on stderr; the exit codes (0, 1, 2,
70, 130) are listed in ``study.commands._common``: bad arguments (an unknown deck among
them) exit with 2, a refused or failed operation with 1; an unexpected error is written
to the crash log and its path printed, never a traceback.
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from study import __version__, collector
from study.commands._common import CommandError, UsageError, safe_output
from study.commands._parser import Parser, build, handler_of
from study.commands._table import APP, COMMANDS, OPENS_APP
from study.core.paths import Paths
from study.core.progress.store import StoreError


def build_parser() -> Parser:
    """The whole command line, from the command table."""
    return build(COMMANDS, version=__version__, default=APP)


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
        args = build_parser().parse_args(argv)
        paths = Paths.resolve(args.data)
        handler = handler_of(args)
        if args.handler not in OPENS_APP:
            collector.resume()  # the app does so itself, after its first frame
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
