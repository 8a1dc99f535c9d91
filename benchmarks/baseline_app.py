"""The yardstick for start-up: a minimal Textual app that paints one label."""

from textual.app import App, ComposeResult
from textual.widgets import Label


class Baseline(App[None]):
    """One label; ctrl+q quits."""

    def compose(self) -> ComposeResult:
        yield Label("baseline label painted")


if __name__ == "__main__":
    Baseline().run()
