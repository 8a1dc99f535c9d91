"""The one parser of the command line, built with argparse from the command table
(``study.commands._table``): each command's arguments are described once, there.

Building it imports no command module: a command's handler is named as
``"module:function"`` and imported by ``handler_of`` only when that command runs, so
``study`` and ``study review`` start without the exams, authoring or import code.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn, cast

from study.commands._common import Handler, UsageError

Arguments = Callable[["Parser"], None]
"""Adds a command's arguments to its parser."""


class Parser(argparse.ArgumentParser):
    """argparse, but errors are one line and raised instead of exiting."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see '{self.prog} --help')")


def _no_arguments(parser: Parser) -> None:
    """A command that takes only ``--data`` and ``--decks``."""


class Command(NamedTuple):
    """One line of the command table (a NamedTuple: a frozen dataclass costs 1 ms more to
    define, at every start)."""

    name: str
    help: str
    """One line, shown in ``study --help`` and as the description of ``study NAME --help``."""
    handler: str
    """``"module:function"``: the function that runs the command, imported when it runs."""
    arguments: Arguments = _no_arguments
    parser_class: type[Parser] = Parser
    """The parser's class (``study cards`` reads ``-is:new`` as a word, not an option)."""


def add_common_options(parser: Parser, default: object) -> None:
    """``--data`` and ``--decks``, taken before or after the command (``default`` when
    not given: ``SUPPRESS`` after the command, so that one given before it is kept)."""
    parser.add_argument(
        "--data",
        metavar="DIR",
        default=default,
        help="keep progress and settings in DIR "
        "(default: $STUDY_HOME or the platform's user data folder)",
    )
    parser.add_argument(
        "--decks",
        metavar="PATH",
        action="append",
        default=default,
        help="load decks from PATH instead of the default folders (repeatable)",
    )


class _Parsers(dict[str, Parser]):
    """Every command's parser, built from its table line when it is first looked up.

    argparse looks up only the command given: ``study`` builds no command's parser,
    ``study review`` one. Building all 26 at start took 9-10 ms (measured with
    ``perf_counter`` around the parse, 20 runs), against 2.5 ms for the parse as it is.
    """

    def __init__(self, prog: str) -> None:
        super().__init__()
        self.commands: dict[str, Command] = {}
        self._prog = prog

    def __contains__(self, name: object) -> bool:
        return name in self.commands

    def __iter__(self) -> Iterator[str]:
        return iter(self.commands)

    def __len__(self) -> int:
        return len(self.commands)

    def __missing__(self, name: str) -> Parser:
        command = self.commands[name]
        parser = command.parser_class(prog=f"{self._prog} {name}", description=command.help)
        add_common_options(parser, argparse.SUPPRESS)
        parser.set_defaults(handler=command.handler)
        command.arguments(parser)
        self[name] = parser
        return parser


if TYPE_CHECKING:
    _SubParsers = argparse._SubParsersAction[Parser]
else:  # generic only to the type checker
    _SubParsers = argparse._SubParsersAction


class _Commands(_SubParsers):
    """The commands: names and help lines listed at once, parsers built when given."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._parsers = _Parsers(self._prog_prefix)
        self._name_parser_map = self.choices = self._parsers

    def add_command(self, command: Command) -> None:
        """List ``command``; its parser is built when it is given."""
        self._parsers.commands[command.name] = command
        self._choices_actions.append(self._ChoicesPseudoAction(command.name, (), command.help))


def build(commands: Sequence[Command], *, version: str, default: str) -> Parser:
    """The whole command line: ``study [--data DIR] [--decks PATH] [COMMAND ...]``; with no
    command, the handler is ``default``."""
    parser = Parser(
        prog="study",
        description="Learn facts with spaced repetition and mock exams, from YAML decks.",
        epilog="With no command, opens the terminal app. 'study COMMAND --help' for details.",
    )
    add_common_options(parser, None)
    parser.add_argument("--version", action="version", version=f"study {version}")
    parser.set_defaults(handler=default)
    sub = parser.add_subparsers(
        title="commands", metavar="COMMAND", parser_class=Parser, action=_Commands
    )
    for command in commands:
        cast("_Commands", sub).add_command(command)
    return parser


def handler_of(args: argparse.Namespace) -> Handler:
    """The function that runs the parsed command (its module imported now)."""
    module, _, function = str(args.handler).partition(":")
    return cast("Handler", getattr(importlib.import_module(module), function))
