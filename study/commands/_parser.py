"""The one parser of the command line, built with argparse from the command table
(``study.commands._table``): each command's arguments are described once, there.

Building it imports no command module: a command's handler is named as
``"module:function"`` and imported by ``handler_of`` only when that command runs, so
``study`` and ``study review`` start without the exams, authoring or import code.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NoReturn, cast

from study.commands._common import Handler, UsageError

Arguments = Callable[["Parser"], None]
"""Adds a command's arguments to its parser."""


class Parser(argparse.ArgumentParser):
    """argparse, but errors are one line and raised instead of exiting."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see '{self.prog} --help')")


def _no_arguments(parser: Parser) -> None:
    """A command that takes only ``--data`` and ``--decks``."""


@dataclass(frozen=True, slots=True)
class Command:
    """One line of the command table."""

    name: str
    help: str
    """One line, shown in ``study --help`` and as the description of ``study NAME --help``."""
    handler: str
    """``"module:function"``: the function that runs the command, imported when it runs."""
    arguments: Arguments = _no_arguments
    parser_class: type[Parser] = Parser
    """The parser's class (``study cards`` reads ``-is:new`` as a word, not an option)."""


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


def build(commands: Sequence[Command], *, version: str, default: str) -> Parser:
    """The whole command line: ``study [--data DIR] [--decks PATH] [COMMAND ...]``; with no
    command, the handler is ``default``."""
    parser = Parser(
        prog="study",
        parents=[common_options(None)],
        description="Learn facts with spaced repetition and mock exams, from YAML decks.",
        epilog="With no command, opens the terminal app. 'study COMMAND --help' for details.",
    )
    parser.add_argument("--version", action="version", version=f"study {version}")
    parser.set_defaults(handler=default)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=Parser)
    common = common_options(argparse.SUPPRESS)  # given before the command, not reset after it
    for command in commands:
        p = sub.add_parser(
            command.name,
            parents=[common],
            help=command.help,
            description=command.help,
        )
        p.__class__ = command.parser_class
        p.set_defaults(handler=command.handler)
        command.arguments(p)
    return parser


def handler_of(args: argparse.Namespace) -> Handler:
    """The function that runs the parsed command (its module imported now)."""
    module, _, function = str(args.handler).partition(":")
    return cast("Handler", getattr(importlib.import_module(module), function))
