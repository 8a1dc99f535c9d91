"""The home screen's title line: the app's title, and the palette's icon at the left.

Textual's ``Header`` draws the same line from four widgets (icon, title, clock
space and its container), which cost the home screen a third of the time to its
first frame; this is one widget that renders one line.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.widget import Widget

from study.core.decks.safe_text import visible

ICON = "⭘"


class TitleBar(Widget):
    """``⭘`` (a click opens the command palette) and the app's title, centred."""

    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    def render(self) -> Text:
        title = visible(self.app.title, lines=False)
        width = self.size.width
        left = f" {ICON}"
        middle = max(len(left) + 1, (width - len(title)) // 2)
        return Text(f"{left:<{middle}}{title}", no_wrap=True, overflow="ellipsis")

    def on_click(self, event: events.Click) -> None:
        """The icon opens the command palette, as Textual's header does."""
        if event.x < len(ICON) + 2:
            event.stop()
            self.app.action_command_palette()
