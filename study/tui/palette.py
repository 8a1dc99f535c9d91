"""The command palette's entries (ctrl+p): help, then the current screen's keys by name."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.screen import Screen

if TYPE_CHECKING:
    from study.tui.screens.home import HomeScreen


def system_commands(
    screen: Screen[object], home: HomeScreen | None, show_help: Callable[[], None]
) -> Iterable[SystemCommand]:
    """The entries for ``screen`` after Textual's own: help, the study screen's keys, the home
    screen's (``home``, if it is ``screen``), then the screen's own ``system_commands()``."""
    yield SystemCommand("Help", "Keys and how studying works", show_help)
    from study.tui.screens.study import StudyScreen

    if isinstance(screen, StudyScreen):
        for action, title, help_text in (
            (
                "reveal",
                "Show the answer",
                "Reveal a basic or cloze card; accept the suggested rating",
            ),
            ("rate(1)", "Rate: Again", "Forgotten: the card comes back soon"),
            ("rate(2)", "Rate: Hard", "Recalled with difficulty"),
            ("rate(3)", "Rate: Good", "Recalled"),
            ("rate(4)", "Rate: Easy", "Recalled at once"),
            ("override", "I was right", "Count an automatically graded answer as Good"),
            (
                "undo",
                "Undo",
                "Take back what was done last (an answer, a flag, a bury or a suspend)",
            ),
            ("edit", "Edit the card", "Open the card's file in $EDITOR at its line"),
            ("source", "Show the source", "Where the card comes from, and its note"),
            ("flag", "Flag the card", "Mark the card to look at later"),
            ("bury", "Bury the card", "Hide the card until tomorrow"),
            ("suspend", "Suspend the card", "Hide the card until you unsuspend it"),
            ("finish", "End the session", "Stop and see the summary"),
        ):
            yield SystemCommand(title, help_text, partial(screen.run_action, action))
    if home is not None and screen is home:
        yield SystemCommand(
            "Study all due cards",
            "Today's reviews and new cards, every deck",
            home.action_study_all,
        )
        yield SystemCommand(
            "Study selected deck",
            "Reviews and new cards of the highlighted deck",
            home.action_study,
        )
        yield SystemCommand(
            "Cram selected deck",
            "Practise every card; the schedule is not changed",
            home.action_cram,
        )
        yield SystemCommand(
            "Cram hardest cards",
            "Practise the cards you are most likely to forget",
            home.action_cram_hardest,
        )
        yield SystemCommand(
            "Add a card to the highlighted deck",
            "A form: pick the type, fill the fields, see errors as you type",
            home.action_add_card,
        )
        yield SystemCommand(
            "Browse cards",
            "Every card of the highlighted deck: search, sort, unsuspend, forget, history",
            home.action_browse,
        )
        yield SystemCommand("Reload decks", "Read the deck files again", home.action_reload)
        yield SystemCommand(
            "Settings",
            "Retention and its workload, steps, limits, day start, theme, deck folders",
            home.action_settings,
        )
        yield SystemCommand(
            "Statistics",
            "Reviews, retention, forecast, hardest cards, mastery",
            home.action_stats,
        )
        yield SystemCommand(
            "Mock exam",
            "A timed test of the highlighted deck: choose the questions",
            home.action_exam,
        )
        yield SystemCommand(
            "Mock exam history", "Past exams and their results", home.action_exam_history
        )
        yield SystemCommand("Exam date", "Set or clear the date of the exam", home.action_exam_date)
        yield SystemCommand(
            "Exam plan", "Readiness on the exam day and the daily plan", home.action_exam_plan
        )
    commands = getattr(screen, "system_commands", None)
    if callable(commands):
        yield from commands()
