"""argparse with one-line errors: imported only when a command is given (``study`` and
``study review`` are read without it, see ``study.cli.app_arguments``)."""

from __future__ import annotations

import argparse
from typing import NoReturn

from study.commands._common import UsageError


class Parser(argparse.ArgumentParser):
    """argparse, but errors are one line and raised instead of exiting."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see '{self.prog} --help')")


def common_options(default: object) -> Parser:
    """``--data`` and ``--decks``, taken before or after the command (``default`` when
    not given)."""
    common = Parser(add_help=False)
    common.add_argument(
        "--data",
        metavar="DIR",
        default=default,
        help="keep progress and settings in DIR "
        "(default: $STUDY_HOME or the platform's user data folder)",
    )
    common.add_argument(
        "--decks",
        metavar="PATH",
        action="append",
        default=default,
        help="load decks from PATH instead of the default folders (repeatable)",
    )
    return common
