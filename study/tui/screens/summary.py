"""The end of a session: what was done and what comes next."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from study.core.review.session import Summary
from study.tui.host import host
from study.tui.text import plain
from study.tui.widgets.keybar import KeyBar


def describe(summary: Summary, local_time: str | None) -> str:
    """The summary as a few lines of text."""
    minutes, seconds = divmod(int(summary.seconds), 60)
    lines = [
        f"Cards studied: {summary.answered}",
        f"Accuracy: {summary.accuracy:.0%} (answers other than Again)"
        if summary.answered
        else "Accuracy: -",
        f"Time: {minutes} min {seconds:02d} s",
    ]
    if summary.practice:
        lines.append("Practice session: due dates were not changed.")
    if local_time:
        lines.append(f"Next card due: {local_time}")
    lines.append(f"Due by the end of tomorrow: {summary.due_next_day}")
    return "\n".join(lines)


class SummaryScreen(Screen[None]):
    """Shown when a session ends; any key goes home."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,escape,space,q", "close", "Back to decks")
    ]

    def __init__(self, summary: Summary, title: str) -> None:
        super().__init__()
        self.summary = summary
        self.title_text = title

    def compose(self) -> ComposeResult:
        clock = host(self).service.clock
        when = (
            clock.local(self.summary.next_due).strftime("%a %d %b, %H:%M")
            if self.summary.next_due
            else None
        )
        with Vertical(id="summary"):
            yield Static(
                plain(f"Session finished: {self.title_text}", "bold", lines=False),
                id="summary-title",
            )
            yield Static(describe(self.summary, when), id="summary-body")
        yield KeyBar()

    def on_mount(self) -> None:
        """A session ended: its answers go to the sync folder now (when one is set)."""
        self.app.folder_sync.now()  # type: ignore[attr-defined]

    def action_close(self) -> None:
        """Back to the home screen."""
        host(self).go_home()
