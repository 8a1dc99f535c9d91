"""The command table: every command of ``study``, its one-line help, its arguments and the
function that runs it (``"module:function"``, imported only when the command runs).

``study.cli`` builds the one argparse parser from it (``study.commands._parser.build``).
The deck-writing and exam lines are in ``_table_authoring`` and ``_table_exam``.
"""

from __future__ import annotations

import argparse

from study.commands._parser import Command, Parser
from study.commands._table_authoring import AUTHORING
from study.commands._table_exam import EXAMS

APP = "study.commands.app:cmd_tui"
"""What ``study`` with no command runs: the terminal app."""

OPENS_APP = frozenset({APP, "study.commands.app:cmd_review"})
"""The handlers that open the app (it turns the garbage collector on itself)."""

MIN_REVIEWS = 400
"""``study.core.scheduling.fitting.MIN_REVIEWS``, for ``optimize``'s help (importing that
module to read it costs 7 ms at every start; a test checks the two agree)."""

QUERY_HELP = (
    'a search, as in the app\'s browser: words, "a phrase", deck:ID, tag:NAME, '
    "is:new|learning|review|due|suspended|buried|flagged|leech, - before a term negates it "
    "(quote the whole query for the shell)"
)

_JSON = "machine-readable output"


class QueryParser(Parser):
    """A command whose words are a query: ``-is:new`` is a negated term, not an option."""

    def _parse_optional(
        self, arg_string: str
    ) -> tuple[argparse.Action | None, str, str | None] | None:
        negated = arg_string.startswith("-") and not arg_string.startswith("--")
        if negated and arg_string not in self._option_string_actions:
            return None  # a positional argument
        return super()._parse_optional(arg_string)


def _json(p: Parser) -> None:
    p.add_argument("--json", action="store_true", help=_JSON)


def _lint(p: Parser) -> None:
    p.add_argument(
        "paths", nargs="*", metavar="PATH", help="deck files or folders (default: all decks)"
    )
    _json(p)


def _due(p: Parser) -> None:
    p.add_argument("--deck", action="append", default=[], help="only this deck (repeatable)")
    p.add_argument(
        "--tag", action="append", default=[], help="only cards with this tag (repeatable)"
    )
    _json(p)


def _review(p: Parser) -> None:
    p.add_argument(
        "names",
        nargs="*",
        metavar="DECK",
        help=(
            "only these decks or folders of decks "
            "(default: every deck; 'study decks' lists the ids)"
        ),
    )


def _cards(p: Parser) -> None:
    p.add_argument("query", nargs="*", metavar="QUERY", help=QUERY_HELP + "; none: every card")
    _json(p)
    p.add_argument("--limit", type=int, metavar="N", help="list at most N cards")


def _acting(action: str) -> Command:
    """``study suspend|unsuspend|unbury|forget QUERY``."""

    def arguments(p: Parser) -> None:
        p.set_defaults(action=action)
        p.add_argument("query", nargs="+", metavar="QUERY", help=QUERY_HELP)
        if action == "forget":
            p.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")

    what = {
        "suspend": "suspend the cards a search finds (until unsuspended)",
        "unsuspend": "unsuspend the cards a search finds (also clears a leech mark)",
        "unbury": "unbury the cards a search finds (they come back today)",
        "forget": "reset the cards a search finds to new; their answers stay in the log",
    }[action]
    return Command(action, what, "study.commands.cards:cmd_act", arguments, QueryParser)


def _grade(p: Parser) -> None:
    p.add_argument("deck", metavar="DECK", help="the deck id (as in 'study decks')")
    p.add_argument("card", metavar="CARD", help="the card id, in that deck (a typed or list card)")
    p.add_argument(
        "--json",
        action="store_true",
        help='machine-readable output: {"verdict": "right"|"close"|"wrong", "share": 0..1, ...}',
    )


def _optimize(p: Parser) -> None:
    p.add_argument("--yes", action="store_true", help="save the new parameters without asking")
    p.add_argument("--dry-run", action="store_true", help="show the fit, save nothing")
    p.add_argument(
        "--json", action="store_true", help="machine-readable output (saves only with --yes)"
    )


