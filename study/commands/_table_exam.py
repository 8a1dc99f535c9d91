"""The command table's exam lines: ``exam`` and ``plan``, each with its arguments (see
``study.commands._parser``)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from study.commands._parser import Command, Parser


def _positive(kind: Callable[[str], float]) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"{text!r} must be more than 0")
        return value

    return parse


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number such as 0.9") from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be between 0 and 1, e.g. 0.9")
    return value


def _exam(p: Parser) -> None:
    p.add_argument(
        "names", nargs="*", metavar="DECK|TAG", help="decks or tags to draw from (default: all)"
    )
    p.add_argument(
        "--questions",
        "-n",
        type=_positive(int),
        default=20,
        metavar="N",
        help="number of questions (default 20)",
    )
    p.add_argument(
        "--minutes", "-m", type=_positive(float), metavar="M", help="time limit in minutes"
    )
    p.add_argument("--seed", type=int, metavar="S", help="the same seed gives the same exam")
    p.add_argument(
        "--kinds",
        metavar="K,K",
        help="question kinds: typed, choice, truefalse, list, order, match (default: all)",
    )
    p.add_argument(
        "--blueprint",
        metavar="T=W,...",
        help="share of questions per deck or tag, e.g. documents=0.4,timeline=0.2",
    )
    p.add_argument(
        "--feedback", action="store_true", help="mark each answer at once (default: at the end)"
    )
    p.add_argument(
        "--markdown",
        metavar="FILE",
        help="write the exam and its answer key to FILE ('-': "
        "standard output) instead of sitting it",
    )
    p.add_argument(
        "--html",
        metavar="FILE",
        help="write the exam and its answer key as a printable HTML "
        "page (open it in a browser and print; the key starts on a new page)",
    )
    p.add_argument(
        "--force", action="store_true", help="replace the --markdown or --html FILE if it exists"
    )
    p.add_argument("--history", action="store_true", help="list past exams with their scores")
    p.add_argument("--show", type=int, metavar="ID", help="print the result of past exam ID")
    p.add_argument(
        "--retake",
        metavar="ID",
        help="an exam of the questions missed in exam ID ('last': the latest exam)",
    )
    p.add_argument(
        "--json",
        action="store_true",
        help="machine-readable output (the questions are then asked on standard error)",
    )


def _plan(p: Parser) -> None:
    p.add_argument(
        "names", nargs="*", metavar="DECK|TAG", help="decks or tags the exam covers (default: all)"
    )
    p.add_argument("--exam", metavar="YYYY-MM-DD", help="set the exam date (kept for the app)")
    p.add_argument(
        "--target",
        type=_share,
        metavar="R",
        help="recall to aim for on the exam day, 0-1: the plan's reviews aim at it (kept for "
        "the app and later plans; default: the one kept, else 0.9)",
    )
    p.add_argument("--clear", action="store_true", help="forget the exam date")
    p.add_argument("--json", action="store_true", help="machine-readable output")


EXAMS = (
    Command(
        "exam",
        "sit a mock exam, print one to Markdown, list past exams or retake mistakes",
        "study.commands.exam:cmd_exam",
        _exam,
    ),
    Command(
        "plan",
        "set the exam date; see the readiness forecast and the daily plan",
        "study.commands.plan:cmd_plan",
        _plan,
    ),
)
"""The exam commands, in the order ``study --help`` lists them."""
