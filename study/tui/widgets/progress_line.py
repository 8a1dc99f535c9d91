"""The session's progress: a line of text, then a bar across the screen and the share done.

Textual's ``ProgressBar`` is three widgets (bar, percentage, ETA) with a timer for
its animation, and the text above it was one more; this draws both lines from one
widget, which makes the study screen appear sooner after the key that opens it.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class ProgressLine(Widget):
    """A label (``Deck · 2 done · 3 left``), then ``━━━━━╺━━━━━━  40%``: done in the
    accent colour."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"progressline--bar"}
    DEFAULT_CSS = """
    ProgressLine {
        height: 2;
        padding: 0 1;
        .progressline--bar { color: $accent; }
    }
    """

    total: reactive[int] = reactive(1)
    progress: reactive[int] = reactive(0)
    label: reactive[Text] = reactive(Text)

    def update(self, *, total: int, progress: int, label: Text | None = None) -> None:
        """Show ``progress`` out of ``total`` (and ``label`` above the bar)."""
        self.total, self.progress = max(1, total), max(0, min(progress, total))
        if label is not None:
            self.label = label

    def render(self) -> Text:
        share = self.progress / self.total
        percent = f" {share:>4.0%}"
        width = max(0, self.size.width - len(percent))
        done = round(share * width)
        line = Text.assemble(self.label, "\n", no_wrap=True, overflow="ellipsis")
        line.append("━" * done, style=self.get_component_rich_style("progressline--bar"))
        if done < width:
            line.append("╺" + "━" * (width - done - 1), style="dim")
        line.append(percent, style="")
        return line