def _backup(p: Parser) -> None:
    p.add_argument("--list", action="store_true", help="list the backups, newest first, instead")
    _json(p)


def _restore(p: Parser) -> None:
    p.add_argument(
        "file",
        nargs="?",
        metavar="FILE",
        help="a backup file, or its name in the backups folder (see 'study backup --list')",
    )
    p.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")


def _doctor(p: Parser) -> None:
    p.add_argument(
        "--prune",
        action="store_true",
        help="delete the progress of cards no deck has any more (a backup is made first)",
    )
    _json(p)


def _serve(p: Parser) -> None:
    p.add_argument(
        "--host",
        default="localhost",
        help="the address to listen on (default: localhost; 0.0.0.0 for every network)",
    )
    p.add_argument("--port", type=int, default=8000, help="the port (default: 8000)")
    p.add_argument(
        "--new-token",
        action="store_true",
        help="replace the access token with a new one (the old address stops working)",
    )


def _stats(p: Parser) -> None:
    p.add_argument("--deck", metavar="DECK", help="only this deck (its id, as in 'study decks')")
    p.add_argument("--tag", metavar="TAG", help="only cards with this tag (with --deck: both)")
    _json(p)


def _sync(p: Parser) -> None:
    p.add_argument("--folder", metavar="DIR", help="the shared folder (default: sync_folder)")
    _json(p)


COMMANDS: tuple[Command, ...] = (
    Command(
        "lint",
        "check deck files and report problems (exit 1 on errors)",
        "study.commands.decks:cmd_lint",
        _lint,
    ),
    Command(
        "decks",
        "list decks with new / learning / due counts",
        "study.commands.decks:cmd_decks",
        _json,
    ),
    Command("due", "list the cards due today", "study.commands.decks:cmd_due", _due),
    Command("tui", "open the terminal app (the default)", APP),
    Command(
        "review",
        "open the terminal app straight on today's first card",
        "study.commands.app:cmd_review",
        _review,
    ),
    *AUTHORING,
    Command(
        "cards",
        "list the cards a search finds, with their state",
        "study.commands.cards:cmd_cards",
        _cards,
        QueryParser,
    ),
    *(_acting(action) for action in ("suspend", "unsuspend", "unbury", "forget")),
    *EXAMS,
    Command(
        "grade",
        "grade an answer read from standard input (one item a line for a list card) as the "
        "study screen does, and show what it matched: for deck authors checking that the "
        "accepted forms of a card work",
        "study.commands.grade:cmd_grade",
        _grade,
    ),
    Command(
        "optimize",
        f"fit the scheduler's parameters to your reviews (needs {MIN_REVIEWS}+ reviews)",
        "study.commands.optimize:cmd_optimize",
        _optimize,
    ),
    Command(
        "backup",
        "back up your progress now (or --list the backups)",
        "study.commands.safety:cmd_backup",
        _backup,
    ),
    Command(
        "restore",
        "put a backup in place of your progress (default: the latest good backup); "
        "your current progress is kept as a backup first",
        "study.commands.safety:cmd_restore",
        _restore,
    ),
    Command(
        "doctor",
        "check the progress database, rebuild card states from the review log, "
        "list progress of cards no deck has any more",
        "study.commands.safety:cmd_doctor",
        _doctor,
    ),
    Command(
        "serve",
        "open the app in a web browser (localhost only, unless --host is given; "
        "any other address needs the access token)",
        "study.commands.serve:cmd_serve",
        _serve,
    ),
    Command(
        "stats",
        "statistics: activity, forecast, retention, time, hardest cards, mastery, exams",
        "study.commands.stats:cmd_stats",
        _stats,
    ),
    Command(
        "sync",
        "write this machine's answers to the sync folder and take the other machines' "
        "(the folder: --folder, or sync_folder in the settings)",
        "study.commands.sync:cmd_sync",
        _sync,
    ),
)
"""Every command, in the order ``study --help`` lists them."""
